// Admission control through the real server: the queue's cap, connections per address and per
// conversation, visitors' message limits, a long replay on one connection, visitors hanging up
// at once, running out of file descriptors, and sockets that send what a browser never would.

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <thread>

#include <poll.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/write.hpp>

#include "integration/server_test.hpp"
#include "net/listener.hpp"

namespace uitweg::support {
namespace {

namespace asio = boost::asio;

// TCP connections that are opened and then say nothing.
class SilentConnections {
 public:
  // Opens up to `count`; returns how many connected.
  std::size_t Open(std::uint16_t port, std::size_t count) {
    for (std::size_t i = 0; i < count; ++i) {
      asio::ip::tcp::socket socket(io_);
      boost::system::error_code ec;
      socket.connect({asio::ip::make_address("127.0.0.1"), port}, ec);
      if (ec) break;
      sockets_.push_back(std::move(socket));
    }
    return sockets_.size();
  }
  void CloseAll() { sockets_.clear(); }
  // How many the server has answered and closed, or closed: read without waiting to their end.
  std::size_t Ended() {
    std::size_t ended = 0;
    for (std::size_t i = 0; i < sockets_.size(); ++i) {
      if (i < ended_.size() && ended_[i]) {
        ++ended;
        continue;
      }
      ended_.resize(sockets_.size(), false);
      boost::system::error_code ec;
      sockets_[i].non_blocking(true, ec);
      char discard[1024];
      while (!ec) sockets_[i].read_some(asio::buffer(discard), ec);
      if (ec != asio::error::would_block) {
        ended_[i] = true;
        ++ended;
      }
    }
    return ended;
  }

 private:
  asio::io_context io_;
  std::vector<asio::ip::tcp::socket> sockets_;
  std::vector<bool> ended_;
};

// A WebSocket spoken byte by byte, for frames a browser never sends. It reads only when asked,
// through a small receive buffer, so what the server sends meanwhile backs up on the server.
class RawWebSocket {
 public:
  struct Frame {
    int opcode = 0;
    std::string payload;
  };

  core::Status Connect(std::uint16_t port) {
    boost::system::error_code ec;
    socket_.open(asio::ip::tcp::v4(), ec);
    socket_.set_option(asio::socket_base::receive_buffer_size(4096), ec);
    socket_.connect({asio::ip::make_address("127.0.0.1"), port}, ec);
    if (ec) return core::Fail(core::Errc::unavailable, ec.message());
    Write(
        "GET /api/v1/visitor/ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
        "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
        "Sec-WebSocket-Version: 13\r\n\r\n");
    const std::size_t head =
        asio::read_until(socket_, asio::dynamic_buffer(received_), "\r\n\r\n", ec);
    if (ec || received_.rfind("HTTP/1.1 101", 0) != 0) {
      return core::Fail(core::Errc::unavailable, "no upgrade: " + received_.substr(0, 40));
    }
    received_.erase(0, head);
    return {};
  }

  // A client frame: masked, with a mask of zeros so the payload reads as itself.
  static std::string ClientFrame(int opcode, std::string_view payload) {
    std::string frame;
    frame += static_cast<char>(0x80 | opcode);
    if (payload.size() < 126) {
      frame += static_cast<char>(0x80 | payload.size());
    } else {
      frame += static_cast<char>(0x80 | 126);
      frame += static_cast<char>(payload.size() >> 8);
      frame += static_cast<char>(payload.size() & 0xFF);
    }
    frame.append(4, '\0');
    frame += payload;
    return frame;
  }

  void Write(std::string_view bytes) {
    boost::system::error_code ec;
    asio::write(socket_, asio::buffer(bytes), ec);
  }

  std::uint16_t LocalPort() const {
    boost::system::error_code ec;
    return socket_.local_endpoint(ec).port();
  }

  // `count` copies of `frame`, written ten thousand at a time.
  void WriteMany(std::string_view frame, int count) {
    constexpr int kPerWrite = 10'000;
    std::string many;
    for (int i = 0; i < kPerWrite; ++i) many += frame;
    for (int i = 0; i < count / kPerWrite; ++i) Write(many);
  }

