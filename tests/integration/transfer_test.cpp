// Transfers through the real binary over real WebSockets: a counsellor offers a conversation to
// a named colleague with a note; the colleague's console is told; taking it moves it with one
// line for the visitor (who never sees the note) and the first counsellor can write no more; a
// declined or lapsed offer leaves it where it was. Every step is audited.

#include "integration/server_test.hpp"

namespace uitweg::support {
namespace {

using namespace std::chrono_literals;

class TransferTest : public ServerTest {
 protected:
  std::string ConfigToml() const override { return "[limits]\ntransfer_seconds = 5\n"; }

  // The id of colleague `name` as `asking` sees them among the available colleagues.
  std::int64_t ColleagueId(const Counsellor& asking, const std::string& name) {
    auto listed =
        HttpGet(server_.port(), "/api/v1/colleagues", {{"Cookie", asking.session.cookie}});
    EXPECT_TRUE(listed && listed->status == 200) << (listed ? listed->body : "");
    if (!listed || listed->status != 200) return 0;
    const boost::json::value json = listed->Json().value();
    for (const auto& colleague : json.at("colleagues").as_array()) {
      if (Str(colleague.as_object(), "display_name") == name)
        return Int(colleague.as_object(), "id");
    }
    ADD_FAILURE() << name << " is not among " << listed->body;
    return 0;
  }

