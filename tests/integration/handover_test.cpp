// Handover through the real binary: an admin keeps the directory; in a chat the counsellor asks
// the visitor's consent, the visitor answers with a button (stored as an entry), and only after
// a yes is the referral recorded, its details sealed in the conversation for staff only; a
// supervisor updates its status and the counsellor who made it sees it; another counsellor
// cannot change it. Each step is audited.

#include "integration/server_test.hpp"

namespace uitweg::support {
namespace {

class HandoverTest : public ServerTest {
 protected:
  // The counsellor asks the visitor's consent to a handover to `organisation`: the request's
  // seq, or 0 (with a failure) when it was not taken.
  std::int64_t AskConsent(AcceptedChat& chat, std::int64_t organisation) {
    EXPECT_TRUE(chat.counsellor.ws.Send(boost::json::object{{"type", "ask_consent"},
                                                            {"conversation_id", chat.id},
                                                            {"organisation_id", organisation},
                                                            {"client_id", "consent-1"}}));
    auto asked = chat.counsellor.ws.Take("ack");
    EXPECT_TRUE(asked) << asked.error().message;
    return asked ? Int(*asked, "seq") : 0;
  }
};

TEST_F(HandoverTest, AVisitorConsentsInTheChatAndTheReferralIsFollowedUp) {
  Counsellor admin = NewStaff("ada", "admin");
  ASSERT_FALSE(HasFailure());
  auto refused =
      HttpCall(server_.port(), {"POST", "/api/v1/organisations",
                                R"({"name":"","contact_email":"nope"})", Auth(admin.session)});
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 400);
  auto added = HttpCall(server_.port(), {"POST", "/api/v1/organisations",
                                         R"({"name":"Jeugdzorg Rijnmond","region":"Rotterdam",
                             "contact_person":"Ilse de Vries","contact_email":"ilse@example.org"})",
                                         Auth(admin.session)});
  ASSERT_TRUE(added && added->status == 201) << (added ? added->body : "");
  const std::int64_t organisation = added->Json().value().at("organisation").at("id").as_int64();

  AcceptedChat chat = NewAcceptedChat("anna.k");
  ASSERT_FALSE(HasFailure());
  EXPECT_EQ(Str(NextMessage(chat.visitor.ws), "kind"), "accepted");
  EXPECT_EQ(Str(NextMessage(chat.counsellor.ws), "kind"), "accepted");
  const std::int64_t request_seq = AskConsent(chat, organisation);
  ASSERT_GT(request_seq, 0);
  EXPECT_EQ(Str(NextMessage(chat.counsellor.ws), "kind"), "consent_request")
      << "the asking console gets it too: its handover form follows it";
  const auto request = NextMessage(chat.visitor.ws);
  EXPECT_EQ(Str(request, "kind"), "consent_request");
  EXPECT_EQ(Str(request, "body"), std::to_string(organisation) + ":Jeugdzorg Rijnmond");

  const auto refer_as = [&](const Counsellor& who, const std::string& agreed) {
    return HttpCall(server_.port(),
                    {"POST", "/api/v1/referrals",
                     boost::json::serialize(boost::json::object{{"conversation_id", chat.id},
                                                                {"request_seq", request_seq},
                                                                {"agreed", agreed},
                                                                {"contact", Body("06 12345678")}}),
                     Auth(who.session)});
  };
  const auto refer = [&](const std::string& agreed) { return refer_as(chat.counsellor, agreed); };
  auto early = refer("Ilse belt morgen");
  ASSERT_TRUE(early);
  EXPECT_EQ(early->status, 409) << "not before the visitor's yes";
  Counsellor colleague = NewStaff("colleague");
  ASSERT_FALSE(HasFailure());
  auto probing = refer_as(colleague, "x");
  ASSERT_TRUE(probing);
  EXPECT_EQ(probing->status, 403)
      << "a colleague's chat is refused before anything in it (what the visitor agreed to) shows";

  ASSERT_TRUE(chat.visitor.ws.Send(boost::json::object{{"type", "consent"},
                                                       {"client_id", "v-consent"},
                                                       {"request_seq", request_seq},
                                                       {"answer", "yes"}}));
  ASSERT_TRUE(chat.visitor.ws.Take("ack"));
  const auto answer = NextMessage(chat.counsellor.ws);
  EXPECT_EQ(Str(answer, "kind"), "consent_answer");
  EXPECT_EQ(Str(answer, "body"), "yes:" + std::to_string(request_seq));
  ASSERT_TRUE(chat.visitor.ws.Send(boost::json::object{{"type", "consent"},
                                                       {"client_id", "v-again"},
                                                       {"request_seq", request_seq},
                                                       {"answer", "no"}}));
  EXPECT_EQ(NextErrorCode(chat.visitor.ws), "failed_precondition") << "answered once";

  auto made = refer(Body("Ilse belt morgen om vier uur"));
  ASSERT_TRUE(made && made->status == 201) << (made ? made->body : "");
  const boost::json::value made_json = made->Json().value();
  const std::int64_t referral = made_json.at("referral").at("id").as_int64();
  EXPECT_EQ(made_json.at("referral").at("status").as_string(), "proposed");
  auto again = refer(Body("Ilse belt morgen om vijf uur"));
  ASSERT_TRUE(again && again->status == 200) << (again ? again->body : "");
  EXPECT_EQ(again->Json().value().at("referral").at("id").as_int64(), referral)
      << "a second submit (a double click, a retry) records no second referral";
  EXPECT_EQ(Str(NextMessage(chat.counsellor.ws), "kind"), "referral");
  const std::string after = Body("Tot morgen.");
  ASSERT_TRUE(chat.counsellor.ws.Send(StaffSend(chat.id, "a-1", after)));
  EXPECT_EQ(Str(NextMessage(chat.visitor.ws), "body"), after) << "the referral is for staff only";

  Counsellor sanne = NewStaff("sanne", "supervisor");
  ASSERT_FALSE(HasFailure());
  auto bad_status =
      HttpCall(server_.port(), {"POST", "/api/v1/referrals/" + std::to_string(referral) + "/status",
                                R"({"status":"lost"})", Auth(sanne.session)});
  ASSERT_TRUE(bad_status);
  EXPECT_EQ(bad_status->status, 400);
  auto accepted =
      HttpCall(server_.port(), {"POST", "/api/v1/referrals/" + std::to_string(referral) + "/status",
                                R"({"from":"proposed","status":"accepted"})", Auth(sanne.session)});
  ASSERT_TRUE(accepted && accepted->status == 200) << (accepted ? accepted->body : "");
  auto stale =
      HttpCall(server_.port(),
               {"POST", "/api/v1/referrals/" + std::to_string(referral) + "/status",
                R"({"from":"proposed","status":"declined"})", Auth(chat.counsellor.session)});
  ASSERT_TRUE(stale);
  EXPECT_EQ(stale->status, 409) << "seen before the supervisor's change: theirs is not undone";
  auto unchanged =
      HttpCall(server_.port(), {"POST", "/api/v1/referrals/" + std::to_string(referral) + "/status",
                                R"({"from":"proposed","status":"accepted"})", Auth(sanne.session)});
  ASSERT_TRUE(unchanged && unchanged->status == 200) << "unchanged: nothing to audit";
  auto mine =
      HttpGet(server_.port(), "/api/v1/referrals", {{"Cookie", chat.counsellor.session.cookie}});
  ASSERT_TRUE(mine && mine->status == 200);
  const boost::json::value mine_json = mine->Json().value();
  ASSERT_EQ(mine_json.at("referrals").as_array().size(), 1u);
  EXPECT_EQ(mine_json.at("referrals").at(0).at("status").as_string(), "accepted");

  auto team = HttpGet(server_.port(), "/api/v1/referrals", {{"Cookie", sanne.session.cookie}});
  ASSERT_TRUE(team && team->status == 200);
  EXPECT_EQ(team->Json().value().at("referrals").as_array().size(), 1u)
      << "a supervisor follows the team's referrals";
  Counsellor bert = NewStaff("bert.v");
  ASSERT_FALSE(HasFailure());
  auto others = HttpGet(server_.port(), "/api/v1/referrals", {{"Cookie", bert.session.cookie}});
  ASSERT_TRUE(others && others->status == 200);
  EXPECT_TRUE(others->Json().value().at("referrals").as_array().empty()) << "only one's own";
  auto not_bert_s =
      HttpCall(server_.port(), {"POST", "/api/v1/referrals/" + std::to_string(referral) + "/status",
                                R"({"status":"declined"})", Auth(bert.session)});
  ASSERT_TRUE(not_bert_s);
  EXPECT_EQ(not_bert_s->status, 404)
      << "a colleague's referral is not another counsellor's to change";
  auto still = HttpGet(server_.port(), "/api/v1/referrals", {{"Cookie", sanne.session.cookie}});
  ASSERT_TRUE(still && still->status == 200);
  EXPECT_EQ(still->Json().value().at("referrals").at(0).at("status").as_string(), "accepted");
  auto own =
      HttpCall(server_.port(), {"POST", "/api/v1/referrals/" + std::to_string(referral) + "/status",
                                R"({"status":"completed"})", Auth(chat.counsellor.session)});
  ASSERT_TRUE(own && own->status == 200) << (own ? own->body : "") << "their own, they may";

  auto audited =
      HttpGet(server_.port(), "/api/v1/audit?action=referral", {{"Cookie", sanne.session.cookie}});
  ASSERT_TRUE(audited && audited->status == 200);
  EXPECT_EQ(audited->Json().value().at("entries").as_array().size(), 4u) << audited->body;
  ExpectNoSecretsIn(server_);
}

