#include "net/http_session.hpp"

#include <algorithm>
#include <chrono>
#include <exception>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <boost/range/iterator_range.hpp>

#include "core/log.hpp"
#include "net/io_errors.hpp"
#include "net/request_fields.hpp"
#include "net/run_on.hpp"
#include "net/websocket_handshake.hpp"
#include "net/websocket_session.hpp"

namespace uitweg::net {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

namespace {

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);
// Bytes a second that a large body (api::LargeBody) may arrive at, however slow the uplink.
constexpr std::size_t kSlowBody = 64 * 1024;

}  // namespace

template <class Stream>
HttpSession<Stream>::HttpSession(Stream stream, const SessionContext& context,
                                 std::string client_key, bool via_proxy, Admission::Ticket ticket)
    : stream_(std::move(stream)),
      context_(context),
      client_key_(std::move(client_key)),
      via_proxy_(via_proxy),
      ticket_(std::move(ticket)) {}

template <class Stream>
asio::awaitable<bool> HttpSession<Stream>::Handshake() {
  if constexpr (std::is_same_v<Stream, TlsStream>) {
    beast::get_lowest_layer(stream_).expires_after(context_.limits.read_timeout);
    auto [ec] = co_await stream_.async_handshake(asio::ssl::stream_base::server, kTuple);
    if (ec) {
      // Scanners and clients that distrust the certificate end here; nothing to alarm anyone.
      core::Log(core::LogLevel::debug, "tls.handshake_failed", {{"error", ec.message()}});
      co_return false;
    }
  }
  co_return true;
}

template <class Stream>
asio::awaitable<void> HttpSession<Stream>::Run() {
  if (!co_await Handshake()) {
    beast::error_code ignored;
    beast::get_lowest_layer(stream_).socket().close(ignored);
    co_return;
  }
  for (;;) {
    http::request_parser<http::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(context_.limits.header_bytes));
    // Beast checks a declared length while it reads the header, so the header is read under the
    // largest limit of any route, and the body under its own route's.
    parser.body_limit(std::max(context_.limits.body_bytes, context_.router.LargestBody()));
    beast::get_lowest_layer(stream_).expires_after(context_.limits.read_timeout);
    auto [header_ec, header_bytes] =
        co_await http::async_read_header(stream_, buffer_, parser, kTuple);
    // Not a structured binding: g++ 12 loses those across a later co_await.
    beast::error_code ec = header_ec;
    if (!ec && !parser.is_done()) {
      const std::size_t limit = co_await BodyLimit(parser.get());
      if (parser.content_length() && *parser.content_length() > limit) {
        ec = http::error::body_limit;
      } else {
        parser.body_limit(limit);
        if (limit > context_.limits.body_bytes) {
          beast::get_lowest_layer(stream_).expires_after(context_.limits.read_timeout +
                                                         std::chrono::seconds(limit / kSlowBody));
        }
        auto [body_ec, body_bytes] = co_await http::async_read(stream_, buffer_, parser, kTuple);
        ec = body_ec;
      }
    }
    if (ec == http::error::body_limit) {
      HttpResponse out =
          RawError(11, 413, "payload_too_large", "the request body is too large", context_.tls);
      out.keep_alive(false);
      co_await http::async_write(stream_, out, kTuple);
      break;
    }
    if (ec == http::error::header_limit) {
      HttpResponse out =
          RawError(11, 431, "invalid_argument", "the request headers are too large", context_.tls);
      out.keep_alive(false);
      co_await http::async_write(stream_, out, kTuple);
      break;
    }
    // Not HTTP (a bad Content-Length, chunk, header line or request line): said, then closed.
    // A message cut off by the client's leaving is not answered.
    if (ec && ec.category() == http::make_error_code(http::error::bad_version).category() &&
        ec != http::error::end_of_stream && ec != http::error::partial_message) {
      HttpResponse out =
          RawError(11, 400, "invalid_argument", "the request is not valid HTTP", context_.tls);
      out.keep_alive(false);
      co_await http::async_write(stream_, out, kTuple);
      break;
    }
    if (ec) {
      if (!IsNormalEnding(ec)) {
        core::Log(core::LogLevel::debug, "http.read_failed", {{"error", ec.message()}});
      }
      break;
    }
    HttpRequest request = parser.release();
    if (beast::websocket::is_upgrade(request)) {
      co_await Upgrade(std::move(request));
      co_return;
    }
    const auto started = std::chrono::steady_clock::now();
    HttpResponse response = co_await Answer(request);
    const bool keep_alive = response.keep_alive();
    core::Log(core::LogLevel::debug, "http.request",
              {{"method", request.method_string()},
               {"path", PathOf(request.target())},
               {"status", response.result_int()},
               {"ms", std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() -
                                                                started)
                          .count()}});
    beast::get_lowest_layer(stream_).expires_after(context_.limits.read_timeout);
    auto [write_ec, written] = co_await http::async_write(stream_, response, kTuple);
    if (write_ec) {
      if (!IsNormalEnding(write_ec)) {
        core::Log(core::LogLevel::debug, "http.write_failed", {{"error", write_ec.message()}});
      }
      break;
    }
    if (!keep_alive) break;
  }
  beast::error_code ignored;
  beast::get_lowest_layer(stream_).socket().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
}

