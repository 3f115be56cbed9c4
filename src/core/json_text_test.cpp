#include "core/json_text.hpp"

#include <gtest/gtest.h>
#include <boost/json/parse.hpp>

namespace uitweg::core {
namespace {

std::string Quoted(std::string_view text) {
  std::string out;
  AppendJsonString(out, text);
  return out;
}

TEST(JsonText, EscapesQuotesBackslashesAndControls) {
  EXPECT_EQ(Quoted("a\"b\\c"), R"("a\"b\\c")");
  EXPECT_EQ(Quoted("line\nnext\r\ttab"), R"("line\nnext\r\ttab")");
  EXPECT_EQ(Quoted(std::string_view("\x01\x7F", 2)), R"("\u0001\u007f")");
}

TEST(JsonText, KeepsUtf8AndReplacesWhatIsNotUtf8) {
  EXPECT_EQ(Quoted("héllo ✓"), "\"héllo ✓\"");
  EXPECT_EQ(Quoted("a\xFF"
                   "b\xC3"),
            "\"a\xEF\xBF\xBD"
            "b\xEF\xBF\xBD\"");
}

TEST(JsonText, EveryByteGivesValidJson) {
  std::string all;
  for (int c = 0; c < 256; ++c) all.push_back(static_cast<char>(c));
  const std::string quoted = Quoted(all);
  boost::system::error_code ec;
  const boost::json::value parsed = boost::json::parse(quoted, ec);
  ASSERT_FALSE(ec) << ec.message();
  EXPECT_TRUE(parsed.is_string());
}

}  // namespace
}  // namespace uitweg::core
