#pragma once
// One load-generator thread: an io_context, the counsellors and visitor conversations that live
// on it, the traffic schedule and the figures it measured. Every conversation has its visitor
// and its counsellor on the same worker, so no frame handler ever crosses threads.
//
// Lifetime: construct, add counsellors and visitors, Start(); BeginTraffic() and EndTraffic()
// may be called from any thread but the worker's own; EndTraffic() returns once the worker has
// stopped sending; stats() is valid after Join().

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address_v4.hpp>
#include <boost/asio/steady_timer.hpp>

#include "core/error.hpp"
#include "load/connection.hpp"
#include "load/options.hpp"

namespace uitweg::load {

// How frames travel: as WebSocket text frames on Uitweg's two paths (Uitweg, the ws relay), or
// as Socket.IO events on /socket.io/ in the namespaces /visitor and /staff (socketio.hpp).
enum class Protocol { uitweg, socketio };

// The server under load.
struct Target {
  boost::asio::ip::address_v4 host;
  std::uint16_t port = 0;
  std::string origin;  // "http://HOST:PORT"
  Protocol protocol = Protocol::uitweg;
};

// Shared by the main thread and all workers.
struct Progress {
  std::atomic<int> counsellors_ready{0};
  std::atomic<int> visitors_ready{0};  // accepted and chatting
  std::atomic<int> failed{0};          // visitors or counsellors that could not be set up
  std::atomic<int> dropped{0};         // connections the server closed during the run
  std::atomic<std::uint64_t> sent{0};  // running totals, for the drain at the end
  std::atomic<std::uint64_t> acked{0};
  std::atomic<std::uint64_t> delivered{0};
  // Guarded by mu.
  std::mutex mu;
  std::string first_failure;
  void Fail(const std::string& why);
};

struct WorkerStats {
  std::uint64_t sent = 0;
  std::uint64_t acked = 0;
  std::uint64_t duplicate_acks = 0;
  std::uint64_t delivered = 0;   // messages that reached the other side (each counted once)
  std::uint64_t duplicated = 0;  // messages that reached it more than once
  std::uint64_t lost = 0;        // messages sent that never reached it (set by Join)
  std::uint64_t error_frames = 0;
  std::vector<std::uint32_t> delivery_us;  // due to be sent -> first receipt on the other side
  std::vector<std::uint32_t>
      delivery_second;                // when each of those was sent: seconds into the traffic
  std::vector<std::uint32_t> ack_us;  // due to be sent -> durable ack, visitor sends
  std::vector<std::uint32_t> counsellor_ack_us;  // the same, counsellor sends
  std::string first_error_frame;
};

class Worker {
 public:
  Worker(const LoadOptions& options, Target target, Progress& progress,
         std::chrono::steady_clock::time_point epoch);
  ~Worker();

  void AddCounsellor(std::string session_cookie);
  // `counsellor` indexes this worker's counsellors; `global_index` picks the source address.
  void AddVisitor(int global_index, int counsellor);

  void Start();
  void BeginTraffic();
  void EndTraffic();
  void Join();

  const WorkerStats& stats() const { return stats_; }

 private:
  struct Counsellor {
    std::string cookie;
    std::shared_ptr<Connection> conn;
  };
  struct Pair {
    int global_index = 0;
    int counsellor = 0;
    std::string conversation_id;
    std::shared_ptr<Connection> visitor;
    bool ready = false;
    bool next_from_visitor = true;
    std::unique_ptr<boost::asio::steady_timer> ready_signal;
  };

  boost::asio::awaitable<void> Setup();
  boost::asio::awaitable<void> ConnectCounsellor(Counsellor& counsellor);
  // The WebSocket upgrade to the staff or visitor channel (and, for Socket.IO, joining its
  // namespace) on a connected socket.
  boost::asio::awaitable<core::Status> OpenChannel(Connection& conn, bool staff);
  boost::asio::awaitable<void> SetupLane();
  boost::asio::awaitable<bool> SetupVisitor(std::size_t pair_index);
  void OnVisitorFrame(std::size_t pair_index, std::string_view text);
  void OnCounsellorFrame(std::string_view text);
  void OnAck(std::string_view client_id, bool duplicate, bool counsellor);
  void OnDelivered(std::string_view client_id);
  // `due_us`: when the message was due (NowUs's clock); latency counts from then, so that a
  // send the generator itself delayed is not left out of it.
  void SendFromVisitor(Pair& pair, std::uint64_t due_us);
  void SendFromCounsellor(Pair& pair, std::uint64_t due_us);
  std::string NextClientId(std::uint64_t due_us);
  void Tick();
  std::uint64_t NowUs() const;

  const LoadOptions& options_;
  Target target_;
  Progress& progress_;
  std::chrono::steady_clock::time_point epoch_;
  std::string padding_;

  boost::asio::io_context ioc_{1};
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  std::thread thread_;
  boost::asio::steady_timer tick_{ioc_};

  std::vector<Counsellor> counsellors_;
  std::vector<Pair> pairs_;
  std::unordered_map<std::string, std::size_t> pair_by_conversation_;
  std::size_t next_setup_ = 0;

  bool sending_ = false;
  std::chrono::steady_clock::time_point traffic_start_;
  std::uint64_t traffic_start_us_ = 0;  // the same, as NowUs()
  double rate_ = 0;                     // this worker's share, messages per second
  std::uint64_t scheduled_ = 0;
  std::size_t round_robin_ = 0;
  std::uint64_t counter_ = 0;
  // Per message sent, by the counter in its client id (1 at index 0): times it was delivered,
  // saturating at 255.
  std::vector<std::uint8_t> deliveries_;
  WorkerStats stats_;
};

}  // namespace uitweg::load
