// Registration through the real binary: the form as data; a conversation that ended in a
// counsellor's hands is registered as a draft, shows as open in their history, and is completed
// once every required field is answered. Bad answers, another's conversation and one not yet
// ended are refused and change nothing; every save is audited.

#include <chrono>
#include <filesystem>
#include <fstream>
#include <optional>
#include <thread>

#include "integration/server_test.hpp"

namespace uitweg::support {
namespace {

using RegistrationTest = ServerTest;

constexpr char kDraft[] = R"({"answers":{"who":["young_person"],"topics":["threats","debts"],
  "region":["Rotterdam"]}})";
constexpr char kComplete[] = R"({"complete":true,"answers":{"who":["young_person"],
  "topics":["threats","debts"],"region":["Rotterdam"],"criminal_involvement":["yes"],
  "exploitation_signals":["yes"],"exploitation_kind":["criminal"],"crime":["drugs"],
  "in_danger":["unclear"],"outcome":["advice","referral"]}})";

TEST_F(RegistrationTest, ADraftIsOpenInTheHistoryUntilCompletedWithEveryRequiredField) {
  AcceptedChat chat = NewAcceptedChat("anna.k");
  ASSERT_FALSE(HasFailure());
  const Headers cookie{{"Cookie", chat.counsellor.session.cookie}};
  const std::string target = "/api/v1/registrations/" + chat.id;

  auto form = HttpGet(server_.port(), "/api/v1/registration-form", cookie);
  ASSERT_TRUE(form && form->status == 200);
  const boost::json::value form_json = form->Json().value();
  EXPECT_EQ(form_json.at("form").at("fields").as_array().size(), 11u);

  auto early = HttpCall(server_.port(), {"POST", target, kDraft, Auth(chat.counsellor.session)});
  ASSERT_TRUE(early);
  EXPECT_EQ(early->status, 409) << "not before the end";

  ASSERT_TRUE(
      chat.counsellor.ws.Send(boost::json::object{{"type", "end"}, {"conversation_id", chat.id}}));
  const auto status_in_history = [&]() -> std::string {
    auto history = HttpGet(server_.port(), "/api/v1/history", cookie);
    if (!history || history->status != 200) return "no history";
    const boost::json::value json = history->Json().value();
    for (const auto& conversation : json.at("conversations").as_array()) {
      if (Str(conversation.as_object(), "id") == chat.id) {
        return Str(conversation.as_object(), "registration");
      }
    }
    return "not in history";
  };
  for (int i = 0; i < 400 && status_in_history() == "not in history"; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(status_in_history(), "none");
  auto empty = HttpGet(server_.port(), target, cookie);
  ASSERT_TRUE(empty && empty->status == 200) << (empty ? empty->body : "");
  EXPECT_FALSE(empty->Json().value().at("registration").at("complete").as_bool());

  auto draft = HttpCall(server_.port(), {"POST", target, kDraft, Auth(chat.counsellor.session)});
  ASSERT_TRUE(draft && draft->status == 200) << (draft ? draft->body : "");
  EXPECT_EQ(status_in_history(), "draft");

  auto incomplete = HttpCall(
      server_.port(), {"POST", target, R"({"complete":true,"answers":{"who":["young_person"]}})",
                       Auth(chat.counsellor.session)});
  ASSERT_TRUE(incomplete);
  EXPECT_EQ(incomplete->status, 400);
  auto kept = HttpGet(server_.port(), target, cookie);
  ASSERT_TRUE(kept && kept->status == 200);
  const boost::json::value kept_json = kept->Json().value();
  EXPECT_EQ(kept_json.at("registration").at("answers").at("topics").as_array().size(), 2u)
      << "a refused save changes nothing";

  auto complete =
      HttpCall(server_.port(), {"POST", target, kComplete, Auth(chat.counsellor.session)});
  ASSERT_TRUE(complete && complete->status == 200) << (complete ? complete->body : "");
  EXPECT_EQ(status_in_history(), "complete");

  for (const char* bad : {R"({"answers":{"name":["Sam"]}})", R"({"answers":{"who":["alien"]}})",
                          R"({"answers":{"region":["Rotterdam 3011"]}})", R"({"answers":[]})",
                          R"({"answers":{},"complete":"yes"})", "not json"}) {
    auto refused = HttpCall(server_.port(), {"POST", target, bad, Auth(chat.counsellor.session)});
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->status, 400) << bad;
  }
  EXPECT_EQ(status_in_history(), "complete");
  auto downgrade =
      HttpCall(server_.port(), {"POST", target, kDraft, Auth(chat.counsellor.session)});
  ASSERT_TRUE(downgrade);
  EXPECT_EQ(downgrade->status, 409) << "a draft is not saved over a complete registration";
  EXPECT_EQ(status_in_history(), "complete");

  Counsellor bert = NewStaff("bert.v");
  ASSERT_FALSE(HasFailure());
  auto others = HttpGet(server_.port(), target, {{"Cookie", bert.session.cookie}});
  ASSERT_TRUE(others);
  EXPECT_EQ(others->status, 404) << "another's conversation reads as unknown";
  auto overwrite = HttpCall(server_.port(), {"POST", target, kDraft, Auth(bert.session)});
  ASSERT_TRUE(overwrite);
  EXPECT_EQ(overwrite->status, 404);

  auto audited = HttpGet(server_.port(), "/api/v1/audit?action=registration_saved",
                         {{"Cookie", NewStaff("sanne", "supervisor").session.cookie}});
  ASSERT_TRUE(audited && audited->status == 200);
  EXPECT_EQ(audited->Json().value().at("entries").as_array().size(), 2u) << audited->body;
}