template <class Stream>
asio::awaitable<std::size_t> HttpSession<Stream>::BodyLimit(const HttpRequest& header) {
  const std::size_t limit = context_.limits.body_bytes;
  const std::string_view path = PathOf(header.target());
  if (!path.starts_with("/api/")) co_return limit;
  const RouteMatch match = context_.router.Match(header.method_string(), path);
  if (match.outcome != MatchOutcome::found || match.large_body == nullptr) co_return limit;
  const api::LargeBody& large = *match.large_body;
  if (!large.admits) co_return std::max(limit, large.max_bytes);
  const api::Request request = ToApiRequest(header);
  auto ask = [&large, &request] { return large.admits(request); };
  bool admitted = false;
  try {
    admitted = co_await RunOn(context_.workers, ask);
  } catch (const std::exception& e) {
    core::Log(core::LogLevel::error, "http.body_limit_threw",
              {{"path", path}, {"error", e.what()}});
  }
  co_return admitted ? std::max(limit, large.max_bytes) : limit;
}

template <class Stream>
api::Request HttpSession<Stream>::ToApiRequest(const HttpRequest& request) const {
  api::Request out;
  out.method = std::string(request.method_string());
  out.path = std::string(PathOf(request.target()));
  out.query = std::string(QueryOf(request.target()));
  out.body = request.body();
  out.session_token = CookieValue(request[http::field::cookie], api::kSessionCookie);
  out.csrf_token = std::string(request["X-CSRF-Token"]);
  out.origin = std::string(request[http::field::origin]);
  out.content_type = std::string(request[http::field::content_type]);
  out.host = std::string(request[http::field::host]);
  out.accept_language = std::string(request[http::field::accept_language]);
  out.client_key = client_key_;
  if (via_proxy_) {
    std::vector<std::string_view> forwarded;
    for (const auto& field : boost::make_iterator_range(request.equal_range("X-Forwarded-For"))) {
      forwarded.push_back(field.value());
    }
    if (auto client = ForwardedClient(forwarded)) {
      out.client_key = context_.client_keys.KeyFor(*client);
    }
  }
  out.background = request["X-Uitweg-Background"] == "1";
  return out;
}

template <class Stream>
asio::awaitable<HttpResponse> HttpSession<Stream>::Answer(const HttpRequest& request) {
  const std::string_view path = PathOf(request.target());
  // Information pages are rendered by a handler, from content admins may change.
  if (path.starts_with("/api/") || path == "/healthz" || path.starts_with("/info/"))
    co_return co_await AnswerApi(request, ToApiRequest(request));
  if (request.method() != http::verb::get && request.method() != http::verb::head) {
    HttpResponse out = RawError(request.version(), 405, "invalid_argument",
                                "only GET and HEAD are served here", context_.tls);
    out.set(http::field::allow, "GET, HEAD");
    out.keep_alive(request.keep_alive());
    co_return out;
  }
  const StaticFile* file = context_.files.Find(path);
  if (file == nullptr) {
    HttpResponse out = RawError(request.version(), 404, "not_found", "no such page", context_.tls);
    out.keep_alive(request.keep_alive());
    co_return out;
  }
  co_return StaticResponse(request, *file, context_.tls);
}

