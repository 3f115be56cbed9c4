#pragma once
// A peer relay of bench/peers run as a child process: `NODE SCRIPT --port 0`, whose first line
// on stdout is `listening PORT`. Its stderr is this program's stderr; its stdout pipe stays open
// (unread) until it stops. The destructor kills a relay still running.
//
// Thread affinity: one thread starts, queries and stops an instance.
// Errors: Start and Stop return values (a missing node binary shows as an exit before listening).

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "core/error.hpp"

namespace uitweg::load {

class RelayProcess {
 public:
  // Spawns the relay and waits at most `timeout` for its `listening PORT` line.
  static core::Result<std::unique_ptr<RelayProcess>> Start(
      const std::string& node, const std::string& script,
      std::chrono::milliseconds timeout = std::chrono::seconds(20));
  ~RelayProcess();
  RelayProcess(const RelayProcess&) = delete;
  RelayProcess& operator=(const RelayProcess&) = delete;

  pid_t pid() const { return pid_; }
  std::uint16_t port() const { return port_; }

  // SIGTERM, then waits for the exit (SIGKILL after `grace`). Returns the exit code.
  core::Result<int> Stop(std::chrono::milliseconds grace = std::chrono::seconds(10));

 private:
  RelayProcess(pid_t pid, int stdout_fd) : pid_(pid), stdout_fd_(stdout_fd) {}
  void Kill();

  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  std::uint16_t port_ = 0;
};

}  // namespace uitweg::load
