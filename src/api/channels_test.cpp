#include <algorithm>
#include <functional>
#include <future>
#include <thread>

#include "api/api_test_support.hpp"
#include "api/staff_channel.hpp"
#include "api/visitor_channel.hpp"
#include "auth/audit_trail.hpp"
#include "store/audit_store.hpp"
#include "store/test_database.hpp"

namespace uitweg::api {
namespace {

class ChannelsTest : public ApiTest {
 protected:
  std::shared_ptr<VisitorChannel> Visitor(const std::shared_ptr<FakeSink>& sink) {
    return std::make_shared<VisitorChannel>(*conversations_, hub_, presence_, clock_,
                                            workers_.post(), sink);
  }

  std::shared_ptr<StaffChannel> Staff(const std::shared_ptr<FakeSink>& sink, model::Role role) {
    chat::Counsellor me = AddStaff("staff" + std::to_string(++staff_count_), role);
    return std::make_shared<StaffChannel>(
        *conversations_, hub_, clock_, workers_.post(), StaffMember{me, "staff"},
        [this](bool user_action) {
          (user_action ? user_checks_ : automatic_checks_)++;
          if (during_check_) during_check_();
          return session_;
        },
        sink);
  }

  static std::string Hello(const std::string& token, std::int64_t last_seq = 0) {
    return R"({"type":"hello","resume_token":")" + token + R"(","last_seq":)" +
           std::to_string(last_seq) + "}";
  }

  // Two visitors start a second apart; the channel says hello as the second. The first's id.
  std::string SecondInLine(VisitorChannel& channel, FakeSink& sink) {
    auto first = conversations_->Start("", "self");
    clock_.Advance(1000);
    auto second = conversations_->Start("", "self");
    EXPECT_TRUE(first && second);
    EXPECT_TRUE(Frame(channel, sink, Hello(second->resume_token)));
    return first->conversation.id;
  }

  int staff_count_ = 0;
  core::Status session_;
  int user_checks_ = 0;
  int automatic_checks_ = 0;
  std::function<void()> during_check_;  // runs inside every session check, on a worker

  // A counsellor's socket with one conversation accepted; its id.
  std::string Accepting(StaffChannel& channel, FakeSink& sink) {
    auto started = conversations_->Start("Sam", "self");
    EXPECT_TRUE(Frame(channel, sink, R"({"type":"hello"})"));
    const std::string id = started->conversation.id;
    EXPECT_TRUE(Frame(channel, sink, R"({"type":"accept","conversation_id":")" + id + R"("})"));
    // A new socket checks the session at its first frames; the tests count what follows.
    user_checks_ = 0;
    automatic_checks_ = 0;
    return id;
  }
  // The kinds of the entries the socket got, once it has at least `count`.
  static std::vector<std::string> MessageKinds(FakeSink& sink, std::size_t count) {
    std::vector<std::string> kinds;
    for (const auto& frame : sink.Await("message", count)) {
      kinds.emplace_back(frame.at("message").at("kind").as_string());
    }
    return kinds;
  }
  // Another node hands the counsellor's chat back to the queue: stored, not published here.
  core::Result<store::Transition> ReleasedElsewhere(const std::string& id) {
    const std::int64_t me = database_.conversations->Find(id)->counsellor_id.value();
    return store::Await<store::Transition>([&](store::Done<store::Transition> done) {
      database_.conversations->Release(id, me, clock_.Now(), std::move(done));
    });
  }
  // Every session check waits until the promise returned is set.
  std::promise<void> HoldSessionChecks() {
    std::promise<void> release;
    during_check_ = [released = release.get_future().share()] { released.wait(); };
    return release;
  }
  static std::string Send(const std::string& id, const std::string& client_id) {
    return R"({"type":"send","conversation_id":")" + id + R"(","client_id":")" + client_id +
           R"(","body":"hi"})";
  }
};

TEST_F(ChannelsTest, VisitorMustSayHelloFirst) {
  auto sink = std::make_shared<FakeSink>();
  auto channel = Visitor(sink);
  EXPECT_TRUE(channel->OnFrame(R"({"type":"send","client_id":"m-1","body":"hi"})"));
  EXPECT_EQ(sink->Last("error").at("code"), "invalid_argument");
  EXPECT_EQ(sink->CloseCode(), 1008);
}

