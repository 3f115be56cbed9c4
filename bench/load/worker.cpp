#include "load/worker.hpp"

#include <algorithm>
#include <charconv>
#include <future>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json.hpp>

#include "load/socketio.hpp"

namespace uitweg::load {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace json = boost::json;
using tcp = asio::ip::tcp;
using boost::system::error_code;
using namespace std::chrono_literals;

constexpr auto kStepTimeout = 60s;

// A distinct loopback source address per visitor, so that neither ephemeral ports nor the
// server's per-address rate limit run out: 127.1.0.1, 127.1.0.2, ...
asio::ip::address_v4 SourceAddress(int global_index) {
  const unsigned n = static_cast<unsigned>(global_index);
  const unsigned c = 1 + n % 254;
  const unsigned b = (n / 254) % 256;
  const unsigned a = 1 + n / (254 * 256);
  return asio::ip::address_v4((127u << 24) | (a << 16) | (b << 8) | c);
}

std::string_view StringAt(const json::object& obj, std::string_view key) {
  const json::value* v = obj.if_contains(key);
  return v && v->is_string() ? std::string_view(v->get_string()) : std::string_view();
}

// Our client ids are "L<send time in µs>-<counter>"; both are 0 for any other id.
struct ClientId {
  std::uint64_t sent_at_us = 0;
  std::uint64_t counter = 0;
};
ClientId ParseClientId(std::string_view client_id) {
  if (client_id.size() < 4 || client_id[0] != 'L') return {};
  const char* const last = client_id.data() + client_id.size();
  ClientId id;
  const auto [dash, ec] = std::from_chars(client_id.data() + 1, last, id.sent_at_us);
  if (ec != std::errc() || dash == last || *dash != '-') return {};
  const auto [end, ec2] = std::from_chars(dash + 1, last, id.counter);
  if (ec2 != std::errc() || end != last) return {};
  return id;
}

std::string Quote(std::string_view text) {
  return json::serialize(json::string(text));
}

}  // namespace

void Progress::Fail(const std::string& why) {
  std::lock_guard lock(mu);
  if (first_failure.empty()) first_failure = why;
}

Worker::Worker(const LoadOptions& options, Target target, Progress& progress,
               std::chrono::steady_clock::time_point epoch)
    : options_(options),
      target_(std::move(target)),
      progress_(progress),
      epoch_(epoch),
      padding_(static_cast<std::size_t>(options.body_bytes), 'x'),
      work_(asio::make_work_guard(ioc_)) {}

Worker::~Worker() {
  Join();
}

void Worker::AddCounsellor(std::string session_cookie) {
  counsellors_.push_back(Counsellor{std::move(session_cookie), nullptr});
}

void Worker::AddVisitor(int global_index, int counsellor) {
  Pair pair;
  pair.global_index = global_index;
  pair.counsellor = counsellor;
  pairs_.push_back(std::move(pair));
}

void Worker::Start() {
  rate_ = options_.rate * static_cast<double>(pairs_.size()) / options_.visitors;
  asio::co_spawn(ioc_, Setup(), [this](std::exception_ptr e) {
    if (e) progress_.Fail("worker setup threw");
  });
  thread_ = std::thread([this] { ioc_.run(); });
}

void Worker::Join() {
  if (!thread_.joinable()) return;
  work_.reset();
  ioc_.stop();
  thread_.join();
  stats_.lost = static_cast<std::uint64_t>(std::count(deliveries_.begin(), deliveries_.end(), 0));
}

std::uint64_t Worker::NowUs() const {
  return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(
                                        std::chrono::steady_clock::now() - epoch_)
                                        .count());
}

asio::awaitable<void> Worker::Setup() {
  for (Counsellor& counsellor : counsellors_) co_await ConnectCounsellor(counsellor);
  const std::size_t lanes =
      std::min<std::size_t>(static_cast<std::size_t>(options_.connect_concurrency), pairs_.size());
  for (std::size_t i = 0; i < lanes; ++i) {
    asio::co_spawn(ioc_, SetupLane(), [this](std::exception_ptr e) {
      if (e) progress_.Fail("visitor setup threw");
    });
  }
}

