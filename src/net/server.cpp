#include "net/server.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <exception>
#include <future>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "core/log.hpp"
#include "net/embedded_files.hpp"

namespace uitweg::net {
namespace asio = boost::asio;

namespace {

// Descriptors kept back from connections for the database, its log, the key file and the
// listening socket, so that a full house does not starve them.
constexpr std::size_t kReservedDescriptors = 256;

std::size_t ConnectionCap(std::size_t configured) {
  if (configured != 0) return configured;
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return 1 << 20;
  const auto files = static_cast<std::size_t>(limit.rlim_cur);
  return files > 2 * kReservedDescriptors ? files - kReservedDescriptors : files / 2;
}

std::vector<asio::ip::address> Addresses(const std::vector<std::string>& texts) {
  std::vector<asio::ip::address> addresses;
  for (const std::string& text : texts) {
    boost::system::error_code ec;
    const asio::ip::address address = asio::ip::make_address(text, ec);
    // Compared as the listener sees peers.
    if (!ec) addresses.push_back(Unmapped(address));
  }
  return addresses;
}

}  // namespace

Server::Server(const ServerOptions& options, const Router& router, asio::thread_pool& workers)
    : options_(options),
      io_(std::max(1, options.io_threads)),
      keep_running_(asio::make_work_guard(io_)),
      publisher_(asio::make_strand(io_)),
      files_(EmbeddedFiles(), BuildId()),
      max_connections_(ConnectionCap(options.limits.max_connections)),
      admission_(Admission::Create(max_connections_, options.limits.max_connections_per_address)),
      context_{router,
               files_,
               client_keys_,
               workers,
               sockets_,
               *admission_,
               options.limits,
               options.tls.get(),
               options.tls != nullptr,
               Addresses(options.trusted_proxies)},
      listener_(io_, context_),
      signals_(io_) {}

Server::~Server() {
  Join();
}

core::Result<std::uint16_t> Server::Listen() {
  return listener_.Open(options_.host, options_.port);
}

core::Status Server::Start() {
  UITWEG_TRY(listener_.Listen());
  // Taken over only now: during a long start (a migration, a database that answers slowly) a
  // SIGTERM ends the process at once, as an operator or systemd expects, instead of waiting
  // unanswered in a queue nobody reads yet.
  boost::system::error_code added;
  signals_.add(SIGINT, added);
  signals_.add(SIGTERM, added);
  signals_.async_wait([this](const boost::system::error_code& ec, int signal) {
    if (ec) return;
    core::Log(core::LogLevel::info, "server.stopping", {{"signal", signal}});
    RequestStop();
  });
  Every(kSweep, [this] { sockets_.SweepAll(std::chrono::steady_clock::now()); });
  asio::co_spawn(io_, listener_.Run(), [](const std::exception_ptr& error) {
    if (!error) return;
    try {
      std::rethrow_exception(error);
    } catch (const std::exception& e) {
      core::Log(core::LogLevel::error, "net.listener_threw", {{"error", e.what()}});
    }
  });
  for (int i = 0; i < std::max(1, options_.io_threads); ++i) {
    threads_.emplace_back([this] { io_.run(); });
  }
  return {};
}

void Server::RequestStop() {
  {
    std::lock_guard lock(stop_mu_);
    stop_requested_ = true;
  }
  stop_cv_.notify_all();
}

void Server::WaitForStop() {
  {
    std::unique_lock lock(stop_mu_);
    stop_cv_.wait(lock, [this] { return stop_requested_; });
  }
  std::promise<void> closing;
  asio::post(io_, [this, &closing] {
    listener_.Stop();
    boost::system::error_code ignored;
    signals_.cancel(ignored);
    for (auto& ticker : tickers_) ticker->cancel();
    core::Log(core::LogLevel::info, "server.closing_sockets",
              {{"open", static_cast<std::int64_t>(sockets_.size())}});
    sockets_.CloseAll(1001, "server stopping");
    closing.set_value();
  });
  closing.get_future().wait();
  std::this_thread::sleep_for(kDrain);
}

void Server::Join() {
  if (threads_.empty()) return;
  std::promise<void> drained;
  asio::post(publisher_, [&drained] { drained.set_value(); });
  drained.get_future().wait();
  keep_running_.reset();
  io_.stop();
  for (std::thread& thread : threads_) thread.join();
  threads_.clear();
}

core::Post Server::Publisher() {
  return [this](core::Task task) { asio::post(publisher_, std::move(task)); };
}

void Server::Every(std::chrono::milliseconds interval, std::function<void()> tick) {
  auto& timer = *tickers_.emplace_back(std::make_unique<asio::steady_timer>(publisher_));
  asio::co_spawn(
      publisher_,
      [&timer, interval, tick = std::move(tick)]() -> asio::awaitable<void> {
        for (;;) {
          timer.expires_after(interval);
          auto [ec] = co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
          if (ec) co_return;
          tick();
        }
      },
      [](const std::exception_ptr& error) {
        if (!error) return;
        try {
          std::rethrow_exception(error);
        } catch (const std::exception& e) {
          core::Log(core::LogLevel::error, "server.tick_threw", {{"error", e.what()}});
        }
      });
}

}  // namespace uitweg::net
