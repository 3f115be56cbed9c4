// Three nodes behind HAProxy on one PostgreSQL database (built into integration_cluster_test
// only), with the load balancer configuration of deploy/haproxy/uitweg.cfg and the node
// configuration of deploy/uitweg-node.toml, used as they are. Under traffic, a random node is
// killed (SIGKILL) and started again, cycle after cycle; clients reconnect through the load
// balancer and resend what was not acknowledged. At the end every acknowledged message is
// stored exactly once, in order, and both sides read the same.

#include <chrono>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <sstream>

#include "integration/server_test.hpp"
#include "support/command.hpp"

namespace uitweg::support {
namespace {

using namespace std::chrono_literals;

std::string ReadSourceFile(const std::string& relative) {
  std::ifstream in(std::string(UITWEG_SOURCE_DIR) + "/" + relative);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// One side of a chat through the load balancer: sends one message at a time and does not give
// up on it until it is acknowledged, reconnecting (and resending the same client_id) when its
// node goes away.
class Side {
 public:
  using Connect = std::function<core::Result<WsClient>(std::int64_t last_seq)>;
  Side(Connect connect,
       std::function<boost::json::object(const std::string&, const std::string&)> frame)
      : connect_(std::move(connect)), frame_(std::move(frame)) {}

  // Sends the message, if connected, without waiting; Finish waits for it.
  void Begin(const std::string& client_id, const std::string& body) {
    client_id_ = client_id;
    body_ = body;
    in_flight_ = ws_ && !ws_->closed() && ws_->Send(frame_(client_id_, body_)).has_value();
  }

  // The seq the message was stored under, or 0 if it could not be sent at all.
  std::int64_t Finish() {
    for (int attempt = 0; attempt < 50; ++attempt) {
      if (!in_flight_) {
        if (!ws_ || ws_->closed()) {
          auto connected = connect_(0);
          if (!connected) continue;
          ws_ = std::make_unique<WsClient>(std::move(*connected));
          ++reconnects;
        }
        in_flight_ = ws_->Send(frame_(client_id_, body_)).has_value();
        if (!in_flight_) {
          ws_.reset();
          continue;
        }
      }
      auto ack = ws_->Take("ack", 5s);
      if (ack) return Int(*ack, "seq");
      // Its node went away before the ack: send it again elsewhere, under the same client_id.
      in_flight_ = false;
      ws_.reset();
    }
    return 0;
  }

  int reconnects = 0;

 private:
  Connect connect_;
  std::function<boost::json::object(const std::string&, const std::string&)> frame_;
  std::unique_ptr<WsClient> ws_;
  std::string client_id_;
  std::string body_;
  bool in_flight_ = false;
};

class ClusterTest : public ServerTest {
 protected:
  std::string ConfigToml() const override { return ReadSourceFile("deploy/uitweg-node.toml"); }

  void SetUp() override {
    ServerTest::SetUp();
    if (HasFatalFailure()) return;
    for (auto& node : more_nodes_) {
      ASSERT_TRUE(node.UseConfig(ConfigToml()));
      auto started = node.Start();
      ASSERT_TRUE(started) << started.error().message << "\n" << node.Stderr();
    }
    // The free port is free when asked, not necessarily when haproxy binds it (another test may
    // take it between): a haproxy that stops at once is started again on another.
    std::string stopped;
    for (int attempt = 0; attempt < 5; ++attempt) {
      lb_port_ = FreeLoopbackPort();
      ASSERT_NE(lb_port_, 0);
      auto haproxy = BackgroundProgram::Start(
          "/usr/sbin/haproxy",
          {"-f", std::string(UITWEG_SOURCE_DIR) + "/deploy/haproxy/uitweg.cfg", "-db"},
          {"UITWEG_LB_BIND=127.0.0.1:" + std::to_string(lb_port_),
           "UITWEG_NODE1=127.0.0.1:" + std::to_string(server_.port()),
           "UITWEG_NODE2=127.0.0.1:" + std::to_string(more_nodes_[0].port()),
           "UITWEG_NODE3=127.0.0.1:" + std::to_string(more_nodes_[1].port()),
           "UITWEG_CHECK_INTERVAL=200ms", "UITWEG_LB_MAXCONN=4000",
           // Every client of this test comes from 127.0.0.1.
           "UITWEG_LB_CLIENT_CONNECTIONS=1000", "UITWEG_LB_CLIENT_REQUESTS=1000000"});
      ASSERT_TRUE(haproxy) << haproxy.error().message;
      haproxy_ = std::move(*haproxy);
      const auto deadline = std::chrono::steady_clock::now() + 20s;
      while (std::chrono::steady_clock::now() < deadline && !haproxy_->Exited()) {
        auto health = HttpGet(lb_port_, "/healthz");
        if (health && health->status == 200) return;
        std::this_thread::sleep_for(50ms);
      }
      if (!haproxy_->Exited()) FAIL() << "the load balancer never answered\n" << haproxy_->Output();
      stopped = haproxy_->Output();
    }
    FAIL() << "haproxy stopped:\n" << stopped;
  }

  void TearDown() override {
    haproxy_.reset();
    for (auto& node : more_nodes_) {
      if (node.running()) (void)node.Stop();
      ExpectNoSecretsIn(node);
    }
    ServerTest::TearDown();
  }

  ServerProcess& Node(int index) { return index == 0 ? server_ : more_nodes_[index - 1]; }

  std::array<ServerProcess, 2> more_nodes_;
  std::unique_ptr<BackgroundProgram> haproxy_;
  std::uint16_t lb_port_ = 0;
};

int KillCycles() {
  if (const char* cycles = std::getenv("UITWEG_KILL_CYCLES")) return std::atoi(cycles);
  return 200;
}

// One client starts chats through the load balancer as fast as it can: each node counts only
// its own, so the balancer counts across them and refuses what is past a minute's share; the
// shared queue is not filled by one client.
TEST_F(ClusterTest, OneClientStartsNoMoreChatsAcrossTheNodesThanTheBalancerAllows) {
  int started = 0;
  int refused = 0;
  for (int i = 0; i < 40; ++i) {
    auto answer = HttpPostJson(lb_port_, "/api/v1/visitor/conversations",
                               boost::json::object{{"nickname", "Sam"}, {"subject", "self"}});
    ASSERT_TRUE(answer) << answer.error().message;
    if (answer->status == 201) {
      ++started;
    } else {
      ASSERT_EQ(answer->status, 429) << answer->body;
      ++refused;
    }
  }
  EXPECT_EQ(started, 30);
  EXPECT_EQ(refused, 10);
  auto left = HttpPostJson(lb_port_, "/api/v1/visitor/messages",
                           boost::json::object{{"body", "Kan iemand me bellen?"}});
  ASSERT_TRUE(left);
  EXPECT_EQ(left->status, 429) << "a message left counts as a start";
}

TEST_F(ClusterTest, KillingRandomNodesUnderTrafficLosesAndDoublesNothing) {
  constexpr int kChats = 3;
  struct Chat {
    std::string id;
    std::string token;
    std::unique_ptr<Side> visitor;
    std::unique_ptr<Side> counsellor;
    std::map<std::int64_t, std::string> acked;  // seq -> body
  };
  std::vector<Chat> chats(kChats);
  std::vector<StaffSession> sessions;
  for (int c = 0; c < kChats; ++c) {
    auto started = StartConversation(lb_port_, "Sam");
    ASSERT_TRUE(started) << started.error().message;
    chats[c].id = started->conversation_id;
    chats[c].token = started->resume_token;
    Secret(started->resume_token);
    const std::string username = "counsellor" + std::to_string(c);
    ASSERT_TRUE(AddStaff(server_.data_dir().string(), username, "correct horse battery"));
    auto session = SignIn(lb_port_, username, "correct horse battery");
    ASSERT_TRUE(session) << session.error().message;
    auto staff = ConnectStaff(lb_port_, *session);
    ASSERT_TRUE(staff) << staff.error().message;
    ASSERT_TRUE(staff->Send(StaffAccept(chats[c].id)));
    ASSERT_TRUE(staff->Take("assigned", 10s));
    sessions.push_back(*session);
  }
  for (int c = 0; c < kChats; ++c) {
    Chat& chat = chats[c];
    chat.visitor = std::make_unique<Side>(
        [this, token = chat.token](std::int64_t) { return ConnectVisitor(lb_port_, token, 0); },
        [](const std::string& client_id, const std::string& body) {
          return VisitorSend(client_id, body);
        });
    chat.counsellor = std::make_unique<Side>(
        [this, session = sessions[c]](std::int64_t) { return ConnectStaff(lb_port_, session); },
        [id = chat.id](const std::string& client_id, const std::string& body) {
          return StaffSend(id, client_id, body);
        });
  }

  std::mt19937 random(7);
  const int cycles = KillCycles();
  int failed_sends = 0;
  for (int cycle = 0; cycle < cycles; ++cycle) {
    // Every side sends; then a node dies with some of those messages in flight.
    std::map<Side*, std::string> bodies;
    for (Chat& chat : chats) {
      for (Side* side : {chat.visitor.get(), chat.counsellor.get()}) {
        bodies[side] = Body("cycle " + std::to_string(cycle));
        side->Begin((side == chat.visitor.get() ? "v-" : "c-") + std::to_string(cycle),
                    bodies[side]);
      }
    }
    const int victim = static_cast<int>(random() % 3);
    Node(victim).Kill();
    for (Chat& chat : chats) {
      for (Side* side : {chat.visitor.get(), chat.counsellor.get()}) {
        const std::string& body = bodies[side];
        const std::int64_t seq = side->Finish();
        if (seq == 0) {
          ++failed_sends;
          continue;
        }
        EXPECT_FALSE(chat.acked.contains(seq)) << "seq " << seq << " acknowledged twice";
        chat.acked[seq] = body;
      }
    }
    auto restarted = Node(victim).Restart();
    ASSERT_TRUE(restarted) << restarted.error().message << "\n" << Node(victim).Stderr();
  }
  EXPECT_EQ(failed_sends, 0);

  std::size_t acknowledged = 0, lost = 0, duplicated = 0;
  int reconnects = 0;
  for (int c = 0; c < kChats; ++c) {
    Chat& chat = chats[c];
    reconnects += chat.visitor->reconnects + chat.counsellor->reconnects;
    acknowledged += chat.acked.size();
    // Both sides read the whole conversation back, through the load balancer.
    auto visitor = ConnectVisitor(lb_port_, chat.token, 0);
    ASSERT_TRUE(visitor) << visitor.error().message;
    auto staff = ConnectStaff(lb_port_, sessions[c]);
    ASSERT_TRUE(staff) << staff.error().message;
    ASSERT_TRUE(
        staff->Send({{"type", "subscribe"}, {"conversation_id", chat.id}, {"last_seq", 0}}));
    for (WsClient* reader : {&*visitor, &*staff}) {
      const std::int64_t last = chat.acked.empty() ? 1 : chat.acked.rbegin()->first;
      std::map<std::int64_t, std::string> read;
      std::int64_t previous = 0;
      while (previous < last) {
        auto message = NextMessage(*reader, 10s);
        if (!message.contains("seq")) break;
        const std::int64_t seq = Int(message, "seq");
        EXPECT_EQ(seq, previous + 1) << "out of order or a gap";
        if (read.contains(seq)) ++duplicated;
        read[seq] = Str(message, "kind") == "text" ? Str(message, "body") : std::string();
        previous = seq;
      }
      for (const auto& [seq, body] : chat.acked) {
        auto found = read.find(seq);
        if (found == read.end() || found->second != body) ++lost;
      }
    }
  }
  std::cout << "kill cycles " << cycles << ", messages acknowledged " << acknowledged << ", lost "
            << lost << ", duplicated " << duplicated << ", reconnects " << reconnects << "\n";
  EXPECT_EQ(lost, 0u);
  EXPECT_EQ(duplicated, 0u);
  EXPECT_EQ(acknowledged, static_cast<std::size_t>(cycles) * kChats * 2);
}

}  // namespace
}  // namespace uitweg::support
