#pragma once
// SHA-1, for the protocols that name it: the WebSocket opening handshake (RFC 6455) and TOTP
// (RFC 6238). Never for passwords or anything that needs collision resistance.

#include <string>
#include <string_view>

namespace uitweg::crypto {

// The 20-byte digest of `data`.
std::string Sha1(std::string_view data);

}  // namespace uitweg::crypto
