#include "net/listener.hpp"

#include <exception>
#include <memory>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "core/log.hpp"
#include "net/http_session.hpp"
#include "net/io_errors.hpp"

namespace uitweg::net {
namespace asio = boost::asio;
using asio::ip::tcp;

Listener::Listener(asio::io_context& io, const SessionContext& context)
    : io_(io), acceptor_(io), context_(context) {}

core::Result<std::uint16_t> Listener::Open(const std::string& host, std::uint16_t port) {
  boost::system::error_code ec;
  asio::ip::address address = asio::ip::make_address(host, ec);
  if (ec) return core::Fail(core::Errc::invalid_argument, "listen: not an IP address: " + host);
  tcp::endpoint endpoint(address, port);
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (!ec) return acceptor_.local_endpoint().port();
  return core::Fail(core::Errc::unavailable,
                    "cannot listen on " + host + ":" + std::to_string(port) + ": " + ec.message());
}

asio::awaitable<void> Listener::Run() {
  for (;;) {
    auto [ec, socket] =
        co_await acceptor_.async_accept(asio::make_strand(io_), asio::as_tuple(asio::use_awaitable));
    if (ec) {
      if (ec == asio::error::operation_aborted || !acceptor_.is_open()) co_return;
      // Out of descriptors and the like: keep serving the connections we have.
      core::Log(core::LogLevel::warn, "net.accept_failed", {{"error", ec.message()}});
      continue;
    }
    // Frames are small: without this, Nagle holds an ack behind the frame before it until the
    // client's delayed ACK comes (up to 40 ms).
    socket.set_option(asio::ip::tcp::no_delay(true), ec);
    auto executor = socket.get_executor();
    auto session = std::make_unique<HttpSession>(std::move(socket), context_);
    asio::co_spawn(
        executor,
        [session = std::move(session)]() -> asio::awaitable<void> { co_await session->Run(); },
        [](const std::exception_ptr& error) {
          if (!error) return;
          try {
            std::rethrow_exception(error);
          } catch (const std::exception& e) {
            core::Log(core::LogLevel::error, "http.session_threw", {{"error", e.what()}});
          }
        });
  }
}

void Listener::Stop() {
  asio::dispatch(acceptor_.get_executor(), [this] {
    boost::system::error_code ignored;
    acceptor_.close(ignored);
  });
}

}  // namespace uitweg::net