asio::awaitable<core::Status> Worker::OpenChannel(Connection& conn, bool staff) {
  error_code ec;
  const bool socket_io = target_.protocol == Protocol::socketio;
  const char* path = socket_io ? socketio::kPath
                     : staff   ? "/api/v1/staff/ws"
                               : "/api/v1/visitor/ws";
  co_await conn.ws().async_handshake(target_.host.to_string() + ":" + std::to_string(target_.port),
                                     path, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return core::Fail(core::Errc::unavailable, ec.message());
  if (!socket_io) co_return core::Status{};
  const std::string_view ns = staff ? "/staff" : "/visitor";
  core::Status joined = co_await socketio::Join(conn.ws(), ns);
  if (joined) conn.UseSocketIo(ns);
  co_return joined;
}

asio::awaitable<void> Worker::ConnectCounsellor(Counsellor& counsellor) {
  error_code ec;
  auto token = asio::redirect_error(asio::use_awaitable, ec);
  auto conn = std::make_shared<Connection>(ioc_);
  auto& lowest = beast::get_lowest_layer(conn->ws());
  lowest.expires_after(kStepTimeout);
  co_await lowest.async_connect(tcp::endpoint(target_.host, target_.port), token);
  if (ec) {
    progress_.Fail("counsellor socket: " + ec.message());
    co_return;
  }
  conn->ws().set_option(websocket::stream_base::decorator(
      [cookie = counsellor.cookie, origin = target_.origin](websocket::request_type& req) {
        req.set(http::field::cookie, cookie);
        req.set(http::field::origin, origin);
      }));
  if (core::Status opened = co_await OpenChannel(*conn, true); !opened) {
    progress_.Fail("counsellor socket: " + opened.error().message);
    co_return;
  }
  lowest.expires_never();
  lowest.socket().set_option(tcp::no_delay(true), ec);
  conn->StartReading([this](std::string_view text) { OnCounsellorFrame(text); },
                     [this](error_code) { ++progress_.dropped; });
  conn->Send(R"({"type":"hello"})");
  counsellor.conn = std::move(conn);
  ++progress_.counsellors_ready;
}

asio::awaitable<void> Worker::SetupLane() {
  while (next_setup_ < pairs_.size()) {
    const std::size_t index = next_setup_++;
    if (!co_await SetupVisitor(index)) ++progress_.failed;
  }
}

asio::awaitable<bool> Worker::SetupVisitor(std::size_t index) {
  Pair& pair = pairs_[index];
  const std::shared_ptr<Connection>& counsellor =
      counsellors_[static_cast<std::size_t>(pair.counsellor)].conn;
  if (!counsellor) co_return false;
  error_code ec;
  auto token = asio::redirect_error(asio::use_awaitable, ec);
  const tcp::endpoint server(target_.host, target_.port);
  const tcp::endpoint source(SourceAddress(pair.global_index), 0);
  const std::string host = target_.host.to_string() + ":" + std::to_string(target_.port);

  std::string resume_token;
  {
    beast::tcp_stream stream(ioc_);
    stream.socket().open(tcp::v4(), ec);
    if (!ec) stream.socket().bind(source, ec);
    if (ec) {
      progress_.Fail("bind " + source.address().to_string() + ": " + ec.message());
      co_return false;
    }
    stream.expires_after(kStepTimeout);
    co_await stream.async_connect(server, token);
    http::request<http::string_body> req{http::verb::post, "/api/v1/visitor/conversations", 11};
    req.set(http::field::host, host);
    req.set(http::field::content_type, "application/json");
    req.body() = R"({"nickname":"load","subject":"self"})";
    req.prepare_payload();
    if (!ec) co_await http::async_write(stream, req, token);
    beast::flat_buffer buffer;
    http::response<http::string_body> res;
    if (!ec) co_await http::async_read(stream, buffer, res, token);
    if (ec || res.result_int() != 201) {
      progress_.Fail(ec ? "start conversation: " + ec.message()
                        : "start conversation answered " + std::to_string(res.result_int()) + " " +
                              res.body());
      co_return false;
    }
    error_code parse_ec;
    json::value body = json::parse(res.body(), parse_ec);
    if (parse_ec || !body.is_object()) co_return false;
    pair.conversation_id = std::string(StringAt(body.get_object(), "conversation_id"));
    resume_token = std::string(StringAt(body.get_object(), "resume_token"));
    stream.socket().shutdown(tcp::socket::shutdown_both, ec);
  }

  auto conn = std::make_shared<Connection>(ioc_);
  auto& lowest = beast::get_lowest_layer(conn->ws());
  lowest.socket().open(tcp::v4(), ec);
  if (!ec) lowest.socket().bind(source, ec);
  lowest.expires_after(kStepTimeout);
  if (!ec) co_await lowest.async_connect(server, token);
  if (ec) {
    progress_.Fail("visitor socket: " + ec.message());
    co_return false;
  }
  if (core::Status opened = co_await OpenChannel(*conn, false); !opened) {
    progress_.Fail("visitor socket: " + opened.error().message);
    co_return false;
  }
  lowest.expires_never();
  // Small frames must not wait for Nagle's algorithm, or latency measures the client.
  lowest.socket().set_option(tcp::no_delay(true), ec);
  pair_by_conversation_[pair.conversation_id] = index;
  pair.ready_signal = std::make_unique<asio::steady_timer>(ioc_, kStepTimeout);
  pair.visitor = conn;
  conn->StartReading([this, index](std::string_view text) { OnVisitorFrame(index, text); },
                     [this, index](error_code) {
                       Pair& p = pairs_[index];
                       if (p.ready) {
                         ++progress_.dropped;
                       } else {
                         p.ready_signal->cancel();
                       }
                     });
  conn->Send(R"({"type":"hello","resume_token":)" + Quote(resume_token) + R"(,"last_seq":0})");
  counsellor->Send(R"({"type":"accept","conversation_id":)" + Quote(pair.conversation_id) + "}");
  co_await pair.ready_signal->async_wait(token);
  if (!pair.ready) {
    // The timer is cancelled early only when the visitor's socket ends.
    progress_.Fail(ec == asio::error::operation_aborted
                       ? "the visitor socket closed before the chat was accepted"
                       : "a conversation was not accepted in time");
  }
  co_return pair.ready;
}

void Worker::OnVisitorFrame(std::size_t index, std::string_view text) {
  error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return;
  const json::object& frame = v.get_object();
  const std::string_view type = StringAt(frame, "type");
  Pair& pair = pairs_[index];
  if (type == "message") {
    const json::value* m = frame.if_contains("message");
    if (!m || !m->is_object()) return;
    const std::string_view kind = StringAt(m->get_object(), "kind");
    if (kind == "accepted" && !pair.ready) {
      pair.ready = true;
      ++progress_.visitors_ready;
      pair.ready_signal->cancel();
    } else if (kind == "text" && StringAt(m->get_object(), "sender") == "counsellor") {
      OnDelivered(StringAt(m->get_object(), "client_id"));
    }
  } else if (type == "ack") {
    const json::value* dup = frame.if_contains("duplicate");
    const bool duplicate = dup && dup->is_bool() && dup->get_bool();
    OnAck(StringAt(frame, "client_id"), duplicate, false);
    if (options_.saturate && sending_ && !duplicate) SendFromVisitor(pair, NowUs());
  } else if (type == "error") {
    if (stats_.error_frames++ == 0) stats_.first_error_frame = std::string(text);
  }
}

void Worker::OnCounsellorFrame(std::string_view text) {
  // Queue frames (the whole waiting queue, to every counsellor at every change) are not used
  // here; during set-up with many counsellors they are most of what arrives. Both uitweg and
  // the relays write "type" first.
  if (text.starts_with(R"({"type":"queue")")) return;
  error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return;
  const json::object& frame = v.get_object();
  const std::string_view type = StringAt(frame, "type");
  if (type == "message") {
    const json::value* m = frame.if_contains("message");
    if (m && m->is_object() && StringAt(m->get_object(), "kind") == "text" &&
        StringAt(m->get_object(), "sender") == "visitor") {
      OnDelivered(StringAt(m->get_object(), "client_id"));
    }
  } else if (type == "ack") {
    const json::value* dup = frame.if_contains("duplicate");
    const bool duplicate = dup && dup->is_bool() && dup->get_bool();
    OnAck(StringAt(frame, "client_id"), duplicate, true);
    if (options_.saturate && sending_ && !duplicate) {
      const auto it = pair_by_conversation_.find(std::string(StringAt(frame, "conversation_id")));
      if (it != pair_by_conversation_.end()) SendFromCounsellor(pairs_[it->second], NowUs());
    }
  } else if (type == "error") {
    if (stats_.error_frames++ == 0) stats_.first_error_frame = std::string(text);
  }
}

void Worker::OnAck(std::string_view client_id, bool duplicate, bool counsellor) {
  const std::uint64_t sent_at = ParseClientId(client_id).sent_at_us;
  if (sent_at == 0) return;
  if (duplicate) {
    ++stats_.duplicate_acks;
    return;
  }
  ++stats_.acked;
  progress_.acked.fetch_add(1, std::memory_order_relaxed);
  (counsellor ? stats_.counsellor_ack_us : stats_.ack_us)
      .push_back(static_cast<std::uint32_t>(NowUs() - sent_at));
}

void Worker::OnDelivered(std::string_view client_id) {
  const ClientId id = ParseClientId(client_id);
  if (id.sent_at_us == 0 || id.counter == 0 || id.counter > deliveries_.size()) return;
  std::uint8_t& times = deliveries_[id.counter - 1];
  if (times < 255) ++times;
  if (times == 2) ++stats_.duplicated;
  if (times != 1) return;
  const std::uint64_t sent_at = id.sent_at_us;
  ++stats_.delivered;
  progress_.delivered.fetch_add(1, std::memory_order_relaxed);
  stats_.delivery_us.push_back(static_cast<std::uint32_t>(NowUs() - sent_at));
  stats_.delivery_second.push_back(static_cast<std::uint32_t>(
      sent_at > traffic_start_us_ ? (sent_at - traffic_start_us_) / 1'000'000 : 0));
}

std::string Worker::NextClientId(std::uint64_t due_us) {
  deliveries_.push_back(0);
  return "L" + std::to_string(due_us) + "-" + std::to_string(++counter_);
}

void Worker::SendFromVisitor(Pair& pair, std::uint64_t due_us) {
  pair.visitor->Send(R"({"type":"send","client_id":")" + NextClientId(due_us) + R"(","body":")" +
                     padding_ + "\"}");
  ++stats_.sent;
  progress_.sent.fetch_add(1, std::memory_order_relaxed);
}

