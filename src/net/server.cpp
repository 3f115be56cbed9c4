#include "net/server.hpp"

#include <exception>
#include <thread>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>

#include "core/log.hpp"
#include "net/embedded_files.hpp"

namespace uitweg::net {
namespace asio = boost::asio;

Server::Server(const ServerOptions& options, const Router& router, asio::thread_pool& workers)
    : options_(options),
      io_(options.io_threads),
      files_(EmbeddedFiles()),
      context_{router, files_, client_keys_, workers, sockets_, options.limits},
      listener_(io_, context_),
      signals_(io_, SIGINT, SIGTERM),
      drain_(io_) {}

core::Result<std::uint16_t> Server::Listen() { return listener_.Open(options_.host, options_.port); }

void Server::Run() {
  signals_.async_wait([this](const boost::system::error_code& ec, int signal) {
    if (ec) return;
    core::Log(core::LogLevel::info, "server.stopping", {{"signal", signal}});
    Stop();
  });
  asio::co_spawn(io_, listener_.Run(), [](const std::exception_ptr& error) {
    if (!error) return;
    try {
      std::rethrow_exception(error);
    } catch (const std::exception& e) {
      core::Log(core::LogLevel::error, "net.listener_threw", {{"error", e.what()}});
    }
  });
  std::vector<std::thread> threads;
  for (int i = 1; i < options_.io_threads; ++i) threads.emplace_back([this] { io_.run(); });
  io_.run();
  for (std::thread& thread : threads) thread.join();
}

void Server::Stop() {
  asio::post(io_, [this] {
    listener_.Stop();
    core::Log(core::LogLevel::info, "server.closing_sockets",
              {{"open", static_cast<std::int64_t>(sockets_.size())}});
    sockets_.CloseAll(1001, "server stopping");
    drain_.expires_after(kDrain);
    drain_.async_wait([this](const boost::system::error_code&) { io_.stop(); });
  });
}

}  // namespace uitweg::net
