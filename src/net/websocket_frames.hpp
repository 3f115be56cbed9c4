#pragma once
// The WebSocket frame format (RFC 6455, section 5) on the server's side: parsing what clients
// send (always masked) and encoding what the server sends (never masked). No extensions are
// negotiated, so the reserved bits must be clear.
//
// FrameParser is incremental: it is handed the bytes received so far, takes one frame off the
// front when it is complete, and hands out whole messages (fragments joined) and control
// frames. A breach of the protocol is reported with the close code to answer it with: 1002
// (protocol error), 1007 (a text message that is not UTF-8), 1009 (a message over the limit).
//
// Plain logic, no I/O; not thread-safe (one per connection).

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace uitweg::net {

enum class Opcode : std::uint8_t {
  continuation = 0x0,
  text = 0x1,
  binary = 0x2,
  close = 0x8,
  ping = 0x9,
  pong = 0xA,
};

namespace close_code {
inline constexpr std::uint16_t normal = 1000;
inline constexpr std::uint16_t going_away = 1001;
inline constexpr std::uint16_t protocol_error = 1002;
inline constexpr std::uint16_t no_status = 1005;
inline constexpr std::uint16_t invalid_payload = 1007;
inline constexpr std::uint16_t policy_violation = 1008;
inline constexpr std::uint16_t too_big = 1009;
}  // namespace close_code

// A message or control frame received whole.
struct Received {
  enum class Kind { text, binary, ping, pong, close, violation };
  Kind kind = Kind::text;
  std::string
      payload;  // text and binary: the message; ping and pong: their data; close: the reason
  // close: the peer's code (1005 when it gave none); violation: the code to close with.
  std::uint16_t code = 0;
};

class FrameParser {
 public:
  // `max_message`: the longest message, fragments joined, that is accepted.
  explicit FrameParser(std::size_t max_message) : max_message_(max_message) {}

  // Takes at most one frame off the front of `bytes`. Returns the bytes it used: 0 while the
  // frame is not complete. `out` is set when a message or control frame is complete, or when
  // the bytes break the protocol (Kind::violation; the connection must then be closed).
  std::size_t Parse(std::string_view bytes, std::optional<Received>& out);

 private:
  const std::size_t max_message_;
  std::optional<Opcode> fragmented_;  // the opcode of a message whose final fragment is due
  std::string fragments_;
};

inline constexpr std::size_t kMaxHeaderBytes = 10;

// The header of a server frame (FIN set, unmasked) carrying `length` payload bytes; returns how
// many bytes of `out` it wrote (2, 4 or 10).
std::size_t EncodeHeader(Opcode opcode, std::size_t length,
                         std::array<unsigned char, kMaxHeaderBytes>& out);

// The payload of a close frame: the code, then the reason cut to fit a control frame.
std::string ClosePayload(std::uint16_t code, std::string_view reason);

}  // namespace uitweg::net
