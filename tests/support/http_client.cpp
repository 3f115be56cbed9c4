#include "support/http_client.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>

#include <strings.h>

#include <functional>

namespace uitweg::support {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using boost::system::error_code;

tcp::endpoint Loopback(std::uint16_t port) {
  return tcp::endpoint(asio::ip::make_address_v4("127.0.0.1"), port);
}

bool HasField(const Headers& headers, std::string_view name) {
  for (const auto& [k, v] : headers) {
    if (k.size() == name.size() && strncasecmp(k.data(), name.data(), k.size()) == 0) return true;
  }
  return false;
}

core::Error NetError(std::string_view step, const error_code& ec) {
  const auto code =
      ec == beast::error::timeout ? core::Errc::deadline_exceeded : core::Errc::unavailable;
  return core::Fail(code, std::string(step) + ": " + ec.message());
}

asio::awaitable<core::Result<HttpResponse>> Exchange(std::uint16_t port, const HttpRequest& request,
                                                     std::chrono::milliseconds timeout) {
  error_code ec;
  auto token = asio::redirect_error(asio::use_awaitable, ec);
  beast::tcp_stream stream(co_await asio::this_coro::executor);
  stream.expires_after(timeout);
  co_await stream.async_connect(Loopback(port), token);
  if (ec) co_return NetError("connect", ec);

  http::request<http::string_body> req;
  req.method_string(request.method);
  req.target(request.target);
  req.version(11);
  for (const auto& [k, v] : request.headers) req.insert(k, v);
  if (!HasField(request.headers, "Host"))
    req.set(http::field::host, "127.0.0.1:" + std::to_string(port));
  if (!request.body.empty() && !HasField(request.headers, "Content-Type")) {
    req.set(http::field::content_type, "application/json");
  }
  req.body() = request.body;
  if (!HasField(request.headers, "Content-Length")) req.prepare_payload();
  co_await http::async_write(stream, req, token);
  // A server may answer an oversized body early and close; its answer is still worth reading.
  if (ec && ec != asio::error::connection_reset && ec != asio::error::broken_pipe) {
    co_return NetError("write", ec);
  }

  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  parser.header_limit(64 * 1024);
  co_await http::async_read(stream, buffer, parser, token);
  if (ec) co_return NetError("read", ec);

  HttpResponse out;
  const auto& res = parser.get();
  out.status = static_cast<int>(res.result_int());
  out.body = res.body();
  for (const auto& field : res) {
    out.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  }
  stream.socket().shutdown(tcp::socket::shutdown_both, ec);
  co_return out;
}

}  // namespace

std::string HttpResponse::Header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (k.size() == name.size() && strncasecmp(k.data(), name.data(), k.size()) == 0) return v;
  }
  return {};
}

bool HttpResponse::HasHeader(std::string_view name) const {
  return HasField(headers, name);
}

core::Result<boost::json::value> HttpResponse::Json() const {
  error_code ec;
  boost::json::value v = boost::json::parse(body, ec);
  if (ec) return core::Fail(core::Errc::invalid_argument, "response body is not JSON");
  return v;
}

std::string HttpResponse::ErrorCode() const {
  auto v = Json();
  if (!v || !v->is_object()) return {};
  const auto* error = v->get_object().if_contains("error");
  if (!error || !error->is_object()) return {};
  const auto* code = error->get_object().if_contains("code");
  if (!code || !code->is_string()) return {};
  return std::string(code->get_string());
}

core::Result<HttpResponse> HttpCall(std::uint16_t port, const HttpRequest& request,
                                    std::chrono::milliseconds timeout) {
  asio::io_context ioc;
  core::Result<HttpResponse> result = core::Fail(core::Errc::internal, "request never ran");
  asio::co_spawn(ioc, Exchange(port, request, timeout),
                 [&result](std::exception_ptr e, core::Result<HttpResponse> r) {
                   result =
                       e ? core::Result<HttpResponse>(core::Fail(core::Errc::internal, "exception"))
                         : std::move(r);
                 });
  ioc.run();
  return result;
}

core::Result<HttpResponse> HttpGet(std::uint16_t port, std::string target, Headers headers) {
  return HttpCall(port, HttpRequest{"GET", std::move(target), {}, std::move(headers)});
}

core::Result<HttpResponse> HttpPostJson(std::uint16_t port, std::string target,
                                        const boost::json::value& body, Headers headers) {
  return HttpCall(port, HttpRequest{"POST", std::move(target), boost::json::serialize(body),
                                    std::move(headers)});
}

core::Result<std::chrono::milliseconds> StallAndWaitForClose(std::uint16_t port, std::string bytes,
                                                             std::chrono::milliseconds limit,
                                                             std::string* received) {
  asio::io_context ioc;
  tcp::socket socket(ioc);
  error_code ec;
  socket.connect(Loopback(port), ec);
  if (ec) return NetError("connect", ec);
  asio::write(socket, asio::buffer(bytes), ec);
  if (ec) return NetError("write", ec);

  const auto start = std::chrono::steady_clock::now();
  bool closed = false;
  char sink[4096];
  // The server may answer (e.g. 408) before closing; keep reading until the end of stream.
  std::function<void(error_code, std::size_t)> on_read = [&](error_code read_ec, std::size_t n) {
    if (received != nullptr) received->append(sink, n);
    if (read_ec) {
      closed = read_ec != asio::error::operation_aborted;
      return;
    }
    socket.async_read_some(asio::buffer(sink), on_read);
  };
  socket.async_read_some(asio::buffer(sink), on_read);
  asio::steady_timer timer(ioc, limit);
  timer.async_wait([&](error_code timer_ec) {
    if (!timer_ec) socket.cancel();
  });
  while (!closed && ioc.run_one() > 0) {
  }
  if (!closed)
    return core::Fail(core::Errc::deadline_exceeded, "server kept the stalled connection open");
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                               start);
}

}  // namespace uitweg::support
