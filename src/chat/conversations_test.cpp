#include "chat/conversations.hpp"

#include "core/testing/test_folder.hpp"
#include "core/utf8.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <future>
#include <latch>
#include <mutex>
#include <thread>
#include <vector>

#include <unistd.h>

#include "core/testing/task_thread.hpp"
#include "crypto/random.hpp"
#include "store/sqlite/connection.hpp"
#include "store/sqlite/sqlite_database.hpp"

namespace uitweg::chat {
namespace {

using model::ConversationStatus;

class EntryRecorder : public HubListener {
 public:
  void OnEntry(const Entry& entry, const Frame&) override {
    std::lock_guard lock(mu);
    entries.push_back(entry);
  }
  void OnQueueChanged(const Frame& frame) override {
    std::lock_guard lock(mu);
    changes.push_back(*frame);
  }
  std::size_t EntryCount() {
    std::lock_guard lock(mu);
    return entries.size();
  }

  std::mutex mu;
  std::vector<Entry> entries;
  std::vector<std::string> changes;
};

FrameEncoders TestEncoders() {
  return FrameEncoders{
      .entry = [](const Entry& entry) { return "entry " + std::to_string(entry.message.seq); },
      .queue_change =
          [](const QueueChange& change) {
            return "+" + std::to_string(change.added.size()) + " -" +
                   std::to_string(change.removed.size()) + " =" + std::to_string(change.total);
          }};
}

class ConversationsTest : public ::testing::Test {
 protected:
  void SetUp() override { Open(0); }

  void Open(std::size_t max_waiting, PresenceLimits limits = {}) {
    conversations_.reset();
    database_ = store::Database{};
    folder_.Empty();
    database_ =
        store::OpenSqliteDatabase(store::SqliteOptions{.path = (folder_ / "uitweg.db").string(),
                                                       .completions = completions_.post()})
            .value();
    presence_ = std::make_unique<Presence>(limits, clock_.Now());
    conversations_ = std::make_unique<Conversations>(*database_.conversations, *database_.accounts,
                                                     hub_, *presence_, clock_, max_waiting);
    alice_ = AddStaff("alice", model::Role::counsellor, "Alice");
    bob_ = AddStaff("bob", model::Role::counsellor, "Bob");
  }

  void TearDown() override {
    conversations_.reset();
    database_ = store::Database{};
    completions_.Drain();
  }

  Counsellor AddStaff(const std::string& username, model::Role role, const std::string& name) {
    store::NewStaffAccount account{username, role, name, "hash", clock_.Now()};
    auto created = database_.accounts->CreateAccount(account);
    EXPECT_TRUE(created);
    return Counsellor{created->id, role, name};
  }

  Started StartOne(std::string nickname = "Sam") {
    auto started = conversations_->Start(nickname, "self");
    EXPECT_TRUE(started) << started.error().message;
    clock_.Advance(1000);
    return *started;
  }

  // A second connection to the database whose trigger makes every text fail to store (as a full
  // disk would), until the test drops trigger `no_text` through it.
  Result<std::unique_ptr<store::sqlite::Connection>> FailTextInserts() {
    auto other = store::sqlite::Connection::Open((folder_ / "uitweg.db").string(),
                                                 store::sqlite::Connection::Mode::read_write, 5000);
    if (!other) return other;
    UITWEG_TRY(
        (*other)->Exec("CREATE TRIGGER no_text BEFORE INSERT ON message "
                       "WHEN NEW.kind = 'text' BEGIN SELECT RAISE(ABORT, 'full'); END"));
    return other;
  }

  Result<Sent> Visitor(const std::string& id, const std::string& client_id,
                       const std::string& body) {
    std::promise<Result<Sent>> answer;
    conversations_->SendAsVisitor(id, client_id, body, nullptr,
                                  [&](Result<Sent> sent) { answer.set_value(std::move(sent)); });
    return answer.get_future().get();
  }

  Result<Sent> FromCounsellor(const std::string& id, const Counsellor& counsellor,
                              const std::string& client_id, const std::string& body) {
    std::promise<Result<Sent>> answer;
    conversations_->SendAsCounsellor(id, counsellor, client_id, body, nullptr,
                                     [&](Result<Sent> sent) { answer.set_value(std::move(sent)); });
    return answer.get_future().get();
  }

