#pragma once
// The fixture of every integration test: a fresh `uitweg serve` on 127.0.0.1, port 0, with its
// own data directory. Tests register every message body and resume token they use; at the end
// the server is stopped and its whole log (stderr and stdout) must contain none of them.

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "support/http_client.hpp"
#include "support/server_process.hpp"
#include "support/staff.hpp"
#include "support/visitor.hpp"
#include "support/ws_client.hpp"

namespace uitweg::support {

// Whether the cases of this test program run on PostgreSQL. The fixture and the shared cases
// are compiled once and linked into integration_test with on_sqlite.cpp, and into
// integration_postgres_test and integration_cluster_test with on_postgres.cpp; each defines this.
bool CasesRunOnPostgres();

class ServerTest : public ::testing::Test {
 protected:
  // TOML for `--config`, written before the server starts; empty means no file.
  virtual std::string ConfigToml() const { return {}; }

  void SetUp() override;
  void TearDown() override;

  // A message body unique to this run, remembered as a secret the logs must not contain.
  std::string Body(const std::string& hint);
  // Remembers a token (or anything else) the logs must not contain.
  void Secret(const std::string& text) { secrets_.push_back(text); }
  // Fails the test if `node`'s log holds any remembered secret (TearDown checks server_).
  void ExpectNoSecretsIn(const ServerProcess& node);

  // StartConversation + ConnectVisitor, remembering the token.
  struct Visitor {
    VisitorConversation conversation;
    WsClient ws;
  };
  Visitor NewVisitor(const std::string& nickname = "Sam");
  // A new staff member (a counsellor unless `role` says otherwise), signed in, socket open.
  Counsellor NewStaff(const std::string& username, const std::string& role = "counsellor");
  // Accepts `conversation_id` and waits for `assigned`.
  void Accept(Counsellor& counsellor, const std::string& conversation_id);
  // A new visitor whose chat a new counsellor `username` has accepted. Check HasFailure() after.
  struct AcceptedChat {
    Visitor visitor;
    Counsellor counsellor;
    std::string id;  // the conversation
  };
  AcceptedChat NewAcceptedChat(const std::string& username = "anna.k");

  // What a staff member's state-changing request carries: the session cookie, the CSRF token and
  // this server's own Origin.
  Headers Auth(const StaffSession& session) const {
    return {{"Cookie", session.cookie},
            {"X-CSRF-Token", session.csrf_token},
            {"Origin", server_.Origin()}};
  }

  // Proof that the server still serves others: /healthz answers 200 and `ws` answers a ping.
  void ExpectStillServing(WsClient& ws);

  ServerProcess server_;
  std::string database_url_;  // the PostgreSQL database of this case, if it runs on one
  std::vector<std::string> secrets_;
  int bodies_ = 0;
};

// The "message" object of the next message frame on `ws` (other frame types stay queued).
boost::json::object NextMessage(WsClient& ws, std::chrono::milliseconds timeout = 5s);
// The next error frame's code.
std::string NextErrorCode(WsClient& ws, std::chrono::milliseconds timeout = 5s);

std::int64_t Int(const boost::json::object& obj, std::string_view key);
std::string Str(const boost::json::object& obj, std::string_view key);

}  // namespace uitweg::support