template <class Stream>
asio::awaitable<HttpResponse> HttpSession<Stream>::AnswerApi(const HttpRequest& request,
                                                             api::Request api_request) {
  RouteMatch match = context_.router.Match(api_request.method, api_request.path);
  if (match.outcome == MatchOutcome::no_path) {
    co_return ApiError(request, core::Fail(core::Errc::not_found, "no such path"), context_.tls);
  }
  if (match.outcome == MatchOutcome::wrong_method) {
    HttpResponse out = RawError(request.version(), 405, "invalid_argument",
                                "method not allowed here", context_.tls);
    out.set(http::field::allow, match.allowed);
    out.keep_alive(request.keep_alive());
    co_return out;
  }
  api_request.params = std::move(match.params);
  const api::Handler& handler = *match.handler;
  core::Result<api::Response> result = core::Fail(core::Errc::internal, "the request failed");
  try {
    auto call = [&handler, &api_request] { return handler(api_request); };
    result = co_await RunOn(context_.workers, call);
  } catch (const std::exception& e) {
    core::Log(core::LogLevel::error, "http.handler_threw",
              {{"path", api_request.path}, {"error", e.what()}});
  }
  if (!result) {
    if (result.error().code == core::Errc::internal ||
        result.error().code == core::Errc::unavailable) {
      core::Log(core::LogLevel::warn, "http.request_failed",
                {{"path", api_request.path}, {"code", core::ErrcName(result.error().code)}});
    }
    co_return ApiError(request, result.error(), context_.tls);
  }
  co_return ApiResponse(request, *result, context_.tls);
}

template <class Stream>
asio::awaitable<void> HttpSession<Stream>::Upgrade(HttpRequest request) {
  const api::ChannelFactory* factory = context_.router.MatchSocket(PathOf(request.target()));
  buffer_ = {};
  std::shared_ptr<WebSocketSession> session;
  if constexpr (std::is_same_v<Stream, TlsStream>) {
    // The request's read deadline would cut the socket later; the session sweeps its own.
    beast::get_lowest_layer(stream_).expires_never();
    session = std::make_shared<WebSocketSession>(std::move(stream_), context_, std::move(*ticket_));
  } else {
    session =
        std::make_shared<WebSocketSession>(stream_.release_socket(), context_, std::move(*ticket_));
  }
  ticket_.reset();
  if (factory == nullptr) {
    session->Refuse(request, core::Fail(core::Errc::not_found, "no socket at this path"));
    co_return;
  }
  core::Result<std::string> accept_key = CheckUpgrade(request);
  if (!accept_key) {
    session->Refuse(request, accept_key.error());
    co_return;
  }
  core::Result<std::shared_ptr<api::Channel>> channel =
      core::Fail(core::Errc::internal, "the upgrade failed");
  {
    const api::Request api_request = ToApiRequest(request);
    auto make_channel = [factory, &api_request, sink = std::weak_ptr<api::FrameSink>(session)] {
      return (*factory)(api_request, sink);
    };
    try {
      channel = co_await RunOn(context_.workers, make_channel);
    } catch (const std::exception& e) {
      core::Log(core::LogLevel::error, "ws.factory_threw",
                {{"path", api_request.path}, {"error", e.what()}});
    }
  }
  if (!channel) {
    session->Refuse(request, channel.error());
    co_return;
  }
  // From here the socket runs on its own handlers; this session ends and frees its frames.
  session->Start(SwitchingProtocols(request, *accept_key, context_.tls), std::move(*channel));
}

template class HttpSession<beast::tcp_stream>;
template class HttpSession<TlsStream>;

}  // namespace uitweg::net