  core::testing::TaskThread completions_;
  core::testing::TestFolder folder_{"chat"};
  core::ManualClock clock_{1'700'000'000'000};
  Hub hub_{TestEncoders()};
  store::Database database_;
  std::unique_ptr<Presence> presence_;
  std::unique_ptr<Conversations> conversations_;
  Counsellor alice_;
  Counsellor bob_;
};

TEST_F(ConversationsTest, StartPutsTheVisitorAtTheBackOfTheQueue) {
  Started first = StartOne("Sam");
  Started second = StartOne("");
  EXPECT_EQ(first.queue_position, 1);
  EXPECT_EQ(second.queue_position, 2);
  EXPECT_EQ(first.conversation.status, ConversationStatus::waiting);
  EXPECT_EQ(first.conversation.nickname, "Sam");
  EXPECT_TRUE(first.conversation.id.starts_with("c_"));
  EXPECT_GE(first.resume_token.size(), 32u);
}

TEST_F(ConversationsTest, AcceptingTheFirstMovesTheOthersUp) {
  Started first = StartOne();
  Started second = StartOne();
  Started third = StartOne();
  ASSERT_TRUE(conversations_->Accept(first.conversation.id, alice_));
  EXPECT_EQ(hub_.PositionOf(second.conversation.id), 1);
  EXPECT_EQ(hub_.PositionOf(third.conversation.id), 2);
  EXPECT_EQ(hub_.PositionOf(first.conversation.id), 0);
}

TEST_F(ConversationsTest, AReleasedConversationWaitsAgainInItsOldPlaceAndItsFollowersAreTold) {
  Started first = StartOne();
  Started second = StartOne();
  ASSERT_TRUE(conversations_->Accept(first.conversation.id, alice_));
  auto follower = std::make_shared<EntryRecorder>();
  hub_.Follow(first.conversation.id, follower);
  EXPECT_EQ(conversations_->Release(first.conversation.id, bob_.account_id, "test").error().code,
            core::Errc::failed_precondition)
      << "not Bob's to release";

  auto released = conversations_->Release(first.conversation.id, alice_.account_id, "test");
  ASSERT_TRUE(released) << released.error().message;
  EXPECT_EQ(released->status, ConversationStatus::waiting);
  EXPECT_EQ(hub_.PositionOf(first.conversation.id), 1) << "ahead of who came later";
  EXPECT_EQ(hub_.PositionOf(second.conversation.id), 2);
  ASSERT_EQ(follower->EntryCount(), 1u);
  EXPECT_EQ(follower->entries[0].message.kind, model::MessageKind::released);
  EXPECT_EQ(follower->entries[0].author, "Alice");
  EXPECT_EQ(FromCounsellor(first.conversation.id, alice_, "late", "nog iets").error().code,
            core::Errc::permission_denied);
  ASSERT_TRUE(conversations_->Accept(first.conversation.id, bob_)) << "a colleague takes over";
  EXPECT_EQ(conversations_->ReleaseAllOf(alice_.account_id, "test").value(), 0u);
  EXPECT_EQ(conversations_->ReleaseAllOf(bob_.account_id, "test").value(), 1u);
}

TEST_F(ConversationsTest, ConversationsOfAConsoleGoneTooLongGoBackToTheQueue) {
  constexpr core::UnixMillis kGone = 120'000;
  Started alices = StartOne();
  Started bobs = StartOne();
  ASSERT_TRUE(conversations_->Accept(alices.conversation.id, alice_));
  ASSERT_TRUE(conversations_->Accept(bobs.conversation.id, bob_));
  const std::int64_t bob_here[] = {bob_.account_id};
  // Just started: consoles reconnect first.
  EXPECT_EQ(conversations_->ReleaseFromGoneConsoles(bob_here, kGone).value(), 0u);
  clock_.Advance(kGone / 2);
  EXPECT_EQ(conversations_->ReleaseFromGoneConsoles(bob_here, kGone).value(), 0u);
  clock_.Advance(kGone / 2 + 1);
  EXPECT_EQ(conversations_->ReleaseFromGoneConsoles(bob_here, kGone).value(), 1u)
      << "Alice's console was never seen";
  EXPECT_TRUE(hub_.IsWaiting(alices.conversation.id));
  EXPECT_FALSE(hub_.IsWaiting(bobs.conversation.id)) << "Bob's console is here";
  clock_.Advance(kGone - 1);
  EXPECT_EQ(conversations_->ReleaseFromGoneConsoles({}, kGone).value(), 0u)
      << "Bob was seen less than the limit ago";
  clock_.Advance(2);
  EXPECT_EQ(conversations_->ReleaseFromGoneConsoles({}, kGone).value(), 1u);
  EXPECT_TRUE(hub_.IsWaiting(bobs.conversation.id));
}

// Bob takes a chat Alice accepted long ago, on another node than the one whose sweep runs: his
// console has not been seen here for longer than the limit, and the sweep there must not take
// the chat from him before his own node says his console is there.
TEST_F(ConversationsTest, TakingATransferCountsAsTheConsoleSeen) {
  constexpr core::UnixMillis kGone = 120'000;
  Started started = StartOne();
  const std::string& id = started.conversation.id;
  ASSERT_TRUE(conversations_->Accept(id, alice_));
  const std::int64_t both_here[] = {alice_.account_id, bob_.account_id};
  ASSERT_EQ(conversations_->ReleaseFromGoneConsoles(both_here, kGone).value(), 0u);
  clock_.Advance(3 * kGone);
  const std::int64_t alice_here[] = {alice_.account_id};
  ASSERT_EQ(conversations_->ReleaseFromGoneConsoles(alice_here, kGone).value(), 0u);
  ASSERT_TRUE(conversations_->OfferTransfer(id, alice_, bob_.account_id, ""));
  ASSERT_TRUE(conversations_->TakeTransfer(id, bob_));
  EXPECT_EQ(conversations_->ReleaseFromGoneConsoles({}, kGone).value(), 0u)
      << "Bob just took it: his console is there";
  EXPECT_FALSE(hub_.IsWaiting(id));
}

// A supervisor watched Alice's chat; Bob took it over before the supervisor's node heard of it:
// their whisper to Alice must not land in Bob's chat, nor Alice's note written just before.
TEST_F(ConversationsTest, AWhisperForTheCounsellorWhoHandedItOverIsRefused) {
  Counsellor sanne = AddStaff("sanne", model::Role::supervisor, "Sanne");
  Started started = StartOne();
  const std::string& id = started.conversation.id;
  ASSERT_TRUE(conversations_->Accept(id, alice_));
  ASSERT_TRUE(conversations_->WriteForStaff(model::MessageKind::whisper, id, sanne, "w-1", "Rustig",
                                            nullptr, alice_.account_id));
  ASSERT_TRUE(conversations_->OfferTransfer(id, alice_, bob_.account_id, ""));
  ASSERT_TRUE(conversations_->TakeTransfer(id, bob_));
  const auto whispered = conversations_->WriteForStaff(
      model::MessageKind::whisper, id, sanne, "w-2", "Vraag door", nullptr, alice_.account_id);
  ASSERT_FALSE(whispered);
  EXPECT_EQ(whispered.error().code, core::Errc::failed_precondition);
  EXPECT_EQ(
      conversations_->WriteForStaff(model::MessageKind::note, id, alice_, "n-1", "Notitie", nullptr)
          .error()
          .code,
      core::Errc::permission_denied);
  EXPECT_TRUE(conversations_->WriteForStaff(model::MessageKind::whisper, id, sanne, "w-3", "Hoi",
                                            nullptr, bob_.account_id));
}

TEST_F(ConversationsTest, ACounsellorAtCapacityCannotAcceptMore) {
  ASSERT_TRUE(database_.accounts->SetCapacity(alice_.account_id, 2));
  Started first = StartOne();
  Started second = StartOne();
  Started third = StartOne();
  ASSERT_TRUE(conversations_->Accept(first.conversation.id, alice_));
  ASSERT_TRUE(conversations_->Accept(second.conversation.id, alice_));
  auto refused = conversations_->Accept(third.conversation.id, alice_);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, core::Errc::resource_exhausted);
  EXPECT_TRUE(hub_.IsWaiting(third.conversation.id)) << "nothing changed";
  ASSERT_TRUE(conversations_->EndAsCounsellor(first.conversation.id, alice_));
  EXPECT_TRUE(conversations_->Accept(third.conversation.id, alice_)) << "room again";
}

TEST_F(ConversationsTest, HelpTheNextPersonTakesTheTopOfTheQueue) {
  EXPECT_EQ(conversations_->AcceptNext(alice_).error().code, core::Errc::not_found);
  Started first = StartOne();
  Started second = StartOne();
  ASSERT_TRUE(conversations_->Accept(first.conversation.id, bob_));
  auto next = conversations_->AcceptNext(alice_);
  ASSERT_TRUE(next) << next.error().message;
  EXPECT_EQ(next->id, second.conversation.id);
  EXPECT_EQ(next->counsellor_id, alice_.account_id);
}

// Colleagues took the first few at the same moment (their answers not yet in this node's queue):
// help the next person takes the one after them, not "nobody is waiting".
TEST_F(ConversationsTest, HelpTheNextPersonGoesPastTheOnesColleaguesJustTook) {
  std::vector<Started> waiting;
  for (int i = 0; i < 7; ++i) waiting.push_back(StartOne());
  for (int i = 0; i < 6; ++i) {
    std::promise<bool> ended;
    database_.conversations->End(
        waiting[static_cast<std::size_t>(i)].conversation.id, model::EndReason::visitor,
        clock_.Now(), [&](Result<store::Transition> done) { ended.set_value(done.has_value()); });
    ASSERT_TRUE(ended.get_future().get());
  }
  ASSERT_TRUE(hub_.IsWaiting(waiting[0].conversation.id)) << "the queue has not heard yet";
  auto next = conversations_->AcceptNext(alice_);
  ASSERT_TRUE(next) << next.error().message;
  EXPECT_EQ(next->id, waiting[6].conversation.id);
}

TEST_F(ConversationsTest, AHistoryTranscriptLongerThanItsLimitSaysSo) {
  const std::string id = StartOne().conversation.id;
  ASSERT_TRUE(conversations_->Accept(id, alice_));
  std::latch sent(kMaxTranscript);
  for (std::size_t i = 0; i < kMaxTranscript; ++i) {
    conversations_->SendAsCounsellor(id, alice_, "c-" + std::to_string(i), "tekst", nullptr,
                                     [&sent](Result<Sent> done) {
                                       EXPECT_TRUE(done) << done.error().message;
                                       sent.count_down();
                                     });
  }
  sent.wait();
  ASSERT_TRUE(conversations_->EndAsCounsellor(id, alice_));
  auto long_one = conversations_->OpenFromHistory(id, alice_);
  ASSERT_TRUE(long_one) << long_one.error().message;
  EXPECT_TRUE(long_one->truncated) << "accepted, the texts and the end are one more than read";
  EXPECT_GE(long_one->entries.size(), kMaxTranscript);

  const std::string short_id = StartOne().conversation.id;
  ASSERT_TRUE(conversations_->Accept(short_id, alice_));
  ASSERT_TRUE(FromCounsellor(short_id, alice_, "c-1", "kort"));
  ASSERT_TRUE(conversations_->EndAsCounsellor(short_id, alice_));
  auto short_one = conversations_->OpenFromHistory(short_id, alice_);
  ASSERT_TRUE(short_one);
  EXPECT_FALSE(short_one->truncated);
  EXPECT_EQ(short_one->entries.size(), 3u);
}

TEST(FirstLineTest, TheFirstLineTrimmedAndCutOnACharacter) {
  EXPECT_EQ(FirstLine("  Ik word bedreigd.\nDoor wie?"), "Ik word bedreigd.");
  EXPECT_EQ(FirstLine(""), "");
  const std::string long_line(200, 'a');
  EXPECT_EQ(FirstLine(long_line), std::string(kFirstLineBytes - 3, 'a') + "…");
  std::string accents;
  for (int i = 0; i < 100; ++i) accents += "é";  // two bytes each
  const std::string cut = FirstLine(accents);
  EXPECT_LE(cut.size(), kFirstLineBytes + 2);
  EXPECT_EQ(core::InvalidUtf8Offset(cut), cut.size()) << "no character split";
}

TEST_F(ConversationsTest, TheQueueShowsTheStartOfTheVisitorsFirstMessageAlsoAfterARestart) {
  Started started = StartOne();
  const std::string id = started.conversation.id;
  ASSERT_TRUE(Visitor(id, "m1", "Ze weten waar ik woon.\nWat moet ik doen?"));
  ASSERT_TRUE(Visitor(id, "m2", "Hallo?"));
  ASSERT_EQ(hub_.Waiting().size(), 1u);
  EXPECT_EQ(hub_.Waiting()[0].first_line, "Ze weten waar ik woon.");

  // A server that starts reads it from the store.
  Hub fresh{TestEncoders()};
  Conversations again(*database_.conversations, *database_.accounts, fresh, *presence_, clock_, 0);
  ASSERT_TRUE(again.LoadQueue());
  ASSERT_EQ(fresh.Waiting().size(), 1u);
  EXPECT_EQ(fresh.Waiting()[0].first_line, "Ze weten waar ik woon.");
}

// Says "urgent" for a text holding "wapen", "raised" for one holding "bang".
class WordTriage : public Triage {
 public:
  Assessment Assess(std::string_view text) const override {
    if (text.find("wapen") != std::string_view::npos) return {model::kUrgencyUrgent, {"wapen"}};
    if (text.find("bang") != std::string_view::npos) return {model::kUrgencyRaised, {"bang"}};
    return {};
  }
};

// Waits until `done` holds (triage stores the urgency after the message's answer).
template <class Done>
bool Eventually(Done done) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

TEST_F(ConversationsTest, TriageOrdersTheQueueAndSaysWhy) {
  const WordTriage triage;
  conversations_->SetTriage(&triage);
  const std::string calm = StartOne("calm").conversation.id;
  const std::string scared = StartOne("scared").conversation.id;
  const std::string armed = StartOne("armed").conversation.id;
  ASSERT_TRUE(Visitor(calm, "m1", "hoi"));
  ASSERT_TRUE(Visitor(scared, "m1", "ik ben bang"));
  ASSERT_TRUE(Visitor(armed, "m1", "hallo"));
  ASSERT_TRUE(Visitor(armed, "m2", "ze hebben een wapen"));
  ASSERT_TRUE(
      Eventually([&] { return hub_.PositionOf(armed) == 1 && hub_.PositionOf(scared) == 2; }));
  EXPECT_EQ(hub_.PositionOf(calm), 3);
  const std::vector<QueueEntry> waiting = hub_.Waiting();
  EXPECT_EQ(waiting[0].triage_words, std::vector<std::string>{"wapen"});
  EXPECT_EQ(waiting[0].first_line, "hallo");
  EXPECT_EQ(database_.conversations->Find(armed)->urgency, model::kUrgencyUrgent);
  // Feelings later never lower it.
  ASSERT_TRUE(Visitor(armed, "m3", "ik ben bang"));
  EXPECT_EQ(hub_.Waiting()[0].conversation_id, armed);

  // A restarted server reads the words again; the urgency was stored.
  Hub fresh{TestEncoders()};
  Conversations again(*database_.conversations, *database_.accounts, fresh, *presence_, clock_, 0);
  again.SetTriage(&triage);
  ASSERT_TRUE(again.LoadQueue());
  ASSERT_EQ(fresh.Waiting().size(), 3u);
  EXPECT_EQ(fresh.Waiting()[0].conversation_id, armed);
  EXPECT_EQ(fresh.Waiting()[0].triage_words, (std::vector<std::string>{"wapen", "bang"}));
}

TEST_F(ConversationsTest, ACounsellorsMarkSticksAgainstTriage) {
  const WordTriage triage;
  conversations_->SetTriage(&triage);
  const std::string first = StartOne().conversation.id;
  const std::string second = StartOne().conversation.id;
  auto marked = conversations_->Mark(second, model::kUrgencyUrgent, alice_);
  ASSERT_TRUE(marked) << marked.error().message;
  EXPECT_EQ(marked->was, model::kUrgencyNormal);
  EXPECT_EQ(marked->conversation.urgency_marked_by, alice_.account_id);
  EXPECT_EQ(hub_.PositionOf(second), 1);
  EXPECT_TRUE(hub_.Waiting()[0].urgency_marked);

  ASSERT_TRUE(conversations_->Mark(second, model::kUrgencyNormal, bob_));
  ASSERT_TRUE(Visitor(second, "m1", "een wapen"));
  ASSERT_TRUE(Visitor(first, "m1", "ik ben bang"));
  ASSERT_TRUE(Eventually([&] { return hub_.PositionOf(first) == 1; }));
  EXPECT_EQ(database_.conversations->Find(second)->urgency, model::kUrgencyNormal);
  EXPECT_EQ(hub_.Waiting()[1].triage_words, std::vector<std::string>{"wapen"});

  EXPECT_EQ(conversations_->Mark(first, 3, alice_).error().code, core::Errc::invalid_argument);
  EXPECT_EQ(conversations_->Mark(first, -1, alice_).error().code, core::Errc::invalid_argument);
  EXPECT_EQ(conversations_->Mark("c_none", 1, alice_).error().code, core::Errc::not_found);
  ASSERT_TRUE(conversations_->Accept(first, alice_));
  EXPECT_EQ(conversations_->Mark(first, 2, alice_).error().code, core::Errc::failed_precondition);
}

TEST_F(ConversationsTest, StaffWatchingTheQueueGetItsChanges) {
  auto watcher = std::make_shared<EntryRecorder>();
  std::int64_t total_at_start = -1;
  hub_.WatchQueue(watcher, [&](const QueueSnapshot& snapshot) { total_at_start = snapshot.total; });
  EXPECT_EQ(total_at_start, 0);
  Started first = StartOne();
  ASSERT_TRUE(conversations_->Accept(first.conversation.id, alice_));
  EXPECT_EQ(watcher->changes, (std::vector<std::string>{"+1 -0 =1", "+0 -1 =0"}));
}

TEST_F(ConversationsTest, AFullQueueTurnsNewVisitorsAwayKindly) {
  Open(2);
  StartOne();
  Started second = StartOne();
  auto third = conversations_->Start("", "self");
  ASSERT_FALSE(third);
  EXPECT_EQ(third.error().code, core::Errc::unavailable);
  EXPECT_GT(third.error().retry_after_seconds, 0);
  ASSERT_TRUE(conversations_->Accept(second.conversation.id, alice_));
  EXPECT_TRUE(conversations_->Start("", "self"));
}

// The lost answer was the one that took the last place, or came just before closing time: the
// try again joins that chat rather than being turned away from it.
TEST_F(ConversationsTest, AStartAskedAgainIsLetInWhenTheQueueIsFullOrTheChatHasClosed) {
  constexpr std::string_view kRequest = "AbCdEfGhIjKlMnOpQrSt_-";
  Open(2);
  StartOne();
  auto last_place = conversations_->Start("Sam", "self", {}, {.id = kRequest, .number = 1});
  ASSERT_TRUE(last_place);
  EXPECT_EQ(conversations_->Start("", "self").error().code, core::Errc::unavailable);
  auto again = conversations_->Start("Sam", "self", {}, {.id = kRequest, .number = 2});
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->conversation.id, last_place->conversation.id);
  EXPECT_EQ(hub_.WaitingCount(), 2u);
  EXPECT_EQ(conversations_->Start("", "self", {}, {.id = "zzzzzzzzzzzzzzzzzzzzzz", .number = 1})
                .error()
                .code,
            core::Errc::unavailable)
      << "an id that made nothing gets no place";

