// Fuzzes the WebSocket frame parser (net/websocket_frames.hpp) as a connection feeds it: the
// input arrives in pieces, frames are taken off the front until the parser wants more. Every
// text message handed out must be valid UTF-8 and within the limit, and a violation must come
// with one of the close codes the parser promises.
#include <string>
#include <string_view>

#include "core/utf8.hpp"
#include "fuzz_support.hpp"
#include "net/websocket_frames.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace uitweg;
  constexpr std::size_t kMaxMessage = 4096;
  if (size == 0) return 0;
  // The first byte picks how many bytes arrive at a time.
  const std::size_t piece = 1 + data[0] % 64;
  const std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);
  net::FrameParser parser(kMaxMessage);
  std::string buffer;
  std::size_t fed = 0;
  while (fed < input.size() || !buffer.empty()) {
    if (fed < input.size()) {
      const std::size_t take = std::min(piece, input.size() - fed);
      buffer.append(input.substr(fed, take));
      fed += take;
    }
    std::optional<net::Received> received;
    const std::size_t used = parser.Parse(buffer, received);
    if (used > buffer.size()) __builtin_trap();
    buffer.erase(0, used);
    if (received) {
      switch (received->kind) {
        case net::Received::Kind::text:
          if (core::InvalidUtf8Offset(received->payload) != received->payload.size()) {
            __builtin_trap();
          }
          [[fallthrough]];
        case net::Received::Kind::binary:
          if (received->payload.size() > kMaxMessage) __builtin_trap();
          break;
        case net::Received::Kind::violation:
          if (received->code != net::close_code::protocol_error &&
              received->code != net::close_code::invalid_payload &&
              received->code != net::close_code::too_big) {
            __builtin_trap();
          }
          return 0;  // the connection would be closed here
        default: break;
      }
      fuzz::Keep(received->payload.size());
    }
    if (used == 0 && fed >= input.size()) break;  // an incomplete frame at the end
  }
  return 0;
}
