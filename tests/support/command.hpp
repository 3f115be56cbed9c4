#pragma once
// Child processes for tests and their tools: a short-lived program run to its end (RunProgram),
// and the pieces a harness that keeps a child running (ServerProcess, PostgresServer) shares.
//
// Thread affinity: none; RunProgram blocks the calling thread until the program ends.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
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

// argv for execv: `binary` then `args`; the strings must outlive the call.
std::vector<char*> Argv(const std::string& binary, const std::vector<std::string>& args);
// In the child after fork: becomes `run_as` if given, arranges to die with the parent, then
// execs argv (or exits 127). Only async-signal-safe calls happen in between.
[[noreturn]] void ExecChild(const std::vector<char*>& argv,
                            const std::optional<RunAs>& run_as = std::nullopt);
// What waitpid's status says: the exit code, or 128 + the signal that ended it.
int ExitCodeOf(int status);
// An internal error naming `what` and errno's text.
core::Error Errno(std::string_view what);

}  // namespace uitweg::support
