#pragma once
// What every connection shares: the routes, the static files, the worker pool for blocking
// calls and the limits. Owned by Server, which outlives every session; all members are
// read-only after start-up except the pool and the open sockets, which are thread-safe.

#include <chrono>
#include <cstddef>

#include <boost/asio/thread_pool.hpp>

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
  std::chrono::seconds socket_idle_timeout{30};
};

struct SessionContext {
  const Router& router;
  const StaticFiles& files;
  const ClientKeys& client_keys;
  boost::asio::thread_pool& workers;
  OpenSockets& sockets;
  Limits limits;
  bool tls = false;
};

}  // namespace uitweg::net
