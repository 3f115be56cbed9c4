#include "net/websocket_frames.hpp"

#include <gtest/gtest.h>

namespace uitweg::net {
namespace {

// A client frame: masked with a fixed key, FIN as given.
std::string ClientFrame(std::uint8_t opcode, std::string_view payload, bool fin = true,
                        bool masked = true) {
  std::string frame;
  frame += static_cast<char>((fin ? 0x80 : 0x00) | opcode);
  const std::size_t n = payload.size();
  const char mask_bit = masked ? static_cast<char>(0x80) : 0;
  if (n < 126) {
    frame += static_cast<char>(mask_bit | static_cast<char>(n));
  } else if (n <= 0xFFFF) {
    frame += static_cast<char>(mask_bit | 126);
    frame += static_cast<char>(n >> 8);
    frame += static_cast<char>(n & 0xFF);
  } else {
    frame += static_cast<char>(mask_bit | 127);
    for (int i = 7; i >= 0; --i)
      frame += static_cast<char>((static_cast<std::uint64_t>(n) >> (8 * i)) & 0xFF);
  }
  const char key[4] = {0x12, 0x34, 0x56, 0x78};
  if (masked) frame.append(key, 4);
  for (std::size_t i = 0; i < n; ++i)
    frame += masked ? static_cast<char>(payload[i] ^ key[i % 4]) : payload[i];
  return frame;
}

struct Parsed {
  std::vector<Received> received;
  std::size_t left = 0;  // bytes not yet used
};

Parsed ParseAll(FrameParser& parser, std::string bytes) {
  Parsed parsed;
  for (;;) {
    std::optional<Received> out;
    const std::size_t used = parser.Parse(bytes, out);
    if (out) parsed.received.push_back(*out);
    if (used == 0) break;
    bytes.erase(0, used);
  }
  parsed.left = bytes.size();
  return parsed;
}

TEST(WebSocketFramesTest, UnmasksATextMessage) {
  FrameParser parser(1024);
  const Parsed parsed = ParseAll(parser, ClientFrame(0x1, R"({"type":"ping"})"));
  ASSERT_EQ(parsed.received.size(), 1u);
  EXPECT_EQ(parsed.received[0].kind, Received::Kind::text);
  EXPECT_EQ(parsed.received[0].payload, R"({"type":"ping"})");
  EXPECT_EQ(parsed.left, 0u);
}

TEST(WebSocketFramesTest, WaitsForTheRestOfAFrameByteByByte) {
  FrameParser parser(100'000);
  const std::string frame = ClientFrame(0x1, std::string(70'000, 'a'));
  std::string received;
  std::size_t messages = 0;
  for (char byte : frame) {
    received += byte;
    std::optional<Received> out;
    const std::size_t used = parser.Parse(received, out);
    if (used > 0) {
      received.erase(0, used);
      messages += out.has_value();
    }
  }
  EXPECT_EQ(messages, 1u);
  EXPECT_TRUE(received.empty());
}

TEST(WebSocketFramesTest, JoinsFragmentsAroundAControlFrame) {
  FrameParser parser(1024);
  const Parsed parsed =
      ParseAll(parser, ClientFrame(0x1, "hal", false) + ClientFrame(0x9, "p", true) +
                           ClientFrame(0x0, "lo", false) + ClientFrame(0x0, "!", true));
  ASSERT_EQ(parsed.received.size(), 2u);
  EXPECT_EQ(parsed.received[0].kind, Received::Kind::ping);
  EXPECT_EQ(parsed.received[0].payload, "p");
  EXPECT_EQ(parsed.received[1].kind, Received::Kind::text);
  EXPECT_EQ(parsed.received[1].payload, "hallo!");
}

TEST(WebSocketFramesTest, ReadsTheCloseCodeAndReason) {
  FrameParser parser(1024);
  const Parsed parsed = ParseAll(parser, ClientFrame(0x8, std::string("\x03\xe8", 2) + "bye"));
  ASSERT_EQ(parsed.received.size(), 1u);
  EXPECT_EQ(parsed.received[0].kind, Received::Kind::close);
  EXPECT_EQ(parsed.received[0].code, 1000);
  EXPECT_EQ(parsed.received[0].payload, "bye");
  FrameParser empty(1024);
  EXPECT_EQ(ParseAll(empty, ClientFrame(0x8, "")).received.at(0).code, close_code::no_status);
}

TEST(WebSocketFramesTest, BreachesGetTheirCloseCode) {
  const struct {
    const char* what;
    std::string bytes;
    std::uint16_t code;
  } cases[] = {
      {"unmasked", ClientFrame(0x1, "a", true, false), close_code::protocol_error},
      {"reserved bit", std::string("\xC1\x80", 2) + std::string(4, '\0'),
       close_code::protocol_error},
      {"unknown opcode", ClientFrame(0x3, "a"), close_code::protocol_error},
      {"continuation first", ClientFrame(0x0, "a"), close_code::protocol_error},
      {"text inside a fragmented message", ClientFrame(0x1, "a", false) + ClientFrame(0x1, "b"),
       close_code::protocol_error},
      {"fragmented ping", ClientFrame(0x9, "a", false), close_code::protocol_error},
      {"long ping", ClientFrame(0x9, std::string(126, 'a')), close_code::protocol_error},
      {"close of one byte", ClientFrame(0x8, "x"), close_code::protocol_error},
      {"close code 1005", ClientFrame(0x8, std::string("\x03\xed", 2)), close_code::protocol_error},
      {"text not UTF-8", ClientFrame(0x1, "a\xC3"), close_code::invalid_payload},
      {"over the limit", ClientFrame(0x1, std::string(65, 'a')), close_code::too_big},
      {"fragments over the limit",
       ClientFrame(0x1, std::string(40, 'a'), false) + ClientFrame(0x0, std::string(40, 'a')),
       close_code::too_big},
      {"needless long length", std::string("\x81\xFE\x00\x05", 4), close_code::protocol_error},
  };
  for (const auto& c : cases) {
    FrameParser parser(64);
    const Parsed parsed = ParseAll(parser, c.bytes);
    ASSERT_FALSE(parsed.received.empty()) << c.what;
    EXPECT_EQ(parsed.received.back().kind, Received::Kind::violation) << c.what;
    EXPECT_EQ(parsed.received.back().code, c.code) << c.what;
  }
}

TEST(WebSocketFramesTest, HeadersTakeTheShortestLengthForm) {
  std::array<unsigned char, 10> header{};
  EXPECT_EQ(EncodeHeader(Opcode::text, 125, header), 2u);
  EXPECT_EQ(header[0], 0x81);
  EXPECT_EQ(header[1], 125);
  EXPECT_EQ(EncodeHeader(Opcode::text, 126, header), 4u);
  EXPECT_EQ(header[1], 126);
  EXPECT_EQ((header[2] << 8) | header[3], 126);
  EXPECT_EQ(EncodeHeader(Opcode::pong, 70'000, header), 10u);
  EXPECT_EQ(header[0], 0x8A);
  EXPECT_EQ(header[1], 127);
  EXPECT_EQ((header[7] << 16) | (header[8] << 8) | header[9], 70'000);
}

TEST(WebSocketFramesTest, ClosePayloadIsCutOnACharacterBoundary) {
  const std::string payload = ClosePayload(1008, std::string(122, 'a') + "\xC3\xAB");
  EXPECT_EQ(payload.size(), 2u + 122u);
  EXPECT_EQ(static_cast<std::uint8_t>(payload[0]), 0x03);
  EXPECT_EQ(static_cast<std::uint8_t>(payload[1]), 0xF0);
}

}  // namespace
}  // namespace uitweg::net
