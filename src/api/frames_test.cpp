#include "api/frames.hpp"

#include <gtest/gtest.h>

namespace uitweg::api {
namespace {

struct BadFrame {
  const char* text;
  const char* message;
};

TEST(VisitorFramesTest, DecodesEveryType) {
  std::string ref;
  auto hello = DecodeVisitorFrame(R"({"type":"hello","resume_token":"t","last_seq":7})", ref);
  ASSERT_TRUE(hello);
  EXPECT_EQ(std::get<HelloFrame>(*hello).resume_token, "t");
  EXPECT_EQ(std::get<HelloFrame>(*hello).last_seq, 7);
  auto send = DecodeVisitorFrame(R"({"type":"send","client_id":"m-1","body":"hi"})", ref);
  ASSERT_TRUE(send);
  EXPECT_EQ(std::get<SendFrame>(*send).body, "hi");
  EXPECT_EQ(ref, "m-1");
  EXPECT_TRUE(std::holds_alternative<EndFrame>(*DecodeVisitorFrame(R"({"type":"end"})", ref)));
  EXPECT_TRUE(std::holds_alternative<PingFrame>(*DecodeVisitorFrame(R"({"type":"ping"})", ref)));
}

TEST(VisitorFramesTest, LastSeqDefaultsToZero) {
  std::string ref;
  auto hello = DecodeVisitorFrame(R"({"type":"hello","resume_token":"t"})", ref);
  ASSERT_TRUE(hello);
  EXPECT_EQ(std::get<HelloFrame>(*hello).last_seq, 0);
}

TEST(VisitorFramesTest, BadFramesNameTheProblem) {
  const BadFrame cases[] = {
      {"not json", "the frame is not valid JSON"},
      {"[1,2]", "the frame must be a JSON object"},
      {"{}", "missing field \"type\""},
      {R"({"type":7})", "missing field \"type\""},
      {R"({"type":"dance"})", "unknown message type"},
      {R"({"type":"hello"})", "missing field \"resume_token\""},
      {R"({"type":"hello","resume_token":1})", "field \"resume_token\" must be a string"},
      {R"({"type":"hello","resume_token":"t","last_seq":-1})",
       "field \"last_seq\" must be an integer >= 0"},
      {R"({"type":"hello","resume_token":"t","last_seq":1.5})",
       "field \"last_seq\" must be an integer >= 0"},
      {R"({"type":"hello","resume_token":"t","last_seq":"3"})",
       "field \"last_seq\" must be an integer >= 0"},
      {R"({"type":"send","body":"hi"})", "missing field \"client_id\""},
      {R"({"type":"send","client_id":"m-1"})", "missing field \"body\""},
      {R"({"type":"send","client_id":"m-1","body":null})", "field \"body\" must be a string"},
  };
  for (const BadFrame& c : cases) {
    std::string ref;
    auto frame = DecodeVisitorFrame(c.text, ref);
    ASSERT_FALSE(frame) << c.text;
    EXPECT_EQ(frame.error().code, core::Errc::invalid_argument);
    EXPECT_EQ(frame.error().message, c.message) << c.text;
  }
}

TEST(VisitorFramesTest, RefPointsAtTheBadFrame) {
  std::string ref;
  EXPECT_FALSE(DecodeVisitorFrame(R"({"type":"send","client_id":"m-9"})", ref));
  EXPECT_EQ(ref, "m-9");
}

TEST(StaffFramesTest, DecodesEveryType) {
  std::string ref;
  EXPECT_TRUE(std::holds_alternative<HelloFrame>(*DecodeStaffFrame(R"({"type":"hello"})", ref)));
  auto accept = DecodeStaffFrame(R"({"type":"accept","conversation_id":"c_1"})", ref);
  ASSERT_TRUE(accept);
  EXPECT_EQ(std::get<AcceptFrame>(*accept).conversation_id, "c_1");
  auto subscribe =
      DecodeStaffFrame(R"({"type":"subscribe","conversation_id":"c_1","last_seq":3})", ref);
  ASSERT_TRUE(subscribe);
  EXPECT_EQ(std::get<SubscribeFrame>(*subscribe).last_seq, 3);
  auto send = DecodeStaffFrame(
      R"({"type":"send","conversation_id":"c_1","client_id":"x","body":"b"})", ref);
  ASSERT_TRUE(send);
  EXPECT_EQ(std::get<SendFrame>(*send).conversation_id, "c_1");
  auto end = DecodeStaffFrame(R"({"type":"end","conversation_id":"c_2"})", ref);
  ASSERT_TRUE(end);
  EXPECT_EQ(std::get<EndFrame>(*end).conversation_id, "c_2");
  EXPECT_TRUE(std::holds_alternative<PingFrame>(*DecodeStaffFrame(R"({"type":"ping"})", ref)));
}

TEST(StaffFramesTest, BadFramesNameTheProblem) {
  const BadFrame cases[] = {
      {R"({"type":"accept"})", "missing field \"conversation_id\""},
      {R"({"type":"end","conversation_id":5})", "field \"conversation_id\" must be a string"},
      {R"({"type":"subscribe","conversation_id":"c","last_seq":-4})",
       "field \"last_seq\" must be an integer >= 0"},
      {R"({"type":"send","client_id":"x","body":"b"})", "missing field \"conversation_id\""},
      {R"({"type":"resume_token"})", "unknown message type"},
  };
  for (const BadFrame& c : cases) {
    std::string ref;
    auto frame = DecodeStaffFrame(c.text, ref);
    ASSERT_FALSE(frame) << c.text;
    EXPECT_EQ(frame.error().message, c.message) << c.text;
  }
}

}  // namespace
}  // namespace uitweg::api
