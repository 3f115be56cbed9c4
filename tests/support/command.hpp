#pragma once
// Child processes for tests and their tools: a short-lived program run to its end (RunProgram),
// and the pieces a harness that keeps a child running (ServerProcess, PostgresServer) shares.
//
// Thread affinity: none; RunProgram blocks the calling thread until the program ends.

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "core/error.hpp"

namespace uitweg::support {

// The outcome of a short-lived program such as `uitweg user add` or `initdb`.
struct CommandResult {
  int exit_code = -1;  // the exit status, or 128 + signal number
  std::string out;
  std::string err;
};

// Another system user to run a child as: PostgreSQL refuses to run as root.
struct RunAs {
  unsigned uid = 0;
  unsigned gid = 0;
};
// The system user `name`, for RunAs; not_found if there is none.
core::Result<RunAs> SystemUser(const std::string& name);

// Runs `binary args...`, feeds `stdin_text` to its standard input, waits at most `timeout`
// (then kills it and fails with deadline_exceeded). With `run_as`, the child drops to that user
// first (the caller must be root).
core::Result<CommandResult> RunProgram(const std::string& binary,
                                       const std::vector<std::string>& args,
                                       const std::string& stdin_text = {},
                                       std::chrono::milliseconds timeout = std::chrono::seconds(30),
                                       std::optional<RunAs> run_as = std::nullopt);

// A program kept running in the background (a load balancer, say), with `extra_env`
// ("NAME=value") added to this process's environment; what it writes to stdout and stderr is
// kept. Killed (SIGKILL) and reaped on destruction.
class BackgroundProgram {
 public:
  static core::Result<std::unique_ptr<BackgroundProgram>> Start(
      const std::string& binary, const std::vector<std::string>& args,
      const std::vector<std::string>& extra_env = {});
  ~BackgroundProgram();
  BackgroundProgram(const BackgroundProgram&) = delete;
  BackgroundProgram& operator=(const BackgroundProgram&) = delete;

  std::string Output() const;
  // True once the program has ended (reaps it).
  bool Exited();
  // Sends `signal` to the program if it still runs.
  void Signal(int signal);

 private:
  BackgroundProgram(pid_t pid, int output);

  pid_t pid_;
  std::thread reader_;
  mutable std::mutex mu_;
  std::string output_;  // guarded by mu_
};

// A port that was free a moment ago on 127.0.0.1; 0 if none could be had.
std::uint16_t FreeLoopbackPort();

// argv for execv: `binary` then `args`; the strings must outlive the call.
std::vector<char*> Argv(const std::string& binary, const std::vector<std::string>& args);
// In the child after fork: becomes `run_as` if given, arranges to die with the parent, then
// execs argv (or exits 127). Only async-signal-safe calls happen in between.
[[noreturn]] void ExecChild(const std::vector<char*>& argv,
                            const std::optional<RunAs>& run_as = std::nullopt,
                            char* const* envp = nullptr);
// What waitpid's status says: the exit code, or 128 + the signal that ended it.
int ExitCodeOf(int status);
// An internal error naming `what` and errno's text.
core::Error Errno(std::string_view what);

}  // namespace uitweg::support
