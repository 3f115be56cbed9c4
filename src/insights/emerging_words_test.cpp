#include "insights/emerging_words.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>

#include "core/clock.hpp"
#include "store/encrypting_test_database.hpp"
#include "store/sqlite/sqlite_test_database.hpp"

namespace uitweg::insights {
namespace {

using namespace std::chrono_literals;

constexpr std::int64_t kDayMillis = 24LL * 60 * 60 * 1000;
constexpr std::int64_t kToday = 20'800;
const EmergingWindows kWindows = EmergingWindowsBefore(kToday);

// Run over the plain store and the encrypting one: the job must read what visitors wrote, not
// what is sealed at rest.
class EmergingWordsJobTest : public ::testing::TestWithParam<store::StoreBackend> {
 protected:
  void SetUp() override {
    test_database_ = GetParam().create();
    auto opened = test_database_->Open();
    ASSERT_TRUE(opened) << opened.error().message;
    database_ = std::move(*opened);
    counsellor_ =
        database_.accounts
            ->CreateAccount(store::NewStaffAccount{.username = "anna",
                                                   .role = model::Role::counsellor,
                                                   .display_name = "Anna",
                                                   .password_hash = "$argon2id$placeholder-hash",
                                                   .created_at = 0})
            .value()
            .id;
    ASSERT_TRUE(database_.accounts->SetCapacity(counsellor_, model::kMaxCapacity));
    job_ = std::make_unique<EmergingWordsJob>(
        *database_.conversations, *database_.settings, clock_,
        [](std::int64_t day) { return day * kDayMillis; },
        EmergingOptions{.min_conversations = 10, .min_ratio = 3.0, .limit = 50});
  }

  // A conversation started at noon of `day` in which the visitor wrote `visitor` and the
  // counsellor answered `counsellor` and noted `note`.
  std::string Conversation(std::int64_t day, const std::string& visitor,
                           const std::string& counsellor = "", const std::string& note = "") {
    const std::string id = "c_" + std::to_string(++created_);
    const core::UnixMillis at = day * kDayMillis + kDayMillis / 2;
    EXPECT_TRUE(Create(id, at));
    EXPECT_TRUE(Append(store::NewMessage{
        .conversation_id = id, .client_id = "v1", .body = visitor, .created_at = at + 1}));
    if (!counsellor.empty() || !note.empty()) {
      EXPECT_TRUE(store::Await<store::Transition>([&](store::Done<store::Transition> done) {
        database_.conversations->Accept(id, counsellor_, at + 2, done);
      }));
    }
    if (!counsellor.empty()) {
      EXPECT_TRUE(Append(store::NewMessage{.conversation_id = id,
                                           .sender = model::Sender::counsellor,
                                           .author_id = counsellor_,
                                           .client_id = "c1",
                                           .body = counsellor,
                                           .created_at = at + 3}));
    }
    if (!note.empty()) {
      EXPECT_TRUE(Append(store::NewMessage{.conversation_id = id,
                                           .kind = model::MessageKind::note,
                                           .sender = model::Sender::counsellor,
                                           .author_id = counsellor_,
                                           .client_id = "n1",
                                           .body = note,
                                           .created_at = at + 4}));
    }
    return id;
  }

  store::Result<model::Conversation> Create(const std::string& id, core::UnixMillis at) {
    return store::Await<model::Conversation>([&](store::Done<model::Conversation> done) {
      database_.conversations->Create(store::NewConversation{.id = id,
                                                             .resume_token_hash = "resume-" + id,
                                                             .subject = model::Subject::self,
                                                             .nickname = "",
                                                             .urgency = 0,
                                                             .created_at = at},
                                      done);
    });
  }
  store::Result<store::Appended> Append(store::NewMessage message) {
    return store::Await<store::Appended>([&](store::Done<store::Appended> done) {
      database_.conversations->Append(std::move(message), done);
    });
  }
  void Shred(const std::string& id, std::int64_t day) {
    const core::UnixMillis at = day * kDayMillis + kDayMillis / 2 + 10;
    ASSERT_TRUE(store::Await<store::Transition>([&](store::Done<store::Transition> done) {
      database_.conversations->End(id, model::EndReason::visitor, at, done);
    }));
    ASSERT_TRUE(store::Await<bool>(
        [&](store::Done<bool> done) { database_.conversations->Shred(id, at + 1, done); }));
  }

