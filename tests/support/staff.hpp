#pragma once
// Staff-side steps of the Uitweg API for tests and the load generator: create an account with
// `uitweg user add`, sign in over HTTP, open the staff WebSocket.
// Errors are values that say which step failed.
//
// Every account signs in with a code of its second factor. AddStaff keeps what `user add`
// printed (the TOTP secret and the recovery codes) in a process-wide table by username, and
// SignIn takes the next unused code from it (auth/testing/sign_in_codes.hpp): the latest
// AddStaff of a username wins, which suits nodes that share one database. Thread-safe.

#include <cstdint>
#include <string>
#include <vector>

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

// What `uitweg user add` or `user reset-2fa` printed: the secret and the recovery codes.
struct PrintedSecondFactor {
  std::string secret;  // raw bytes
  std::string otpauth_uri;
  std::vector<std::string> recovery_codes;
};
core::Result<PrintedSecondFactor> ParsePrintedSecondFactor(const std::string& out);

// Makes SignIn use this second factor for `username` from now on.
void RememberSecondFactor(const std::string& username, const PrintedSecondFactor& factor);

// The next code SignIn would send for `username` (empty if none is known), using it up.
std::string NextSignInCode(const std::string& username);

// `uitweg user add --username U --role ROLE --data DIR --password-stdin`, remembering the
// second factor it prints.
core::Status AddStaff(const std::string& data_dir, const std::string& username,
                      const std::string& password, const std::string& role = "counsellor",
                      const std::string& binary = UitwegBinary());

// POST /api/v1/staff/session with NextSignInCode(username); picks the session cookie out of
// Set-Cookie.
core::Result<StaffSession> SignIn(std::uint16_t port, const std::string& username,
                                  const std::string& password);
// The same with a given code (empty: none).
core::Result<StaffSession> SignInWithCode(std::uint16_t port, const std::string& username,
                                          const std::string& password, const std::string& code);

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
                                       const std::string& password = "correct horse battery",
                                       const std::string& role = "counsellor");

// Frame builders for the staff channel.
boost::json::object StaffAccept(const std::string& conversation_id);
boost::json::object StaffSend(const std::string& conversation_id, const std::string& client_id,
                              const std::string& body);

}  // namespace uitweg::support
