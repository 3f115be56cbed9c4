#pragma once
// Accepts TCP connections and starts an HttpSession for each on its own strand. Lives as long
// as the Server; Open and Run are called from the thread that starts the server, Stop from any
// thread.

#include <cstdint>
#include <string>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "core/error.hpp"
#include "net/session_context.hpp"

namespace uitweg::net {

class Listener {
 public:
  Listener(boost::asio::io_context& io, const SessionContext& context);

  // Binds and listens; port 0 picks a free port. Returns the bound port.
  core::Result<std::uint16_t> Open(const std::string& host, std::uint16_t port);
  boost::asio::awaitable<void> Run();
  void Stop();

 private:
  boost::asio::io_context& io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  const SessionContext& context_;
};

}  // namespace uitweg::net
