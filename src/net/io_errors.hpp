#pragma once
// Which I/O errors are the ordinary end of a connection (closed, reset, timed out, cancelled)
// rather than failures worth a log line — as Beast's chat-multi `fail()` skips them.

#include <boost/system/error_code.hpp>

namespace uitweg::net {

bool IsNormalEnding(const boost::system::error_code& ec);

}  // namespace uitweg::net
