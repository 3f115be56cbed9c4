// The audit trail through the real binary: what staff do is recorded (ids and actions, never
// content or names), supervisors and admins browse it and that is recorded too, and
// `uitweg audit verify` finds an entry that was changed behind the server's back.

#include <algorithm>

#include "integration/server_test.hpp"
#include "store/postgres/connection.hpp"
#include "store/sqlite/connection.hpp"

namespace uitweg::support {
namespace {

constexpr char kPassword[] = "correct horse battery";

class AuditTest : public ServerTest {
 protected:
  core::Result<CommandResult> Verify(const std::vector<std::string>& more = {}) {
    std::vector<std::string> args{"audit", "verify", "--data", server_.data_dir().string()};
    if (!database_url_.empty()) args.insert(args.end(), {"--database", database_url_});
    args.insert(args.end(), more.begin(), more.end());
    return RunCommand(args);
  }
  boost::json::array Entries(const StaffSession& session, const std::string& query = "") {
    auto res = HttpGet(server_.port(), "/api/v1/audit" + query, {{"Cookie", session.cookie}});
    EXPECT_TRUE(res && res->status == 200) << (res ? res->body : res.error().message);
    if (!res || res->status != 200) return {};
    return res->Json().value().as_object().at("entries").as_array();
  }
  static std::vector<std::string> Actions(const boost::json::array& entries) {
    std::vector<std::string> actions;
    for (const auto& entry : entries)
      actions.emplace_back(entry.as_object().at("action").as_string());
    return actions;
  }
};

TEST_F(AuditTest, WhatStaffDoIsRecordedAndOnlySupervisorsAndAdminsReadIt) {
  AcceptedChat chat = NewAcceptedChat("anna.k");
  ASSERT_FALSE(HasFailure());
  const std::string body = Body("audited");
  ASSERT_TRUE(chat.counsellor.ws.Send(StaffSend(chat.id, "m-1", body)));
  ASSERT_TRUE(chat.counsellor.ws.Take("ack"));
  ASSERT_TRUE(chat.counsellor.ws.Send({{"type", "end"}, {"conversation_id", chat.id}}));
  NextMessage(chat.visitor.ws);  // the counsellor's message
  NextMessage(chat.visitor.ws);  // the end
  // A wrong password for a name that exists, and one for a name that does not.
  ASSERT_FALSE(SignInWithCode(server_.port(), "anna.k", "wrong password", "000000"));
  ASSERT_FALSE(SignInWithCode(server_.port(), "nobody.here", "wrong password", "000000"));

  ASSERT_TRUE(AddStaff(server_.data_dir().string(), "beheer", kPassword, "admin"));
  auto admin = SignIn(server_.port(), "beheer", kPassword);
  ASSERT_TRUE(admin) << admin.error().message;
  // Sends are recorded after they are acknowledged: wait until the end is there.
  boost::json::array entries;
  for (int i = 0; i < 200; ++i) {
    entries = Entries(*admin, "?conversation=" + chat.id);
    if (Actions(entries).size() >= 3) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  // Newest first; the send's entry is written after its ack, so the end may be stored before it.
  std::vector<std::string> actions = Actions(entries);
  ASSERT_EQ(actions.size(), 3u);
  EXPECT_EQ(actions.back(), "accept");
  std::sort(actions.begin(), actions.end());
  EXPECT_EQ(actions, (std::vector<std::string>{"accept", "end", "send"}));
  for (const auto& entry : entries) {
    EXPECT_EQ(entry.as_object().at("role").as_string(), "counsellor");
    EXPECT_EQ(entry.as_object().at("account_id").as_int64(),
              entries[0].as_object().at("account_id").as_int64());
    // The node by the port it took (listen names port 0 here: any free one).
    EXPECT_TRUE(std::string_view(entry.as_object().at("node").as_string())
                    .ends_with(":" + std::to_string(server_.port())))
        << entry.as_object().at("node").as_string();
  }

  const boost::json::array failures = Entries(*admin, "?action=sign_in_failed");
  ASSERT_EQ(failures.size(), 2u);
  for (const auto& failure : failures) {
    EXPECT_TRUE(failure.as_object().at("account_id").is_null());
    EXPECT_EQ(failure.as_object().at("detail").as_string().size(), 16u) << "a keyed hash";
  }
  const boost::json::array all = Entries(*admin, "?limit=500");
  const std::string text = boost::json::serialize(all);
  EXPECT_EQ(text.find(body), std::string::npos) << "content in the audit trail";
  EXPECT_EQ(text.find("anna.k"), std::string::npos) << "a username in the audit trail";
  EXPECT_EQ(text.find("nobody.here"), std::string::npos);
  // Reading the trail is itself recorded.
  EXPECT_EQ(Actions(Entries(*admin, "?limit=1")), (std::vector<std::string>{"audit_read"}));

  auto as_counsellor =
      HttpGet(server_.port(), "/api/v1/audit", {{"Cookie", chat.counsellor.session.cookie}});
  ASSERT_TRUE(as_counsellor);
  EXPECT_EQ(as_counsellor->status, 403);
  auto bad = HttpGet(server_.port(), "/api/v1/audit?limit=x", {{"Cookie", admin->cookie}});
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);

  auto verified = Verify();
  ASSERT_TRUE(verified);
  EXPECT_EQ(verified->exit_code, 0) << verified->out << verified->err;
  EXPECT_NE(verified->out.find("intact"), std::string::npos);
}

TEST_F(AuditTest, VerifyNamesTheFirstEntryChangedBehindTheServersBack) {
  if (!database_url_.empty()) GTEST_SKIP() << "tampers with the SQLite file";
  NewStaff("anna.k");
  NewStaff("bert.k");
  ASSERT_FALSE(HasFailure());
  ASSERT_TRUE(server_.Stop());
  auto db = store::sqlite::Connection::Open((server_.data_dir() / "uitweg.db").string(),
                                            store::sqlite::Connection::Mode::read_write, 1000);
  ASSERT_TRUE(db) << db.error().message;
  // The database itself refuses to change an entry...
  EXPECT_FALSE((*db)->Exec("UPDATE audit_entry SET detail = 'x' WHERE seq = 2"));
  EXPECT_FALSE((*db)->Exec("DELETE FROM audit_entry WHERE seq = 2"));
  // ...so someone with the file drops the guard first.
  ASSERT_TRUE(
      (*db)->Exec("DROP TRIGGER audit_entry_no_update;"
                  "UPDATE audit_entry SET account_id = 99 WHERE seq = 2"));
  db->reset();
  auto verified = Verify();
  ASSERT_TRUE(verified);
  EXPECT_EQ(verified->exit_code, 1);
  EXPECT_NE(verified->out.find("broken at entry 2"), std::string::npos) << verified->out;
}

TEST_F(AuditTest, AnAnchorFromAnEarlierRunShowsEntriesCutFromTheEnd) {
  NewStaff("anna.k");
  ASSERT_FALSE(HasFailure());
  ASSERT_TRUE(server_.Stop());
  auto first = Verify();
  ASSERT_TRUE(first && first->exit_code == 0) << (first ? first->err : first.error().message);
  const std::string marker = "for --anchor: ";
  const std::size_t at = first->out.find(marker);
  ASSERT_NE(at, std::string::npos) << first->out;
  const std::string anchor =
      first->out.substr(at + marker.size(), first->out.find('\n', at) - at - marker.size());

  if (!database_url_.empty()) {
    auto db = store::postgres::Connection::Open(database_url_);
    ASSERT_TRUE(db) << db.error().message;
    EXPECT_FALSE((*db)->Query("TRUNCATE audit_entry")) << "the trail cannot be emptied";
    ASSERT_TRUE((*db)->Query("DROP TRIGGER audit_entry_append_only ON audit_entry"));
    ASSERT_TRUE(
        (*db)->Query("DELETE FROM audit_entry WHERE seq = (SELECT max(seq) FROM audit_entry)"));
  } else {
    auto db = store::sqlite::Connection::Open((server_.data_dir() / "uitweg.db").string(),
                                              store::sqlite::Connection::Mode::read_write, 1000);
    ASSERT_TRUE(db) << db.error().message;
    ASSERT_TRUE(
        (*db)->Exec("DROP TRIGGER audit_entry_no_delete;"
                    "DELETE FROM audit_entry WHERE seq = (SELECT max(seq) FROM audit_entry)"));
  }
  auto alone = Verify();
  ASSERT_TRUE(alone);
  EXPECT_EQ(alone->exit_code, 0) << "the chain alone cannot tell: " << alone->out;
  auto anchored = Verify({"--anchor", anchor});
  ASSERT_TRUE(anchored);
  EXPECT_EQ(anchored->exit_code, 1) << anchored->out << anchored->err;
  EXPECT_NE(anchored->out.find("removed from its end"), std::string::npos) << anchored->out;

  if (database_url_.empty()) {
    auto mistyped = RunCommand(
        {"audit", "verify", "--data", (server_.data_dir().parent_path() / "dta").string()});
    ASSERT_TRUE(mistyped);
    EXPECT_EQ(mistyped->exit_code, 1) << "not a new, empty, intact trail: " << mistyped->out;
    EXPECT_NE(mistyped->err.find("no database"), std::string::npos) << mistyped->err;
  }
}

}  // namespace
}  // namespace uitweg::support
