#pragma once
// The limits of the network layer ([limits] in the configuration, docs/operations.md): sizes,
// timeouts and connection caps. A plain struct, so that the configuration can fill it in
// without the rest of net/.

#include <chrono>
#include <cstddef>

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

}  // namespace uitweg::net