  OpeningHours mornings;
  mornings.weekly[1] = {{.open_minute = 8 * 60, .close_minute = 12 * 60}};
  ServiceHours hours(clock_, mornings);
  conversations_->SetServiceHours(&hours);
  clock_.Advance(1000);
  auto after_closing = conversations_->Start("Sam", "self", {}, {.id = kRequest, .number = 3});
  ASSERT_TRUE(after_closing) << after_closing.error().message;
  EXPECT_EQ(after_closing->conversation.id, last_place->conversation.id);
  EXPECT_EQ(conversations_->Start("", "self").error().code, core::Errc::failed_precondition);
}

// Visitors who start at the same moment are checked against the cap together: the queue never
// holds more than it allows.
TEST_F(ConversationsTest, StartsAtOnceDoNotPassTheQueueCapTogether) {
  constexpr std::size_t kCap = 5;
  constexpr int kVisitors = 24;
  Open(kCap);
  std::latch ready(kVisitors);
  std::atomic<int> admitted = 0;
  std::atomic<int> turned_away = 0;
  std::vector<std::thread> visitors;
  for (int i = 0; i < kVisitors; ++i) {
    visitors.emplace_back([&] {
      ready.arrive_and_wait();
      auto started = conversations_->Start("", "self");
      if (started) {
        ++admitted;
      } else if (started.error().code == core::Errc::unavailable) {
        ++turned_away;
      }
    });
  }
  for (std::thread& visitor : visitors) visitor.join();
  EXPECT_EQ(admitted.load(), static_cast<int>(kCap));
  EXPECT_EQ(turned_away.load(), kVisitors - static_cast<int>(kCap));
  EXPECT_EQ(hub_.WaitingCount(), kCap);
}

TEST_F(ConversationsTest, OutsideTheOpeningHoursNobodyNewIsLetIn) {
  // The fixture's clock stands at 2023-11-14 22:13 UTC, a Tuesday: 23:13 in Amsterdam.
  OpeningHours mornings;
  mornings.weekly[1] = {{.open_minute = 8 * 60, .close_minute = 12 * 60}};
  ServiceHours hours(clock_, mornings);
  conversations_->SetServiceHours(&hours);
  auto refused = conversations_->Start("", "self");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, core::Errc::failed_precondition);
  EXPECT_EQ(hub_.WaitingCount(), 0u);

  hours.Replace(NightService());
  EXPECT_TRUE(conversations_->Start("", "self"));
}

TEST_F(ConversationsTest, ATransferIsOfferedWithANoteAndTakenWithOneLine) {
  Started chat = StartOne();
  const std::string id = chat.conversation.id;
  ASSERT_TRUE(conversations_->Accept(id, alice_));
  auto follower = std::make_shared<EntryRecorder>();
  hub_.Follow(id, follower);

  EXPECT_EQ(conversations_->OfferTransfer(id, bob_, alice_.account_id, "").error().code,
            core::Errc::permission_denied)
      << "only the counsellor it is assigned to";
  EXPECT_EQ(conversations_->OfferTransfer(id, alice_, alice_.account_id, "").error().code,
            core::Errc::failed_precondition);
  EXPECT_EQ(conversations_->OfferTransfer(id, alice_, 999999, "").error().code,
            core::Errc::not_found);
  ASSERT_TRUE(database_.accounts->SetAvailability(bob_.account_id, model::Availability::busy));
  EXPECT_EQ(conversations_->OfferTransfer(id, alice_, bob_.account_id, "").error().code,
            core::Errc::failed_precondition)
      << "a busy colleague takes nobody new";
  ASSERT_TRUE(database_.accounts->SetAvailability(bob_.account_id, model::Availability::available));

  auto offered =
      conversations_->OfferTransfer(id, alice_, bob_.account_id, "Ze is bang voor haar broer.");
  ASSERT_TRUE(offered) << offered.error().message;
  EXPECT_EQ(offered->offered_to, bob_.account_id);
  EXPECT_EQ(conversations_->Offers()->size(), 1u);
  EXPECT_EQ(
      conversations_->WithdrawTransfer(id, AddStaff("carla", model::Role::counsellor, "Carla"))
          .error()
          .code,
      core::Errc::permission_denied);

  auto taken = conversations_->TakeTransfer(id, bob_);
  ASSERT_TRUE(taken) << taken.error().message;
  EXPECT_EQ(taken->counsellor_id, bob_.account_id);
  std::vector<model::MessageKind> kinds;
  {
    std::lock_guard lock(follower->mu);
    for (const Entry& entry : follower->entries) kinds.push_back(entry.message.kind);
  }
  EXPECT_EQ(kinds, (std::vector<model::MessageKind>{model::MessageKind::note,
                                                    model::MessageKind::transferred}));
  EXPECT_EQ(follower->entries.back().author, "Bob");
  EXPECT_EQ(conversations_->TakeTransfer(id, bob_).error().code, core::Errc::failed_precondition);
  EXPECT_TRUE(FromCounsellor(id, bob_, "b-1", "Ik neem het over."));
  EXPECT_EQ(FromCounsellor(id, alice_, "a-9", "nog iets").error().code,
            core::Errc::permission_denied);
}

// The colleague signs out or goes away: the offer to them is withdrawn then, not two minutes
// later while the visitor waits.
TEST_F(ConversationsTest, AnOfferToAColleagueWhoLeavesIsWithdrawnAtOnce) {
  Started chat = StartOne();
  const std::string id = chat.conversation.id;
  ASSERT_TRUE(conversations_->Accept(id, alice_));
  ASSERT_TRUE(conversations_->OfferTransfer(id, alice_, bob_.account_id, ""));
  EXPECT_EQ(conversations_->ReleaseAllOf(bob_.account_id, "signed_out").value(), 0u)
      << "Bob held no conversation";
  EXPECT_FALSE(database_.conversations->Find(id).value().offered_to.has_value());
  EXPECT_EQ(conversations_->TakeTransfer(id, bob_).error().code, core::Errc::failed_precondition);
  EXPECT_TRUE(FromCounsellor(id, alice_, "a-1", "Ik ben er nog."));
}

