#pragma once
// One HTTP/1.1 connection: reads requests one after another (keep-alive), answers static files
// on the I/O thread and API routes on the worker pool, and hands an upgrade request to a
// WebSocketSession, which then runs on its own (this session ends, and frees its buffers).
// Runs as one coroutine on the connection's own strand; owned by that coroutine. Errors end
// the connection; normal endings are not logged as failures.
//
// `Stream` is beast::tcp_stream for plain HTTP or TlsStream for HTTPS, whose handshake comes
// first, within the read timeout (both are instantiated in http_session.cpp).

#include <memory>
#include <optional>
#include <string>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include "net/admission.hpp"
#include "net/responses.hpp"
#include "net/session_context.hpp"
#include "net/tls.hpp"

namespace uitweg::net {

template <class Stream>
class HttpSession {
 public:
  // `client_key`: the peer address as a salted hash; `via_proxy`: the peer is a trusted proxy,
  // so each request is keyed by the client its X-Forwarded-For names; `ticket`: its admission.
  HttpSession(Stream stream, const SessionContext& context, std::string client_key, bool via_proxy,
              Admission::Ticket ticket);

  boost::asio::awaitable<void> Run();

 private:
  boost::asio::awaitable<HttpResponse> Answer(const HttpRequest& request);
  boost::asio::awaitable<HttpResponse> AnswerApi(const HttpRequest& request,
                                                 api::Request api_request);
  boost::asio::awaitable<void> Upgrade(HttpRequest request);
  api::Request ToApiRequest(const HttpRequest& request) const;
  // The body limit of the request whose header is `header`: the server's, or its route's
  // (api::LargeBody) when the route admits it.
  boost::asio::awaitable<std::size_t> BodyLimit(const HttpRequest& header);

  // The TLS handshake, if any; false when it failed and the connection is to end.
  boost::asio::awaitable<bool> Handshake();

  Stream stream_;
  boost::beast::flat_buffer buffer_;
  const SessionContext& context_;
  std::string client_key_;
  bool via_proxy_;
  std::optional<Admission::Ticket> ticket_;  // handed to the WebSocketSession on upgrade
};

extern template class HttpSession<boost::beast::tcp_stream>;
extern template class HttpSession<TlsStream>;

}  // namespace uitweg::net