void Worker::SendFromCounsellor(Pair& pair, std::uint64_t due_us) {
  counsellors_[static_cast<std::size_t>(pair.counsellor)].conn->Send(
      R"({"type":"send","conversation_id":)" + Quote(pair.conversation_id) + R"(,"client_id":")" +
      NextClientId(due_us) + R"(","body":")" + padding_ + "\"}");
  ++stats_.sent;
  progress_.sent.fetch_add(1, std::memory_order_relaxed);
}

void Worker::BeginTraffic() {
  asio::post(ioc_, [this] {
    sending_ = true;
    traffic_start_ = std::chrono::steady_clock::now();
    traffic_start_us_ = NowUs();
    if (options_.saturate) {
      for (Pair& pair : pairs_) {
        if (!pair.ready) continue;
        for (int i = 0; i < options_.window; ++i) {
          SendFromVisitor(pair, NowUs());
          SendFromCounsellor(pair, NowUs());
        }
      }
    } else {
      Tick();
    }
  });
}

void Worker::EndTraffic() {
  // Wait, so that the caller's drain starts from the final count of messages sent.
  std::promise<void> stopped;
  std::future<void> done = stopped.get_future();
  asio::post(ioc_, [this, &stopped] {
    sending_ = false;
    tick_.cancel();
    stopped.set_value();
  });
  done.wait();
}

