#include "crypto/sha1.hpp"

#include <openssl/sha.h>

namespace uitweg::crypto {

std::string Sha1(std::string_view data) {
  std::string digest(SHA_DIGEST_LENGTH, '\0');
  ::SHA1(reinterpret_cast<const unsigned char*>(data.data()), data.size(),
         reinterpret_cast<unsigned char*>(digest.data()));
  return digest;
}

}  // namespace uitweg::crypto
