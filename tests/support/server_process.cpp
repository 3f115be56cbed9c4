#include "support/server_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>

#include <boost/json.hpp>

namespace uitweg::support {
namespace {

using Clock = std::chrono::steady_clock;

// The port of a `server.listening` line, or 0.
std::uint16_t ListeningPort(std::string_view line) {
  if (line.find("server.listening") == std::string_view::npos) return 0;
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(line, ec);
  if (ec || !v.is_object()) return 0;
  const auto& obj = v.get_object();
  const auto* event = obj.if_contains("event");
  const auto* port = obj.if_contains("port");
  if (!event || !event->is_string() || event->get_string() != "server.listening" || !port) return 0;
  if (port->is_int64()) return static_cast<std::uint16_t>(port->get_int64());
  if (port->is_string()) return static_cast<std::uint16_t>(std::atoi(port->get_string().c_str()));
  return 0;
}

}  // namespace

std::string UitwegBinary() {
  if (const char* env = std::getenv("UITWEG_BIN"); env && *env) return env;
#ifdef UITWEG_BIN
  return UITWEG_BIN;
#else
  return "uitweg";
#endif
}

core::Result<CommandResult> RunCommand(const std::vector<std::string>& args,
                                       const std::string& stdin_text,
                                       std::chrono::milliseconds timeout,
                                       const std::string& binary) {
  return RunProgram(binary, args, stdin_text, timeout);
}

ServerProcess::ServerProcess(std::vector<std::string> extra_args, std::string binary)
    : binary_(std::move(binary)), extra_args_(std::move(extra_args)) {
  std::string templ = (std::filesystem::temp_directory_path() / "uitweg-test-XXXXXX").string();
  if (mkdtemp(templ.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  data_dir_ = templ;
  if (auto configured = UseConfig(""); !configured)
    throw std::runtime_error(configured.error().message);
}

ServerProcess::~ServerProcess() {
  if (running()) Kill();
  if (reader_.joinable()) reader_.join();
  std::error_code ec;
  std::filesystem::remove_all(data_dir_, ec);
}

core::Status ServerProcess::UseConfig(const std::string& toml) {
  const std::filesystem::path file = data_dir_ / "uitweg.toml";
  std::ofstream out(file);
  if (toml.find("opening_hours") == std::string::npos) out << "opening_hours = \"always\"\n";
  out << toml;
  out.close();
  if (!out) return core::Fail(core::Errc::internal, "cannot write " + file.string());
  if (std::find(extra_args_.begin(), extra_args_.end(), "--config") == extra_args_.end()) {
    extra_args_.push_back("--config");
    extra_args_.push_back(file.string());
  }
  return {};
}

std::string ServerProcess::Origin() const {
  return "http://127.0.0.1:" + std::to_string(port_);
}

std::string ServerProcess::Stderr() const {
  std::lock_guard lock(mu_);
  return stderr_;
}

core::Status ServerProcess::Start(std::chrono::milliseconds timeout) {
  return Launch("127.0.0.1:0", timeout);
}

core::Status ServerProcess::Restart(std::chrono::milliseconds timeout) {
  if (port_ == 0) return core::Fail(core::Errc::failed_precondition, "never started");
  if (running()) return core::Fail(core::Errc::failed_precondition, "still running");
  return Launch("127.0.0.1:" + std::to_string(port_), timeout);
}

core::Status ServerProcess::Launch(const std::string& listen, std::chrono::milliseconds timeout) {
  if (running()) return core::Fail(core::Errc::failed_precondition, "already running");
  if (reader_.joinable()) reader_.join();
  if (access(binary_.c_str(), X_OK) != 0) {
    return core::Fail(core::Errc::not_found, "no executable at " + binary_);
  }
  std::vector<std::string> args{"serve", "--listen", listen, "--data", data_dir_.string()};
  args.insert(args.end(), extra_args_.begin(), extra_args_.end());
  const std::vector<char*> argv = Argv(binary_, args);

  std::array<int, 2> err{};
  if (pipe2(err.data(), O_CLOEXEC) != 0) return Errno("pipe");
  {
    std::lock_guard lock(mu_);
    scanned_ = stderr_.size();
    announced_port_ = 0;
    stderr_closed_ = false;
  }
  const pid_t pid = fork();
  if (pid < 0) return Errno("fork");
  if (pid == 0) {
    const int null_fd = open("/dev/null", O_RDONLY);
    dup2(null_fd, 0);
    dup2(err[1], 1);
    dup2(err[1], 2);
    if (open_files_ != 0) {
      const rlimit limit{open_files_, open_files_};
      setrlimit(RLIMIT_NOFILE, &limit);
    }
    ExecChild(argv);
  }
  close(err[1]);
  pid_ = pid;
  reader_ = std::thread([this, fd = err[0]] { DrainStderr(fd); });

  std::unique_lock lock(mu_);
  const bool ready =
      cv_.wait_for(lock, timeout, [this] { return announced_port_ != 0 || stderr_closed_; });
  if (announced_port_ != 0) {
    port_ = announced_port_;
    return {};
  }
  lock.unlock();
  Kill();
  return core::Fail(core::Errc::unavailable, ready ? "server exited before listening"
                                                   : "server did not announce its port in time");
}

void ServerProcess::DrainStderr(int fd) {
  char buf[8192];
  for (;;) {
    const ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    std::lock_guard lock(mu_);
    if (n <= 0) {
      stderr_closed_ = true;
      cv_.notify_all();
      break;
    }
    stderr_.append(buf, static_cast<std::size_t>(n));
    if (announced_port_ == 0) {
      std::size_t end;
      while ((end = stderr_.find('\n', scanned_)) != std::string::npos) {
        announced_port_ = ListeningPort(std::string_view(stderr_).substr(scanned_, end - scanned_));
        scanned_ = end + 1;
        if (announced_port_ != 0) {
          cv_.notify_all();
          break;
        }
      }
    }
  }
  close(fd);
}

void ServerProcess::Reap(int options) {
  int status = 0;
  if (waitpid(pid_, &status, options) == pid_) pid_ = -1;
}

void ServerProcess::Kill() {
  if (!running()) return;
  kill(pid_, SIGKILL);
  Reap(0);
  if (reader_.joinable()) reader_.join();
}

core::Result<int> ServerProcess::Stop(std::chrono::milliseconds grace) {
  if (!running()) return core::Fail(core::Errc::failed_precondition, "not running");
  kill(pid_, SIGTERM);
  const auto deadline = Clock::now() + grace;
  while (Clock::now() < deadline) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      if (reader_.joinable()) reader_.join();
      return ExitCodeOf(status);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  Kill();
  return core::Fail(core::Errc::deadline_exceeded, "server ignored SIGTERM; killed");
}

}  // namespace uitweg::support
