#include "support/command.hpp"

#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>

namespace uitweg::support {

using Clock = std::chrono::steady_clock;

int ExitCodeOf(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

std::vector<char*> Argv(const std::string& binary, const std::vector<std::string>& args) {
  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(binary.c_str()));
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  return argv;
}

[[noreturn]] void ExecChild(const std::vector<char*>& argv, const std::optional<RunAs>& run_as) {
  if (run_as) {
    // Groups first: once the uid has changed they can no longer change.
    if (setgroups(0, nullptr) != 0 || setgid(run_as->gid) != 0 || setuid(run_as->uid) != 0) {
      _exit(126);
    }
  }
  // After the change of user, which clears it.
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  execv(argv[0], argv.data());
  _exit(127);
}

core::Result<RunAs> SystemUser(const std::string& name) {
  const passwd* user = getpwnam(name.c_str());
  if (user == nullptr) return core::Fail(core::Errc::not_found, "no system user " + name);
  return RunAs{user->pw_uid, user->pw_gid};
}

core::Error Errno(std::string_view what) {
  return core::Fail(core::Errc::internal, std::string(what) + ": " + std::strerror(errno));
}

core::Result<CommandResult> RunProgram(const std::string& binary,
                                       const std::vector<std::string>& args,
                                       const std::string& stdin_text,
                                       std::chrono::milliseconds timeout,
                                       std::optional<RunAs> run_as) {
  std::array<int, 2> in{}, out{}, err{};
  if (pipe2(in.data(), O_CLOEXEC) != 0) return Errno("pipe");
  if (pipe2(out.data(), O_CLOEXEC) != 0) return Errno("pipe");
  if (pipe2(err.data(), O_CLOEXEC) != 0) return Errno("pipe");
  const std::vector<char*> argv = Argv(binary, args);
  const pid_t pid = fork();
  if (pid < 0) return Errno("fork");
  if (pid == 0) {
    dup2(in[0], 0);
    dup2(out[1], 1);
    dup2(err[1], 2);
    ExecChild(argv, run_as);
  }
  close(in[0]);
  close(out[1]);
  close(err[1]);
  signal(SIGPIPE, SIG_IGN);

  CommandResult result;
  std::size_t written = 0;
  int in_fd = in[1];
  if (stdin_text.empty()) {
    close(in_fd);
    in_fd = -1;
  }
  const auto deadline = Clock::now() + timeout;
  bool out_open = true, err_open = true, timed_out = false;
  while (out_open || err_open) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) {
      timed_out = true;
      break;
    }
    std::array<pollfd, 3> fds{{{out[0], POLLIN, 0}, {err[0], POLLIN, 0}, {in_fd, POLLOUT, 0}}};
    if (!out_open) fds[0].fd = -1;
    if (!err_open) fds[1].fd = -1;
    if (poll(fds.data(), fds.size(), static_cast<int>(left.count())) < 0 && errno != EINTR) break;
    char buf[4096];
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      const ssize_t n = read(fds[i].fd, buf, sizeof buf);
      if (n > 0) {
        (i == 0 ? result.out : result.err).append(buf, static_cast<std::size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        (i == 0 ? out_open : err_open) = false;
      }
    }
    if (in_fd >= 0 && (fds[2].revents & (POLLOUT | POLLERR | POLLHUP))) {
      const ssize_t n = write(in_fd, stdin_text.data() + written, stdin_text.size() - written);
      if (n > 0) written += static_cast<std::size_t>(n);
      if (n < 0 || written == stdin_text.size()) {
        close(in_fd);
        in_fd = -1;
      }
    }
  }
  if (in_fd >= 0) close(in_fd);
  close(out[0]);
  close(err[0]);
  if (timed_out) kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  if (timed_out) return core::Fail(core::Errc::deadline_exceeded, "command did not finish in time");
  result.exit_code = ExitCodeOf(status);
  return result;
}

}  // namespace uitweg::support
