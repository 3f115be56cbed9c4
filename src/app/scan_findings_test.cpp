#include "app/scan_findings.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace uitweg::app {
namespace {

constexpr std::int64_t kNewYear2026 = 1'767'225'600;  // a Thursday

outreach::FlaggedPost Post(std::string text, std::int64_t date_unix,
                           std::vector<std::string> categories) {
  outreach::FlaggedPost post;
  post.source = "/data/uploads/u_x/upload";
  post.chat = "Snel Geld NL";
  post.author = "dn_moneyy";
  post.message_id = 42;
  post.date_unix = date_unix;
  post.text = std::move(text);
  post.finding.score = 6.5;
  post.finding.lexicon_score = 5;
  post.finding.model_score = 1.5;
  post.finding.categories = std::move(categories);
  post.cluster = 3;
  return post;
}

TEST(StoredFindingTest, MatchesKeepTheirOffsetsAndTheModelsWords) {
  outreach::FlaggedPost post = Post("Leen je PINPAS, dm", kNewYear2026, {"money_mule"});
  post.finding.matches = {{"pinpas", "money_mule", "PINPAS", 4, 8, 14},
                          {"entity:phone", "contact", "0612", 1, 0, 0},
                          {"rule:offer", "", "", 1.5, 0, 0}};
  post.finding.model_words = {{"leen", 0.8}, {"author", 0.2}};
  const store::Finding finding = StoredFinding(post, "result.json", 4);
  EXPECT_EQ(finding.source, "result.json");
  EXPECT_EQ(finding.channel, "Snel Geld NL");
  EXPECT_EQ(finding.author, "dn_moneyy");
  EXPECT_EQ(finding.text, post.text);
  EXPECT_EQ(finding.cluster, 3);
  EXPECT_EQ(finding.cluster_channels, 4);
  EXPECT_EQ(finding.terms, std::vector<std::string>{"pinpas"});
  const boost::json::array matches = boost::json::parse(finding.matches).as_array();
  ASSERT_EQ(matches.size(), 5u);
  EXPECT_EQ(matches[0].at("term").as_string(), "pinpas");
  EXPECT_EQ(matches[0].at("begin").to_number<std::size_t>(), 8u);
  EXPECT_EQ(matches[0].at("end").to_number<std::size_t>(), 14u);
  EXPECT_EQ(matches[0].at("text").as_string(), "PINPAS");
  EXPECT_EQ(matches[3].at("kind").as_string(), "model_word");
  EXPECT_EQ(matches[3].at("text").as_string(), "leen");
}

TEST(StoredFindingTest, BadBytesBecomeReplacementsAndOffsetsMoveWithThem) {
  // "\xff" (1 byte) becomes U+FFFD (3 bytes), a NUL too: PINPAS moves 4 bytes on.
  outreach::FlaggedPost post = Post(std::string("a\xff\0b PINPAS", 11), kNewYear2026, {"m"});
  post.finding.matches = {{"pinpas", "m", "PINPAS", 4, 5, 11}};
  const store::Finding finding = StoredFinding(post, "x", 1);
  EXPECT_EQ(finding.text,
            "a\xEF\xBF\xBD\xEF\xBF\xBD"
            "b PINPAS");
  const boost::json::object match = boost::json::parse(finding.matches).as_array()[0].as_object();
  const auto begin = match.at("begin").to_number<std::size_t>();
  const auto end = match.at("end").to_number<std::size_t>();
  EXPECT_EQ(finding.text.substr(begin, end - begin), "PINPAS");
}

}  // namespace
}  // namespace uitweg::app
