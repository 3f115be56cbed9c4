#include "chat/conversations.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <vector>

#include <gtest/gtest.h>

#include "store/sqlite/sqlite_test_database.hpp"

namespace uitweg::chat {
namespace {

class EntryRecorder : public HubListener {
 public:
  void OnEntry(const Entry& entry) override { entries.push_back(entry); }
  void OnConversationChanged(const store::Conversation&) override { ++changes; }
  void OnQueueChanged(const QueueSnapshot& queue) override { queues.push_back(queue); }

  std::vector<Entry> entries;
  int changes = 0;
  std::vector<QueueSnapshot> queues;
};

class ConversationsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = database_->Open();
    ASSERT_TRUE(opened) << opened.error().message;
    store_ = std::move(*opened);
    conversations_ = std::make_unique<Conversations>(*store_, hub_, clock_);
    alice_ = AddStaff("alice", store::Role::counsellor, "Alice");
    bob_ = AddStaff("bob", store::Role::counsellor, "Bob");
  }

  void TearDown() override {
    conversations_.reset();
    store_.reset();
  }

  Counsellor AddStaff(const std::string& username, store::Role role, const std::string& name) {
    store::NewStaffAccount account{username, role, name, "hash", clock_.Now()};
    auto created = store_->CreateAccount(account);
    EXPECT_TRUE(created);
    return Counsellor{created->id, role, name};
  }

  std::int64_t PositionOf(const std::string& id) {
    auto queue = conversations_->Waiting();
    EXPECT_TRUE(queue);
    return PositionIn(*queue, id);
  }

  Started StartOne(std::string nickname = "Sam") {
    auto started = conversations_->Start(nickname, "self");
    EXPECT_TRUE(started) << started.error().message;
    clock_.Advance(1000);
    return *started;
  }

  std::unique_ptr<store::TestDatabase> database_ = store::sqlite::SqliteTestBackend().create();
  core::ManualClock clock_;
  Hub hub_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<Conversations> conversations_;
  Counsellor alice_;
  Counsellor bob_;
};

TEST_F(ConversationsTest, StartPutsTheVisitorAtTheBackOfTheQueue) {
  Started first = StartOne("Sam");
  Started second = StartOne("");
  EXPECT_EQ(first.queue_position, 1);
  EXPECT_EQ(second.queue_position, 2);
  EXPECT_EQ(first.conversation.status, store::ConversationStatus::waiting);
  EXPECT_EQ(first.conversation.nickname, "Sam");
  EXPECT_TRUE(first.conversation.id.starts_with("c_"));
  EXPECT_GE(first.resume_token.size(), 32u);
}

TEST_F(ConversationsTest, AcceptingTheFirstMovesTheOthersUp) {
  Started first = StartOne();
  Started second = StartOne();
  Started third = StartOne();
  ASSERT_TRUE(conversations_->Accept(first.conversation.id, alice_));
  EXPECT_EQ(PositionOf(second.conversation.id), 1);
  EXPECT_EQ(PositionOf(third.conversation.id), 2);
  EXPECT_EQ(PositionOf(first.conversation.id), 0);
}

TEST_F(ConversationsTest, QueueWatchersGetASnapshotOnEveryChange) {
  auto watcher = std::make_shared<EntryRecorder>();
  hub_.WatchQueue(watcher);
  Started first = StartOne();
  ASSERT_TRUE(conversations_->Accept(first.conversation.id, alice_));
  ASSERT_EQ(watcher->queues.size(), 2u);
  EXPECT_EQ(watcher->queues[0]->size(), 1u);
  EXPECT_EQ(watcher->queues[1]->size(), 0u);
}