  // Says it will send nothing more, and keeps the connection: it may still read.
  void ShutdownWrite() {
    boost::system::error_code ec;
    socket_.shutdown(asio::ip::tcp::socket::shutdown_send, ec);
  }

  // The next frame from the server; deadline_exceeded when none is whole within `timeout`.
  core::Result<Frame> Read(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      if (auto frame = Parsed()) return *frame;
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      pollfd readable{socket_.native_handle(), POLLIN, 0};
      if (left.count() <= 0 || poll(&readable, 1, static_cast<int>(left.count())) <= 0) {
        return core::Fail(core::Errc::deadline_exceeded, "no frame");
      }
      char bytes[65536];
      boost::system::error_code ec;
      const std::size_t got = socket_.read_some(asio::buffer(bytes), ec);
      if (ec) return core::Fail(core::Errc::unavailable, ec.message());
      received_.append(bytes, got);
    }
  }

 private:
  std::optional<Frame> Parsed() {
    if (received_.size() < 2) return std::nullopt;
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(received_[i]); };
    std::size_t length = byte(1) & 0x7F;
    std::size_t header = 2;
    if (length == 126) {
      if (received_.size() < 4) return std::nullopt;
      length = (byte(2) << 8) | byte(3);
      header = 4;
    } else if (length == 127) {
      if (received_.size() < 10) return std::nullopt;
      length = 0;
      for (std::size_t i = 2; i < 10; ++i) length = (length << 8) | byte(i);
      header = 10;
    }
    if (received_.size() < header + length) return std::nullopt;
    Frame frame{byte(0) & 0x0F, received_.substr(header, length)};
    received_.erase(0, header + length);
    return frame;
  }

  asio::io_context io_;
  asio::ip::tcp::socket socket_{io_};
  std::string received_;
};

// How many file descriptors a process holds open.
std::size_t OpenDescriptors(pid_t pid) {
  std::error_code ec;
  std::size_t count = 0;
  for (auto it = std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/fd", ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
    ++count;
  }
  return count;
}

// Process `pid`'s end, on `port`, of the TCP connection from `peer_port`, as /proc/net/tcp shows
// it: the socket's inode (0 once the process closed it, while the kernel lingers on with it) and
// the bytes it has yet to send. Nothing if there is no such connection.
struct ServerEnd {
  std::string inode;
  std::size_t unsent = 0;
};
std::optional<ServerEnd> ServerEndOf(pid_t pid, std::uint16_t port, std::uint16_t peer_port) {
  std::ifstream table("/proc/" + std::to_string(pid) + "/net/tcp");
  std::string line;
  std::getline(table, line);  // the heading
  std::optional<ServerEnd> found;
  while (std::getline(table, line)) {
    std::istringstream fields(line);
    std::string slot, local, remote, state, queues, timer, retransmits, uid, timeout, inode;
    fields >> slot >> local >> remote >> state >> queues >> timer >> retransmits >> uid >>
        timeout >> inode;
    const auto port_of = [](const std::string& address) {
      return std::stoul(address.substr(address.find(':') + 1), nullptr, 16);
    };
    if (port_of(local) != port || port_of(remote) != peer_port) continue;
    ServerEnd end{inode, std::stoul(queues.substr(0, queues.find(':')), nullptr, 16)};
    // A connection the process still holds before one the kernel lingers on with.
    if (!found || found->inode == "0") found = std::move(end);
  }
  return found;
}

// Whether process `pid` holds a descriptor of its end of that connection.
bool HoldsConnectionFrom(pid_t pid, std::uint16_t port, std::uint16_t peer_port) {
  const auto end = ServerEndOf(pid, port, peer_port);
  if (!end || end->inode == "0") return false;
  const std::string target = "socket:[" + end->inode + "]";
  std::error_code ec;
  for (auto it = std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/fd", ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
    if (std::filesystem::read_symlink(it->path(), ec) == target) return true;
  }
  return false;
}

