// Fuzzes what happens to a request before a handler sees it: Beast's parser with the limits the
// server sets (net/server.hpp), then the fields the server reads from it (net/request_fields:
// the path without its query, the session cookie). Nothing may crash, and what is read must
// come out of the bytes that arrived.
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <string_view>

#include "fuzz_support.hpp"
#include "net/request_fields.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace http = boost::beast::http;
  using namespace uitweg;
  http::request_parser<http::string_body> parser;
  parser.header_limit(8 * 1024);
  parser.body_limit(16 * 1024);
  boost::system::error_code ec;
  std::size_t offset = 0;
  while (offset < size && !parser.is_done()) {
    const std::size_t used = parser.put(boost::asio::buffer(data + offset, size - offset), ec);
    if (ec == http::error::need_more) {
      ec = {};
      if (used == 0) break;
    }
    if (ec) return 0;
    offset += used;
    if (used == 0) break;
  }
  if (!parser.is_header_done()) return 0;
  const auto& request = parser.get();
  const std::string_view target = request.target();
  const std::string_view path = net::PathOf(target);
  if (path.size() > target.size()) __builtin_trap();
  const std::string token = net::CookieValue(request[http::field::cookie], "__Host-uitweg_session");
  if (token.size() > request[http::field::cookie].size()) __builtin_trap();
  fuzz::Keep(path.size() + token.size());
  return 0;
}