void Worker::Tick() {
  if (!sending_ || pairs_.empty()) return;
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - traffic_start_).count();
  const auto due = static_cast<std::uint64_t>(rate_ * elapsed);
  while (scheduled_ < due) {
    ++scheduled_;
    const auto due_us = std::min(
        NowUs(), traffic_start_us_ +
                     static_cast<std::uint64_t>(static_cast<double>(scheduled_) * 1e6 / rate_));
    // Conversations take turns; within one, visitor and counsellor alternate.
    for (std::size_t tries = 0; tries < pairs_.size(); ++tries) {
      Pair& pair = pairs_[round_robin_++ % pairs_.size()];
      if (!pair.ready) continue;
      if (pair.next_from_visitor) {
        SendFromVisitor(pair, due_us);
      } else {
        SendFromCounsellor(pair, due_us);
      }
      pair.next_from_visitor = !pair.next_from_visitor;
      break;
    }
  }
  // Woken when the next message is due, not on a fixed beat: latency counts from the due time,
  // and a beat would add up to its length to every message.
  tick_.expires_at(traffic_start_ +
                   std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                       std::chrono::duration<double>(static_cast<double>(scheduled_ + 1) / rate_)));
  tick_.async_wait([this](error_code ec) {
    if (!ec) Tick();
  });
}

}  // namespace uitweg::load
