#pragma once
// Visitor-side steps of the Uitweg API for tests and the load generator: start a conversation
// over HTTP and open the visitor WebSocket with hello.
// Stateless functions; errors are values that say which step failed.

#include <cstdint>
#include <string>

#include <boost/json/object.hpp>

#include "core/error.hpp"
#include "support/ws_client.hpp"

namespace uitweg::support {

struct VisitorConversation {
  std::string conversation_id;
  std::string resume_token;
};

// POST /api/v1/visitor/conversations with {"nickname", "subject": "self"}; expects 201.
core::Result<VisitorConversation> StartConversation(std::uint16_t port,
                                                    const std::string& nickname = "Sam");

// Opens /api/v1/visitor/ws and sends hello with `last_seq`. Returns the socket once `welcome`
// has arrived; the welcome frame is stored in `welcome` when given.
core::Result<WsClient> ConnectVisitor(std::uint16_t port, const std::string& resume_token,
                                      std::int64_t last_seq = 0,
                                      boost::json::object* welcome = nullptr);

boost::json::object VisitorHello(const std::string& resume_token, std::int64_t last_seq);
boost::json::object VisitorSend(const std::string& client_id, const std::string& body);

}  // namespace uitweg::support