// The CPU time (user + system) a process has used, from /proc.
double CpuSeconds(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  std::getline(stat, line);
  std::istringstream fields(line.substr(line.rfind(')') + 2));
  std::string field;
  long ticks = 0;
  for (int i = 3; i <= 15 && fields >> field; ++i) {
    if (i == 14 || i == 15) ticks += std::stol(field);
  }
  return static_cast<double>(ticks) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

std::size_t Count(const std::string& text, std::string_view what) {
  std::size_t count = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) {
    ++count;
  }
  return count;
}

class QueueCapTest : public ServerTest {
 protected:
  std::string ConfigToml() const override { return "[limits]\nmax_waiting = 2\n"; }
};

TEST_F(QueueCapTest, AFullQueueTurnsNewVisitorsAwayWithRetryAfter) {
  std::string first;
  for (int i = 0; i < 2; ++i) {
    auto started =
        HttpPostJson(server_.port(), "/api/v1/visitor/conversations", boost::json::object{});
    ASSERT_TRUE(started);
    ASSERT_EQ(started->status, 201) << started->body;
    Secret(Str(started->Json()->as_object(), "resume_token"));
    if (first.empty()) first = Str(started->Json()->as_object(), "conversation_id");
  }
  auto full = HttpPostJson(server_.port(), "/api/v1/visitor/conversations", boost::json::object{});
  ASSERT_TRUE(full);
  EXPECT_EQ(full->status, 503);
  EXPECT_EQ(full->ErrorCode(), "unavailable");
  EXPECT_GT(std::atoi(full->Header("Retry-After").c_str()), 0);
  // A counsellor takes one: there is room again.
  Counsellor anna = NewStaff("anna.k");
  Accept(anna, first);
  ASSERT_FALSE(HasFailure());
  auto again = HttpPostJson(server_.port(), "/api/v1/visitor/conversations", boost::json::object{});
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 201);
  Secret(Str(again->Json()->as_object(), "resume_token"));
}

class PerAddressCapTest : public ServerTest {
 protected:
  std::string ConfigToml() const override { return "[limits]\nmax_connections_per_address = 3\n"; }
};

TEST_F(PerAddressCapTest, ConnectionsFromOneAddressAreCappedWithAClearAnswer) {
  SilentConnections held;
  ASSERT_EQ(held.Open(server_.port(), 3), 3u);
  auto refused = HttpGet(server_.port(), "/healthz");
  ASSERT_TRUE(refused) << refused.error().message;
  EXPECT_EQ(refused->status, 429);
  EXPECT_EQ(refused->ErrorCode(), "resource_exhausted");
  EXPECT_EQ(refused->Header("Connection"), "close");
  EXPECT_GT(std::atoi(refused->Header("Retry-After").c_str()), 0);
  // Turned away before anything is read, the answer still carries every response's headers.
  EXPECT_EQ(refused->Header("X-Content-Type-Options"), "nosniff");
  EXPECT_NE(refused->Header("Content-Security-Policy").find("frame-ancestors 'none'"),
            std::string::npos);
  held.CloseAll();
  // The server frees the places of connections that ended; waits on that, not on time.
  for (int attempt = 0; attempt < 100; ++attempt) {
    auto served = HttpGet(server_.port(), "/healthz");
    ASSERT_TRUE(served);
    if (served->status == 200) return;
  }
  ADD_FAILURE() << "the places of closed connections were never freed";
}

// A refused connection is answered and held until it closes or for a few seconds; a flood of
// them must not hold a descriptor each, beside the caps that keep descriptors free.
TEST_F(PerAddressCapTest, AFloodOfRefusedConnectionsHoldsFewDescriptors) {
  SilentConnections held;
  ASSERT_EQ(held.Open(server_.port(), 3), 3u);
  const std::size_t before = OpenDescriptors(server_.pid());
  SilentConnections flood;
  constexpr std::size_t kFlood = 400;
  ASSERT_EQ(flood.Open(server_.port(), kFlood), kFlood);
  std::size_t most = 0;
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  while (flood.Ended() < kFlood) {
    ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "refused connections left open";
    most = std::max(most, OpenDescriptors(server_.pid()));
  }
  most = std::max(most, OpenDescriptors(server_.pid()));
  EXPECT_LE(most, before + 3 + net::Listener::kMaxRefusalsAnswering + 16)
      << "descriptors before the flood: " << before;
}

