// Emerging words through the real binary: conversations of the last months are written into the
// server's own (encrypted) database while it is stopped; an analyst starts a run, and the terms
// visitors began to use show, less those the outreach or the risk lexicon knows; adding one to
// the lexicon takes it off the list. Supervisors read the list but may not start a run;
// counsellors see nothing of it.

#include <chrono>
#include <thread>

#include "integration/server_test.hpp"
#include "support/past_conversations.hpp"

namespace uitweg::support {
namespace {

using namespace std::chrono_literals;

class EmergingWordsTest : public ServerTest {
 protected:
  // The list once the run is done.
  boost::json::value Emerging(const Headers& cookie) {
    const auto deadline = std::chrono::steady_clock::now() + 30s;
    for (;;) {
      auto answer = HttpGet(server_.port(), "/api/v1/insights/emerging", cookie);
      EXPECT_TRUE(answer && answer->status == 200) << (answer ? answer->body : "no answer");
      if (!answer || answer->status != 200) return {};
      boost::json::value list = answer->Json().value();
      if (!list.at("running").as_bool() && !list.at("computed_at").is_null()) return list;
      if (std::chrono::steady_clock::now() > deadline) {
        ADD_FAILURE() << "the run did not finish: " << answer->body;
        return {};
      }
      std::this_thread::sleep_for(20ms);
    }
  }
};

std::vector<std::string> Terms(const boost::json::value& list) {
  std::vector<std::string> terms;
  if (!list.is_object()) return terms;
  for (const auto& term : list.at("terms").as_array()) {
    terms.emplace_back(term.at("term").as_string());
  }
  return terms;
}

TEST_F(EmergingWordsTest, AnAnalystSeesTheNewWordsTheLexiconsDoNotKnowAndAddsOne) {
  const std::string before = "ze willen mijn hulp voor een klus, ik ben moe en heb geen zin";
  const std::string now = "ze willen mijn kluisje voor een klus, ik ben bang en heb geen doekoe";
  Secret(before);
  Secret(now);
  ASSERT_TRUE(server_.Stop());
  ASSERT_TRUE(AddPastConversations(server_.data_dir(), 20, 60, before));
  ASSERT_TRUE(AddPastConversations(server_.data_dir(), 12, 3, now));
  ASSERT_TRUE(server_.Restart());

  const Counsellor analyst = NewStaff("ana.list", "analyst");
  const Headers cookie{{"Cookie", analyst.session.cookie}};
  auto empty = HttpGet(server_.port(), "/api/v1/insights/emerging", cookie);
  ASSERT_TRUE(empty && empty->status == 200);
  EXPECT_TRUE(empty->Json().value().at("computed_at").is_null()) << "no run yet";

  auto started =
      HttpCall(server_.port(), {"POST", "/api/v1/insights/emerging", "{}", Auth(analyst.session)});
  ASSERT_TRUE(started);
  EXPECT_EQ(started->status, 202) << started->body;
  const boost::json::value list = Emerging(cookie);
  ASSERT_TRUE(list.is_object());
  EXPECT_EQ(list.at("recent_conversations").as_int64(), 12);
  EXPECT_EQ(list.at("baseline_conversations").as_int64(), 20);
  // "bang" is in the risk lexicon, "doekoe" in the outreach lexicon; pairs such as "mijn
  // kluisje" rise with their word and are left out.
  EXPECT_EQ(Terms(list), std::vector<std::string>{"kluisje"});
  const boost::json::object& kluisje = list.at("terms").as_array().at(0).as_object();
  EXPECT_EQ(kluisje.at("recent").as_int64(), 12);
  EXPECT_EQ(kluisje.at("baseline").as_int64(), 0);

  auto added =
      HttpCall(server_.port(),
               {"POST", "/api/v1/outreach/lexicon/terms",
                boost::json::serialize(boost::json::object{{"based_on", list.at("lexicon_version")},
                                                           {"text", "kluisje"},
                                                           {"category", "money_mule"},
                                                           {"weight", 1.5}}),
                Auth(analyst.session)});
  ASSERT_TRUE(added);
  EXPECT_EQ(added->status, 201) << added->body;
  EXPECT_TRUE(Terms(Emerging(cookie)).empty()) << "the lexicon knows it now";

  auto audited = HttpGet(server_.port(), "/api/v1/audit?action=emerging_words_run",
                         {{"Cookie", NewStaff("ad.min", "admin").session.cookie}});
  ASSERT_TRUE(audited && audited->status == 200);
  EXPECT_EQ(audited->Json().value().at("entries").as_array().size(), 1u) << audited->body;

  const Counsellor supervisor = NewStaff("sanne", "supervisor");
  auto read =
      HttpGet(server_.port(), "/api/v1/insights/emerging", {{"Cookie", supervisor.session.cookie}});
  ASSERT_TRUE(read);
  EXPECT_EQ(read->status, 200);
  auto refused = HttpCall(server_.port(),
                          {"POST", "/api/v1/insights/emerging", "{}", Auth(supervisor.session)});
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 403);
  const Counsellor counsellor = NewStaff("bert.v");
  auto denied =
      HttpGet(server_.port(), "/api/v1/insights/emerging", {{"Cookie", counsellor.session.cookie}});
  ASSERT_TRUE(denied);
  EXPECT_EQ(denied->status, 403);
}

}  // namespace
}  // namespace uitweg::support
