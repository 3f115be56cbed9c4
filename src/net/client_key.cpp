#include "net/client_key.hpp"

#include "crypto/random.hpp"

namespace uitweg::net {

ClientKeys::ClientKeys() : salt_(crypto::RandomBytes(32)) {}

std::string ClientKeys::KeyFor(std::string_view address) const {
  return crypto::KeyedHash(salt_, address);
}

}  // namespace uitweg::net