// Behind a load balancer every request comes from its address. A node told that address is a
// proxy limits each client as the proxy names it, so one client cannot use up the limits of all;
// a node not told so ignores the header, so that nobody chooses their own limit.
class ForwardedClientTest : public ServerTest {
 protected:
  std::string ConfigToml() const override {
    return std::string(trusted_ ? "trusted_proxies = [\"127.0.0.1\"]\n" : "") +
           "[limits]\nvisitor_starts_per_minute = 2\n";
  }
  unsigned StartFrom(const std::string& client) {
    auto started = HttpPostJson(server_.port(), "/api/v1/visitor/conversations",
                                boost::json::object{}, {{"X-Forwarded-For", client}});
    if (!started) {
      ADD_FAILURE() << started.error().message;
      return 0;
    }
    if (started->status == 201) Secret(Str(started->Json()->as_object(), "resume_token"));
    return started->status;
  }
  bool trusted_ = true;
};

TEST_F(ForwardedClientTest, BehindATrustedProxyEachClientHasItsOwnLimit) {
  EXPECT_EQ(StartFrom("192.0.2.1"), 201u);
  EXPECT_EQ(StartFrom("10.0.0.9, 192.0.2.1"), 201u);
  EXPECT_EQ(StartFrom("192.0.2.1"), 429u);
  // A client's own header before the proxy's does not make it another client.
  EXPECT_EQ(StartFrom("192.0.2.2, 192.0.2.1"), 429u);
  EXPECT_EQ(StartFrom("192.0.2.2"), 201u);
}

class UntrustedForwardedClientTest : public ForwardedClientTest {
 protected:
  UntrustedForwardedClientTest() { trusted_ = false; }
};

TEST_F(UntrustedForwardedClientTest, WithoutATrustedProxyTheHeaderIsIgnored) {
  EXPECT_EQ(StartFrom("192.0.2.1"), 201u);
  EXPECT_EQ(StartFrom("192.0.2.2"), 201u);
  EXPECT_EQ(StartFrom("192.0.2.3"), 429u);
}

class PerConversationCapTest : public ServerTest {
 protected:
  std::string ConfigToml() const override { return "[limits]\nsockets_per_conversation = 2\n"; }
};

TEST_F(PerConversationCapTest, AResumeTokenOpensAtMostTheAllowedSockets) {
  Visitor first = NewVisitor();
  ASSERT_FALSE(HasFailure());
  auto second = ConnectVisitor(server_.port(), first.conversation.resume_token);
  ASSERT_TRUE(second) << second.error().message;
  WsClient third;
  ASSERT_TRUE(third.Connect(server_.port(), "/api/v1/visitor/ws"));
  ASSERT_TRUE(third.Send(VisitorHello(first.conversation.resume_token, 0)));
  EXPECT_EQ(NextErrorCode(third), "resource_exhausted");
  auto closed = third.WaitClosed(5s);
  ASSERT_TRUE(closed);
  EXPECT_EQ(*closed, 1008);
  second->Close();
  for (int attempt = 0; attempt < 100; ++attempt) {
    if (ConnectVisitor(server_.port(), first.conversation.resume_token)) return;
  }
  ADD_FAILURE() << "a closed tab never freed its place";
}

class SilentSocketTest : public ServerTest {
 protected:
  std::string ConfigToml() const override {
    return "[limits]\nsockets_per_conversation = 1\nsilent_socket_seconds = 1\n";
  }
};

// A phone that lost its network leaves a socket the server still counts: once nothing has come
// from it for silent_socket_seconds, the visitor's new socket takes its place.
TEST_F(SilentSocketTest, ASocketNotHeardFromGivesWayToTheVisitorsNewOne) {
  Visitor visitor = NewVisitor();
  ASSERT_FALSE(HasFailure());
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  core::Result<WsClient> back = core::Fail(core::Errc::unavailable, "not tried");
  int refused = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    back = ConnectVisitor(server_.port(), visitor.conversation.resume_token);
    if (back) break;
    ++refused;
  }
  ASSERT_TRUE(back) << back.error().message << " after " << refused << " refusals";
  EXPECT_EQ(NextErrorCode(visitor.ws), "resource_exhausted") << "the silent one is told";
  auto closed = visitor.ws.WaitClosed(5s);
  ASSERT_TRUE(closed);
  EXPECT_EQ(*closed, 1008);
  const std::string said = Body("weer verbonden");
  ASSERT_TRUE(back->Send(VisitorSend("v-1", said)));
  ASSERT_TRUE(back->Take("ack"));
}