TEST_F(ConversationsTest, WatchQueueReturnsTheCurrentQueueThenChanges) {
  Started first = StartOne();
  auto watcher = std::make_shared<EntryRecorder>();
  auto current = conversations_->WatchQueue(watcher);
  ASSERT_TRUE(current);
  EXPECT_EQ(PositionIn(*current, first.conversation.id), 1);
  EXPECT_TRUE(watcher->queues.empty());
  StartOne();
  ASSERT_EQ(watcher->queues.size(), 1u);
  EXPECT_EQ(watcher->queues[0]->size(), 2u);
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
  EXPECT_EQ(accepted->status, store::ConversationStatus::active);
  EXPECT_EQ(conversations_->Accept(id, bob_).error().code, core::Errc::failed_precondition);
  auto ended = conversations_->EndAsVisitor(id);
  ASSERT_TRUE(ended);
  EXPECT_EQ(ended->status, store::ConversationStatus::ended);
  EXPECT_EQ(conversations_->EndAsVisitor(id).error().code, core::Errc::failed_precondition);
  EXPECT_EQ(conversations_->SendAsVisitor(id, "m-1", "hello").error().code,
            core::Errc::failed_precondition);
}

TEST_F(ConversationsTest, SeqNumbersFollowTheEventsWithoutGaps) {
  Started started = StartOne();
  const std::string& id = started.conversation.id;
  auto waiting_message = conversations_->SendAsVisitor(id, "m-1", "are you there?");
  ASSERT_TRUE(waiting_message);
  EXPECT_EQ(waiting_message->entry.message.seq, 1);
  ASSERT_TRUE(conversations_->Accept(id, alice_));
  auto reply = conversations_->SendAsCounsellor(id, alice_, "c-1", "  hi, I am here \n");
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->entry.message.seq, 3);
  EXPECT_EQ(reply->entry.message.body, "hi, I am here");
  EXPECT_EQ(reply->entry.author, "Alice");
  auto replay = conversations_->Replay(id, 0);
  ASSERT_TRUE(replay);
  ASSERT_EQ(replay->size(), 3u);
  EXPECT_EQ((*replay)[1].message.kind, store::MessageKind::accepted);
  EXPECT_EQ((*replay)[1].author, "Alice");
  EXPECT_EQ((*replay)[2].author, "Alice");
}

TEST_F(ConversationsTest, AsyncSendsAreAnsweredInOrderOncePublished) {
  Started started = StartOne();
  const std::string& id = started.conversation.id;
  auto follower = std::make_shared<EntryRecorder>();
  hub_.Follow(id, follower);
  constexpr int kSends = 30;
  std::mutex mu;
  std::condition_variable answered_cv;
  std::vector<Result<Sent>> answers;
  std::vector<std::size_t> published;  // entries the follower had when each answer came
  auto record = [&](Result<Sent> sent) {
    // Runs where the hub published the entry, so reading the follower here is ordered.
    const std::size_t seen = follower->entries.size();
    std::lock_guard lock(mu);
    answers.push_back(std::move(sent));
    published.push_back(seen);
    answered_cv.notify_all();
  };
  conversations_->SendAsVisitorAsync(id, "bad id!", "hello", record);
  for (int i = 0; i < kSends; ++i) {
    conversations_->SendAsVisitorAsync(id, "m-" + std::to_string(i), " text ", record);
  }
  std::unique_lock lock(mu);
  ASSERT_TRUE(answered_cv.wait_for(lock, std::chrono::seconds(30),
                                   [&] { return answers.size() == kSends + 1; }));
  ASSERT_FALSE(answers[0]);
  EXPECT_EQ(answers[0].error().code, core::Errc::invalid_argument);
  for (std::size_t i = 1; i <= kSends; ++i) {
    ASSERT_TRUE(answers[i]) << answers[i].error().message;
    EXPECT_EQ(answers[i]->entry.message.seq, static_cast<std::int64_t>(i));
    EXPECT_EQ(answers[i]->entry.message.body, "text");
    EXPECT_EQ(published[i], i);
  }
}

TEST_F(ConversationsTest, DestructionWaitsForAsyncSendsToBeAnswered) {
  Started started = StartOne();
  constexpr int kSends = 50;
  std::atomic<int> answered{0};
  for (int i = 0; i < kSends; ++i) {
    conversations_->SendAsVisitorAsync(started.conversation.id, "m-" + std::to_string(i), "text",
                                       [&answered](const Result<Sent>& sent) {
                                         EXPECT_TRUE(sent);
                                         ++answered;
                                       });
  }
  conversations_.reset();
  EXPECT_EQ(answered.load(), kSends);
}