TEST_F(ChannelsTest, VisitorWithUnknownTokenIsClosed) {
  auto sink = std::make_shared<FakeSink>();
  auto channel = Visitor(sink);
  ASSERT_TRUE(Frame(*channel, *sink, Hello("guess")));
  EXPECT_EQ(sink->Last("error").at("code"), "unauthenticated");
  EXPECT_EQ(sink->CloseCode(), 1008);
}

TEST_F(ChannelsTest, VisitorSeesWelcomeAndMovesUpTheQueue) {
  auto sink = std::make_shared<FakeSink>();
  auto channel = Visitor(sink);
  const std::string first = SecondInLine(*channel, *sink);
  ASSERT_EQ(sink->Types(), (std::vector<std::string>{"welcome"}));
  EXPECT_EQ(sink->Last("welcome").at("queue_position"), 2);
  ASSERT_TRUE(conversations_->EndAsVisitor(first));
  hub_.Tick();
  EXPECT_EQ(sink->Last("queue").at("queue_position"), 1);
  ASSERT_TRUE(Frame(*channel, *sink, R"({"type":"send","client_id":"m-1","body":" hi "})"));
  ASSERT_EQ(sink->Await("ack", 1).size(), 1u);
  EXPECT_EQ(sink->Last("ack").at("seq"), 1);
  EXPECT_GT(sink->Last("ack").at("created_at").as_int64(), 0);
  ASSERT_TRUE(Frame(*channel, *sink, Hello("x")));
  EXPECT_EQ(sink->Last("error").at("code"), "invalid_argument");
  EXPECT_EQ(sink->CloseCode(), 0);
  const std::vector<std::string> types = sink->Types();
  EXPECT_EQ(std::count(types.begin(), types.end(), "message"), 0)
      << "a socket gets no message frame of its own send";
}