class MessageLimitTest : public ServerTest {
 protected:
  std::string ConfigToml() const override {
    return "[limits]\nvisitor_messages_per_minute = 3\nvisitor_messages_while_waiting = 2\n";
  }
};

TEST_F(MessageLimitTest, AWaitingVisitorSendsAFewMessagesThenWaitsForACounsellor) {
  Visitor visitor = NewVisitor();
  ASSERT_FALSE(HasFailure());
  for (const char* id : {"w-1", "w-2"}) {
    ASSERT_TRUE(visitor.ws.Send(VisitorSend(id, Body("waiting"))));
    ASSERT_TRUE(visitor.ws.Take("ack"));
  }
  ASSERT_TRUE(visitor.ws.Send(VisitorSend("w-3", Body("one too many"))));
  auto refused = visitor.ws.Take("error");
  ASSERT_TRUE(refused);
  EXPECT_EQ(Str(*refused, "code"), "resource_exhausted");
  EXPECT_EQ(Str(*refused, "ref"), "w-3");
  EXPECT_GT(Int(*refused, "retry_after"), 0);
}

TEST_F(MessageLimitTest, AVisitorSendingTooFastIsToldToWait) {
  AcceptedChat chat = NewAcceptedChat();
  ASSERT_FALSE(HasFailure());
  for (const char* id : {"a-1", "a-2", "a-3"}) {
    ASSERT_TRUE(chat.visitor.ws.Send(VisitorSend(id, Body("fast"))));
    ASSERT_TRUE(chat.visitor.ws.Take("ack"));
  }
  ASSERT_TRUE(chat.visitor.ws.Send(VisitorSend("a-4", Body("too fast"))));
  auto refused = chat.visitor.ws.Take("error");
  ASSERT_TRUE(refused);
  EXPECT_EQ(Str(*refused, "code"), "resource_exhausted");
  EXPECT_EQ(Str(*refused, "ref"), "a-4");
  ExpectStillServing(chat.visitor.ws);
}

class LongReplayTest : public ServerTest {
 protected:
  // The smallest send queue there is, so that a replay that is not paced would overflow it.
  std::string ConfigToml() const override {
    return "[limits]\nsend_queue_bytes = 65536\nvisitor_messages_per_minute = 0\n"
           "visitor_messages_while_waiting = 0\n";
  }
};

TEST_F(LongReplayTest, TenThousandEntriesReplayWholeOnOneConnection) {
  constexpr int kEntries = 10'000;
  Visitor visitor = NewVisitor();
  ASSERT_FALSE(HasFailure());
  const std::string body = Body("long");
  for (int i = 0; i < kEntries; ++i) {
    ASSERT_TRUE(visitor.ws.Send(VisitorSend("m-" + std::to_string(i), body)));
  }
  for (int i = 0; i < kEntries; ++i) ASSERT_TRUE(visitor.ws.Take("ack", 30s)) << i;
  visitor.ws.Close();

  auto resumed = ConnectVisitor(server_.port(), visitor.conversation.resume_token, 0);
  ASSERT_TRUE(resumed) << resumed.error().message;
  for (int seq = 1; seq <= kEntries; ++seq) {
    auto message = NextMessage(*resumed, 30s);
    ASSERT_EQ(Int(message, "seq"), seq);
  }
  EXPECT_FALSE(resumed->closed());
  ExpectStillServing(*resumed);
  EXPECT_EQ(server_.Stderr().find("ws.client_too_slow"), std::string::npos);
}

class HangUpTest : public ServerTest {
 protected:
  std::string ConfigToml() const override {
    return "[limits]\nmax_connections_per_address = 0\nvisitor_starts_per_minute = 1000000\n"
           "max_waiting = 1000000\n";
  }
};

