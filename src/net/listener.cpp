#include "net/listener.hpp"

#include <algorithm>
#include <exception>
#include <memory>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/write.hpp>

#include "core/log.hpp"
#include "net/error_status.hpp"
#include "net/http_session.hpp"
#include "net/io_errors.hpp"
#include "net/responses.hpp"

namespace uitweg::net {
namespace asio = boost::asio;
namespace beast = boost::beast;
using asio::ip::tcp;

asio::ip::address Unmapped(const asio::ip::address& address) {
  if (!address.is_v6() || !address.to_v6().is_v4_mapped()) return address;
  return asio::ip::make_address_v4(asio::ip::v4_mapped, address.to_v6());
}

namespace {

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

void LogThrown(const char* event, const std::exception_ptr& error) {
  if (!error) return;
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    core::Log(core::LogLevel::error, event, {{"error", e.what()}});
  }
}

bool OutOfResources(const boost::system::error_code& ec) {
  return ec == asio::error::no_descriptors || ec == asio::error::no_buffer_space ||
         ec == asio::error::no_memory || ec == boost::system::errc::too_many_files_open_in_system;
}

// Tells a connection past a cap why it is closed, lets it read that, then closes it. The
// request is not read: whatever it sent is drained until it closes or a short deadline.
template <class Stream>
asio::awaitable<void> TellAndDrain(Stream& stream, core::Error error, bool tls) {
  HttpResponse response =
      RawError(11, HttpStatusFor(error.code), core::ErrcName(error.code), error.message, tls);
  response.set(beast::http::field::connection, "close");
  response.set(beast::http::field::retry_after, std::to_string(error.retry_after_seconds));
  beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(2));
  auto [write_ec, written] = co_await beast::http::async_write(stream, response, kTuple);
  if (write_ec) co_return;
  beast::error_code ignored;
  beast::get_lowest_layer(stream).socket().shutdown(tcp::socket::shutdown_send, ignored);
  char sink[512];
  for (;;) {
    auto [read_ec, read] = co_await stream.async_read_some(asio::buffer(sink), kTuple);
    if (read_ec) co_return;
  }
}

// TellAndDrain on a plain connection, or over TLS after the handshake (same deadline).
asio::awaitable<void> Turn(tcp::socket socket, asio::ssl::context* tls, core::Error error) {
  if (tls != nullptr) {
    TlsStream stream(std::move(socket), *tls);
    beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(2));
    auto [ec] = co_await stream.async_handshake(asio::ssl::stream_base::server, kTuple);
    if (!ec) co_await TellAndDrain(stream, std::move(error), true);
    co_return;
  }
  beast::tcp_stream stream(std::move(socket));
  co_await TellAndDrain(stream, std::move(error), false);
}

}  // namespace

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
  if (!ec) {
    const std::uint16_t bound = acceptor_.local_endpoint(ec).port();
    if (!ec) return bound;
  }
  return core::Fail(core::Errc::unavailable,
                    "cannot listen on " + host + ":" + std::to_string(port) + ": " + ec.message());
}

core::Status Listener::Listen() {
  boost::system::error_code ec;
  acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return core::Fail(core::Errc::unavailable, "cannot listen: " + ec.message());
  return {};
}

void Listener::NoteFailure(const boost::system::error_code& ec) {
  ++unlogged_failures_;
  const auto now = std::chrono::steady_clock::now();
  if (now - last_failure_log_ < kFailureLogInterval) return;
  core::Log(core::LogLevel::warn, "net.accept_failed",
            {{"error", ec.message()}, {"failures", unlogged_failures_}});
  last_failure_log_ = now;
  unlogged_failures_ = 0;
}

asio::awaitable<void> Listener::Run() {
  asio::steady_timer backoff(io_);
  for (;;) {
    auto [ec, socket] = co_await acceptor_.async_accept(asio::make_strand(io_), kTuple);
    if (ec) {
      if (ec == asio::error::operation_aborted || !acceptor_.is_open()) co_return;
      NoteFailure(ec);
      // Out of descriptors the same accept fails again at once: give the connections we serve
      // a moment to close some, and keep serving them meanwhile.
      if (OutOfResources(ec)) {
        backoff.expires_after(kAcceptBackoff);
        co_await backoff.async_wait(kTuple);
      }
      continue;
    }
    // Frames are small: without this, Nagle holds an ack behind the frame before it until the
    // client's delayed ACK comes (up to 40 ms).
    socket.set_option(tcp::no_delay(true), ec);
    auto peer = socket.remote_endpoint(ec);
    const asio::ip::address address = Unmapped(peer.address());
    std::string client_key = context_.client_keys.KeyFor(ec ? std::string() : address.to_string());
    const bool via_proxy =
        !ec && std::find(context_.trusted_proxies.begin(), context_.trusted_proxies.end(),
                         address) != context_.trusted_proxies.end();
    core::Result<Admission::Ticket> ticket = context_.admission.Admit(client_key);
    auto executor = socket.get_executor();
    if (!ticket) {
      if (refusals_answering_->fetch_add(1) >= kMaxRefusalsAnswering) {
        refusals_answering_->fetch_sub(1);
        socket.close(ec);
        continue;
      }
      asio::co_spawn(executor, Turn(std::move(socket), context_.tls_context, ticket.error()),
                     [answering = refusals_answering_](const std::exception_ptr& error) {
                       answering->fetch_sub(1);
                       LogThrown("net.turn_threw", error);
                     });
      continue;
    }
    if (context_.tls_context != nullptr) {
      Serve(TlsStream(std::move(socket), *context_.tls_context), std::move(client_key), via_proxy,
            std::move(*ticket));
    } else {
      Serve(beast::tcp_stream(std::move(socket)), std::move(client_key), via_proxy,
            std::move(*ticket));
    }
  }
}

template <class Stream>
void Listener::Serve(Stream stream, std::string client_key, bool via_proxy,
                     Admission::Ticket ticket) {
  auto executor = stream.get_executor();
  auto session = std::make_unique<HttpSession<Stream>>(
      std::move(stream), context_, std::move(client_key), via_proxy, std::move(ticket));
  asio::co_spawn(
      executor,
      [session = std::move(session)]() -> asio::awaitable<void> { co_await session->Run(); },
      [](const std::exception_ptr& error) { LogThrown("http.session_threw", error); });
}

void Listener::Stop() {
  asio::dispatch(acceptor_.get_executor(), [this] {
    boost::system::error_code ignored;
    acceptor_.close(ignored);
  });
}

}  // namespace uitweg::net
