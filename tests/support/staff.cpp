#include "support/staff.hpp"

#include <map>
#include <mutex>
#include <regex>
#include <sstream>

#include <boost/json.hpp>

#include "auth/testing/sign_in_codes.hpp"
#include "crypto/totp.hpp"
#include "support/http_client.hpp"

namespace uitweg::support {
namespace {

// "error code: message" of the first error frame waiting on `ws`, for failure messages.
std::string PendingError(WsClient& ws) {
  auto error = ws.Take("error", std::chrono::milliseconds(0));
  if (!error) return "no error frame";
  return boost::json::serialize(*error);
}

struct KnownCodes {
  std::mutex mutex;
  std::map<std::string, auth::testing::SignInCodes> by_username;
};

KnownCodes& Known() {
  static KnownCodes known;
  return known;
}

}  // namespace

core::Result<PrintedSecondFactor> ParsePrintedSecondFactor(const std::string& out) {
  PrintedSecondFactor factor;
  std::smatch uri;
  if (!std::regex_search(out, uri, std::regex("otpauth://totp/[^\\s]*secret=([A-Z2-7]+)[^\\s]*"))) {
    return core::Fail(core::Errc::internal, "no otpauth:// URI in: " + out);
  }
  factor.otpauth_uri = uri[0];
  auto secret = crypto::Base32Decode(uri[1].str());
  if (!secret) return secret.error();
  factor.secret = std::move(*secret);
  // Each recovery code on a line of its own, indented by two spaces.
  const std::regex recovery("  [a-z2-7]{5}-[a-z2-7]{5}");
  std::istringstream lines(out);
  for (std::string line; std::getline(lines, line);) {
    if (std::regex_match(line, recovery)) factor.recovery_codes.push_back(line.substr(2));
  }
  if (factor.recovery_codes.size() != 10) {
    return core::Fail(core::Errc::internal, "not ten recovery codes in: " + out);
  }
  return factor;
}

void RememberSecondFactor(const std::string& username, const PrintedSecondFactor& factor) {
  std::lock_guard lock(Known().mutex);
  Known().by_username[username] = auth::testing::SignInCodes(factor.secret, factor.recovery_codes);
}

std::string NextSignInCode(const std::string& username) {
  std::lock_guard lock(Known().mutex);
  auto found = Known().by_username.find(username);
  if (found == Known().by_username.end()) return {};
  return found->second.Next(core::SystemClock().Now());
}

core::Status AddStaff(const std::string& data_dir, const std::string& username,
                      const std::string& password, const std::string& role,
                      const std::string& binary) {
  auto run = RunCommand({"user", "add", "--username", username, "--role", role, "--data", data_dir,
                         "--password-stdin"},
                        password + "\n", std::chrono::seconds(60), binary);
  if (!run) return run.error();
  if (run->exit_code != 0) {
    return core::Fail(core::Errc::internal, "uitweg user add exited with " +
                                                std::to_string(run->exit_code) + ": " + run->err);
  }
  UITWEG_TRY_ASSIGN(const PrintedSecondFactor factor, ParsePrintedSecondFactor(run->out));
  RememberSecondFactor(username, factor);
  return {};
}

core::Result<StaffSession> SignIn(std::uint16_t port, const std::string& username,
                                  const std::string& password) {
  return SignInWithCode(port, username, password, NextSignInCode(username));
}

core::Result<StaffSession> SignInWithCode(std::uint16_t port, const std::string& username,
                                          const std::string& password, const std::string& code) {
  // Checking a password is slow on purpose (Argon2id); on a loaded machine it queues behind
  // other work, so this waits longer than an ordinary request.
  auto res = HttpCall(port,
                      {"POST",
                       "/api/v1/staff/session",
                       boost::json::serialize(boost::json::object{
                           {"username", username}, {"password", password}, {"code", code}}),
                       {}},
                      std::chrono::seconds(60));
  if (!res) return res.error();
  if (res->status != 200) {
    return core::Fail(core::Errc::unauthenticated,
                      "sign-in answered " + std::to_string(res->status) + " " + res->body);
  }
  StaffSession session;
  session.username = username;
  for (const auto& [name, value] : res->headers) {
    if (value.rfind(std::string(kSessionCookie) + "=", 0) == 0) {
      session.cookie = value.substr(0, value.find(';'));
    }
  }
  if (session.cookie.empty())
    return core::Fail(core::Errc::internal, "sign-in set no session cookie");
  auto body = res->Json();
  if (!body || !body->is_object())
    return core::Fail(core::Errc::internal, "sign-in body is not an object");
  const auto& obj = body->get_object();
  if (const auto* csrf = obj.if_contains("csrf_token"); csrf && csrf->is_string()) {
    session.csrf_token = std::string(csrf->get_string());
  }
  if (const auto* name = obj.if_contains("display_name"); name && name->is_string()) {
    session.display_name = std::string(name->get_string());
  }
  return session;
}

core::Result<WsClient> ConnectStaff(std::uint16_t port, const StaffSession& session) {
  WsClient ws;
  const std::string origin = "http://127.0.0.1:" + std::to_string(port);
  if (auto st =
          ws.Connect(port, "/api/v1/staff/ws", {{"Cookie", session.cookie}, {"Origin", origin}});
      !st) {
    return st.error();
  }
  UITWEG_TRY(ws.Send({{"type", "hello"}}));
  if (auto welcome = ws.Take("welcome"); !welcome) {
    return core::Fail(welcome.error().code, welcome.error().message + "; " + PendingError(ws));
  }
  return ws;
}

core::Result<Counsellor> NewCounsellor(const ServerProcess& server, const std::string& username,
                                       const std::string& password, const std::string& role) {
  UITWEG_TRY(AddStaff(server.data_dir().string(), username, password, role));
  auto session = SignIn(server.port(), username, password);
  if (!session) return session.error();
  auto ws = ConnectStaff(server.port(), *session);
  if (!ws) return ws.error();
  return Counsellor{std::move(*session), std::move(*ws)};
}

boost::json::object StaffAccept(const std::string& conversation_id) {
  return {{"type", "accept"}, {"conversation_id", conversation_id}};
}

boost::json::object StaffSend(const std::string& conversation_id, const std::string& client_id,
                              const std::string& body) {
  return {{"type", "send"},
          {"conversation_id", conversation_id},
          {"client_id", client_id},
          {"body", body}};
}

}  // namespace uitweg::support
