#pragma once
// Staff-side steps of the Uitweg API for tests and the load generator: create an account with
// `uitweg user add`, sign in over HTTP, open the staff WebSocket.
// Stateless functions; errors are values that say which step failed.

#include <cstdint>
#include <string>

#include <boost/json/object.hpp>

#include "core/error.hpp"
#include "support/server_process.hpp"
#include "support/ws_client.hpp"

namespace uitweg::support {

// A signed-in staff member.
struct StaffSession {
  std::string username;
  std::string display_name;
  std::string cookie;  // "__Host-uitweg_session=..." ready for a Cookie header
  std::string csrf_token;
};

inline constexpr char kSessionCookie[] = "__Host-uitweg_session";

// `uitweg user add --username U --role ROLE --data DIR --password-stdin`.
core::Status AddStaff(const std::string& data_dir, const std::string& username,
                      const std::string& password, const std::string& role = "counsellor",
                      const std::string& binary = UitwegBinary());

// POST /api/v1/staff/session; picks the session cookie out of Set-Cookie.
core::Result<StaffSession> SignIn(std::uint16_t port, const std::string& username,
                                  const std::string& password);

// Opens /api/v1/staff/ws with the session cookie and the server's own Origin, says hello and
// returns the socket once `welcome` has arrived (the welcome frame itself is taken; the queue
// frame that follows stays queued).
core::Result<WsClient> ConnectStaff(std::uint16_t port, const StaffSession& session);

// AddStaff + SignIn + ConnectStaff for a new counsellor.
struct Counsellor {
  StaffSession session;
  WsClient ws;
};
core::Result<Counsellor> NewCounsellor(const ServerProcess& server, const std::string& username,
                                       const std::string& password = "correct horse battery");

// Frame builders for the staff channel.
boost::json::object StaffAccept(const std::string& conversation_id);
boost::json::object StaffSend(const std::string& conversation_id, const std::string& client_id,
                              const std::string& body);

}  // namespace uitweg::support
