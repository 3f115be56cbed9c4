// Several nodes on one PostgreSQL database (built into integration_postgres_test only): a
// visitor on one node and a counsellor on another chat as if on one, and a visitor whose node
// is killed resumes on another.

#include <chrono>
#include <set>
#include <vector>

#include "integration/server_test.hpp"

namespace uitweg::support {
namespace {

using namespace std::chrono_literals;

// Rings arrive within milliseconds; a lost one is made up by the poll within two seconds.
constexpr auto kAcrossNodes = 10s;

class TwoNodesTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    if (HasFatalFailure()) return;
    auto started = other_.Start();
    ASSERT_TRUE(started) << started.error().message << "\n" << other_.Stderr();
  }
  void TearDown() override {
    if (other_.running()) (void)other_.Stop();
    ExpectNoSecretsIn(other_);
    if (HasFailure()) std::cerr << "---- the other node's log ----\n" << other_.Stderr() << "\n";
    ServerTest::TearDown();
  }

  // Waits until the console lists the conversation as waiting: in its queue snapshot or in a
  // change that adds it.
  static ::testing::AssertionResult SeesWaiting(WsClient& console, const std::string& id) {
    const auto deadline = std::chrono::steady_clock::now() + kAcrossNodes;
    while (std::chrono::steady_clock::now() < deadline) {
      auto frame = console.Next(1s);
      if (!frame) continue;
      const std::string type = Str(*frame, "type");
      const char* list = type == "queue" ? "waiting" : type == "queue_changes" ? "added" : nullptr;
      if (list == nullptr) continue;
      for (const auto& entry : frame->at(list).as_array()) {
        if (Str(entry.as_object(), "conversation_id") == id) return ::testing::AssertionSuccess();
      }
    }
    return ::testing::AssertionFailure() << id << " never showed in the queue";
  }

  // The seqs of the message frames `ws` receives, in order, until one with `last`.
  static std::vector<std::int64_t> SeqsUntil(WsClient& ws, std::int64_t last) {
    std::vector<std::int64_t> seqs;
    while (seqs.empty() || seqs.back() < last) {
      auto message = NextMessage(ws, kAcrossNodes);
      if (!message.contains("seq")) break;
      seqs.push_back(Int(message, "seq"));
    }
    return seqs;
  }

  // A counsellor on the other node who has taken conversation `id`: waits until the other
  // node shows it, accepts it there. Check HasFailure() after.
  Counsellor AcceptedOnTheOtherNode(const std::string& id) {
    auto bert = NewCounsellor(other_, "bert.b");
    EXPECT_TRUE(bert) << bert.error().message;
    if (!bert) return {};
    EXPECT_TRUE(SeesWaiting(bert->ws, id));
    EXPECT_TRUE(bert->ws.Send(StaffAccept(id)));
    auto assigned = bert->ws.Take("assigned", kAcrossNodes);
    EXPECT_TRUE(assigned) << assigned.error().message;
    return std::move(*bert);
  }

  // A visitor on this node whose chat a counsellor on the other node has taken. Check
  // HasFailure() after.
  struct ChatAcross {
    Visitor visitor;
    std::string id = {};
    Counsellor bert = {};
  };
  ChatAcross StartedAcrossNodes() {
    ChatAcross chat{.visitor = NewVisitor("Sam")};
    if (HasFailure()) return chat;
    chat.id = chat.visitor.conversation.conversation_id;
    chat.bert = AcceptedOnTheOtherNode(chat.id);
    return chat;
  }

  ServerProcess other_;
};

TEST_F(TwoNodesTest, AVisitorOnOneNodeAndACounsellorOnAnotherChatAsIfOnOne) {
  auto [visitor, id, bert] = StartedAcrossNodes();
  ASSERT_FALSE(HasFailure());
  EXPECT_EQ(Str(NextMessage(visitor.ws, kAcrossNodes), "kind"), "accepted");

  const std::string question = Body("from the visitor on node A");
  ASSERT_TRUE(visitor.ws.Send(VisitorSend("v-1", question)));
  ASSERT_TRUE(visitor.ws.Take("ack"));
  EXPECT_EQ(Str(NextMessage(bert.ws, kAcrossNodes), "kind"), "accepted");
  auto received = NextMessage(bert.ws, kAcrossNodes);
  EXPECT_EQ(Str(received, "body"), question);
  EXPECT_EQ(Int(received, "seq"), 2);

  const std::string answer = Body("from the counsellor on node B");
  ASSERT_TRUE(bert.ws.Send(StaffSend(id, "c-1", answer)));
  ASSERT_TRUE(bert.ws.Take("ack"));
  auto answered = NextMessage(visitor.ws, kAcrossNodes);
  EXPECT_EQ(Str(answered, "body"), answer);
  EXPECT_EQ(Int(answered, "seq"), 3);
}

