#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <stdexcept>
#include <vector>

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include "api/staff_channel.hpp"
#include "api/visitor_channel.hpp"
#include "store/sqlite/sqlite_test_database.hpp"

namespace uitweg::api {
namespace {

// Records what a channel sends, as the socket would write it. Acks and errors for sends come
// from the store's writer thread, hence the lock.
class FakeSink : public FrameSink {
 public:
  void Send(std::string frame) override {
    std::lock_guard lock(mu_);
    frames.push_back(boost::json::parse(frame).as_object());
    arrived_.notify_all();
  }
  void Close(std::uint16_t code, std::string_view) override { close_code = code; }

  std::vector<std::string> Types() const {
    std::lock_guard lock(mu_);
    std::vector<std::string> types;
    for (const auto& frame : frames) types.emplace_back(frame.at("type").as_string());
    return types;
  }
  boost::json::object Last(std::string_view type) const {
    std::lock_guard lock(mu_);
    for (auto it = frames.rbegin(); it != frames.rend(); ++it) {
      if (it->at("type").as_string() == type) return *it;
    }
    throw std::runtime_error("no frame of type " + std::string(type));
  }
  // Waits until `count` frames of `type` have come; they are returned in order.
  std::vector<boost::json::object> Await(std::string_view type, std::size_t count) const {
    std::unique_lock lock(mu_);
    std::vector<boost::json::object> found;
    arrived_.wait_for(lock, std::chrono::seconds(30), [&] {
      found.clear();
      for (const auto& frame : frames) {
        if (frame.at("type").as_string() == type) found.push_back(frame);
      }
      return found.size() >= count;
    });
    return found;
  }

  std::vector<boost::json::object> frames;
  std::uint16_t close_code = 0;

 private:
  mutable std::mutex mu_;
  mutable std::condition_variable arrived_;
};

class ChannelsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = database_->Open();
    ASSERT_TRUE(opened) << opened.error().message;
    store_ = std::move(*opened);
    conversations_ = std::make_unique<chat::Conversations>(*store_, hub_, clock_);
  }

  void TearDown() override {
    conversations_.reset();
    store_.reset();
  }

  std::shared_ptr<VisitorChannel> Visitor(const std::shared_ptr<FakeSink>& sink) {
    return std::make_shared<VisitorChannel>(*conversations_, hub_, post_, sink);
  }

  std::shared_ptr<StaffChannel> Staff(const std::shared_ptr<FakeSink>& sink, store::Role role) {
    store::NewStaffAccount account{"staff" + std::to_string(++staff_count_), role, "Alice", "h",
                                   clock_.Now()};
    auto created = store_->CreateAccount(account);
    EXPECT_TRUE(created);
    StaffMember me{chat::Counsellor{created->id, role, "Alice"}, created->username};
    return std::make_shared<StaffChannel>(*conversations_, hub_, clock_, post_, me,
                                          [this]() { return session_; }, sink);
  }

  std::unique_ptr<store::TestDatabase> database_ = store::sqlite::SqliteTestBackend().create();
  core::ManualClock clock_;
  chat::Hub hub_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<chat::Conversations> conversations_;
  Post post_ = [](std::function<void()> task) { task(); };
  int staff_count_ = 0;
  core::Status session_;
};

TEST_F(ChannelsTest, VisitorMustSayHelloFirst) {
  auto sink = std::make_shared<FakeSink>();
  auto channel = Visitor(sink);
  channel->OnFrame(R"({"type":"send","client_id":"m-1","body":"hi"})");
  EXPECT_EQ(sink->Last("error").at("code"), "invalid_argument");
  EXPECT_EQ(sink->close_code, 1008);
}

TEST_F(ChannelsTest, VisitorWithUnknownTokenIsClosed) {
  auto sink = std::make_shared<FakeSink>();
  Visitor(sink)->OnFrame(R"({"type":"hello","resume_token":"guess"})");
  EXPECT_EQ(sink->Last("error").at("code"), "unauthenticated");
  EXPECT_EQ(sink->close_code, 1008);
}