// The visitor says yes and leaves at once: what they agreed to is still recorded afterwards, by
// the chat's counsellor.
TEST_F(HandoverTest, AReferralTheVisitorAgreedToIsRecordedAfterTheyLeft) {
  Counsellor admin = NewStaff("ada", "admin");
  ASSERT_FALSE(HasFailure());
  auto added = HttpCall(
      server_.port(),
      {"POST", "/api/v1/organisations",
       R"({"name":"Jeugdzorg Rijnmond","contact_email":"ilse@example.org"})", Auth(admin.session)});
  ASSERT_TRUE(added && added->status == 201) << (added ? added->body : "");
  const std::int64_t organisation = added->Json().value().at("organisation").at("id").as_int64();
  AcceptedChat chat = NewAcceptedChat("anna.k");
  ASSERT_FALSE(HasFailure());
  const std::int64_t request_seq = AskConsent(chat, organisation);
  ASSERT_GT(request_seq, 0);
  ASSERT_TRUE(chat.visitor.ws.Send(boost::json::object{{"type", "consent"},
                                                       {"client_id", "v-consent"},
                                                       {"request_seq", request_seq},
                                                       {"answer", "yes"}}));
  ASSERT_TRUE(chat.visitor.ws.Take("ack"));
  ASSERT_TRUE(chat.visitor.ws.Send(boost::json::object{{"type", "end"}}));
  for (;;) {
    const auto entry = NextMessage(chat.counsellor.ws);
    ASSERT_FALSE(Str(entry, "kind").empty()) << "no end came";
    if (Str(entry, "kind") == "ended") break;
  }

  const auto refer_as = [&](const Counsellor& who) {
    return HttpCall(server_.port(),
                    {"POST", "/api/v1/referrals",
                     boost::json::serialize(boost::json::object{{"conversation_id", chat.id},
                                                                {"request_seq", request_seq},
                                                                {"agreed", "Ilse belt morgen"},
                                                                {"contact", ""}}),
                     Auth(who.session)});
  };
  Counsellor colleague = NewStaff("colleague");
  ASSERT_FALSE(HasFailure());
  auto probing = refer_as(colleague);
  ASSERT_TRUE(probing);
  EXPECT_EQ(probing->status, 403) << "still the chat's counsellor's alone";
  auto made = refer_as(chat.counsellor);
  ASSERT_TRUE(made);
  EXPECT_EQ(made->status, 201) << made->body;
  EXPECT_EQ(Str(NextMessage(chat.counsellor.ws), "kind"), "referral")
      << "the ended chat's pane learns it was recorded";
}

}  // namespace
}  // namespace uitweg::support