// An organisation's own form, which it changes between two starts: the option `drugs` and the
// field `age` go.
class ChangedFormTest : public ServerTest {
 protected:
  static std::string Form(bool with_dropped) {
    std::string form = R"(version = 1
[[field]]
id = "who"
type = "choice"
required = true
label = { nl = "Wie", en = "Who" }
options = [ { id = "young_person", nl = "Jongere", en = "Young person" } ]
[[field]]
id = "crime"
type = "choices"
required = true
label = { nl = "Welk feit", en = "Which crime" }
options = [ { id = "theft", nl = "Diefstal", en = "Theft" })";
    form += with_dropped ? R"(, { id = "drugs", nl = "Drugs", en = "Drugs" } ])" : " ]";
    if (with_dropped) {
      form += R"(
[[field]]
id = "age"
type = "choice"
required = false
label = { nl = "Leeftijd", en = "Age" }
options = [ { id = "16_17", nl = "16 of 17", en = "16 or 17" } ])";
    }
    return form + "\n";
  }
  std::filesystem::path FormPath() const { return server_.data_dir() / "form.toml"; }
  std::string ConfigToml() const override {
    return "registration_form = \"" + FormPath().string() + "\"\n";
  }
  void SetUp() override {
    WriteForm(true);
    ServerTest::SetUp();
  }
  void WriteForm(bool with_dropped) const {
    std::ofstream(FormPath(), std::ios::trunc) << Form(with_dropped);
  }
};

TEST_F(ChangedFormTest, ARegistrationCompletedUnderAnEarlierFormCanBeChangedAndCompletedAgain) {
  AcceptedChat chat = NewAcceptedChat("anna.k");
  ASSERT_FALSE(HasFailure());
  ASSERT_TRUE(
      chat.counsellor.ws.Send(boost::json::object{{"type", "end"}, {"conversation_id", chat.id}}));
  ASSERT_TRUE(chat.counsellor.ws.Take("message"));
  const std::string target = "/api/v1/registrations/" + chat.id;
  const auto save = [&](const char* body) {
    return HttpCall(server_.port(), {"POST", target, body, Auth(chat.counsellor.session)});
  };
  std::optional<HttpResponse> first;
  for (int i = 0; i < 400; ++i) {
    auto saved = save(
        R"({"complete":true,"answers":{"who":["young_person"],"crime":["theft","drugs"],"age":["16_17"]}})");
    ASSERT_TRUE(saved);
    first = *saved;
    if (saved->status != 409) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_EQ(first->status, 200) << first->body;

  WriteForm(false);
  ASSERT_TRUE(server_.Stop());
  auto restarted = server_.Restart();
  ASSERT_TRUE(restarted) << restarted.error().message << "\n" << server_.Stderr();
  // The console sends back what the registration holds, with the change made.
  auto again = save(
      R"({"complete":true,"answers":{"who":["young_person"],"crime":["theft","drugs"],"age":["16_17"]}})");
  ASSERT_TRUE(again);
  ASSERT_EQ(again->status, 200) << again->body;
  auto read = HttpGet(server_.port(), target, {{"Cookie", chat.counsellor.session.cookie}});
  ASSERT_TRUE(read && read->status == 200);
  const boost::json::value answers = read->Json().value().at("registration").at("answers");
  EXPECT_EQ(boost::json::serialize(answers), R"({"crime":["theft"],"who":["young_person"]})");
  auto typo = save(R"({"complete":true,"answers":{"who":["young_person"],"crime":["thfet"]}})");
  ASSERT_TRUE(typo);
  EXPECT_EQ(typo->status, 400) << "an option never held is still refused";
}

}  // namespace
}  // namespace uitweg::support
