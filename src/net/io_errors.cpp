#include "net/io_errors.hpp"

#include <boost/asio/error.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/websocket/error.hpp>

namespace uitweg::net {

bool IsNormalEnding(const boost::system::error_code& ec) {
  namespace error = boost::asio::error;
  return ec == error::operation_aborted || ec == error::eof || ec == error::connection_reset ||
         ec == error::broken_pipe || ec == error::not_connected ||
         ec == boost::beast::error::timeout || ec == boost::beast::http::error::end_of_stream ||
         ec == boost::beast::websocket::error::closed;
}

}  // namespace uitweg::net
