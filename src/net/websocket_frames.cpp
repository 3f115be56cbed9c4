#include "net/websocket_frames.hpp"

#include "core/utf8.hpp"

namespace uitweg::net {
namespace {

constexpr std::size_t kMaxControlPayload = 125;

std::size_t Violation(std::uint16_t code, std::optional<Received>& out) {
  out = Received{.kind = Received::Kind::violation, .payload = {}, .code = code};
  return 0;
}

bool IsControl(Opcode opcode) {
  return static_cast<std::uint8_t>(opcode) >= 0x8;
}

bool IsKnown(std::uint8_t opcode) {
  return opcode <= 0x2 || (opcode >= 0x8 && opcode <= 0xA);
}

// A close code a peer may send (RFC 6455, section 7.4).
bool IsValidCloseCode(std::uint16_t code) {
  return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1011) ||
         (code >= 3000 && code <= 4999);
}

}  // namespace

std::size_t FrameParser::Parse(std::string_view bytes, std::optional<Received>& out) {
  out.reset();
  if (bytes.size() < 2) return 0;
  const auto byte0 = static_cast<std::uint8_t>(bytes[0]);
  const auto byte1 = static_cast<std::uint8_t>(bytes[1]);
  const bool fin = (byte0 & 0x80) != 0;
  if ((byte0 & 0x70) != 0) return Violation(close_code::protocol_error, out);
  if (!IsKnown(byte0 & 0x0F)) return Violation(close_code::protocol_error, out);
  const auto opcode = static_cast<Opcode>(byte0 & 0x0F);
  if ((byte1 & 0x80) == 0) return Violation(close_code::protocol_error, out);  // unmasked
  std::uint64_t length = byte1 & 0x7F;
  std::size_t header = 2;
  if (length == 126) {
    if (bytes.size() < 4) return 0;
    length = (std::uint64_t{static_cast<std::uint8_t>(bytes[2])} << 8) |
             static_cast<std::uint8_t>(bytes[3]);
    if (length < 126) return Violation(close_code::protocol_error, out);
    header = 4;
  } else if (length == 127) {
    if (bytes.size() < 10) return 0;
    length = 0;
    for (std::size_t i = 2; i < 10; ++i)
      length = (length << 8) | static_cast<std::uint8_t>(bytes[i]);
    if (length < 65536 || (length >> 63) != 0) return Violation(close_code::protocol_error, out);
    header = 10;
  }
  if (IsControl(opcode) && (!fin || length > kMaxControlPayload)) {
    return Violation(close_code::protocol_error, out);
  }
  if (!IsControl(opcode)) {
    const bool continuation = opcode == Opcode::continuation;
    if (continuation != fragmented_.has_value()) return Violation(close_code::protocol_error, out);
    if (fragments_.size() + length > max_message_) return Violation(close_code::too_big, out);
  }
  if (bytes.size() - header < 4 || bytes.size() - header - 4 < length) return 0;
  const std::string_view mask = bytes.substr(header, 4);
  const std::string_view masked = bytes.substr(header + 4, static_cast<std::size_t>(length));
  const std::size_t used = header + 4 + masked.size();

  std::string payload;
  std::string& into = IsControl(opcode) ? payload : fragments_;
  const std::size_t start = into.size();
  into.resize(start + masked.size());
  for (std::size_t i = 0; i < masked.size(); ++i) into[start + i] = masked[i] ^ mask[i % 4];

  if (!IsControl(opcode)) {
    if (!fragmented_) fragmented_ = opcode;
    if (!fin) return used;
    const Opcode kind = *fragmented_;
    fragmented_.reset();
    Received message{.kind = kind == Opcode::text ? Received::Kind::text : Received::Kind::binary,
                     .payload = std::move(fragments_),
                     .code = 0};
    fragments_.clear();
    if (message.kind == Received::Kind::text &&
        core::InvalidUtf8Offset(message.payload) != message.payload.size()) {
      return Violation(close_code::invalid_payload, out);
    }
    out = std::move(message);
    return used;
  }
  switch (opcode) {
    case Opcode::ping:
      out = Received{.kind = Received::Kind::ping, .payload = std::move(payload), .code = 0};
      break;
    case Opcode::pong:
      out = Received{.kind = Received::Kind::pong, .payload = std::move(payload), .code = 0};
      break;
    default: {
      if (payload.size() == 1) return Violation(close_code::protocol_error, out);
      std::uint16_t code = close_code::no_status;
      if (payload.size() >= 2) {
        code = static_cast<std::uint16_t>((static_cast<std::uint8_t>(payload[0]) << 8) |
                                          static_cast<std::uint8_t>(payload[1]));
        if (!IsValidCloseCode(code)) return Violation(close_code::protocol_error, out);
        payload.erase(0, 2);
        if (core::InvalidUtf8Offset(payload) != payload.size()) {
          return Violation(close_code::invalid_payload, out);
        }
      }
      out = Received{.kind = Received::Kind::close, .payload = std::move(payload), .code = code};
      break;
    }
  }
  return used;
}

std::size_t EncodeHeader(Opcode opcode, std::size_t length,
                         std::array<unsigned char, kMaxHeaderBytes>& out) {
  out[0] = static_cast<unsigned char>(0x80 | static_cast<std::uint8_t>(opcode));
  if (length < 126) {
    out[1] = static_cast<unsigned char>(length);
    return 2;
  }
  if (length <= 0xFFFF) {
    out[1] = 126;
    out[2] = static_cast<unsigned char>(length >> 8);
    out[3] = static_cast<unsigned char>(length & 0xFF);
    return 4;
  }
  out[1] = 127;
  const auto wide = static_cast<std::uint64_t>(length);
  for (std::size_t i = 0; i < 8; ++i) {
    out[2 + i] = static_cast<unsigned char>((wide >> (56 - 8 * i)) & 0xFF);
  }
  return 10;
}

std::string ClosePayload(std::uint16_t code, std::string_view reason) {
  std::string payload;
  payload += static_cast<char>(code >> 8);
  payload += static_cast<char>(code & 0xFF);
  payload += core::ValidUtf8Prefix(reason.substr(0, kMaxControlPayload - 2));
  return payload;
}

}  // namespace uitweg::net