// Nobody is watched without being told, whichever node the supervisor's console is on.
TEST_F(TwoNodesTest, ACounsellorOnOneNodeIsToldOfASupervisorWatchingFromAnother) {
  auto [visitor, id, bert] = StartedAcrossNodes();
  ASSERT_FALSE(HasFailure());
  Counsellor sanne = NewStaff("sanne", "supervisor");
  ASSERT_FALSE(HasFailure());
  ASSERT_TRUE(sanne.ws.Send({{"type", "monitor"}, {"conversation_id", id}}));
  ASSERT_TRUE(sanne.ws.Take("monitoring", kAcrossNodes));
  auto watched = bert.ws.Take("watched", kAcrossNodes);
  ASSERT_TRUE(watched) << watched.error().message;
  EXPECT_EQ(Str(*watched, "conversation_id"), id);
  EXPECT_EQ(Str(*watched, "by"), "sanne");
  EXPECT_TRUE(watched->at("watching").as_bool());

  ASSERT_TRUE(sanne.ws.Send({{"type", "unmonitor"}, {"conversation_id", id}}));
  auto stopped = bert.ws.Take("watched", kAcrossNodes);
  ASSERT_TRUE(stopped) << stopped.error().message;
  EXPECT_FALSE(stopped->at("watching").as_bool());
}

TEST_F(TwoNodesTest, AVisitorWhoseNodeIsKilledResumesOnAnotherWithNothingLostOrTwice) {
  auto [visitor, id, bert] = StartedAcrossNodes();
  ASSERT_FALSE(HasFailure());

  std::set<std::int64_t> seen;
  ASSERT_EQ(Str(NextMessage(visitor.ws, kAcrossNodes), "kind"), "accepted");
  seen.insert(1);
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(visitor.ws.Send(VisitorSend("v-" + std::to_string(i), Body("before"))));
    auto ack = visitor.ws.Take("ack");
    ASSERT_TRUE(ack) << ack.error().message;
    seen.insert(Int(*ack, "seq"));
  }
  server_.Kill();
  // Sent while the visitor's node is down: the visitor must get it after resuming elsewhere.
  const std::string meanwhile = Body("while the node was down");
  ASSERT_TRUE(bert.ws.Send(StaffSend(id, "c-1", meanwhile)));
  ASSERT_TRUE(bert.ws.Take("ack"));

  auto resumed = ConnectVisitor(other_.port(), visitor.conversation.resume_token, *seen.rbegin());
  ASSERT_TRUE(resumed) << resumed.error().message;
  auto missed = NextMessage(*resumed, kAcrossNodes);
  EXPECT_EQ(Str(missed, "body"), meanwhile);
  EXPECT_EQ(seen.count(Int(missed, "seq")), 0u) << "shown twice";
  ASSERT_TRUE(resumed->Send(VisitorSend("v-after", Body("after resuming"))));
  auto ack = resumed->Take("ack");
  ASSERT_TRUE(ack) << ack.error().message;
  EXPECT_EQ(Int(*ack, "seq"), Int(missed, "seq") + 1);
  // The counsellor saw every entry once, in order: the accept, the visitor's five, and the one
  // sent after resuming (not its own, which its ack told it of).
  std::vector<std::int64_t> expected{1, 2, 3, 4, 5, 6, Int(*ack, "seq")};
  EXPECT_EQ(SeqsUntil(bert.ws, Int(*ack, "seq")), expected);
}

TEST_F(TwoNodesTest, TwoNodesRacingToAcceptOneVisitorLetExactlyOneWin) {
  auto anna = NewCounsellor(server_, "anna.k");
  auto bert = NewCounsellor(other_, "bert.b");
  ASSERT_TRUE(anna && bert);
  constexpr int kRounds = 5;
  for (int round = 0; round < kRounds; ++round) {
    Visitor visitor = NewVisitor("Sam");
    ASSERT_FALSE(HasFailure());
    const std::string id = visitor.conversation.conversation_id;
    ASSERT_TRUE(SeesWaiting(anna->ws, id));
    ASSERT_TRUE(SeesWaiting(bert->ws, id));
    ASSERT_TRUE(anna->ws.Send(StaffAccept(id)));
    ASSERT_TRUE(bert->ws.Send(StaffAccept(id)));
    int won = 0;
    int refused = 0;
    for (WsClient* console : {&anna->ws, &bert->ws}) {
      // Each console hears one answer to its accept: assigned, or an error.
      const auto deadline = std::chrono::steady_clock::now() + kAcrossNodes;
      while (std::chrono::steady_clock::now() < deadline) {
        auto frame = console->Next(1s);
        if (!frame) continue;
        const std::string type = Str(*frame, "type");
        if (type == "assigned") {
          ++won;
          // Ended at once, so that the winner stays within their capacity for the next round.
          EXPECT_TRUE(console->Send({{"type", "end"}, {"conversation_id", id}}));
          break;
        }
        if (type == "error") {
          EXPECT_EQ(Str(*frame, "code"), "failed_precondition");
          ++refused;
          break;
        }
      }
    }
    EXPECT_EQ(won, 1) << "round " << round;
    EXPECT_EQ(refused, 1) << "round " << round;
  }
}

TEST_F(TwoNodesTest, AnAccountThrottledForAnAddressOnOneNodeIsThrottledOnTheOther) {
  ASSERT_TRUE(AddStaff(server_.data_dir().string(), "anna.k", "correct horse battery"));
  auto attempt = [](std::uint16_t port, const std::string& password) {
    auto answer = HttpPostJson(port, "/api/v1/staff/session",
                               boost::json::object{{"username", "anna.k"}, {"password", password}});
    return answer ? answer->status : 0;
  };
  for (int i = 0; i < 5; ++i) EXPECT_EQ(attempt(server_.port(), "guess " + std::to_string(i)), 401);
  EXPECT_EQ(attempt(other_.port(), "correct horse battery"), 429)
      << "the other node let the guessing go on";
}

}  // namespace
}  // namespace uitweg::support
