#include "support/command.hpp"

#include <fcntl.h>
#include <grp.h>
#include <netinet/in.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
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

[[noreturn]] void ExecChild(const std::vector<char*>& argv, const std::optional<RunAs>& run_as,
                            char* const* envp) {
  if (run_as) {
    // Groups first: once the uid has changed they can no longer change.
    if (setgroups(0, nullptr) != 0 || setgid(run_as->gid) != 0 || setuid(run_as->uid) != 0) {
      _exit(126);
    }
  }
  // After the change of user, which clears it.
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (envp != nullptr) {
    execve(argv[0], argv.data(), envp);
  } else {
    execv(argv[0], argv.data());
  }
  _exit(127);
}

core::Result<std::unique_ptr<BackgroundProgram>> BackgroundProgram::Start(
    const std::string& binary, const std::vector<std::string>& args,
    const std::vector<std::string>& extra_env) {
  std::vector<std::string> environment(extra_env);
  for (char** variable = environ; *variable != nullptr; ++variable) {
    environment.emplace_back(*variable);
  }
  std::vector<char*> envp;
  for (std::string& variable : environment) envp.push_back(variable.data());
  envp.push_back(nullptr);
  const std::vector<char*> argv = Argv(binary, args);
  std::array<int, 2> output{};
  if (pipe2(output.data(), O_CLOEXEC) != 0) return Errno("pipe");
  const pid_t pid = fork();
  if (pid < 0) return Errno("fork");
  if (pid == 0) {
    const int null_fd = open("/dev/null", O_RDONLY);
    dup2(null_fd, 0);
    dup2(output[1], 1);
    dup2(output[1], 2);
    ExecChild(argv, std::nullopt, envp.data());
  }
  close(output[1]);
  return std::unique_ptr<BackgroundProgram>(new BackgroundProgram(pid, output[0]));
}

BackgroundProgram::BackgroundProgram(pid_t pid, int output) : pid_(pid) {
  reader_ = std::thread([this, output] {
    char buffer[4096];
    for (;;) {
      const ssize_t n = read(output, buffer, sizeof buffer);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      std::lock_guard lock(mu_);
      output_.append(buffer, static_cast<std::size_t>(n));
    }
    close(output);
  });
}

BackgroundProgram::~BackgroundProgram() {
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
  if (reader_.joinable()) reader_.join();
}

std::string BackgroundProgram::Output() const {
  std::lock_guard lock(mu_);
  return output_;
}

bool BackgroundProgram::Exited() {
  if (pid_ <= 0) return true;
  if (waitpid(pid_, nullptr, WNOHANG) == pid_) pid_ = -1;
  return pid_ <= 0;
}

void BackgroundProgram::Signal(int signal) {
  if (!Exited()) kill(pid_, signal);
}

std::uint16_t FreeLoopbackPort() {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return 0;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  std::uint16_t port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
    port = ntohs(address.sin_port);
  }
  close(fd);
  return port;
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