// Each of these sockets ends while its hello may still be at work on a worker thread. A session
// released one reference too many (as a co_spawn capture once made it; RunOn's test is the
// deterministic guard) brought the server down here now and then, not every run.
TEST_F(HangUpTest, VisitorsWhoHangUpRightAfterWelcomeLeaveTheServerServing) {
  constexpr int kVisitors = 2000;
  for (int i = 0; i < kVisitors; ++i) {
    auto conversation = StartConversation(server_.port(), "v");
    ASSERT_TRUE(conversation) << i << ": " << conversation.error().message;
    auto socket = ConnectVisitor(server_.port(), conversation->resume_token, 0);
    ASSERT_TRUE(socket) << i << ": " << socket.error().message;
    if (i % 2 == 0) {
      socket->Close();
    } else {
      socket->Abort();
    }
  }
  Visitor last = NewVisitor();
  ASSERT_FALSE(HasFailure());
  ExpectStillServing(last.ws);
}

class PingFloodTest : public ServerTest {};

// Each ping is answered, but pongs waiting together are one: a pong weighs nothing against the
// send queue's limit, so a client that pings without reading once queued a frame per ping until
// the server ran out of memory.
TEST_F(PingFloodTest, PingsFromAClientThatDoesNotReadQueueOnePong) {
  RawWebSocket ws;
  ASSERT_TRUE(ws.Connect(server_.port()));
  constexpr int kPings = 1'000'000;
  ws.WriteMany(RawWebSocket::ClientFrame(0x9, ""), kPings);
  ws.Write(RawWebSocket::ClientFrame(0x8, "\x03\xe8"));
  int pongs = 0;
  for (;;) {
    auto frame = ws.Read(20s);
    ASSERT_TRUE(frame) << frame.error().message << " after " << pongs << " pongs";
    if (frame->opcode == 0x8) break;
    ASSERT_EQ(frame->opcode, 0xA);
    ++pongs;
  }
  Visitor visitor = NewVisitor();
  ASSERT_FALSE(HasFailure());
  ExpectStillServing(visitor.ws);
  EXPECT_GE(pongs, 1);
  EXPECT_LT(pongs, kPings / 4) << "the pongs were queued one by one";
}

class HalfClosedTest : public ServerTest {
 protected:
  // Room for everything the frames below make the server answer: it is the kernel's buffers that
  // fill, not the send queue, which would close the socket as too slow.
  std::string ConfigToml() const override { return "[limits]\nsend_queue_bytes = 67108864\n"; }
};

