#pragma once
// The HTTP + WebSocket server: an io_context run by N I/O threads, one listener, and the
// signal handling that stops it (SIGINT, SIGTERM). Blocking work goes to the worker pool the
// caller owns. Construct, Listen, then Run on the main thread; Stop may come from any thread.

#include <cstdint>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>

#include "core/error.hpp"
#include "net/client_key.hpp"
#include "net/listener.hpp"
#include "net/router.hpp"
#include "net/session_context.hpp"
#include "net/static_files.hpp"

namespace uitweg::net {

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;
  int io_threads = 2;
  Limits limits;
};

class Server {
 public:
  Server(const ServerOptions& options, const Router& router, boost::asio::thread_pool& workers);

  // Binds; returns the port (useful with port 0).
  core::Result<std::uint16_t> Listen();
  // Serves until Stop() or a signal; returns when every I/O thread has finished.
  void Run();
  // Stops accepting, asks every WebSocket client to reconnect elsewhere (1001), gives them
  // `kDrain` to get the close frame, then ends the I/O threads.
  void Stop();

  static constexpr std::chrono::milliseconds kDrain{500};

 private:
  ServerOptions options_;
  boost::asio::io_context io_;
  StaticFiles files_;
  ClientKeys client_keys_;
  OpenSockets sockets_;
  SessionContext context_;
  Listener listener_;
  boost::asio::signal_set signals_;
  boost::asio::steady_timer drain_;
};

}  // namespace uitweg::net