  const EmergingTerm* Find(const EmergingWords& words, std::string_view term) {
    for (const EmergingTerm& found : words.terms) {
      if (found.term == term) return &found;
    }
    return nullptr;
  }

  std::unique_ptr<store::TestDatabase> test_database_;
  store::Database database_;
  core::ManualClock clock_{kToday * kDayMillis + 3'600'000};
  std::int64_t counsellor_ = 0;
  int created_ = 0;
  std::unique_ptr<EmergingWordsJob> job_;
};

TEST_P(EmergingWordsJobTest, KeepsTheVisitorsRisingTermsUsedInAtLeastKRecentConversations) {
  for (int i = 0; i < 30; ++i) {
    Conversation(kWindows.baseline_first_day + i, "ik heb schulden en weet niet wat ik moet doen");
  }
  // Said by visitors in 12 recent conversations; "kluisje" only by the counsellor and in notes.
  for (int i = 0; i < 12; ++i) {
    Conversation(kWindows.recent_first_day + i, "ze willen mijn bankapp lenen voor een klus",
                 "heb je een kluisje?", "kluisje genoemd");
  }
  // In 9 recent conversations: under the threshold, never kept.
  for (int i = 0; i < 9; ++i) Conversation(kWindows.recent_first_day + i, "iemand zei stash");
  // Outside both windows: not counted.
  for (int i = 0; i < 12; ++i) Conversation(kToday, "nieuwsgierig naar pindakaas");
  for (int i = 0; i < 12; ++i) Conversation(kWindows.baseline_first_day - 1, "pindakaas");

  const EmergingWords words = job_->RunNow(kWindows).value();
  EXPECT_EQ(words.recent_conversations, 21);
  EXPECT_EQ(words.baseline_conversations, 30);
  EXPECT_EQ(words.min_conversations, 10);
  EXPECT_EQ(words.computed_at, clock_.Now());
  const EmergingTerm* bankapp = Find(words, "bankapp");
  ASSERT_NE(bankapp, nullptr);
  EXPECT_EQ(bankapp->recent, 12);
  EXPECT_EQ(bankapp->baseline, 0);
  EXPECT_EQ(Find(words, "kluisje"), nullptr);
  EXPECT_EQ(Find(words, "stash"), nullptr);
  EXPECT_EQ(Find(words, "pindakaas"), nullptr);
  EXPECT_EQ(Find(words, "schulden"), nullptr);
  for (const EmergingTerm& term : words.terms) EXPECT_GE(term.recent, 10) << term.term;

  const std::optional<EmergingWords> latest = job_->Latest().value();
  ASSERT_TRUE(latest.has_value());
  EXPECT_EQ(EmergingWordsJson(*latest), EmergingWordsJson(words));
}

TEST_P(EmergingWordsJobTest, ShreddedConversationsAreNotRead) {
  for (int i = 0; i < 20; ++i) Conversation(kWindows.baseline_first_day + i, "ik weet het niet");
  std::vector<std::string> ids;
  for (int i = 0; i < 10; ++i) {
    ids.push_back(Conversation(kWindows.recent_first_day + i, "mijn pinpas uitlenen"));
  }
  EXPECT_NE(Find(job_->RunNow(kWindows).value(), "pinpas"), nullptr);
  Shred(ids.front(), kWindows.recent_first_day);
  const EmergingWords words = job_->RunNow(kWindows).value();
  EXPECT_EQ(words.recent_conversations, 9);
  EXPECT_EQ(Find(words, "pinpas"), nullptr);
}

TEST_P(EmergingWordsJobTest, StartRunsOnItsOwnThreadOneRunAtATime) {
  EXPECT_FALSE(job_->Latest().value().has_value());
  for (int i = 0; i < 10; ++i) Conversation(kWindows.recent_first_day + i, "een drop adres");
  ASSERT_TRUE(job_->Start(kWindows));
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while (job_->running()) {
    EXPECT_FALSE(job_->Start(kWindows)) << "a second run while the first is running";
    ASSERT_LT(std::chrono::steady_clock::now(), deadline);
    std::this_thread::sleep_for(5ms);
  }
  const std::optional<EmergingWords> latest = job_->Latest().value();
  ASSERT_TRUE(latest.has_value());
  EXPECT_EQ(latest->recent_conversations, 10);
  EXPECT_TRUE(job_->Start(kWindows)) << "a new run once the first has finished";
}

TEST_P(EmergingWordsJobTest, StartIfDueRunsOncePerDay) {
  for (int i = 0; i < 10; ++i) Conversation(kWindows.recent_first_day + i, "een drop adres");
  const auto wait_until_done = [this] {
    const auto deadline = std::chrono::steady_clock::now() + 20s;
    while (job_->running()) {
      ASSERT_LT(std::chrono::steady_clock::now(), deadline);
      std::this_thread::sleep_for(5ms);
    }
  };
  EXPECT_TRUE(job_->StartIfDue(kToday).value()) << "no run yet";
  wait_until_done();
  EXPECT_FALSE(job_->StartIfDue(kToday).value()) << "the day's run is there";
  EXPECT_FALSE(job_->StartIfDue(kToday - 1).value()) << "a later day's run is newer";
  EXPECT_TRUE(job_->StartIfDue(kToday + 1).value()) << "the next day";
  wait_until_done();
  EXPECT_EQ(job_->Latest().value()->windows.recent_last_day, kToday);
}

INSTANTIATE_TEST_SUITE_P(
    Backends, EmergingWordsJobTest,
    ::testing::Values(store::sqlite::SqliteTestBackend(),
                      store::EncryptingTestBackend(store::sqlite::SqliteTestBackend())),
    [](const auto& info) { return info.param.name; });

TEST(EmergingWindowsTest, TheRecentFourWeeksEndYesterdayAndTheTwelveBeforeThemAreTheBaseline) {
  const EmergingWindows windows = EmergingWindowsBefore(100);
  EXPECT_EQ(windows.recent_last_day, 99);
  EXPECT_EQ(windows.recent_first_day, 72);
  EXPECT_EQ(windows.baseline_last_day, 71);
  EXPECT_EQ(windows.baseline_first_day, 72 - 84);
}

TEST(EmergingWordsJsonTest, ReadsBackWhatItWritesAndRejectsAnythingElse) {
  const EmergingWords words{
      .computed_at = 1234,
      .windows = EmergingWindowsBefore(500),
      .recent_conversations = 40,
      .baseline_conversations = 90,
      .min_conversations = 10,
      .terms = {{.term = "bank app", .recent = 12, .baseline = 1, .ratio = 4.5}}};
  const EmergingWords read = ParseEmergingWords(EmergingWordsJson(words)).value();
  EXPECT_EQ(EmergingWordsJson(read), EmergingWordsJson(words));
  ASSERT_EQ(read.terms.size(), 1u);
  EXPECT_EQ(read.terms[0].term, "bank app");
  EXPECT_DOUBLE_EQ(read.terms[0].ratio, 4.5);
  for (const char* bad : {"", "[]", "{}", R"({"computed_at": "x"})", "{\"computed_at\": 1"}) {
    EXPECT_EQ(ParseEmergingWords(bad).error().code, core::Errc::invalid_argument) << bad;
  }
}

}  // namespace
}  // namespace uitweg::insights