TEST_F(ChannelsTest, VisitorSeesWelcomeAndMovesUpTheQueue) {
  auto first = conversations_->Start("", "self");
  clock_.Advance(1000);
  auto second = conversations_->Start("", "self");
  auto sink = std::make_shared<FakeSink>();
  auto channel = Visitor(sink);
  channel->OnFrame(R"({"type":"hello","resume_token":")" + second->resume_token + R"("})");
  ASSERT_EQ(sink->Types(), (std::vector<std::string>{"welcome"}));
  EXPECT_EQ(sink->Last("welcome").at("queue_position"), 2);
  ASSERT_TRUE(conversations_->EndAsVisitor(first->conversation.id));
  EXPECT_EQ(sink->Last("queue").at("queue_position"), 1);
  channel->OnFrame(R"({"type":"send","client_id":"m-1","body":"hi"})");
  ASSERT_EQ(sink->Await("ack", 1).size(), 1u);
  EXPECT_EQ(sink->Last("ack").at("seq"), 1);
  EXPECT_EQ(sink->Last("message").at("message").at("body"), "hi");
  channel->OnFrame(R"({"type":"hello","resume_token":"x"})");
  EXPECT_EQ(sink->Last("error").at("code"), "invalid_argument");
  EXPECT_EQ(sink->close_code, 0);
}

TEST_F(ChannelsTest, VisitorSendsBeyondTheWindowAreAllAckedInOrder) {
  auto started = conversations_->Start("", "self");
  auto sink = std::make_shared<FakeSink>();
  auto channel = Visitor(sink);
  channel->OnFrame(R"({"type":"hello","resume_token":")" + started->resume_token + R"("})");
  const std::size_t sends = kSendWindow * 3;
  for (std::size_t i = 0; i < sends; ++i) {
    channel->OnFrame(R"({"type":"send","client_id":"m-)" + std::to_string(i) +
                     R"(","body":"text"})");
  }
  channel->OnFrame(R"({"type":"send","client_id":"m-0","body":"text"})");
  const std::vector<boost::json::object> acks = sink->Await("ack", sends + 1);
  ASSERT_EQ(acks.size(), sends + 1);
  for (std::size_t i = 0; i < sends; ++i) {
    EXPECT_EQ(acks[i].at("client_id").as_string(), "m-" + std::to_string(i));
    EXPECT_EQ(acks[i].at("seq"), static_cast<std::int64_t>(i + 1));
    EXPECT_EQ(acks[i].at("duplicate"), false);
  }
  EXPECT_EQ(acks[sends].at("seq"), 1);
  EXPECT_EQ(acks[sends].at("duplicate"), true);
}

TEST_F(ChannelsTest, VisitorLastSeqBeyondTheEndIsClosed) {
  auto started = conversations_->Start("", "self");
  auto sink = std::make_shared<FakeSink>();
  Visitor(sink)->OnFrame(R"({"type":"hello","resume_token":")" + started->resume_token +
                         R"(","last_seq":3})");
  EXPECT_EQ(sink->Last("error").at("code"), "invalid_argument");
  EXPECT_EQ(sink->close_code, 1008);
}

