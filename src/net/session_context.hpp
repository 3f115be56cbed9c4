#pragma once
// What every connection shares: the routes, the static files, the worker pool for blocking
// calls, admission control and the limits. Owned by Server, which outlives every session; all
// members are read-only after start-up except the pool, the open sockets and admission, which
// are thread-safe.

#include <chrono>
#include <cstddef>

#include <boost/asio/thread_pool.hpp>

#include "net/admission.hpp"
#include "net/client_key.hpp"
#include "net/open_sockets.hpp"
#include "net/router.hpp"
#include "net/static_files.hpp"

namespace uitweg::net {

struct Limits {
  std::size_t body_bytes = 16 * 1024;
  std::size_t header_bytes = 8 * 1024;
  std::size_t frame_bytes = 16 * 1024;
  std::size_t send_queue_bytes = 1024 * 1024;
  std::chrono::seconds read_timeout{15};
  // A socket silent for half this long is pinged; one silent for all of it is closed.
  std::chrono::seconds socket_idle_timeout{60};
  // Open connections in all; 0: the process's file limit less a reserve for the database,
  // logs and listening sockets.
  std::size_t max_connections = 0;
  // Open connections from one client address; 0: no cap (behind a proxy every connection comes
  // from its address).
  std::size_t max_connections_per_address = 256;
};

struct SessionContext {
  const Router& router;
  const StaticFiles& files;
  const ClientKeys& client_keys;
  boost::asio::thread_pool& workers;
  OpenSockets& sockets;
  Admission& admission;  // owned (shared) by the Server
  Limits limits;
  bool tls = false;
};

}  // namespace uitweg::net
