#pragma once
// Accepts TCP connections and starts an HttpSession for each on its own strand (over TLS when
// the context has a TLS context), once admission control lets it in; a connection past a cap is
// answered with a short HTTP error and closed. Such an answer holds a descriptor for up to a few
// seconds, outside the caps: past kMaxRefusalsAnswering at once, a connection past a cap is closed
// without an answer, so that a flood of refused connections cannot use up the descriptors the
// caps keep free. When accepting fails for lack of file descriptors
// (or memory), it backs off for a moment instead of spinning, and logs once per interval how often
// that happened. Lives as long as the Server; Open and Run are called from the thread that starts
// the server, Stop from any thread.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "core/error.hpp"
#include "net/session_context.hpp"

namespace uitweg::net {

// An IPv4 client of a socket listening on IPv6 ("::ffff:127.0.0.1") as the IPv4 address it is,
// so that it has one key and matches a trusted proxy written as IPv4.
boost::asio::ip::address Unmapped(const boost::asio::ip::address& address);

class Listener {
 public:
  static constexpr std::chrono::milliseconds kAcceptBackoff{100};
  static constexpr std::chrono::seconds kFailureLogInterval{10};
  static constexpr int kMaxRefusalsAnswering = 64;

  Listener(boost::asio::io_context& io, const SessionContext& context);

  // Binds; port 0 picks a free port. Returns the bound port. Until Listen, a connection to it is
  // refused (a load balancer tries another node) rather than kept waiting.
  core::Result<std::uint16_t> Open(const std::string& host, std::uint16_t port);
  // Takes connections from now on (Run accepts them).
  core::Status Listen();
  boost::asio::awaitable<void> Run();
  void Stop();

 private:
  // Logs a failed accept, at most once per kFailureLogInterval, with how many were not logged.
  void NoteFailure(const boost::system::error_code& ec);
  // Runs an HttpSession on `stream` (plain or TLS) until the connection ends.
  template <class Stream>
  void Serve(Stream stream, std::string client_key, bool via_proxy, Admission::Ticket ticket);

  boost::asio::io_context& io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  const SessionContext& context_;
  std::chrono::steady_clock::time_point last_failure_log_{};
  std::int64_t unlogged_failures_ = 0;
  // Refused connections being answered; shared with the answers, which may outlive the listener.
  std::shared_ptr<std::atomic<int>> refusals_answering_ = std::make_shared<std::atomic<int>>(0);
};

}  // namespace uitweg::net
