#include "load/relay_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <string_view>
#include <thread>
#include <vector>

extern char** environ;

namespace uitweg::load {
namespace {

using SteadyClock = std::chrono::steady_clock;

core::Error Errno(const std::string& what, int error) {
  return core::Fail(core::Errc::internal, what + ": " + std::strerror(error));
}

int ExitCodeOf(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

}  // namespace

core::Result<std::unique_ptr<RelayProcess>> RelayProcess::Start(const std::string& node,
                                                                const std::string& script,
                                                                std::chrono::milliseconds timeout) {
  if (access(script.c_str(), R_OK) != 0)
    return core::Fail(core::Errc::not_found, "no relay at " + script);
  int out[2];
  if (pipe2(out, O_CLOEXEC) != 0) return Errno("pipe", errno);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  std::vector<std::string> args{node, script, "--port", "0"};
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  pid_t pid = -1;
  const int spawned = posix_spawnp(&pid, node.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(out[1]);
  if (spawned != 0) {
    close(out[0]);
    return Errno("cannot run " + node, spawned);
  }
  std::unique_ptr<RelayProcess> relay(new RelayProcess(pid, out[0]));

  // Read up to the first newline; it must say `listening PORT`.
  std::string line;
  const auto deadline = SteadyClock::now() + timeout;
  while (line.find('\n') == std::string::npos) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - SteadyClock::now());
    if (left.count() <= 0)
      return core::Fail(core::Errc::deadline_exceeded, script + " did not say listening in time");
    pollfd p{relay->stdout_fd_, POLLIN, 0};
    const int ready = poll(&p, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) continue;
    char buf[256];
    const ssize_t n = read(relay->stdout_fd_, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return core::Fail(core::Errc::unavailable, script + " exited before listening");
    line.append(buf, static_cast<std::size_t>(n));
  }
  line.resize(line.find('\n'));
  constexpr std::string_view kListening = "listening ";
  unsigned port = 0;
  const char* first = line.data() + std::min(line.size(), kListening.size());
  const auto [end, ec] = std::from_chars(first, line.data() + line.size(), port);
  if (!line.starts_with(kListening) || ec != std::errc() || port == 0 || port > 65535) {
    return core::Fail(core::Errc::internal, script + " said '" + line + "', not 'listening PORT'");
  }
  relay->port_ = static_cast<std::uint16_t>(port);
  return relay;
}

RelayProcess::~RelayProcess() {
  if (pid_ > 0) Kill();
  if (stdout_fd_ >= 0) close(stdout_fd_);
}

void RelayProcess::Kill() {
  kill(pid_, SIGKILL);
  int status = 0;
  while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  pid_ = -1;
}

core::Result<int> RelayProcess::Stop(std::chrono::milliseconds grace) {
  if (pid_ <= 0) return core::Fail(core::Errc::failed_precondition, "relay not running");
  kill(pid_, SIGTERM);
  const auto deadline = SteadyClock::now() + grace;
  int status = 0;
  for (;;) {
    const pid_t done = waitpid(pid_, &status, WNOHANG);
    if (done == pid_) break;
    if (done < 0 && errno != EINTR) return Errno("waitpid", errno);
    if (SteadyClock::now() > deadline) {
      Kill();
      return core::Fail(core::Errc::deadline_exceeded, "relay ignored SIGTERM; killed");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  pid_ = -1;
  return ExitCodeOf(status);
}

}  // namespace uitweg::load
