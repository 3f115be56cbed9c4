#include "net/client_key.hpp"

#include <arpa/inet.h>

#include <cstring>
#include <string>

#include "crypto/random.hpp"

namespace uitweg::net {
namespace {

// An IPv6 client holds at least a /64 and may pick any address in it: the /64 is the client.
// Except where IPv6 carries IPv4 clients, each in an address of a shared prefix: NAT64's
// 64:ff9b::/96 and 64:ff9b:1::/48 (the whole address), and Teredo's 2001::/32 (the client's
// IPv4 address, which it cannot change as it can the port and flags around it). Anything else
// (IPv4, an unknown address) is itself.
std::string ClientOf(std::string_view address) {
  const std::string text(address);
  unsigned char bytes[sizeof(in6_addr)];
  if (inet_pton(AF_INET6, text.c_str(), bytes) != 1) return text;
  constexpr unsigned char kNat64[12] = {0x00, 0x64, 0xff, 0x9b};
  constexpr unsigned char kLocalNat64[6] = {0x00, 0x64, 0xff, 0x9b, 0x00, 0x01};
  constexpr unsigned char kTeredo[4] = {0x20, 0x01, 0x00, 0x00};
  if (std::memcmp(bytes, kNat64, sizeof kNat64) == 0 ||
      std::memcmp(bytes, kLocalNat64, sizeof kLocalNat64) == 0) {
    return text;
  }
  if (std::memcmp(bytes, kTeredo, sizeof kTeredo) == 0) {
    unsigned char client[4];
    for (int i = 0; i < 4; ++i) client[i] = bytes[12 + i] ^ 0xff;
    char ipv4[INET_ADDRSTRLEN];
    if (inet_ntop(AF_INET, client, ipv4, sizeof ipv4) == nullptr) return text;
    return std::string(ipv4);
  }
  std::memset(bytes + 8, 0, 8);
  char prefix[INET6_ADDRSTRLEN];
  if (inet_ntop(AF_INET6, bytes, prefix, sizeof prefix) == nullptr) return text;
  return std::string(prefix) + "/64";
}

}  // namespace

ClientKeys::ClientKeys() : salt_(crypto::RandomBytes(32)) {}

std::string ClientKeys::KeyFor(std::string_view address) const {
  return crypto::KeyedHash(salt_, ClientOf(address));
}

}  // namespace uitweg::net
