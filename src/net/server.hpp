#pragma once
// The HTTP + WebSocket server: an io_context run by N I/O threads, one listener, admission
// control, a serial executor on the I/O threads for the answers of the store (the publish
// path), periodic ticks, and the signal handling that stops it (SIGINT, SIGTERM). Blocking work
// goes to the worker pool the caller owns.
//
// Life: construct, Listen, Start (the I/O threads run from here on), WaitForStop on the main
// thread; then the caller finishes its workers and its store, whose last answers still run on
// the I/O threads, and calls Join. RequestStop may come from any thread.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>

#include "core/error.hpp"
#include "core/executor.hpp"
#include "net/admission.hpp"
#include "net/client_key.hpp"
#include "net/listener.hpp"
#include "net/router.hpp"
#include "net/session_context.hpp"
#include "net/static_files.hpp"

namespace uitweg::net {

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;
  int io_threads = 1;
  Limits limits;
  // HTTPS with this context (MakeTlsContext); plain HTTP when null.
  std::shared_ptr<boost::asio::ssl::context> tls;
  // Proxies in front (IP addresses, checked by the caller): a request that comes through one is
  // keyed by the client its last X-Forwarded-For names, not by the proxy.
  std::vector<std::string> trusted_proxies = {};
};

class Server {
 public:
  Server(const ServerOptions& options, const Router& router, boost::asio::thread_pool& workers);
  ~Server();

  // Binds; returns the port (useful with port 0). Connections are refused until Start.
  core::Result<std::uint16_t> Listen();
  // Starts listening and accepting, and the I/O threads, and returns; unavailable when the
  // socket cannot listen (then nothing was started).
  core::Status Start();
  // Blocks until a signal or RequestStop; then stops accepting, stops the ticks, asks every
  // WebSocket client to reconnect elsewhere (1001) and gives them kDrain to get the close frame.
  // The I/O threads keep running until Join.
  void WaitForStop();
  void RequestStop();
  // Runs everything posted to the publisher so far, then ends the I/O threads.
  void Join();

  // A serial executor on the I/O threads: tasks run one at a time, in the order posted.
  core::Post Publisher();
  // Runs `tick` on the publisher every `interval`, from Start until WaitForStop returns.
  void Every(std::chrono::milliseconds interval, std::function<void()> tick);
  // The salt of client keys (ClientKeys::UseSalt); before Listen.
  void UseClientKeySalt(std::string salt) { client_keys_.UseSalt(std::move(salt)); }
  // Connections the admission control lets in at once.
  std::size_t max_connections() const { return max_connections_; }

  static constexpr std::chrono::milliseconds kDrain{500};
  // How often every WebSocket checks its timeouts: a small part of the shortest of them.
  static constexpr std::chrono::milliseconds kSweep{2000};

 private:
  ServerOptions options_;
  boost::asio::io_context io_;
  // Keeps the I/O threads running between Start and Join, also when nothing is pending.
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> keep_running_;
  boost::asio::strand<boost::asio::io_context::executor_type> publisher_;
  StaticFiles files_;
  ClientKeys client_keys_;
  OpenSockets sockets_;
  const std::size_t max_connections_;
  std::shared_ptr<Admission> admission_;
  SessionContext context_;
  Listener listener_;
  boost::asio::signal_set signals_;
  std::vector<std::unique_ptr<boost::asio::steady_timer>> tickers_;
  std::vector<std::thread> threads_;
  std::mutex stop_mu_;
  std::condition_variable stop_cv_;
  bool stop_requested_ = false;  // guarded by stop_mu_
};

}  // namespace uitweg::net