TEST_F(ConversationsTest, AnOfferNotTakenLapsesAndTheConversationStays) {
  Started chat = StartOne();
  const std::string id = chat.conversation.id;
  ASSERT_TRUE(conversations_->Accept(id, alice_));
  ASSERT_TRUE(conversations_->OfferTransfer(id, alice_, bob_.account_id, ""));
  EXPECT_EQ(conversations_->WithdrawLapsedOffers(60'000).value(), 0u);
  clock_.Advance(60'000);
  EXPECT_EQ(conversations_->WithdrawLapsedOffers(60'000).value(), 1u);
  EXPECT_EQ(conversations_->TakeTransfer(id, bob_).error().code, core::Errc::failed_precondition);
  EXPECT_TRUE(FromCounsellor(id, alice_, "a-1", "Ik ben er nog."));

  // Declined by the colleague, or taken back: the same.
  ASSERT_TRUE(conversations_->OfferTransfer(id, alice_, bob_.account_id, ""));
  ASSERT_TRUE(conversations_->WithdrawTransfer(id, bob_));
  EXPECT_EQ(conversations_->WithdrawTransfer(id, alice_).error().code,
            core::Errc::failed_precondition);

  // At capacity the colleague cannot take it.
  ASSERT_TRUE(database_.accounts->SetCapacity(bob_.account_id, 1));
  Started other = StartOne("Kim");
  ASSERT_TRUE(conversations_->Accept(other.conversation.id, bob_));
  ASSERT_TRUE(conversations_->OfferTransfer(id, alice_, bob_.account_id, ""));
  EXPECT_EQ(conversations_->TakeTransfer(id, bob_).error().code, core::Errc::resource_exhausted);
}

TEST_F(ConversationsTest, AMessageLeftWaitsApartFromTheLiveQueueAndIsNeverAbandoned) {
  Open(1, PresenceLimits{.abandon_after_ms = 1000});
  auto left =
      conversations_->LeaveMessage("Sam", "self", "  Ik moet iets vertellen.\nMaar niet nu. ");
  ASSERT_TRUE(left) << left.error().message;
  EXPECT_TRUE(left->conversation.offline);
  EXPECT_EQ(hub_.WaitingCount(), 0u);
  clock_.Advance(60'000);
  EXPECT_EQ(conversations_->AbandonAbsent().value(), 0u);
  // A message left takes no place in the live queue: a live chat still fits under the cap.
  Started live = StartOne();
  auto listed = conversations_->MessagesLeft(alice_);
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(listed->at(0).first_line, "Ik moet iets vertellen.");
  EXPECT_EQ(listed->at(0).conversation.id, left->conversation.id);

  // Answering it takes no live place either: capacity 1 still allows a live chat.
  ASSERT_TRUE(conversations_->Accept(left->conversation.id, alice_));
  ASSERT_TRUE(FromCounsellor(left->conversation.id, alice_, "a-1", "Fijn dat je schrijft."));
  EXPECT_TRUE(conversations_->MessagesLeft(alice_)->empty());
  ASSERT_TRUE(database_.accounts->SetCapacity(alice_.account_id, 1));
  EXPECT_TRUE(conversations_->Accept(live.conversation.id, alice_));

  // Handed back, it returns among the messages left, not to the live queue.
  ASSERT_TRUE(conversations_->Release(left->conversation.id, alice_.account_id, "signed_out"));
  EXPECT_EQ(hub_.WaitingCount(), 0u);
  EXPECT_EQ(conversations_->MessagesLeft(bob_)->size(), 1u);
}

TEST_F(ConversationsTest, AMessageLeftNobodyTookInTheRetentionPeriodEndsAndIsShredded) {
  auto old_left = conversations_->LeaveMessage("", "", "Is hier iemand?");
  ASSERT_TRUE(old_left);
  clock_.Advance(1000);
  auto taken = conversations_->LeaveMessage("", "", "Ik wil praten.");
  ASSERT_TRUE(taken);
  ASSERT_TRUE(conversations_->Accept(taken->conversation.id, alice_));
  Started live = StartOne();
  clock_.Advance(1000);
  const core::UnixMillis left_before = clock_.Now();
  auto recent = conversations_->LeaveMessage("", "", "Hallo?");
  ASSERT_TRUE(recent);

  clock_.Advance(1000);
  EXPECT_EQ(conversations_->AbandonMessagesLeft(left_before).value(), 1u);
  const model::Conversation ended =
      database_.conversations->Find(old_left->conversation.id).value();
  EXPECT_EQ(ended.status, model::ConversationStatus::ended);
  EXPECT_EQ(ended.end_reason, model::EndReason::abandoned);
  EXPECT_EQ(database_.conversations->DueForShredding(0, 10).value(),
            std::vector<std::string>{old_left->conversation.id})
      << "shredded by the next retention run";
  for (const std::string& kept :
       {taken->conversation.id, recent->conversation.id, live.conversation.id}) {
    EXPECT_NE(database_.conversations->Find(kept).value().status, model::ConversationStatus::ended)
        << kept;
  }
  EXPECT_EQ(conversations_->AbandonMessagesLeft(left_before).value(), 0u);

  // One answered and handed back waits again from then, and one its visitor wrote to again
  // from that text: neither is abandoned at once.
  ASSERT_TRUE(conversations_->Release(taken->conversation.id, alice_.account_id, "signed_out"));
  auto written_to = conversations_->LeaveMessage("", "", "Nog iemand?");
  ASSERT_TRUE(written_to);
  const core::UnixMillis later_cut = clock_.Now() + 1;
  clock_.Advance(1000);
  ASSERT_TRUE(Visitor(written_to->conversation.id, "v-2", "Ik ben er nog."));
  EXPECT_EQ(conversations_->AbandonMessagesLeft(left_before).value(), 0u);
  EXPECT_EQ(conversations_->AbandonMessagesLeft(later_cut).value(), 2u)
      << "the one handed back and the recent one; not the one written to since, nor the live chat";
}

TEST_F(ConversationsTest, APickUpCodeOpensTheMessageLeftWithAFreshToken) {
  auto left = conversations_->LeaveMessage("", "", "Kan iemand me helpen?");
  ASSERT_TRUE(left);
  EXPECT_TRUE(conversations_->Resume(left->resume_token));

  std::string typed = left->pick_up_code;
  std::replace(typed.begin(), typed.end(), '-', ' ');
  auto picked = conversations_->PickUp(typed);
  ASSERT_TRUE(picked) << picked.error().message;
  EXPECT_EQ(picked->conversation.id, left->conversation.id);
  EXPECT_EQ(conversations_->Resume(picked->resume_token)->id, left->conversation.id);
  EXPECT_EQ(conversations_->Resume(left->resume_token).error().code, core::Errc::unauthenticated);
  auto replay = conversations_->Replay(left->conversation.id, 0);
  ASSERT_TRUE(replay);
  EXPECT_EQ(replay->at(0).message.body, "Kan iemand me helpen?");

  for (const char* wrong : {"", "bakime-tosira-lepado-mifeka", "not a code at all"}) {
    EXPECT_EQ(conversations_->PickUp(wrong).error().code, core::Errc::unauthenticated) << wrong;
  }
  ASSERT_TRUE(conversations_->EndAsVisitor(left->conversation.id));
  EXPECT_TRUE(conversations_->PickUp(left->pick_up_code)) << "read again after the end";
  clock_.Advance(kPickUpAfterEnd - 1);
  auto late = conversations_->PickUp(left->pick_up_code);
  ASSERT_TRUE(late);
  EXPECT_TRUE(conversations_->Resume(late->resume_token))
      << "the code's token opens the answer as long as the code works, not just a day";
  clock_.Advance(1);
  EXPECT_EQ(conversations_->PickUp(left->pick_up_code).error().code, core::Errc::unauthenticated);
  EXPECT_EQ(conversations_->Resume(late->resume_token).error().code, core::Errc::unauthenticated);
}

// The answer to a start got lost (a dropped connection, a node that died after the commit); the
// page asks again with the same request id.
TEST_F(ConversationsTest, AStartAskedAgainFindsItsConversationWithANewToken) {
  constexpr std::string_view kRequest = "AbCdEfGhIjKlMnOpQrSt_-";
  StartOne("Eerder");
  auto first = conversations_->Start("Sam", "other", {}, {.id = kRequest, .number = 1});
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->queue_position, 2);
  clock_.Advance(1000);
  auto again = conversations_->Start("Sam", "other", {}, {.id = kRequest, .number = 2});
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->conversation.id, first->conversation.id);
  EXPECT_EQ(again->queue_position, 2);
  EXPECT_EQ(hub_.WaitingCount(), 2u);
  EXPECT_NE(again->resume_token, first->resume_token);
  EXPECT_EQ(conversations_->Resume(again->resume_token)->id, first->conversation.id);
  EXPECT_EQ(conversations_->Resume(first->resume_token).error().code, core::Errc::unauthenticated);

  // Taken meanwhile: the visitor joins the chat, not the queue.
  ASSERT_TRUE(conversations_->Accept(first->conversation.id, alice_));
  auto taken = conversations_->Start("Sam", "other", {}, {.id = kRequest, .number = 3});
  ASSERT_TRUE(taken);
  EXPECT_EQ(taken->conversation.status, model::ConversationStatus::active);
  EXPECT_EQ(taken->queue_position, 0);
  EXPECT_EQ(hub_.WaitingCount(), 1u);

  auto other_request =
      conversations_->Start("Sam", "other", {}, {.id = "zzzzzzzzzzzzzzzzzzzzzz", .number = 1});
  ASSERT_TRUE(other_request);
  EXPECT_NE(other_request->conversation.id, first->conversation.id);
  for (const std::int64_t wrong : {std::int64_t{0}, kMaxRequestTries + 1}) {
    EXPECT_EQ(
        conversations_->Start("Sam", "other", {}, {.id = kRequest, .number = wrong}).error().code,
        core::Errc::invalid_argument)
        << wrong;
  }
  for (std::string_view wrong : {"short", "AbCdEfGhIjKlMnOpQrSt_-x", "AbCdEfGhIjKlMnOpQrSt+/"}) {
    EXPECT_EQ(conversations_->Start("Sam", "other", {}, {.id = wrong, .number = 1}).error().code,
              core::Errc::invalid_argument)
        << wrong;
  }
}

TEST_F(ConversationsTest, AMessageLeftAskedAgainIsOneMessageWithANewPickUpCode) {
  constexpr std::string_view kRequest = "0123456789abcdefghij_-";
  auto first = conversations_->LeaveMessage("", "", "Kan iemand me helpen?", {},
                                            {.id = kRequest, .number = 1});
  ASSERT_TRUE(first) << first.error().message;
  clock_.Advance(1000);
  auto again = conversations_->LeaveMessage("", "", "Kan iemand me helpen?", {},
                                            {.id = kRequest, .number = 2});
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->conversation.id, first->conversation.id);
  EXPECT_EQ(again->conversation.last_seq, 1);
  EXPECT_NE(again->pick_up_code, first->pick_up_code);
  EXPECT_EQ(conversations_->PickUp(first->pick_up_code).error().code, core::Errc::unauthenticated);
  EXPECT_EQ(conversations_->PickUp(again->pick_up_code)->conversation.id, first->conversation.id);
  const auto listed = conversations_->MessagesLeft(alice_);
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(listed->at(0).first_line, "Kan iemand me helpen?");
  EXPECT_EQ(conversations_->Replay(first->conversation.id, 0)->size(), 1u);
}

// The node stored the conversation and stopped before its text: asked again, the text is stored.
TEST_F(ConversationsTest, AMessageLeftAskedAgainAfterOnlyItsConversationWasStoredGetsItsText) {
  constexpr std::string_view kRequest = "0123456789abcdefghij_-";
  std::promise<bool> created;
  database_.conversations->Create(
      store::NewConversation{.id = "c_half",
                             .resume_token_hash = "never-given",
                             .created_at = clock_.Now(),
                             .offline = true,
                             .pickup_code_hash = "never-given-either",
                             .request_hash = crypto::HashToken(kRequest),
                             .request_try = 1},
      [&](Result<model::Conversation> done) { created.set_value(done.has_value()); });
  ASSERT_TRUE(created.get_future().get());
  auto again = conversations_->LeaveMessage("", "", "Kan iemand me helpen?", {},
                                            {.id = kRequest, .number = 2});
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->conversation.id, "c_half");
  EXPECT_EQ(again->conversation.last_seq, 1);
  const auto listed = conversations_->MessagesLeft(alice_);
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(listed->at(0).first_line, "Kan iemand me helpen?");
  EXPECT_EQ(conversations_->PickUp(again->pick_up_code)->conversation.id, "c_half");
}

// The expected wait is how fast the live queue moves: a message left never was in it.
TEST_F(ConversationsTest, AMessageLeftThatEndsDoesNotMoveTheQueuesPace) {
  auto left = conversations_->LeaveMessage("", "", "Kan iemand me helpen?");
  ASSERT_TRUE(left);
  ASSERT_TRUE(conversations_->EndAsVisitor(left->conversation.id));
  EXPECT_EQ(conversations_->ExpectedWait(1), std::nullopt) << "nobody has left the queue";
}

// The conversation is stored before its text: should the text fail, no empty message left
// must wait for a counsellor.
TEST_F(ConversationsTest, AMessageLeftWhoseTextFailsToStoreIsNotListed) {
  auto other = FailTextInserts();
  ASSERT_TRUE(other);
  EXPECT_FALSE(conversations_->LeaveMessage("", "", "Kan iemand me helpen?"));
  EXPECT_TRUE(conversations_->MessagesLeft(alice_)->empty());
  ASSERT_TRUE((*other)->Exec("DROP TRIGGER no_text"));
  EXPECT_TRUE(conversations_->LeaveMessage("", "", "Nog een keer."));
  EXPECT_EQ(conversations_->MessagesLeft(alice_)->size(), 1u);
}

TEST_F(ConversationsTest, AMessageLeftIsCheckedAsAChatIs) {
  EXPECT_EQ(conversations_->LeaveMessage("", "", "   ").error().code, core::Errc::invalid_argument);
  EXPECT_EQ(conversations_->LeaveMessage("", "nobody", "hoi").error().code,
            core::Errc::invalid_argument);
  EXPECT_EQ(conversations_->LeaveMessage(std::string(41, 'x'), "", "hoi").error().code,
            core::Errc::invalid_argument);
  EXPECT_EQ(conversations_->LeaveMessage("", "", std::string(4001, 'x')).error().code,
            core::Errc::invalid_argument);
  EXPECT_TRUE(conversations_->MessagesLeft(alice_)->empty());
}

TEST_F(ConversationsTest, LoadQueueRestoresTheWaitingFromTheStore) {
  Started first = StartOne();
  Started second = StartOne();
  ASSERT_TRUE(conversations_->Accept(first.conversation.id, alice_));
  Hub fresh(TestEncoders());
  Conversations reloaded(*database_.conversations, *database_.accounts, fresh, *presence_, clock_,
                         0);
  ASSERT_TRUE(reloaded.LoadQueue());
  EXPECT_EQ(fresh.WaitingCount(), 1u);
  EXPECT_EQ(fresh.PositionOf(second.conversation.id), 1);
}

TEST_F(ConversationsTest, BadStartInputIsRefused) {
  EXPECT_EQ(conversations_->Start(std::string(41, 'x'), "self").error().code,
            core::Errc::invalid_argument);
  EXPECT_EQ(conversations_->Start("Sam", "everyone").error().code, core::Errc::invalid_argument);
  EXPECT_EQ(conversations_->Start("a\tb", "self").error().code, core::Errc::invalid_argument);
  EXPECT_TRUE(conversations_->Start(std::string(40, 'x'), "other"));
  EXPECT_TRUE(conversations_->Start("  Sam  ", ""));
}

TEST_F(ConversationsTest, ResumeFindsTheConversationByItsToken) {
  Started started = StartOne();
  auto resumed = conversations_->Resume(started.resume_token);
  ASSERT_TRUE(resumed);
  EXPECT_EQ(resumed->id, started.conversation.id);
  EXPECT_EQ(conversations_->Resume("not-a-token").error().code, core::Errc::unauthenticated);
  EXPECT_EQ(conversations_->Resume("").error().code, core::Errc::unauthenticated);
}

TEST_F(ConversationsTest, LifecycleGoesWaitingActiveEnded) {
  Started started = StartOne();
  const std::string& id = started.conversation.id;
  auto accepted = conversations_->Accept(id, alice_);
  ASSERT_TRUE(accepted);
  EXPECT_EQ(accepted->status, ConversationStatus::active);
  EXPECT_EQ(conversations_->Accept(id, bob_).error().code, core::Errc::failed_precondition);
  auto ended = conversations_->EndAsVisitor(id);
  ASSERT_TRUE(ended);
  EXPECT_EQ(ended->status, ConversationStatus::ended);
  EXPECT_EQ(ended->end_reason, model::EndReason::visitor);
  EXPECT_EQ(conversations_->EndAsVisitor(id).error().code, core::Errc::failed_precondition);
  EXPECT_EQ(Visitor(id, "m-1", "hello").error().code, core::Errc::failed_precondition);
}

TEST_F(ConversationsTest, SeqNumbersFollowTheEventsWithoutGaps) {
  Started started = StartOne();
  const std::string& id = started.conversation.id;
  auto waiting_message = Visitor(id, "m-1", "are you there?");
  ASSERT_TRUE(waiting_message);
  EXPECT_EQ(waiting_message->seq, 1);
  ASSERT_TRUE(conversations_->Accept(id, alice_));
  auto reply = FromCounsellor(id, alice_, "c-1", "  hi, I am here \n");
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->seq, 3);
  auto replay = conversations_->Replay(id, 0);
  ASSERT_TRUE(replay);
  ASSERT_EQ(replay->size(), 3u);
  EXPECT_EQ((*replay)[1].message.kind, model::MessageKind::accepted);
  EXPECT_EQ((*replay)[1].author, "Alice");
  EXPECT_EQ((*replay)[2].author, "Alice");
  EXPECT_EQ((*replay)[2].message.body, "hi, I am here");
}

TEST_F(ConversationsTest, EveryEntryIsPublishedInSeqOrderBeforeItsAnswer) {
  Open(0, PresenceLimits{.messages_per_minute = 0, .messages_while_waiting = 0});
  Started started = StartOne();
  const std::string& id = started.conversation.id;
  auto follower = std::make_shared<EntryRecorder>();
  hub_.Follow(id, follower);
  constexpr int kSends = 30;
  std::mutex mu;
  std::vector<Result<Sent>> answers;
  std::vector<std::size_t> published;  // entries the follower had when each answer came
  std::promise<void> all;
  auto record = [&](Result<Sent> sent) {
    const std::size_t seen = follower->EntryCount();
    std::lock_guard lock(mu);
    answers.push_back(std::move(sent));
    published.push_back(seen);
    if (answers.size() == kSends + 1) all.set_value();
  };
  conversations_->SendAsVisitor(id, "bad id!", "hello", nullptr, record);
  for (int i = 0; i < kSends; ++i) {
    conversations_->SendAsVisitor(id, "m-" + std::to_string(i), " text ", nullptr, record);
  }
  all.get_future().wait();
  ASSERT_FALSE(answers[0]);
  EXPECT_EQ(answers[0].error().code, core::Errc::invalid_argument);
  for (std::size_t i = 1; i <= kSends; ++i) {
    ASSERT_TRUE(answers[i]) << answers[i].error().message;
    EXPECT_EQ(answers[i]->seq, static_cast<std::int64_t>(i));
    EXPECT_EQ(published[i], i);
  }
  ASSERT_TRUE(conversations_->Accept(id, alice_));
  ASSERT_TRUE(conversations_->EndAsCounsellor(id, alice_));
  std::lock_guard lock(follower->mu);
  ASSERT_EQ(follower->entries.size(), std::size_t{kSends + 2});
  for (std::size_t i = 0; i < follower->entries.size(); ++i) {
    EXPECT_EQ(follower->entries[i].message.seq, static_cast<std::int64_t>(i + 1));
  }
  EXPECT_EQ(follower->entries.back().message.kind, model::MessageKind::ended);
  EXPECT_EQ(follower->entries.back().author, "Alice");
}

TEST_F(ConversationsTest, DuplicateClientIdIsAcknowledgedButNotPublished) {
  Started started = StartOne();
  const std::string& id = started.conversation.id;
  auto follower = std::make_shared<EntryRecorder>();
  hub_.Follow(id, follower);
  auto first = Visitor(id, "m-1", "hello");
  auto again = Visitor(id, "m-1", "hello");
  ASSERT_TRUE(first);
  ASSERT_TRUE(again);
  EXPECT_FALSE(first->duplicate);
  EXPECT_TRUE(again->duplicate);
  EXPECT_EQ(again->seq, first->seq);
  EXPECT_EQ(follower->EntryCount(), 1u);
}

TEST_F(ConversationsTest, TheSendingSocketGetsItsAnswerButNotItsOwnEntry) {
  Started started = StartOne();
  const std::string& id = started.conversation.id;
  auto sender = std::make_shared<EntryRecorder>();
  auto other_tab = std::make_shared<EntryRecorder>();
  hub_.Follow(id, sender);
  hub_.Follow(id, other_tab);
  std::promise<Result<Sent>> answer;
  conversations_->SendAsVisitor(id, "m-1", "hoi", sender.get(),
                                [&](Result<Sent> sent) { answer.set_value(std::move(sent)); });
  const Result<Sent> sent = answer.get_future().get();
  ASSERT_TRUE(sent);
  EXPECT_EQ(sent->seq, 1);
  EXPECT_GT(sent->created_at, 0);
  EXPECT_EQ(sender->EntryCount(), 0u);
  EXPECT_EQ(other_tab->EntryCount(), 1u);
}

TEST_F(ConversationsTest, SendRulesForClientIdAndBody) {
  Started started = StartOne();
  const std::string& id = started.conversation.id;
  const std::pair<std::string, std::string> bad[] = {
      {"", "hello"},  {std::string(65, 'a'), "hello"}, {"m 1", "hello"},   {"m/1", "hello"},
      {"m-1", "   "}, {"m-1", std::string(4001, 'x')}, {"m-1", "bad\xC3"},
  };
  for (const auto& [client_id, body] : bad) {
    EXPECT_EQ(Visitor(id, client_id, body).error().code, core::Errc::invalid_argument) << client_id;
  }
  EXPECT_TRUE(Visitor(id, std::string(64, 'a'), std::string(4000, 'x')));
  auto replay = conversations_->Replay(id, 0);
  ASSERT_TRUE(replay);
  EXPECT_EQ(replay->size(), 1u);
}

TEST_F(ConversationsTest, VisitorMessagesAreLimitedPerConversation) {
  Open(0, PresenceLimits{.messages_per_minute = 3, .messages_while_waiting = 2});
  Started started = StartOne();
  const std::string& id = started.conversation.id;
  ASSERT_TRUE(Visitor(id, "w-1", "eerste"));
  ASSERT_TRUE(Visitor(id, "w-2", "tweede"));
  auto third = Visitor(id, "w-3", "derde");
  ASSERT_FALSE(third);
  EXPECT_EQ(third.error().code, core::Errc::resource_exhausted);
  ASSERT_TRUE(conversations_->Accept(id, alice_));
  ASSERT_TRUE(Visitor(id, "a-1", "nu wel"));
  auto fast = Visitor(id, "a-2", "te snel");
  ASSERT_FALSE(fast);
  EXPECT_EQ(fast.error().code, core::Errc::resource_exhausted);
  clock_.Advance(60'000);
  EXPECT_TRUE(Visitor(id, "a-3", "later wel"));
}

// A page that reconnects resends what was not acknowledged; what was stored already must not
// use up the visitor's allowance.
TEST_F(ConversationsTest, AResendOfAStoredMessageCostsTheVisitorNothing) {
  Open(0, PresenceLimits{.messages_per_minute = 3, .messages_while_waiting = 2});
  Started started = StartOne();
  const std::string& id = started.conversation.id;
  ASSERT_TRUE(Visitor(id, "w-1", "eerste"));
  for (int resend = 0; resend < 3; ++resend) {
    auto again = Visitor(id, "w-1", "eerste");
    ASSERT_TRUE(again) << again.error().message;
    EXPECT_TRUE(again->duplicate);
  }
  EXPECT_TRUE(Visitor(id, "w-2", "tweede")) << "the second of two while waiting";
  ASSERT_TRUE(conversations_->Accept(id, alice_));
  EXPECT_TRUE(Visitor(id, "a-1", "derde")) << "the third of three a minute";
}

// A message the store could not keep (a full disk, say) is sent again by the page: the failed
// tries must not use up what a waiting visitor may send. A refused one is another matter.
TEST_F(ConversationsTest, AMessageTheStoreCouldNotKeepCostsTheVisitorNothing) {
  Open(0, PresenceLimits{.messages_per_minute = 3, .messages_while_waiting = 2});
  Started started = StartOne();
  const std::string& id = started.conversation.id;
  auto other = FailTextInserts();
  ASSERT_TRUE(other);
  for (int attempt = 0; attempt < 3; ++attempt) {
    auto refused = Visitor(id, "w-1", "eerste");
    ASSERT_FALSE(refused);
    EXPECT_NE(refused.error().code, core::Errc::resource_exhausted) << attempt;
  }
  ASSERT_TRUE((*other)->Exec("DROP TRIGGER no_text"));
  EXPECT_TRUE(Visitor(id, "w-1", "eerste"));
  EXPECT_TRUE(Visitor(id, "w-2", "tweede")) << "the second of two while waiting";

  // A message refused (the chat has ended) costs as any other: refusals are not free.
  ASSERT_TRUE(conversations_->Accept(id, alice_));
  ASSERT_TRUE(conversations_->EndAsCounsellor(id, alice_));
  clock_.Advance(60'000);
  for (int attempt = 0; attempt < 3; ++attempt) {
    auto refused = Visitor(id, "e-" + std::to_string(attempt), "hallo?");
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, core::Errc::failed_precondition) << attempt;
  }
  auto fourth = Visitor(id, "e-3", "hallo?");
  ASSERT_FALSE(fourth);
  EXPECT_EQ(fourth.error().code, core::Errc::resource_exhausted);
}

TEST_F(ConversationsTest, CounsellorTouchesOnlyConversationsAssignedToThem) {
  Started started = StartOne();
  const std::string& id = started.conversation.id;
  EXPECT_EQ(conversations_->OpenFor(id, alice_).error().code, core::Errc::permission_denied);
  EXPECT_EQ(FromCounsellor(id, alice_, "c-0", "hi").error().code, core::Errc::permission_denied);
  ASSERT_TRUE(conversations_->Accept(id, alice_));
  EXPECT_TRUE(conversations_->OpenFor(id, alice_));
  EXPECT_EQ(conversations_->OpenFor(id, bob_).error().code, core::Errc::permission_denied);
  EXPECT_EQ(FromCounsellor(id, bob_, "c-1", "hi").error().code, core::Errc::permission_denied);
  EXPECT_EQ(conversations_->EndAsCounsellor(id, bob_).error().code, core::Errc::permission_denied);
  EXPECT_TRUE(conversations_->EndAsCounsellor(id, alice_));
}

TEST_F(ConversationsTest, RolesThatDoNotCounselCannotAccept) {
  Started started = StartOne();
  Counsellor analyst = AddStaff("ana", model::Role::analyst, "Ana");
  Counsellor admin = AddStaff("adm", model::Role::admin, "Adm");
  EXPECT_EQ(conversations_->Accept(started.conversation.id, analyst).error().code,
            core::Errc::permission_denied);
  EXPECT_EQ(conversations_->Accept(started.conversation.id, admin).error().code,
            core::Errc::permission_denied);
  Counsellor supervisor = AddStaff("sup", model::Role::supervisor, "Sup");
  EXPECT_TRUE(conversations_->Accept(started.conversation.id, supervisor));
}

TEST_F(ConversationsTest, ReplayRefusesSeqOutsideTheConversation) {
  Started started = StartOne();
  const std::string& id = started.conversation.id;
  ASSERT_TRUE(Visitor(id, "m-1", "one"));
  EXPECT_EQ(conversations_->Replay(id, -1).error().code, core::Errc::invalid_argument);
  EXPECT_EQ(conversations_->Replay(id, 2).error().code, core::Errc::invalid_argument);
  EXPECT_TRUE(conversations_->Replay(id, 1)->empty());
  EXPECT_EQ(conversations_->Replay("c_missing", 0).error().code, core::Errc::not_found);
}

TEST_F(ConversationsTest, EndingWhileWaitingLeavesTheQueue) {
  Started first = StartOne();
  Started second = StartOne();
  ASSERT_TRUE(conversations_->EndAsVisitor(first.conversation.id));
  EXPECT_EQ(hub_.PositionOf(second.conversation.id), 1);
}

TEST_F(ConversationsTest, AVisitorAwayTooLongIsAbandonedAndLeavesTheQueue) {
  Open(0, PresenceLimits{.abandon_after_ms = 600'000});
  Started gone = StartOne();
  Started here = StartOne();
  Started taken = StartOne();
  ASSERT_TRUE(presence_->Join(here.conversation.id, clock_.Now()));
  ASSERT_TRUE(conversations_->Accept(taken.conversation.id, alice_));
  auto follower = std::make_shared<EntryRecorder>();
  hub_.Follow(gone.conversation.id, follower);

  clock_.Advance(599'000 - 3000);
  EXPECT_EQ(conversations_->AbandonAbsent().value(), 0u) << "not yet ten minutes";
  clock_.Advance(3000);
  EXPECT_EQ(conversations_->AbandonAbsent().value(), 1u);
  EXPECT_EQ(hub_.PositionOf(gone.conversation.id), 0);
  EXPECT_EQ(hub_.PositionOf(here.conversation.id), 1);
  const auto ended = database_.conversations->Find(gone.conversation.id).value();
  EXPECT_EQ(ended.status, ConversationStatus::ended);
  EXPECT_EQ(ended.end_reason, model::EndReason::abandoned);
  ASSERT_EQ(follower->EntryCount(), 1u);
  EXPECT_EQ(follower->entries[0].message.sender, model::Sender::system);
  EXPECT_EQ(database_.conversations->Find(taken.conversation.id).value().status,
            ConversationStatus::active);
}

TEST_F(ConversationsTest, AVisitorWhoComesBackInTimeKeepsTheirPlace) {
  Open(0, PresenceLimits{.abandon_after_ms = 600'000});
  Started started = StartOne();
  const auto socket = presence_->Join(started.conversation.id, clock_.Now());
  ASSERT_TRUE(socket);
  clock_.Advance(60'000);
  presence_->Leave(started.conversation.id, *socket, clock_.Now(), true);
  clock_.Advance(500'000);
  ASSERT_TRUE(presence_->Join(started.conversation.id, clock_.Now()));
  clock_.Advance(3'600'000);
  EXPECT_EQ(conversations_->AbandonAbsent().value(), 0u);
  EXPECT_EQ(hub_.PositionOf(started.conversation.id), 1);
}

}  // namespace
}  // namespace uitweg::chat

namespace uitweg::chat {
namespace {

// A fake doorbell that only counts: the nodes in the test below learn of each other by calling
// CatchUp, as the real feed's callback would.
class CountingFeed final : public store::ChangeFeed {
 public:
  void Listen(std::function<void(std::vector<store::Rung>)>) override {}
  void Ring(std::string conversation_id, store::Change change) override {
    std::lock_guard lock(mu);
    rung.push_back({std::move(conversation_id), change});
  }
  void RingWatch(store::Watch watch) override {
    std::lock_guard lock(mu);
    watches.push_back(std::move(watch));
  }
  void OnWatch(std::function<void(store::Watch)>) override {}
  std::mutex mu;
  std::vector<store::Rung> rung;
  std::vector<store::Watch> watches;
};

// Two nodes on one database: the fixture's, and `other`, with a hub and presence of its own.
class TwoNodesTest : public ConversationsTest {
 protected:
  void SetUp() override {
    ConversationsTest::SetUp();
    other_ptr_ =
        std::make_unique<Conversations>(*database_.conversations, *database_.accounts, other_hub_,
                                        other_presence_, clock_, 0, &other_feed_);
  }
  void TearDown() override {
    other_ptr_.reset();
    ConversationsTest::TearDown();
  }

  Conversations& other() { return *other_ptr_; }

  // This node again, with a doorbell of its own, so that it behaves as one of several.
  std::unique_ptr<Conversations> HereAmongSeveral(CountingFeed& feed) {
    return std::make_unique<Conversations>(*database_.conversations, *database_.accounts, hub_,
                                           *presence_, clock_, 0, &feed);
  }

  // The slow poll of a node, read at once (chat/catch_ups.hpp reads it a slice at a time).
  static core::Status Poll(Conversations& node) {
    UITWEG_TRY_ASSIGN(const std::vector<store::Rung> listed, node.ListForPoll());
    return node.CatchUp(listed);
  }

  // A visitor's socket here follows `id`, which Bob accepts on the other node.
  std::shared_ptr<EntryRecorder> FollowedHereAndAcceptedThere(const std::string& id) {
    auto visitor_socket = std::make_shared<EntryRecorder>();
    hub_.Follow(id, visitor_socket);
    EXPECT_TRUE(Poll(other()));
    EXPECT_TRUE(other().Accept(id, bob_));
    return visitor_socket;
  }

  // Bob's message, sent on the other node and committed.
  Result<Sent> SendThere(const std::string& id, const std::string& client_id) {
    std::promise<Result<Sent>> sent;
    other().SendAsCounsellor(id, bob_, client_id, "hallo", nullptr,
                             [&](Result<Sent> result) { sent.set_value(result); });
    return sent.get_future().get();
  }

  Hub other_hub_{TestEncoders()};
  Presence other_presence_{PresenceLimits{}, clock_.Now()};
  CountingFeed other_feed_;
  std::unique_ptr<Conversations> other_ptr_;
};

// A message left from a shared computer, whose tab stays open with a socket on either node, and
// picked up on the visitor's phone: neither old socket goes on showing the chat.
TEST_F(TwoNodesTest, APickUpClosesTheSocketsOfTheOldTokenOnEveryNode) {
  auto left = conversations_->LeaveMessage("", "", "Kan iemand me helpen?");
  ASSERT_TRUE(left);
  const std::string id = left->conversation.id;
  int here_gone = 0;
  int there_gone = 0;
  const std::string old_hash = crypto::HashToken(left->resume_token);
  ASSERT_TRUE(presence_->Join(id, clock_.Now(),
                              {.give_way = [&](core::Error) { ++here_gone; },
                               .token_hash = old_hash,
                               .checked_at = presence_->Now()}));
  ASSERT_TRUE(other_presence_.Join(id, clock_.Now(),
                                   {.give_way = [&](core::Error) { ++there_gone; },
                                    .token_hash = old_hash,
                                    .checked_at = other_presence_.Now()}));
  // The pick-up rings the doorbell; the other node reads the conversation, as on any change.
  const std::vector<store::Rung> rung{{id, store::Change::conversation}};
  ASSERT_TRUE(other().CatchUp(rung));
  EXPECT_EQ(there_gone, 0) << "nothing changed yet";

  auto picked = conversations_->PickUp(left->pick_up_code);
  ASSERT_TRUE(picked);
  EXPECT_EQ(here_gone, 1);
  EXPECT_EQ(there_gone, 0) << "not yet told";
  ASSERT_TRUE(other().CatchUp(rung));
  EXPECT_EQ(there_gone, 1);
  int phone_gone = 0;
  ASSERT_TRUE(other_presence_.Join(id, clock_.Now(),
                                   {.give_way = [&](core::Error) { ++phone_gone; },
                                    .token_hash = crypto::HashToken(picked->resume_token),
                                    .checked_at = other_presence_.Now()}));
  ASSERT_TRUE(other().CatchUp(rung));
  EXPECT_EQ(phone_gone, 0);
}

// The node that made the conversation died before it answered; the page asks the other one.
TEST_F(TwoNodesTest, AStartAskedAgainOnAnotherNodeFindsItsPlaceThere) {
  constexpr std::string_view kRequest = "AbCdEfGhIjKlMnOpQrSt_-";
  auto first = conversations_->Start("Sam", "self", {}, {.id = kRequest, .number = 1});
  ASSERT_TRUE(first);
  auto again = other().Start("Sam", "self", {}, {.id = kRequest, .number = 2});
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->conversation.id, first->conversation.id);
  EXPECT_TRUE(other_hub_.IsWaiting(first->conversation.id)) << "before its poll read it";
  EXPECT_EQ(again->queue_position, 1);
  EXPECT_EQ(other().Resume(again->resume_token)->id, first->conversation.id);
}

TEST_F(TwoNodesTest, AVisitorStartedOnOneNodeWaitsInTheOtherNodesQueue) {
  Started started = StartOne("Sam");
  EXPECT_FALSE(other_hub_.IsWaiting(started.conversation.id));
  const std::vector<store::Rung> changed{{started.conversation.id, store::Change::conversation}};
  ASSERT_TRUE(other().CatchUp(changed));
  EXPECT_EQ(other_hub_.PositionOf(started.conversation.id), 1);
  ASSERT_EQ(other_hub_.Waiting().size(), 1u);
  EXPECT_EQ(other_hub_.Waiting()[0].nickname, "Sam");
}

TEST_F(TwoNodesTest, AnAcceptOnTheOtherNodeReachesTheVisitorsSocketHere) {
  Started started = StartOne();
  const std::string id = started.conversation.id;
  auto visitor_socket = FollowedHereAndAcceptedThere(id);
  const std::vector<store::Rung> changed{{id, store::Change::conversation}};
  EXPECT_EQ(other_feed_.rung, changed) << "the accept rang the doorbell";
  EXPECT_TRUE(hub_.IsWaiting(id)) << "not yet told";

  ASSERT_TRUE(conversations_->CatchUp(changed));
  EXPECT_FALSE(hub_.IsWaiting(id));
  ASSERT_EQ(visitor_socket->EntryCount(), 1u);
  EXPECT_EQ(visitor_socket->entries[0].message.kind, model::MessageKind::accepted);
  EXPECT_EQ(visitor_socket->entries[0].author, "Bob");
}

TEST_F(TwoNodesTest, AMessageRingsForItsEntriesAloneAndReachesTheSocketThatFollowsIt) {
  Started started = StartOne();
  const std::string id = started.conversation.id;
  auto visitor_socket = FollowedHereAndAcceptedThere(id);
  const std::vector<store::Rung> accepted{{id, store::Change::conversation}};
  ASSERT_TRUE(conversations_->CatchUp(accepted));
  ASSERT_EQ(visitor_socket->EntryCount(), 1u);

  ASSERT_TRUE(SendThere(id, "c-1"));
  const std::vector<store::Rung> message{{id, store::Change::entries}};
  EXPECT_EQ(other_feed_.rung.back(), message[0]);
  ASSERT_TRUE(conversations_->CatchUp(message));
  ASSERT_TRUE(conversations_->CatchUp(message));
  ASSERT_EQ(visitor_socket->EntryCount(), 2u) << "published once";
  EXPECT_EQ(visitor_socket->entries[1].message.seq, 2);
  EXPECT_EQ(visitor_socket->entries[1].message.body, "hallo");
  EXPECT_EQ(visitor_socket->entries[1].author, "Bob");
}

TEST_F(TwoNodesTest, MoreThanAPageRungForEntriesReachesTheSocketUpToTheNewest) {
  Started started = StartOne();
  const std::string id = started.conversation.id;
  auto visitor_socket = FollowedHereAndAcceptedThere(id);
  const std::vector<store::Rung> accepted{{id, store::Change::conversation}};
  ASSERT_TRUE(conversations_->CatchUp(accepted));

  const int sends = static_cast<int>(kReplayPage) + 2;
  std::vector<std::promise<Result<Sent>>> sent(sends);
  for (int i = 0; i < sends; ++i) {
    other().SendAsCounsellor(id, bob_, "c-" + std::to_string(i), "hallo", nullptr,
                             [&sent, i](Result<Sent> result) { sent[i].set_value(result); });
  }
  for (auto& each : sent) ASSERT_TRUE(each.get_future().get());
  const std::vector<store::Rung> messages{{id, store::Change::entries}};
  ASSERT_TRUE(conversations_->CatchUp(messages));
  EXPECT_EQ(hub_.LastPublished(id), 1 + sends) << "the newest, not only the first page";
  EXPECT_EQ(visitor_socket->entries.back().message.seq, 1 + sends);
}

TEST_F(TwoNodesTest, AVisitorsTextRungForEntriesReachesTheQueueOfANodeWhereItWaits) {
  Started started = StartOne();
  const std::string id = started.conversation.id;
  ASSERT_TRUE(Poll(other()));
  ASSERT_TRUE(other_hub_.IsWaiting(id));
  ASSERT_TRUE(Visitor(id, "m-1", "Ze weten waar ik woon."));
  const std::vector<store::Rung> message{{id, store::Change::entries}};
  ASSERT_TRUE(other().CatchUp(message));
  ASSERT_EQ(other_hub_.Waiting().size(), 1u);
  EXPECT_EQ(other_hub_.Waiting()[0].first_line, "Ze weten waar ik woon.");
}

// Its ring missed (the doorbell's connection was down), a chat started with a first message on
// one node reaches the other's queue by the poll alone, first line and all.
TEST_F(TwoNodesTest, AChatThePollFindsShowsItsFirstLine) {
  Started started = StartOne();
  const std::string id = started.conversation.id;
  ASSERT_TRUE(Visitor(id, "m-1", "Ze weten waar ik woon."));
  ASSERT_TRUE(Poll(other()));
  ASSERT_EQ(other_hub_.Waiting().size(), 1u);
  EXPECT_EQ(other_hub_.Waiting()[0].first_line, "Ze weten waar ik woon.");
}

TEST_F(TwoNodesTest, ThePollFindsWhatARingMissedAndNothingTwice) {
  Started started = StartOne();
  const std::string id = started.conversation.id;
  auto visitor_socket = FollowedHereAndAcceptedThere(id);
  ASSERT_TRUE(SendThere(id, "c-1"));

  ASSERT_TRUE(Poll(*conversations_));
  ASSERT_TRUE(Poll(*conversations_));
  ASSERT_EQ(visitor_socket->EntryCount(), 2u);
  EXPECT_EQ(visitor_socket->entries[0].message.seq, 1);
  EXPECT_EQ(visitor_socket->entries[1].message.seq, 2);
  EXPECT_EQ(visitor_socket->entries[1].message.body, "hallo");
  EXPECT_FALSE(hub_.IsWaiting(id));
}

// Handed back to the queue on the other node, the chat waits afresh for its visitor here too:
// the messages they may send while waiting count anew, as on the node that released it.
TEST_F(TwoNodesTest, AChatHandedBackOnAnotherNodeLetsItsVisitorHereWriteWhileWaitingAgain) {
  Started started = StartOne();
  const std::string id = started.conversation.id;
  ASSERT_TRUE(presence_->Join(id, clock_.Now()));
  int spent = 0;
  while (presence_->SpendMessage(id, true, clock_.Now())) ASSERT_LT(++spent, 1000);
  ASSERT_TRUE(Poll(other()));
  ASSERT_TRUE(other().Accept(id, bob_));
  ASSERT_TRUE(Poll(*conversations_));
  ASSERT_FALSE(hub_.IsWaiting(id));
  ASSERT_TRUE(other().Release(id, bob_.account_id, "signed_out"));
  ASSERT_TRUE(Poll(*conversations_));
  ASSERT_TRUE(hub_.IsWaiting(id));
  EXPECT_TRUE(presence_->SpendMessage(id, true, clock_.Now()));
}

// A supervisor's watch is rung for the other nodes only when there are others.
TEST_F(TwoNodesTest, AWatchIsRungForTheOtherNodes) {
  CountingFeed here_feed;
  auto here = HereAmongSeveral(here_feed);
  here->RingWatch("c_1", 7, true);
  here->RingWatch("c_1", 7, false);
  conversations_->RingWatch("c_1", 7, true);
  std::lock_guard lock(here_feed.mu);
  EXPECT_EQ(here_feed.watches,
            (std::vector<store::Watch>{
                {.conversation_id = "c_1", .supervisor_id = 7, .watching = true},
                {.conversation_id = "c_1", .supervisor_id = 7, .watching = false}}));
}

// The visitor's page went from the other node and came back through this one shortly before the
// other's sweep: this node's own sweep would mark them seen too late.
TEST_F(TwoNodesTest, AVisitorWhoComesBackThroughAnotherNodeIsNotAbandonedByTheFirst) {
  CountingFeed here_feed;
  auto here = HereAmongSeveral(here_feed);
  Started started = StartOne();
  const std::string id = started.conversation.id;
  const auto there = other_presence_.Join(id, clock_.Now());
  ASSERT_TRUE(there);
  ASSERT_TRUE(Poll(other()));
  other_presence_.Leave(id, *there, clock_.Now(), true);
  const core::UnixMillis abandon_after = other_presence_.limits().abandon_after_ms;
  clock_.Advance(abandon_after - 5000);

  ASSERT_TRUE(presence_->Join(id, clock_.Now()));
  here->NoteVisitorConnected(database_.conversations->Find(id).value());
  const core::UnixMillis came_back = clock_.Now();
  // The mark is a write like any other: wait until it is stored.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (database_.conversations->Find(id)->visitor_seen_at != came_back) {
    ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "never marked seen";
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  clock_.Advance(6000);
  EXPECT_EQ(other().AbandonAbsent().value(), 0u) << "seen on this node";
  EXPECT_TRUE(other_hub_.IsWaiting(id));
}

TEST_F(TwoNodesTest, AVisitorConnectedToOneNodeIsNotAbandonedByAnother) {
  CountingFeed here_feed;
  auto here = HereAmongSeveral(here_feed);
  Started started = StartOne();
  const std::string id = started.conversation.id;
  const auto socket = presence_->Join(id, clock_.Now());
  ASSERT_TRUE(socket);
  ASSERT_TRUE(Poll(other()));
  const core::UnixMillis abandon_after = presence_->limits().abandon_after_ms;
  clock_.Advance(abandon_after + 1000);

  ASSERT_EQ(here->AbandonAbsent().value(), 0u);
  // The mark is a write like any other: wait until it is stored.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (!database_.conversations->Find(id)->visitor_seen_at) {
    ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "never marked seen";
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  EXPECT_EQ(database_.conversations->Find(id)->visitor_seen_at, clock_.Now());
  EXPECT_EQ(other().AbandonAbsent().value(), 0u) << "seen on the other node";
  EXPECT_TRUE(other_hub_.IsWaiting(id));

  presence_->Leave(id, *socket, clock_.Now(), true);
  clock_.Advance(abandon_after + 1000);
  EXPECT_EQ(other().AbandonAbsent().value(), 1u) << "no node has seen the visitor since";
  EXPECT_FALSE(other_hub_.IsWaiting(id));
}

TEST_F(TwoNodesTest, AChatHandedBackOnOneNodeIsNotAbandonedAtOnceByAnother) {
  Started started = StartOne();
  const std::string id = started.conversation.id;
  ASSERT_TRUE(conversations_->Accept(id, alice_));
  const core::UnixMillis abandon_after = other_presence_.limits().abandon_after_ms;
  clock_.Advance(abandon_after + 1000);  // a long chat
  ASSERT_TRUE(conversations_->Release(id, alice_.account_id, "signed_out"));
  ASSERT_TRUE(Poll(other()));
  ASSERT_TRUE(other_hub_.IsWaiting(id));
  EXPECT_EQ(other().AbandonAbsent().value(), 0u)
      << "the visitor's time away counts from the hand-back, also where they never connected";
  EXPECT_TRUE(other_hub_.IsWaiting(id));

  clock_.Advance(abandon_after + 1000);
  EXPECT_EQ(other().AbandonAbsent().value(), 1u) << "no node has seen the visitor since";
}

TEST_F(TwoNodesTest, AStaleReadCannotPutAConversationBackInTheQueue) {
  Started started = StartOne();
  const std::string id = started.conversation.id;
  const model::Conversation before_accept = *database_.conversations->Find(id);
  ASSERT_TRUE(conversations_->Accept(id, alice_));
  hub_.MatchStored(QueueEntryOf(before_accept), true);
  EXPECT_FALSE(hub_.IsWaiting(id));
}

TEST_F(ConversationsTest, AConversationKeepsItsArrivalAndCountsOnceStartedAndOnceHeld) {
  Campaigns campaigns(*database_.campaigns, clock_);
  conversations_->SetCampaigns(&campaigns);
  ASSERT_TRUE(campaigns.Create("poster-1", "Posters", alice_.account_id));

  auto started =
      conversations_->Start("Sam", "self", Arrival{.language = "ar", .campaign = "poster-1"});
  ASSERT_TRUE(started) << started.error().message;
  EXPECT_EQ(started->conversation.language, "ar");
  EXPECT_EQ(started->conversation.campaign, "poster-1");
  const std::string id = started->conversation.id;
  EXPECT_EQ(database_.conversations->Find(id)->campaign, "poster-1");

  // Taken, handed back, taken again and ended: one chat held.
  ASSERT_TRUE(conversations_->Accept(id, alice_));
  ASSERT_TRUE(conversations_->Release(id, alice_.account_id, "signed_out"));
  ASSERT_TRUE(conversations_->Accept(id, bob_));
  // Retired meanwhile: the chat still counts for the campaign it started with.
  ASSERT_TRUE(campaigns.Retire("poster-1"));
  ASSERT_TRUE(conversations_->EndAsVisitor(id));

  // Never taken: started, not held. An unknown code is kept as none.
  auto unheld = conversations_->Start("", "", Arrival{.language = "nl", .campaign = "made-up"});
  ASSERT_TRUE(unheld);
  EXPECT_EQ(unheld->conversation.campaign, "");
  ASSERT_TRUE(conversations_->EndAsVisitor(unheld->conversation.id));

  const std::string today = campaigns.Today();
  auto counts = campaigns.Counts(today, today).value();
  auto count = [&](std::string_view code, std::string_view metric) {
    for (const auto& c : counts) {
      if (c.code == code && c.metric == metric) return c.count;
    }
    return std::int64_t{0};
  };
  EXPECT_EQ(count("poster-1", "chat_started"), 1);
  EXPECT_EQ(count("poster-1", "chat_held"), 1);
  EXPECT_EQ(count("", "chat_started"), 1);
  EXPECT_EQ(count("", "chat_held"), 0);
}

TEST_F(ConversationsTest, ALanguageMustLookLikeOne) {
  EXPECT_EQ(conversations_->Start("", "", Arrival{.language = "NL"}).error().code,
            core::Errc::invalid_argument);
  EXPECT_EQ(conversations_->Start("", "", Arrival{.language = "dutch"}).error().code,
            core::Errc::invalid_argument);
  EXPECT_EQ(conversations_->LeaveMessage("", "", "hoi", Arrival{.language = "x"}).error().code,
            core::Errc::invalid_argument);
}

}  // namespace
}  // namespace uitweg::chat
