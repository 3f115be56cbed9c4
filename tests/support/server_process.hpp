#pragma once
// The real `uitweg` binary run as a child process, for integration tests and the load
// generator. ServerProcess owns a fresh data directory (removed on destruction), starts
// `uitweg serve --listen 127.0.0.1:0 --data DIR` plus any extra arguments, and learns the port
// from the `server.listening` log line on stderr. Everything the server writes to stderr, over
// all its runs, is kept for assertions.
//
// Thread affinity: one test thread drives an instance; a private thread drains stderr.
// Errors: Start/Restart/Stop return values; a binary that cannot be found is an error value too.

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/error.hpp"
#include "support/command.hpp"

namespace uitweg::support {

// The binary under test: $UITWEG_BIN if set, else the path compiled in by CMake.
std::string UitwegBinary();

// RunProgram with the uitweg binary by default.
core::Result<CommandResult> RunCommand(const std::vector<std::string>& args,
                                       const std::string& stdin_text = {},
                                       std::chrono::milliseconds timeout = std::chrono::seconds(30),
                                       const std::string& binary = UitwegBinary());

class ServerProcess {
 public:
  // `extra_args` follow `serve --listen ... --data ...` on every start.
  explicit ServerProcess(std::vector<std::string> extra_args = {},
                         std::string binary = UitwegBinary());
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  // Writes `toml` to DATA_DIR/uitweg.toml and passes `--config` with it on every later start.
  // Tests run at any hour: unless `toml` sets opening_hours, the chat is always open (the
  // constructor already writes that much).
  core::Status UseConfig(const std::string& toml);
  // Starts the server with at most `files` open file descriptors (RLIMIT_NOFILE), as a machine
  // with a low `ulimit -n` would.
  void LimitOpenFiles(unsigned files) { open_files_ = files; }

  // Starts the server on a free port and waits for `server.listening` (at most `timeout`).
  core::Status Start(std::chrono::milliseconds timeout = std::chrono::seconds(20));
  // Starts it again on the same port and data directory after Stop or Kill.
  core::Status Restart(std::chrono::milliseconds timeout = std::chrono::seconds(20));
  // SIGTERM, then waits for the exit (SIGKILL after `grace`). Returns the exit code.
  core::Result<int> Stop(std::chrono::milliseconds grace = std::chrono::seconds(10));
  // SIGKILL and reap: the crash case.
  void Kill();

  bool running() const { return pid_ > 0; }
  pid_t pid() const { return pid_; }
  std::uint16_t port() const { return port_; }
  // "http://127.0.0.1:PORT", the server's own origin.
  std::string Origin() const;
  const std::filesystem::path& data_dir() const { return data_dir_; }
  // Everything written to stderr so far, over all runs.
  std::string Stderr() const;

 private:
  core::Status Launch(const std::string& listen, std::chrono::milliseconds timeout);
  void DrainStderr(int fd);
  void Reap(int options);

  std::string binary_;
  std::vector<std::string> extra_args_;
  std::filesystem::path data_dir_;
  pid_t pid_ = -1;
  std::uint16_t port_ = 0;
  unsigned open_files_ = 0;  // 0: inherit
  std::thread reader_;

  // Guarded by mu_.
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::string stderr_;
  std::size_t scanned_ = 0;  // stderr_ bytes already searched for the listening line
  std::uint16_t announced_port_ = 0;
  bool stderr_closed_ = false;
};

}  // namespace uitweg::support