  // The next `offers` frame on `ws` whose list `which` has `count` entries.
  boost::json::object OffersWith(WsClient& ws, std::string_view which, std::size_t count) {
    const auto deadline = std::chrono::steady_clock::now() + 15s;
    while (std::chrono::steady_clock::now() < deadline) {
      auto offers = ws.Take("offers", 15s);
      if (!offers) break;
      if (offers->at(which).as_array().size() == count) return *offers;
    }
    ADD_FAILURE() << "no offers frame with " << count << " in " << which;
    return {};
  }
};

TEST_F(TransferTest, ASupervisorWhoWatchedAChatAndTakesItOverCounselsIt) {
  AcceptedChat chat = NewAcceptedChat("anna.k");
  Counsellor sanne = NewStaff("sanne", "supervisor");
  ASSERT_FALSE(HasFailure());
  const std::int64_t sanne_id = ColleagueId(chat.counsellor, "sanne");
  ASSERT_NE(sanne_id, 0);
  ASSERT_TRUE(sanne.ws.Send({{"type", "monitor"}, {"conversation_id", chat.id}}));
  ASSERT_TRUE(sanne.ws.Take("monitoring"));
  ASSERT_TRUE(chat.counsellor.ws.Send(
      boost::json::object{{"type", "transfer"}, {"conversation_id", chat.id}, {"to", sanne_id}}));
  ASSERT_TRUE(chat.counsellor.ws.Take("transfer_offered"));
  OffersWith(sanne.ws, "to_me", 1);
  ASSERT_TRUE(
      sanne.ws.Send(boost::json::object{{"type", "take_transfer"}, {"conversation_id", chat.id}}));
  auto assigned = sanne.ws.Take("assigned");
  ASSERT_TRUE(assigned) << assigned.error().message;

  ASSERT_TRUE(sanne.ws.Send({{"type", "typing"}, {"conversation_id", chat.id}}));
  auto typing = chat.visitor.ws.Take("typing");
  ASSERT_TRUE(typing) << "she counsels now: " << typing.error().message;
  EXPECT_EQ(Str(*typing, "from"), "counsellor");

  ASSERT_TRUE(sanne.ws.Send({{"type", "unmonitor"}, {"conversation_id", chat.id}}));
  EXPECT_EQ(NextErrorCode(sanne.ws), "not_found") << "she no longer watches; she counsels";
  const std::string said = Body("ben je er nog?");
  ASSERT_TRUE(chat.visitor.ws.Send(VisitorSend("v-1", said)));
  for (;;) {
    const auto message = NextMessage(sanne.ws);
    ASSERT_FALSE(message.empty()) << "her chat is still open on her console";
    if (Str(message, "body") == said) break;
  }
}

TEST_F(TransferTest, AColleagueTakesTheConversationWithTheNoteAndTheVisitorSeesOneLine) {
  AcceptedChat chat = NewAcceptedChat("anna.k");
  Counsellor bert = NewStaff("bert.v");
  ASSERT_FALSE(HasFailure());
  const std::int64_t bert_id = ColleagueId(chat.counsellor, "bert.v");
  ASSERT_NE(bert_id, 0);
  EXPECT_EQ(Int(NextMessage(chat.counsellor.ws), "seq"), 1) << "accepted";
  EXPECT_EQ(Str(NextMessage(chat.visitor.ws), "kind"), "accepted");

  const std::string note = Body("Ze is bang voor haar broer; praat rustig.");
  ASSERT_TRUE(chat.counsellor.ws.Send(boost::json::object{
      {"type", "transfer"}, {"conversation_id", chat.id}, {"to", bert_id}, {"note", note}}));
  auto offered = chat.counsellor.ws.Take("transfer_offered");
  ASSERT_TRUE(offered) << offered.error().message;
  const auto to_bert = OffersWith(bert.ws, "to_me", 1);
  ASSERT_FALSE(HasFailure());
  const auto& offer = to_bert.at("to_me").as_array()[0].as_object();
  EXPECT_EQ(Str(offer.at("conversation").as_object(), "id"), chat.id);
  EXPECT_EQ(Str(offer.at("from").as_object(), "display_name"), "anna.k");
  OffersWith(chat.counsellor.ws, "from_me", 1);

  ASSERT_TRUE(
      bert.ws.Send(boost::json::object{{"type", "take_transfer"}, {"conversation_id", chat.id}}));
  auto assigned = bert.ws.Take("assigned");
  ASSERT_TRUE(assigned) << assigned.error().message;
  std::vector<std::string> kinds;
  std::string note_seen;
  for (int i = 0; i < 3; ++i) {
    const auto message = NextMessage(bert.ws);
    kinds.push_back(Str(message, "kind"));
    if (Str(message, "kind") == "note") note_seen = Str(message, "body");
  }
  EXPECT_EQ(kinds, (std::vector<std::string>{"accepted", "note", "transferred"}));
  EXPECT_EQ(note_seen, note);

  const auto line = NextMessage(chat.visitor.ws);
  EXPECT_EQ(Str(line, "kind"), "transferred") << "no note before it, no greeting after it";
  EXPECT_EQ(Str(line, "author"), "bert.v");
  EXPECT_EQ(Str(NextMessage(chat.counsellor.ws), "kind"), "note");
  EXPECT_EQ(Str(NextMessage(chat.counsellor.ws), "kind"), "transferred");

  ASSERT_TRUE(chat.counsellor.ws.Send(StaffSend(chat.id, "a-9", "nog iets")));
  EXPECT_EQ(NextErrorCode(chat.counsellor.ws), "permission_denied");
  const std::string hello = Body("Hoi, ik ben Bert.");
  ASSERT_TRUE(bert.ws.Send(StaffSend(chat.id, "b-1", hello)));
  EXPECT_EQ(Str(NextMessage(chat.visitor.ws), "body"), hello);
  OffersWith(bert.ws, "to_me", 0);

  const std::string supervisor = NewStaff("sanne", "supervisor").session.cookie;
  auto audited = HttpGet(server_.port(), "/api/v1/audit?action=transfer", {{"Cookie", supervisor}});
  ASSERT_TRUE(audited && audited->status == 200);
  EXPECT_EQ(audited->Json().value().at("entries").as_array().size(), 2u) << audited->body;
  // The note that came with the offer is a note as any other.
  auto noted = HttpGet(server_.port(), "/api/v1/audit?action=note", {{"Cookie", supervisor}});
  ASSERT_TRUE(noted && noted->status == 200);
  EXPECT_EQ(noted->Json().value().at("entries").as_array().size(), 1u) << noted->body;
  ExpectNoSecretsIn(server_);
}

TEST_F(TransferTest, ADeclinedOrLapsedOfferLeavesTheConversationWhereItWas) {
  AcceptedChat chat = NewAcceptedChat("anna.k");
  Counsellor bert = NewStaff("bert.v");
  ASSERT_FALSE(HasFailure());
  const std::int64_t bert_id = ColleagueId(chat.counsellor, "bert.v");
  const boost::json::object transfer{
      {"type", "transfer"}, {"conversation_id", chat.id}, {"to", bert_id}};

  ASSERT_TRUE(chat.counsellor.ws.Send(transfer));
  ASSERT_TRUE(chat.counsellor.ws.Take("transfer_offered"));
  OffersWith(bert.ws, "to_me", 1);
  ASSERT_TRUE(bert.ws.Send(
      boost::json::object{{"type", "decline_transfer"}, {"conversation_id", chat.id}}));
  ASSERT_TRUE(bert.ws.Take("transfer_withdrawn"));
  OffersWith(chat.counsellor.ws, "from_me", 0);
  ASSERT_TRUE(
      bert.ws.Send(boost::json::object{{"type", "take_transfer"}, {"conversation_id", chat.id}}));
  EXPECT_EQ(NextErrorCode(bert.ws), "failed_precondition");

  // Not taken within transfer_seconds (5 here): it lapses.
  ASSERT_TRUE(chat.counsellor.ws.Send(transfer));
  ASSERT_TRUE(chat.counsellor.ws.Take("transfer_offered"));
  OffersWith(chat.counsellor.ws, "from_me", 1);
  OffersWith(chat.counsellor.ws, "from_me", 0);
  const std::string still = Body("Ik ben er nog.");
  ASSERT_TRUE(chat.counsellor.ws.Send(StaffSend(chat.id, "a-1", still)));
  bool reached = false;
  for (int i = 0; i < 4 && !reached; ++i)
    reached = Str(NextMessage(chat.visitor.ws), "body") == still;
  EXPECT_TRUE(reached);

  for (const boost::json::object& bad :
       {boost::json::object{{"type", "transfer"}, {"conversation_id", chat.id}},
        boost::json::object{{"type", "transfer"}, {"conversation_id", chat.id}, {"to", "bert"}},
        boost::json::object{{"type", "transfer"},
                            {"conversation_id", chat.id},
                            {"to", bert_id},
                            {"note", std::string(4001, 'x')}}}) {
    ASSERT_TRUE(chat.counsellor.ws.Send(bad));
    EXPECT_EQ(NextErrorCode(chat.counsellor.ws), "invalid_argument") << boost::json::serialize(bad);
  }
  ASSERT_TRUE(bert.ws.Send(transfer));
  EXPECT_EQ(NextErrorCode(bert.ws), "permission_denied") << "not bert's to offer";

  // To the queue instead: the visitor waits again and sees one line.
  ASSERT_TRUE(bert.ws.Send(boost::json::object{{"type", "release"}, {"conversation_id", chat.id}}));
  EXPECT_EQ(NextErrorCode(bert.ws), "failed_precondition") << "not bert's to hand back";
  ASSERT_TRUE(chat.counsellor.ws.Send(
      boost::json::object{{"type", "release"}, {"conversation_id", chat.id}}));
  bool released = false;
  for (int i = 0; i < 4 && !released; ++i)
    released = Str(NextMessage(chat.visitor.ws), "kind") == "released";
  EXPECT_TRUE(released);
  ASSERT_TRUE(bert.ws.Send(StaffAccept(chat.id)));
  ASSERT_TRUE(bert.ws.Take("assigned")) << "a colleague takes it from the queue";
}

}  // namespace
}  // namespace uitweg::support
