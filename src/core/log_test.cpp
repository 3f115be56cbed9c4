#include "core/log.hpp"

#include <gtest/gtest.h>

namespace uitweg::core {
namespace {

TEST(LogTest, ParsesLevelNames) {
  LogLevel level = LogLevel::info;
  EXPECT_TRUE(ParseLogLevel("warn", level));
  EXPECT_EQ(level, LogLevel::warn);
  EXPECT_FALSE(ParseLogLevel("loud", level));
  EXPECT_EQ(level, LogLevel::warn);
}

TEST(LogTest, WritesOneEscapedJsonLine) {
  testing::internal::CaptureStderr();
  Log(LogLevel::info, "test.event", {{"name", "a\"b\nc"}, {"count", 3}, {"ok", true}});
  std::string line = testing::internal::GetCapturedStderr();
  EXPECT_NE(line.find("\"event\":\"test.event\""), std::string::npos);
  EXPECT_NE(line.find("\"name\":\"a\\\"b\\nc\""), std::string::npos);
  EXPECT_NE(line.find("\"count\":3"), std::string::npos);
  EXPECT_NE(line.find("\"ok\":true"), std::string::npos);
  EXPECT_EQ(line.back(), '\n');
  EXPECT_EQ(line.find('\n'), line.size() - 1);
}

}  // namespace
}  // namespace uitweg::core