// What a visitor may expect changes with time, with their place or without: a visitor first in
// line while nobody is taken for an hour learns that the estimate grew, and then that there is
// none, but not the same again every minute.
TEST_F(ChannelsTest, AWaitingVisitorLearnsTheirExpectedWaitChangedWithoutMovingUp) {
  auto sink = std::make_shared<FakeSink>();
  auto channel = Visitor(sink);
  ASSERT_TRUE(conversations_->EndAsVisitor(SecondInLine(*channel, *sink)));
  const auto queue_frames = [&] {
    const std::vector<std::string> types = sink->Types();
    return std::count(types.begin(), types.end(), "queue");
  };
  const auto tick_a_minute = [&] {
    for (int tick = 0; tick < chat::Hub::kTicksPerPlaceRetell; ++tick) hub_.Tick();
  };
  hub_.Tick();
  ASSERT_EQ(queue_frames(), 1);
  EXPECT_EQ(sink->Last("queue").at("expected_wait_ms"), 600'000);
  tick_a_minute();
  EXPECT_EQ(queue_frames(), 1) << "nothing the page would show differently";
  clock_.Advance(20 * 60'000);
  tick_a_minute();
  ASSERT_EQ(queue_frames(), 2);
  EXPECT_EQ(sink->Last("queue").at("queue_position"), 1);
  EXPECT_EQ(sink->Last("queue").at("expected_wait_ms"), 20 * 60'000);
  clock_.Advance(45 * 60'000);
  tick_a_minute();
  ASSERT_EQ(queue_frames(), 3);
  EXPECT_TRUE(sink->Last("queue").at("expected_wait_ms").is_null()) << "nobody left in an hour";
}

// Handed back to the queue at the place they had before it was taken, with the same (no) wait:
// the page, which forgot the place at the hand-back, is told it again.
TEST_F(ChannelsTest, AVisitorBackInTheQueueIsToldTheirPlaceThoughItIsTheOneTheyHadBefore) {
  auto started = conversations_->Start("", "self");
  auto sink = std::make_shared<FakeSink>();
  auto channel = Visitor(sink);
  ASSERT_TRUE(Frame(*channel, *sink, Hello(started->resume_token)));
  EXPECT_EQ(sink->Last("welcome").at("queue_position"), 1);
  const chat::Counsellor anna = AddStaff("anna", model::Role::counsellor);
  ASSERT_TRUE(conversations_->Accept(started->conversation.id, anna));
  // An hour later nobody has left the queue in the last hour, as at the welcome: no estimate.
  clock_.Advance(61 * 60'000);
  ASSERT_TRUE(conversations_->Release(started->conversation.id, anna.account_id, "away"));
  const auto told = sink->Await("queue", 1);
  ASSERT_EQ(told.size(), 1u);
  EXPECT_EQ(told[0].at("queue_position"), 1);
}

// Another node hands the chat back (stored, not published here), and the visitor's next message
// shows the gap, which the visitor's feed reads from the store: once this node learns that the
// chat waits again, the visitor is told their place, as after a hand-back published here.
TEST_F(ChannelsTest, AVisitorHandedBackOnAnotherNodeIsToldTheirPlaceHere) {
  auto started = conversations_->Start("", "self");
  const std::string id = started->conversation.id;
  auto sink = std::make_shared<FakeSink>();
  auto channel = Visitor(sink);
  ASSERT_TRUE(Frame(*channel, *sink, Hello(started->resume_token)));
  const chat::Counsellor anna = AddStaff("anna", model::Role::counsellor);
  ASSERT_TRUE(conversations_->Accept(id, anna));
  ASSERT_EQ(MessageKinds(*sink, 1), (std::vector<std::string>{"accepted"}));
  ASSERT_TRUE(ReleasedElsewhere(id));
  ASSERT_TRUE(Frame(*channel, *sink, R"({"type":"send","client_id":"m-1","body":"hallo?"})"));
  ASSERT_EQ(MessageKinds(*sink, 2), (std::vector<std::string>{"accepted", "released"}));
  workers_.Drain();
  // This node's poll finds the chat waiting again.
  const std::vector<store::Rung> changed{{id, store::Change::conversation}};
  ASSERT_TRUE(conversations_->CatchUp(changed));
  hub_.Tick();
  const auto told = sink->Await("queue", 1);
  ASSERT_EQ(told.size(), 1u);
  EXPECT_EQ(told[0].at("queue_position"), 1);
}

// An end that cannot be made is refused with ref "end", so that the page knows what failed.
TEST_F(ChannelsTest, AnEndRefusedNamesTheEnd) {
  auto started = conversations_->Start("", "self");
  auto sink = std::make_shared<FakeSink>();
  auto channel = Visitor(sink);
  ASSERT_TRUE(Frame(*channel, *sink, Hello(started->resume_token)));
  ASSERT_TRUE(conversations_->EndAsVisitor(started->conversation.id));
  ASSERT_TRUE(Frame(*channel, *sink, R"({"type":"end"})"));
  ASSERT_EQ(sink->Await("error", 1).size(), 1u);
  EXPECT_EQ(sink->Last("error").at("code"), "failed_precondition");
  EXPECT_EQ(sink->Last("error").at("ref"), "end");
}

TEST_F(ChannelsTest, ASecondTabSeesTheFirstTabsMessage) {
  auto started = conversations_->Start("", "self");
  auto first_sink = std::make_shared<FakeSink>();
  auto second_sink = std::make_shared<FakeSink>();
  auto first = Visitor(first_sink);
  auto second = Visitor(second_sink);
  ASSERT_TRUE(Frame(*first, *first_sink, Hello(started->resume_token)));
  ASSERT_TRUE(Frame(*second, *second_sink, Hello(started->resume_token)));
  ASSERT_TRUE(Frame(*first, *first_sink, R"({"type":"send","client_id":"m-1","body":"hi"})"));
  ASSERT_EQ(second_sink->Await("message", 1).size(), 1u);
  EXPECT_EQ(second_sink->Last("message").at("message").at("body"), "hi");
}

TEST_F(ChannelsTest, TooManyTabsOnOneConversationAreRefused) {
  auto started = conversations_->Start("", "self");
  std::vector<std::shared_ptr<VisitorChannel>> tabs;
  std::vector<std::shared_ptr<FakeSink>> sinks;
  for (int i = 0; i < 3; ++i) {
    sinks.push_back(std::make_shared<FakeSink>());
    tabs.push_back(Visitor(sinks.back()));
    ASSERT_TRUE(Frame(*tabs.back(), *sinks.back(), Hello(started->resume_token)));
  }
  EXPECT_EQ(sinks[2]->Last("error").at("code"), "resource_exhausted");
  EXPECT_EQ(sinks[2]->CloseCode(), 1008);
  tabs[0]->OnClose();
  auto again = std::make_shared<FakeSink>();
  auto fourth = Visitor(again);
  ASSERT_TRUE(Frame(*fourth, *again, Hello(started->resume_token)));
  EXPECT_EQ(again->Types(), (std::vector<std::string>{"welcome"}));
}

TEST_F(ChannelsTest, ATabNotHeardFromGivesWayToANewOne) {
  auto started = conversations_->Start("", "self");
  std::vector<std::shared_ptr<VisitorChannel>> tabs;
  std::vector<std::shared_ptr<FakeSink>> sinks;
  const auto open = [&] {
    sinks.push_back(std::make_shared<FakeSink>());
    tabs.push_back(Visitor(sinks.back()));
    return Frame(*tabs.back(), *sinks.back(), Hello(started->resume_token));
  };
  ASSERT_TRUE(open());
  ASSERT_TRUE(open());
  clock_.Advance(presence_.limits().silent_socket_ms);
  ASSERT_TRUE(Frame(*tabs[1], *sinks[1], R"({"type":"ping"})"));
  ASSERT_TRUE(open());
  EXPECT_EQ(sinks[2]->Types(), (std::vector<std::string>{"welcome"}));
  EXPECT_EQ(sinks[0]->Last("error").at("code"), "resource_exhausted") << "the silent one is told";
  EXPECT_EQ(sinks[0]->CloseCode(), 1008);
  EXPECT_EQ(sinks[1]->CloseCode(), 0) << "the tab that pinged stays";
  tabs[0]->OnClose();
  ASSERT_TRUE(open());
  EXPECT_EQ(sinks[3]->Last("error").at("code"), "resource_exhausted")
      << "the closed tab had already given its place away";
}

TEST_F(ChannelsTest, VisitorSendsBeyondTheWindowHoldReadingAndAreAllAckedInOrder) {
  auto started = conversations_->Start("", "self");
  auto sink = std::make_shared<FakeSink>();
  auto channel = Visitor(sink);
  ASSERT_TRUE(Frame(*channel, *sink, Hello(started->resume_token)));
  const std::size_t sends = kSendWindow * 3;
  for (std::size_t i = 0; i < sends; ++i) {
    ASSERT_TRUE(
        Frame(*channel, *sink,
              R"({"type":"send","client_id":"m-)" + std::to_string(i) + R"(","body":"text"})"));
  }
  ASSERT_TRUE(Frame(*channel, *sink, R"({"type":"send","client_id":"m-0","body":"text"})"));
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
  auto channel = Visitor(sink);
  ASSERT_TRUE(Frame(*channel, *sink, Hello(started->resume_token, 3)));
  EXPECT_EQ(sink->Last("error").at("code"), "invalid_argument");
  EXPECT_EQ(sink->CloseCode(), 1008);
}

TEST_F(ChannelsTest, AVisitorSocketThatEndsBeforeItsHelloRunsLeavesNothingBehind) {
  auto started = conversations_->Start("", "self");
  const std::string id = started->conversation.id;
  auto sink = std::make_shared<FakeSink>();
  auto channel = Visitor(sink);
  // The worker is busy, so hello waits behind this; meanwhile the socket ends.
  std::promise<void> release;
  workers_.post()([ready = release.get_future().share()] { ready.wait(); });
  ASSERT_FALSE(channel->OnFrame(Hello(started->resume_token)));
  channel->OnClose();
  release.set_value();
  workers_.Drain();
  EXPECT_TRUE(presence_.AbsentSince(id, started->conversation.created_at).has_value())
      << "the closed socket still counts as the visitor being there";
  EXPECT_EQ(hub_.FollowerCount(id), 0u);
}

TEST_F(ChannelsTest, CounsellorAcceptsAndTalks) {
  auto started = conversations_->Start("Sam", "self");
  ASSERT_TRUE(Say(started->conversation.id, "v-1", "hello"));
  auto sink = std::make_shared<FakeSink>();
  auto channel = Staff(sink, model::Role::counsellor);
  ASSERT_TRUE(Frame(*channel, *sink, R"({"type":"hello"})"));
  ASSERT_EQ(sink->Types(), (std::vector<std::string>{"welcome", "queue"}));
  EXPECT_EQ(sink->Last("queue").at("waiting").as_array().size(), 1u);
  EXPECT_EQ(sink->Last("queue").at("total"), 1);
  const std::string id = started->conversation.id;
  ASSERT_TRUE(Frame(*channel, *sink, R"({"type":"accept","conversation_id":")" + id + R"("})"));
  EXPECT_EQ(sink->Last("assigned").at("conversation").at("status"), "active");
  const auto changes = sink->Last("queue_changes");
  EXPECT_EQ(changes.at("removed").as_array().at(0).as_string(), id);
  EXPECT_EQ(changes.at("total"), 0);
  ASSERT_TRUE(Frame(
      *channel, *sink,
      R"({"type":"send","conversation_id":")" + id + R"(","client_id":"c-1","body":"hi Sam"})"));
  ASSERT_EQ(sink->Await("ack", 1).size(), 1u);
  EXPECT_EQ(sink->Last("ack").at("seq"), 3);
  EXPECT_EQ(sink->Last("ack").at("conversation_id").as_string(), id);
  std::vector<std::int64_t> seqs;
  for (const auto& frame : sink->Await("message", 2)) {
    seqs.push_back(frame.at("message").at("seq").as_int64());
  }
  EXPECT_EQ(seqs, (std::vector<std::int64_t>{1, 2}));
}

// Another node hands the chat back to the queue (its counsellor's console seemed gone there):
// this node never publishes that entry, and the console's feed reads it from the store when the
// visitor's next message shows a gap. The feed must stop there, as for a live hand-back.
TEST_F(ChannelsTest, AHandBackReadFromTheStoreEndsTheFeedAsALiveOneWould) {
  auto sink = std::make_shared<FakeSink>();
  auto channel = Staff(sink, model::Role::counsellor);
  const std::string id = Accepting(*channel, *sink);
  ASSERT_EQ(hub_.FollowerCount(id), 1u);
  ASSERT_TRUE(ReleasedElsewhere(id));
  ASSERT_TRUE(Say(id, "v-1", "after the hand-back"));
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (hub_.FollowerCount(id) != 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::yield();
  }
  EXPECT_EQ(hub_.FollowerCount(id), 0u) << "the feed still follows a chat handed back";
  ASSERT_TRUE(Say(id, "v-2", "later still"));
  const std::vector<std::string> kinds = MessageKinds(*sink, 0);
  EXPECT_EQ(kinds, (std::vector<std::string>{"accepted", "released"}))
      << "up to the hand-back, read from the store, and nothing the visitor said after it";
}

// Another node hands the chat back, and this node publishes the visitor's next message before
// that node's doorbell brings the hand-back: the console gets the hand-back and not the message
// that came first, which is for whoever takes the chat next.
TEST_F(ChannelsTest, AHandBackThatArrivesAfterTheNextMessageEndsTheFeedBeforeIt) {
  auto sink = std::make_shared<FakeSink>();
  auto channel = Staff(sink, model::Role::counsellor);
  const std::string id = Accepting(*channel, *sink);
  auto released = ReleasedElsewhere(id);
  ASSERT_TRUE(released);
  // The read of the store for the gap waits until the hand-back has come.
  std::promise<void> arrived;
  workers_.post()([done = arrived.get_future().share()] { done.wait(); });
  ASSERT_TRUE(Say(id, "v-1", "for whoever takes it next"));
  hub_.Publish(chat::Entry{released->event, ""});
  arrived.set_value();
  workers_.Drain();
  EXPECT_EQ(hub_.FollowerCount(id), 0u);
  const std::vector<std::string> kinds = MessageKinds(*sink, 0);
  EXPECT_EQ(kinds, (std::vector<std::string>{"accepted", "released"}));
}

// Another node hands the chat back, and the counsellor accepts it again here before that node's
// doorbell brings the hand-back: arriving then, it is the chat's past and ends nothing.
TEST_F(ChannelsTest, AHandBackFromBeforeTheChatWasAcceptedAgainEndsNothing) {
  auto sink = std::make_shared<FakeSink>();
  auto channel = Staff(sink, model::Role::counsellor);
  const std::string id = Accepting(*channel, *sink);
  auto released = ReleasedElsewhere(id);
  ASSERT_TRUE(released);
  ASSERT_TRUE(Frame(*channel, *sink, R"({"type":"accept","conversation_id":")" + id + R"("})"));
  ASSERT_EQ(sink->Await("assigned", 2).size(), 2u);
  hub_.Publish(chat::Entry{released->event, ""});
  workers_.Drain();
  EXPECT_EQ(hub_.FollowerCount(id), 1u) << "the feed no longer follows the chat accepted again";
  ASSERT_TRUE(Say(id, "v-1", "still here"));
  const std::vector<std::string> kinds = MessageKinds(*sink, 4);
  EXPECT_EQ(kinds, (std::vector<std::string>{"accepted", "released", "accepted", "text"}));
}

TEST_F(ChannelsTest, QueueChangesFrameIsSharedByEveryConsole) {
  auto first_sink = std::make_shared<FakeSink>();
  auto second_sink = std::make_shared<FakeSink>();
  auto first = Staff(first_sink, model::Role::counsellor);
  auto second = Staff(second_sink, model::Role::supervisor);
  ASSERT_TRUE(Frame(*first, *first_sink, R"({"type":"hello"})"));
  ASSERT_TRUE(Frame(*second, *second_sink, R"({"type":"hello"})"));
  ASSERT_TRUE(conversations_->Start("Sam", "self"));
  ASSERT_EQ(first_sink->Await("queue_changes", 1).size(), 1u);
  ASSERT_EQ(second_sink->Await("queue_changes", 1).size(), 1u);
  EXPECT_EQ(first_sink->raw.back().get(), second_sink->raw.back().get());
}

TEST_F(ChannelsTest, AnalystGetsNoQueueAndCannotAccept) {
  auto started = conversations_->Start("Sam", "self");
  auto sink = std::make_shared<FakeSink>();
  auto channel = Staff(sink, model::Role::analyst);
  ASSERT_TRUE(Frame(*channel, *sink, R"({"type":"hello"})"));
  ASSERT_EQ(sink->Types(), (std::vector<std::string>{"welcome"}));
  EXPECT_TRUE(sink->Last("welcome").at("active").as_array().empty());
  ASSERT_TRUE(
      Frame(*channel, *sink,
            R"({"type":"accept","conversation_id":")" + started->conversation.id + R"("})"));
  EXPECT_EQ(sink->Last("error").at("code"), "permission_denied");
  EXPECT_EQ(sink->Last("error").at("ref").as_string(), started->conversation.id);
}

TEST_F(ChannelsTest, CounsellorCannotSubscribeToAnothersConversation) {
  auto started = conversations_->Start("Sam", "self");
  auto mine = std::make_shared<FakeSink>();
  auto theirs = std::make_shared<FakeSink>();
  auto me = Staff(mine, model::Role::counsellor);
  auto other = Staff(theirs, model::Role::counsellor);
  const std::string id = started->conversation.id;
  ASSERT_TRUE(Frame(*other, *theirs, R"({"type":"accept","conversation_id":")" + id + R"("})"));
  ASSERT_TRUE(
      Frame(*me, *mine, R"({"type":"subscribe","conversation_id":")" + id + R"(","last_seq":0})"));
  EXPECT_EQ(mine->Last("error").at("code"), "permission_denied");
  ASSERT_TRUE(Frame(*me, *mine, R"({"type":"end","conversation_id":")" + id + R"("})"));
  EXPECT_EQ(mine->Last("error").at("code"), "permission_denied");
  ASSERT_TRUE(
      Frame(*me, *mine,
            R"({"type":"send","conversation_id":")" + id + R"(","client_id":"c-1","body":"hi"})"));
  EXPECT_EQ(mine->Await("error", 3).back().at("code"), "permission_denied");
}

// An audit trail whose database refuses every entry.
class RefusingAuditStore final : public store::AuditStore {
 public:
  core::Result<store::AuditEntry> Append(const store::NewAuditEntry&) override {
    return core::Fail(core::Errc::unavailable, "the audit trail cannot be written");
  }
  void AppendLater(store::NewAuditEntry, std::function<void(core::Status)> done) override {
    done(core::Fail(core::Errc::unavailable, "the audit trail cannot be written"));
  }
  core::Result<std::vector<store::AuditEntry>> Find(const store::AuditQuery&) override {
    return std::vector<store::AuditEntry>();
  }
  core::Result<std::vector<store::AuditEntry>> After(std::int64_t, std::size_t) override {
    return std::vector<store::AuditEntry>();
  }
};

TEST_F(ChannelsTest, AWatchTheAuditTrailCannotHoldDoesNotBegin) {
  RefusingAuditStore refusing;
  auth::AuditTrail audit(refusing, clock_, "test");
  auto counsellor_sink = std::make_shared<FakeSink>();
  auto counsellor = Staff(counsellor_sink, model::Role::counsellor);
  const std::string id = Accepting(*counsellor, *counsellor_sink);
  auto supervisor_sink = std::make_shared<FakeSink>();
  chat::Counsellor me = AddStaff("supervisor", model::Role::supervisor);
  auto supervisor = std::make_shared<StaffChannel>(
      *conversations_, hub_, clock_, workers_.post(), StaffMember{me, "supervisor"},
      [](bool) { return core::Status(); }, supervisor_sink, nullptr, &audit);
  ASSERT_TRUE(Frame(*supervisor, *supervisor_sink, R"({"type":"hello"})"));
  ASSERT_TRUE(Frame(*supervisor, *supervisor_sink,
                    R"({"type":"monitor","conversation_id":")" + id + R"(","last_seq":0})"));
  EXPECT_EQ(supervisor_sink->Await("error", 1).back().at("code"), "unavailable");
  const std::vector<std::string> types = supervisor_sink->Types();
  EXPECT_EQ(std::count(types.begin(), types.end(), "monitoring"), 0);
  EXPECT_EQ(std::count(types.begin(), types.end(), "message"), 0) << "nothing of the chat was read";
}

TEST_F(ChannelsTest, EndedSessionClosesTheStaffSocketAtTheNextCheck) {
  auto sink = std::make_shared<FakeSink>();
  auto channel = Staff(sink, model::Role::counsellor);
  session_ = core::Fail(core::Errc::unauthenticated, "signed out");
  clock_.Advance(StaffChannel::kSessionRecheck);
  EXPECT_FALSE(channel->OnFrame(R"({"type":"hello"})"));
  workers_.Drain();
  EXPECT_EQ(sink->Last("error").at("code"), "unauthenticated");
  EXPECT_EQ(sink->CloseCode(), 1008);
  EXPECT_EQ(automatic_checks_, 1) << "a hello is the console's, after every reconnect";
}

TEST_F(ChannelsTest, ASendDueForTheSessionCheckIsNotHeldByIt) {
  auto sink = std::make_shared<FakeSink>();
  auto channel = Staff(sink, model::Role::counsellor);
  const std::string id = Accepting(*channel, *sink);
  std::promise<void> release = HoldSessionChecks();
  clock_.Advance(StaffChannel::kSessionRecheck);
  EXPECT_TRUE(channel->OnFrame(Send(id, "c-1"))) << "reading goes on";
  EXPECT_EQ(sink->Await("ack", 1).size(), 1u) << "acknowledged while the session is checked";
  release.set_value();
  workers_.Drain();
  EXPECT_EQ(user_checks_, 1);
}

TEST_F(ChannelsTest, AnEndedSessionFoundBesideSendsClosesTheSocketAfterOneCheck) {
  auto sink = std::make_shared<FakeSink>();
  auto channel = Staff(sink, model::Role::counsellor);
  const std::string id = Accepting(*channel, *sink);
  std::promise<void> release = HoldSessionChecks();
  session_ = core::Fail(core::Errc::unauthenticated, "signed out");
  clock_.Advance(StaffChannel::kSessionRecheck);
  EXPECT_TRUE(channel->OnFrame(Send(id, "c-1")));
  EXPECT_TRUE(channel->OnFrame(Send(id, "c-2")));
  EXPECT_EQ(sink->Await("ack", 2).size(), 2u);
  release.set_value();
  workers_.Drain();
  EXPECT_EQ(user_checks_, 1) << "one check at a time";
  EXPECT_EQ(sink->Last("error").at("code"), "unauthenticated");
  EXPECT_EQ(sink->CloseCode(), 1008);
}

TEST_F(ChannelsTest, AFrameOtherThanASendWaitsForACheckEvenWhileASendsCheckRuns) {
  auto sink = std::make_shared<FakeSink>();
  auto channel = Staff(sink, model::Role::counsellor);
  const std::string id = Accepting(*channel, *sink);
  const auto welcomes_now = [&sink] {
    const std::vector<std::string> types = sink->Types();
    return std::count(types.begin(), types.end(), "welcome");
  };
  const auto welcomes = welcomes_now();
  std::promise<void> release = HoldSessionChecks();
  clock_.Advance(StaffChannel::kSessionRecheck);
  EXPECT_TRUE(channel->OnFrame(Send(id, "c-1")));
  EXPECT_FALSE(channel->OnFrame(R"({"type":"hello"})")) << "reading waits for the check";
  EXPECT_EQ(sink->Await("ack", 1).size(), 1u);
  EXPECT_EQ(welcomes_now(), welcomes) << "not answered before its check";
  release.set_value();
  workers_.Drain();
  EXPECT_EQ(welcomes_now(), welcomes + 1);
  EXPECT_EQ(user_checks_, 1);
  EXPECT_EQ(automatic_checks_, 1);
}

TEST_F(ChannelsTest, PingsAreAnsweredWithoutKeepingTheSessionAlive) {
  auto sink = std::make_shared<FakeSink>();
  auto channel = Staff(sink, model::Role::counsellor);
  for (int i = 0; i < 3; ++i) {
    clock_.Advance(StaffChannel::kSessionRecheck);
    ASSERT_TRUE(Frame(*channel, *sink, R"({"type":"ping"})"));
  }
  EXPECT_EQ(sink->Types(), (std::vector<std::string>{"pong", "pong", "pong"}));
  EXPECT_EQ(user_checks_, 0);
  EXPECT_EQ(automatic_checks_, 0);
}

// A console reconnects, says hello and follows its chats again by itself: a console left open on
// a flaky network must not keep itself signed in. What the member does counts.
TEST_F(ChannelsTest, AReconnectsHelloAndSubscribeDoNotKeepTheSessionAlive) {
  auto sink = std::make_shared<FakeSink>();
  auto channel = Staff(sink, model::Role::counsellor);
  const std::string id = Accepting(*channel, *sink);
  const int user_before = user_checks_;
  clock_.Advance(StaffChannel::kSessionRecheck);
  ASSERT_TRUE(Frame(*channel, *sink, R"({"type":"hello"})"));
  clock_.Advance(StaffChannel::kSessionRecheck);
  ASSERT_TRUE(Frame(*channel, *sink,
                    R"({"type":"subscribe","conversation_id":")" + id + R"(","last_seq":0})"));
  EXPECT_EQ(user_checks_, user_before);
  EXPECT_EQ(automatic_checks_, 2);
  clock_.Advance(StaffChannel::kSessionRecheck);
  ASSERT_TRUE(Frame(*channel, *sink, R"({"type":"availability","availability":"busy"})"));
  EXPECT_EQ(user_checks_, user_before + 1);
}

// Opening a socket does not renew the session: the first thing the member does on it must, or
// a reconnect just before the idle end would let the member work on into a sign-out.
TEST_F(ChannelsTest, TheFirstActionOnANewSocketRenewsTheSession) {
  auto sink = std::make_shared<FakeSink>();
  auto channel = Staff(sink, model::Role::counsellor);
  ASSERT_TRUE(Frame(*channel, *sink, R"({"type":"availability","availability":"busy"})"));
  EXPECT_EQ(user_checks_, 1);
}

TEST_F(ChannelsTest, TheSweepClosesASocketWhoseSessionHasEndedWithoutTouchingIt) {
  StaffSockets sockets;
  auto sink = std::make_shared<FakeSink>();
  auto channel = Staff(sink, model::Role::counsellor);
  sockets.Add("hash", channel);
  sockets.Sweep(workers_.post());
  workers_.Drain();
  EXPECT_EQ(sink->CloseCode(), 0);
  session_ = core::Fail(core::Errc::unauthenticated, "this account is disabled");
  sockets.Sweep(workers_.post());
  workers_.Drain();
  EXPECT_EQ(sink->Last("error").at("message"), "this account is disabled");
  EXPECT_EQ(sink->CloseCode(), 1008);
  EXPECT_EQ(user_checks_, 0);
  EXPECT_EQ(automatic_checks_, 2);
}

TEST_F(ChannelsTest, SigningOutClosesTheSessionsSocketsAtOnceAndNoOthers) {
  StaffSockets sockets;
  auto mine = std::make_shared<FakeSink>();
  auto other = std::make_shared<FakeSink>();
  auto my_channel = Staff(mine, model::Role::counsellor);
  auto other_channel = Staff(other, model::Role::counsellor);
  sockets.Add("my session", my_channel);
  sockets.Add("another session", other_channel);
  sockets.CloseSession("my session", "signed out");
  EXPECT_EQ(mine->Last("error").at("message"), "signed out");
  EXPECT_EQ(mine->CloseCode(), 1008);
  EXPECT_EQ(other->CloseCode(), 0);
  EXPECT_EQ(sockets.size(), 2u);
  sockets.Remove(my_channel.get());
  EXPECT_EQ(sockets.size(), 1u);
}

TEST_F(ChannelsTest, LiveSessionIsRecheckedAndKept) {
  auto sink = std::make_shared<FakeSink>();
  auto channel = Staff(sink, model::Role::counsellor);
  clock_.Advance(StaffChannel::kSessionRecheck);
  EXPECT_FALSE(channel->OnFrame(R"({"type":"hello"})"));
  workers_.Drain();
  session_ = core::Fail(core::Errc::unavailable, "store down");
  clock_.Advance(StaffChannel::kSessionRecheck);
  EXPECT_FALSE(channel->OnFrame(R"({"type":"hello"})"));
  workers_.Drain();
  EXPECT_EQ(automatic_checks_, 2);
  EXPECT_EQ(sink->CloseCode(), 0);
}

}  // namespace
}  // namespace uitweg::api