TEST_F(ChannelsTest, CounsellorAcceptsAndTalks) {
  auto started = conversations_->Start("Sam", "self");
  ASSERT_TRUE(conversations_->SendAsVisitor(started->conversation.id, "v-1", "hello"));
  auto sink = std::make_shared<FakeSink>();
  auto channel = Staff(sink, store::Role::counsellor);
  channel->OnFrame(R"({"type":"hello"})");
  ASSERT_EQ(sink->Types(), (std::vector<std::string>{"welcome", "queue"}));
  EXPECT_EQ(sink->Last("queue").at("waiting").as_array().size(), 1u);
  const std::string id = started->conversation.id;
  channel->OnFrame(R"({"type":"accept","conversation_id":")" + id + R"("})");
  EXPECT_EQ(sink->Last("assigned").at("conversation").at("status"), "active");
  EXPECT_EQ(sink->Last("queue").at("waiting").as_array().size(), 0u);
  channel->OnFrame(R"({"type":"send","conversation_id":")" + id +
                   R"(","client_id":"c-1","body":"hi Sam"})");
  ASSERT_EQ(sink->Await("ack", 1).size(), 1u);
  EXPECT_EQ(sink->Last("ack").at("seq"), 3);
  std::vector<std::int64_t> seqs;
  for (const auto& frame : sink->frames) {
    if (frame.at("type") == "message") seqs.push_back(frame.at("message").at("seq").as_int64());
  }
  EXPECT_EQ(seqs, (std::vector<std::int64_t>{1, 2, 3}));
}

TEST_F(ChannelsTest, AnalystGetsNoQueueAndCannotAccept) {
  auto started = conversations_->Start("Sam", "self");
  auto sink = std::make_shared<FakeSink>();
  auto channel = Staff(sink, store::Role::analyst);
  channel->OnFrame(R"({"type":"hello"})");
  ASSERT_EQ(sink->Types(), (std::vector<std::string>{"welcome"}));
  EXPECT_TRUE(sink->Last("welcome").at("active").as_array().empty());
  channel->OnFrame(R"({"type":"accept","conversation_id":")" + started->conversation.id + R"("})");
  EXPECT_EQ(sink->Last("error").at("code"), "permission_denied");
  EXPECT_EQ(sink->Last("error").at("ref").as_string(), started->conversation.id);
}

TEST_F(ChannelsTest, CounsellorCannotSubscribeToAnothersConversation) {
  auto started = conversations_->Start("Sam", "self");
  auto mine = std::make_shared<FakeSink>();
  auto theirs = std::make_shared<FakeSink>();
  auto me = Staff(mine, store::Role::counsellor);
  auto other = Staff(theirs, store::Role::counsellor);
  const std::string id = started->conversation.id;
  other->OnFrame(R"({"type":"accept","conversation_id":")" + id + R"("})");
  me->OnFrame(R"({"type":"subscribe","conversation_id":")" + id + R"(","last_seq":0})");
  EXPECT_EQ(mine->Last("error").at("code"), "permission_denied");
  me->OnFrame(R"({"type":"end","conversation_id":")" + id + R"("})");
  EXPECT_EQ(mine->Last("error").at("code"), "permission_denied");
}

TEST_F(ChannelsTest, EndedSessionClosesTheStaffSocketAtTheNextCheck) {
  auto sink = std::make_shared<FakeSink>();
  auto channel = Staff(sink, store::Role::counsellor);
  session_ = core::Fail(core::Errc::unauthenticated, "signed out");
  channel->OnFrame(R"({"type":"ping"})");
  EXPECT_EQ(sink->Types(), (std::vector<std::string>{"pong"}));
  clock_.Advance(StaffChannel::kSessionRecheck);
  channel->OnFrame(R"({"type":"ping"})");
  EXPECT_EQ(sink->Last("error").at("code"), "unauthenticated");
  EXPECT_EQ(sink->close_code, 1008);
}

TEST_F(ChannelsTest, LiveSessionIsRecheckedAndKept) {
  auto sink = std::make_shared<FakeSink>();
  auto channel = Staff(sink, store::Role::counsellor);
  clock_.Advance(StaffChannel::kSessionRecheck);
  channel->OnFrame(R"({"type":"ping"})");
  session_ = core::Fail(core::Errc::unavailable, "store down");
  clock_.Advance(StaffChannel::kSessionRecheck);
  channel->OnFrame(R"({"type":"ping"})");
  EXPECT_EQ(sink->Types(), (std::vector<std::string>{"pong", "pong"}));
  EXPECT_EQ(sink->close_code, 0);
}

}  // namespace
}  // namespace uitweg::api