TEST_F(ConversationsTest, DuplicateClientIdIsAcknowledgedButNotPublished) {
  Started started = StartOne();
  const std::string& id = started.conversation.id;
  auto follower = std::make_shared<EntryRecorder>();
  hub_.Follow(id, follower);
  auto first = conversations_->SendAsVisitor(id, "m-1", "hello");
  auto again = conversations_->SendAsVisitor(id, "m-1", "hello");
  ASSERT_TRUE(first);
  ASSERT_TRUE(again);
  EXPECT_FALSE(first->duplicate);
  EXPECT_TRUE(again->duplicate);
  EXPECT_EQ(again->entry.message.seq, first->entry.message.seq);
  EXPECT_EQ(follower->entries.size(), 1u);
}

TEST_F(ConversationsTest, SendRulesForClientIdAndBody) {
  Started started = StartOne();
  const std::string& id = started.conversation.id;
  const std::pair<std::string, std::string> bad[] = {
      {"", "hello"},
      {std::string(65, 'a'), "hello"},
      {"m 1", "hello"},
      {"m/1", "hello"},
      {"m-1", "   "},
      {"m-1", std::string(4001, 'x')},
      {"m-1", "bad\xC3"},
  };
  for (const auto& [client_id, body] : bad) {
    EXPECT_EQ(conversations_->SendAsVisitor(id, client_id, body).error().code,
              core::Errc::invalid_argument)
        << client_id;
  }
  EXPECT_TRUE(conversations_->SendAsVisitor(id, std::string(64, 'a'), std::string(4000, 'x')));
  auto replay = conversations_->Replay(id, 0);
  ASSERT_TRUE(replay);
  EXPECT_EQ(replay->size(), 1u);
}

TEST_F(ConversationsTest, CounsellorTouchesOnlyConversationsAssignedToThem) {
  Started started = StartOne();
  const std::string& id = started.conversation.id;
  EXPECT_EQ(conversations_->OpenFor(id, alice_).error().code, core::Errc::permission_denied);
  ASSERT_TRUE(conversations_->Accept(id, alice_));
  EXPECT_TRUE(conversations_->OpenFor(id, alice_));
  EXPECT_EQ(conversations_->OpenFor(id, bob_).error().code, core::Errc::permission_denied);
  EXPECT_EQ(conversations_->SendAsCounsellor(id, bob_, "c-1", "hi").error().code,
            core::Errc::permission_denied);
  EXPECT_EQ(conversations_->EndAsCounsellor(id, bob_).error().code, core::Errc::permission_denied);
  EXPECT_TRUE(conversations_->EndAsCounsellor(id, alice_));
}

TEST_F(ConversationsTest, RolesThatDoNotCounselCannotAccept) {
  Started started = StartOne();
  Counsellor analyst = AddStaff("ana", store::Role::analyst, "Ana");
  Counsellor admin = AddStaff("adm", store::Role::admin, "Adm");
  EXPECT_EQ(conversations_->Accept(started.conversation.id, analyst).error().code,
            core::Errc::permission_denied);
  EXPECT_EQ(conversations_->Accept(started.conversation.id, admin).error().code,
            core::Errc::permission_denied);
  Counsellor supervisor = AddStaff("sup", store::Role::supervisor, "Sup");
  EXPECT_TRUE(conversations_->Accept(started.conversation.id, supervisor));
}

TEST_F(ConversationsTest, ReplayRefusesSeqOutsideTheConversation) {
  Started started = StartOne();
  const std::string& id = started.conversation.id;
  ASSERT_TRUE(conversations_->SendAsVisitor(id, "m-1", "one"));
  EXPECT_EQ(conversations_->Replay(id, -1).error().code, core::Errc::invalid_argument);
  EXPECT_EQ(conversations_->Replay(id, 2).error().code, core::Errc::invalid_argument);
  EXPECT_TRUE(conversations_->Replay(id, 1)->empty());
  EXPECT_EQ(conversations_->Replay("c_missing", 0).error().code, core::Errc::not_found);
}

TEST_F(ConversationsTest, EndingWhileWaitingLeavesTheQueue) {
  Started first = StartOne();
  Started second = StartOne();
  ASSERT_TRUE(conversations_->EndAsVisitor(first.conversation.id));
  EXPECT_EQ(PositionOf(second.conversation.id), 1);
}

}  // namespace
}  // namespace uitweg::chat