// A client that stops reading, makes the server answer more than the kernel's buffers hold, and
// then shuts its sending side keeps its connection open. The server's read ended there, and with
// it the sweep that times out a stalled write; a write that never finished held the descriptor
// (and the address's places) until the server stopped.
TEST_F(HalfClosedTest, APeerThatShutsItsSendingSideWithAWriteStalledIsClosed) {
  RawWebSocket ws;
  ASSERT_TRUE(ws.Connect(server_.port()));
  // Each is refused with an error frame of about 80 bytes: some 32 MB to write, eight times what
  // the kernel buffers of a common machine may hold.
  ws.WriteMany(RawWebSocket::ClientFrame(0x2, ""), 400'000);
  // The server's writes are stuck once its kernel buffer holds megabytes and no longer grows.
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  std::size_t unsent = 0;
  for (;;) {
    ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "the server's writes never stalled";
    const auto end = ServerEndOf(server_.pid(), server_.port(), ws.LocalPort());
    ASSERT_TRUE(end);
    if (end->unsent >= (1u << 20) && end->unsent == unsent) break;
    unsent = end->unsent;
    std::this_thread::sleep_for(50ms);
  }
  ASSERT_TRUE(HoldsConnectionFrom(server_.pid(), server_.port(), ws.LocalPort()));
  ws.ShutdownWrite();
  while (HoldsConnectionFrom(server_.pid(), server_.port(), ws.LocalPort())) {
    ASSERT_LT(std::chrono::steady_clock::now(), deadline)
        << "the server still holds the connection of a peer that will send nothing more";
    std::this_thread::sleep_for(10ms);
  }
  Visitor visitor = NewVisitor();
  ASSERT_FALSE(HasFailure());
  ExpectStillServing(visitor.ws);
}

class NoHelloTest : public ServerTest {
 protected:
  std::string ConfigToml() const override { return "[limits]\nread_timeout_seconds = 1\n"; }
};

// A frame whose bytes come one at a time, each well within the idle time, never to be whole:
// the socket and its buffer would be held for as long as the peer liked.
TEST_F(NoHelloTest, AFrameNotWholeWithinTheReadTimeoutEndsTheConnection) {
  auto conversation = StartConversation(server_.port(), "v");
  ASSERT_TRUE(conversation) << conversation.error().message;
  RawWebSocket ws;
  ASSERT_TRUE(ws.Connect(server_.port()));
  ws.Write(RawWebSocket::ClientFrame(
      0x1, boost::json::serialize(boost::json::object{
               {"type", "hello"}, {"resume_token", conversation->resume_token}, {"last_seq", 0}})));
  auto welcome = ws.Read(10s);
  ASSERT_TRUE(welcome) << welcome.error().message;
  // A text frame of 1000 bytes: its header, its mask, then a byte now and then.
  ws.Write(std::string("\x81\xfe\x03\xe8\0\0\0\0", 8));
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  for (;;) {
    ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "still open after 20 s";
    ws.Write("x");
    auto frame = ws.Read(200ms);
    if (!frame && frame.error().code == core::Errc::unavailable) break;
  }
}

// A binary frame is refused and is not a hello: the socket still has to say hello in time, or
// it would be held open with pings and no conversation.
TEST_F(NoHelloTest, ABinaryFrameAndPingsDoNotKeepASocketThatNeverSaidHello) {
  RawWebSocket ws;
  ASSERT_TRUE(ws.Connect(server_.port()));
  ws.Write(RawWebSocket::ClientFrame(0x2, "hello?"));
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  std::optional<RawWebSocket::Frame> close;
  while (!close && std::chrono::steady_clock::now() < deadline) {
    ws.Write(RawWebSocket::ClientFrame(0x9, "here"));
    auto frame = ws.Read(200ms);
    if (frame && frame->opcode == 0x8) close = *frame;
  }
  ASSERT_TRUE(close) << "still open after 20 s";
  ASSERT_GE(close->payload.size(), 2u);
  EXPECT_EQ((static_cast<unsigned char>(close->payload[0]) << 8) |
                static_cast<unsigned char>(close->payload[1]),
            1008);
}

class OutOfDescriptorsTest : public ServerTest {
 protected:
  void SetUp() override {
    server_.LimitOpenFiles(64);
    ServerTest::SetUp();
  }
  // Admission would refuse before the descriptors run out; lift it to reach the real limit.
  std::string ConfigToml() const override {
    return "[limits]\nmax_connections = 100000\nmax_connections_per_address = 0\n";
  }
};

TEST_F(OutOfDescriptorsTest, TheServerBacksOffInsteadOfSpinningAndServesAgainAfterwards) {
  SilentConnections flood;
  flood.Open(server_.port(), 200);
  // Past the limit the kernel still completes connections into the listen queue; each accept
  // then fails. Give the server a while in that state and measure what it spends.
  const double before = CpuSeconds(server_.pid());
  const auto start = std::chrono::steady_clock::now();
  WsClient probe;
  (void)probe.Connect(server_.port(), "/api/v1/visitor/ws", {}, 2s);
  const double spent = CpuSeconds(server_.pid()) - before;
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_LT(spent, 0.25 * elapsed) << "the server spins while out of descriptors";
  const std::string log = server_.Stderr();
  EXPECT_GE(Count(log, "net.accept_failed"), 1u);
  EXPECT_LE(Count(log, "net.accept_failed"), 2u)
      << "accept failures must be logged once per interval";
  EXPECT_LT(log.size(), 200'000u);
  flood.CloseAll();
  for (int attempt = 0; attempt < 200; ++attempt) {
    auto served = HttpGet(server_.port(), "/healthz");
    if (served && served->status == 200) return;
  }
  ADD_FAILURE() << "the server did not serve again once descriptors were free";
}

}  // namespace
}  // namespace uitweg::support
