// The team at work: a supervisor sees who takes conversations and sets how many each takes at
// once; a counsellor at capacity is refused another (and nothing changes); "help the next
// person" takes the top of the queue.

#include "integration/server_test.hpp"

namespace uitweg::support {
namespace {

constexpr char kPassword[] = "correct horse battery";

using TeamTest = ServerTest;

// GET /api/v1/team as `supervisor`; an empty team when that fails (the failure is reported).
boost::json::value TeamSeenBy(std::uint16_t port, const StaffSession& supervisor) {
  auto team = HttpGet(port, "/api/v1/team", {{"Cookie", supervisor.cookie}});
  EXPECT_TRUE(team && team->status == 200) << (team ? team->body : team.error().message);
  if (!team || team->status != 200) return boost::json::object{{"team", boost::json::array()}};
  return team->Json().value();
}

TEST_F(TeamTest, ASupervisorSetsCapacityAndACounsellorAtCapacityIsRefused) {
  Counsellor anna = NewStaff("anna.k");
  ASSERT_FALSE(HasFailure());
  ASSERT_TRUE(AddStaff(server_.data_dir().string(), "sanne", kPassword, "supervisor"));
  auto supervisor = SignIn(server_.port(), "sanne", kPassword);
  ASSERT_TRUE(supervisor);

  const boost::json::value team = TeamSeenBy(server_.port(), *supervisor);
  const auto& members = team.at("team").as_array();
  std::int64_t anna_id = 0;
  for (const auto& member : members) {
    if (member.at("display_name").as_string() != "anna.k") continue;
    anna_id = member.at("id").as_int64();
    EXPECT_EQ(member.at("capacity").as_int64(), 3) << "the default";
    EXPECT_EQ(member.at("active").as_int64(), 0);
  }
  ASSERT_NE(anna_id, 0) << boost::json::serialize(team);

  const std::string target = "/api/v1/team/" + std::to_string(anna_id) + "/capacity";
  for (const char* bad : {R"({"capacity":0})", R"({"capacity":21})", R"({"capacity":"2"})", "{}"}) {
    auto refused = HttpCall(server_.port(), {"POST", target, bad, Auth(*supervisor)});
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->status, 400) << bad;
  }
  auto set = HttpCall(server_.port(), {"POST", target, R"({"capacity":1})", Auth(*supervisor)});
  ASSERT_TRUE(set && set->status == 200) << (set ? set->body : "");
  EXPECT_EQ(set->Json().value().at("member").at("capacity").as_int64(), 1);

  Visitor first = NewVisitor("Ada");
  Visitor second = NewVisitor("Bo");
  ASSERT_TRUE(anna.ws.Send({{"type", "accept_next"}}));
  auto assigned = anna.ws.Take("assigned");
  ASSERT_TRUE(assigned) << assigned.error().message;
  EXPECT_EQ(Str(assigned->at("conversation").as_object(), "id"), first.conversation.conversation_id)
      << "the top of the queue";
  ASSERT_TRUE(anna.ws.Send(StaffAccept(second.conversation.conversation_id)));
  EXPECT_EQ(NextErrorCode(anna.ws), "resource_exhausted");
  ASSERT_TRUE(anna.ws.Send({{"type", "accept_next"}}));
  EXPECT_EQ(NextErrorCode(anna.ws), "resource_exhausted");

  auto audited = HttpGet(server_.port(), "/api/v1/audit?action=capacity_changed",
                         {{"Cookie", supervisor->cookie}});
  ASSERT_TRUE(audited && audited->status == 200);
  EXPECT_EQ(audited->Json().value().at("entries").as_array().size(), 1u);
}

TEST_F(TeamTest, AMessageLeftThatACounsellorAnswersTakesNoPlaceInTheTeamView) {
  Counsellor anna = NewStaff("anna.k");
  ASSERT_FALSE(HasFailure());
  auto left = HttpCall(server_.port(),
                       {"POST",
                        "/api/v1/visitor/messages",
                        R"({"nickname":"Noor","body":"hallo"})",
                        {{"Origin", server_.Origin()}, {"Content-Type", "application/json"}}});
  ASSERT_TRUE(left && left->status == 201) << (left ? left->body : left.error().message);
  Accept(anna, Str(left->Json().value().as_object(), "conversation_id"));
  ASSERT_FALSE(HasFailure());
  AcceptedChat live = NewAcceptedChat("bert.v");
  ASSERT_FALSE(HasFailure());

  const boost::json::value listed =
      TeamSeenBy(server_.port(), NewStaff("sanne", "supervisor").session);
  std::map<std::string, std::pair<std::int64_t, std::size_t>> shown;
  for (const auto& member : listed.at("team").as_array()) {
    shown[std::string(member.at("display_name").as_string())] = {
        member.at("active").as_int64(), member.at("conversations").as_array().size()};
  }
  EXPECT_EQ(shown["anna.k"], (std::pair<std::int64_t, std::size_t>{0, 1}))
      << "listed, to watch, but taking no place: " << boost::json::serialize(listed);
  EXPECT_EQ(shown["bert.v"], (std::pair<std::int64_t, std::size_t>{1, 1}))
      << boost::json::serialize(listed);
}

// Set away in one window, a counsellor's other window learns it when it tries to take a chat.
TEST_F(TeamTest, AnAcceptRefusedForAvailabilitySetElsewhereSaysWhatTheAccountIsSetTo) {
  Counsellor anna = NewStaff("anna.k");
  ASSERT_FALSE(HasFailure());
  auto other_window = ConnectStaff(server_.port(), anna.session);
  ASSERT_TRUE(other_window) << other_window.error().message;
  ASSERT_TRUE(anna.ws.Send({{"type", "availability"}, {"availability", "away"}}));
  ASSERT_TRUE(anna.ws.Take("availability"));
  Visitor visitor = NewVisitor("Ada");
  ASSERT_TRUE(other_window->Send({{"type", "accept_next"}}));
  auto told = other_window->Take("availability");
  ASSERT_TRUE(told) << told.error().message;
  EXPECT_EQ(Str(*told, "availability"), "away");
  EXPECT_EQ(NextErrorCode(*other_window), "failed_precondition");
}

TEST_F(TeamTest, HelpingTheNextPersonWithNobodyWaitingSaysSo) {
  Counsellor anna = NewStaff("anna.k");
  ASSERT_FALSE(HasFailure());
  ASSERT_TRUE(anna.ws.Send({{"type", "accept_next"}}));
  EXPECT_EQ(NextErrorCode(anna.ws), "not_found");
}

TEST_F(TeamTest, TheQueueShowsCounsellorsTheStartOfWhatAWaitingVisitorWrote) {
  Counsellor anna = NewStaff("anna.k");
  ASSERT_FALSE(HasFailure());
  Visitor visitor = NewVisitor("Ada");
  const std::string first = Body("first line");
  ASSERT_TRUE(visitor.ws.Send(VisitorSend("v-1", first + "\nand more")));
  ASSERT_TRUE(visitor.ws.Take("ack"));
  bool shown = false;
  for (int i = 0; i < 5 && !shown; ++i) {
    auto change = anna.ws.Take("queue_changes");
    ASSERT_TRUE(change) << change.error().message;
    for (const auto& entry : change->at("changed").as_array()) {
      shown = shown || entry.at("first_line").as_string() == first;
    }
  }
  EXPECT_TRUE(shown) << "the waiting visitor's first line reached the console";
  // A console that connects later gets it with the queue.
  Counsellor bert = NewStaff("bert.v");
  ASSERT_FALSE(HasFailure());
  auto queue = bert.ws.Take("queue");
  ASSERT_TRUE(queue);
  EXPECT_EQ(queue->at("waiting").as_array().at(0).at("first_line").as_string(), first);
}

TEST_F(TeamTest, ACounsellorWhoIsBusyTakesNoNewChatsAndOneWhoGoesAwayHandsTheirsBack) {
  AcceptedChat chat = NewAcceptedChat("anna.k");
  ASSERT_FALSE(HasFailure());
  Visitor next = NewVisitor("Bo");

  ASSERT_TRUE(chat.counsellor.ws.Send({{"type", "availability"}, {"availability", "busy"}}));
  auto busy = chat.counsellor.ws.Take("availability");
  ASSERT_TRUE(busy) << busy.error().message;
  EXPECT_EQ(Str(*busy, "availability"), "busy");
  ASSERT_TRUE(chat.counsellor.ws.Send(StaffAccept(next.conversation.conversation_id)));
  EXPECT_EQ(NextErrorCode(chat.counsellor.ws), "failed_precondition");
  // Busy keeps what one has: the conversation goes on.
  ASSERT_TRUE(chat.counsellor.ws.Send(StaffSend(chat.id, "c-1", "nog even")));
  ASSERT_TRUE(chat.counsellor.ws.Take("ack"));

  ASSERT_TRUE(chat.counsellor.ws.Send({{"type", "availability"}, {"availability", "gone"}}));
  EXPECT_EQ(NextErrorCode(chat.counsellor.ws), "invalid_argument");
  ASSERT_TRUE(chat.counsellor.ws.Send({{"type", "availability"}, {"availability", "away"}}));
  ASSERT_TRUE(chat.counsellor.ws.Take("availability"));
  bool released = false;
  for (int i = 0; i < 5 && !released; ++i)
    released = Str(NextMessage(chat.visitor.ws), "kind") == "released";
  EXPECT_TRUE(released) << "the visitor sees one line and waits again";

  ASSERT_TRUE(AddStaff(server_.data_dir().string(), "sanne", kPassword, "supervisor"));
  auto supervisor = SignIn(server_.port(), "sanne", kPassword);
  ASSERT_TRUE(supervisor);
  const boost::json::value listed = TeamSeenBy(server_.port(), *supervisor);
  bool shown = false;
  for (const auto& member : listed.at("team").as_array()) {
    if (member.at("display_name").as_string() != "anna.k") continue;
    EXPECT_EQ(member.at("availability").as_string(), "away");
    EXPECT_EQ(member.at("active").as_int64(), 0);
    shown = true;
  }
  EXPECT_TRUE(shown);
  auto audited = HttpGet(server_.port(), "/api/v1/audit?action=availability_changed",
                         {{"Cookie", supervisor->cookie}});
  ASSERT_TRUE(audited && audited->status == 200);
  const boost::json::value entries = audited->Json().value();
  EXPECT_EQ(entries.at("entries").as_array().size(), 2u) << audited->body;

  // A console that says hello again is told where it stands.
  ASSERT_TRUE(chat.counsellor.ws.Send({{"type", "hello"}}));
  auto told = chat.counsellor.ws.Take("welcome");
  ASSERT_TRUE(told) << told.error().message;
  EXPECT_EQ(Str(told->at("me").as_object(), "availability"), "away");
}

TEST_F(TeamTest, AWaitingVisitorIsToldTheirPlaceAndWhatToExpectFromHowFastTheQueueMoves) {
  Counsellor anna = NewStaff("anna.k");
  ASSERT_FALSE(HasFailure());
  Visitor first = NewVisitor("Ada");
  Visitor second = NewVisitor("Bo");
  Visitor third = NewVisitor("Cas");
  Accept(anna, first.conversation.conversation_id);
  // One left the queue just now: it counts over the minimum span of ten minutes.
  for (auto* visitor : {&second, &third}) {
    auto moved = visitor->ws.Take("queue");
    ASSERT_TRUE(moved) << moved.error().message;
    const std::int64_t place = Int(*moved, "queue_position");
    EXPECT_EQ(Int(*moved, "expected_wait_ms"), place * 10 * 60 * 1000) << "place " << place;
  }
  boost::json::object welcome;
  auto reconnected = ConnectVisitor(server_.port(), third.conversation.resume_token, 0, &welcome);
  ASSERT_TRUE(reconnected);
  EXPECT_EQ(Int(welcome, "expected_wait_ms"), 2 * 10 * 60 * 1000);
}

TEST_F(TeamTest, SupervisorsKeepTheLibraryOfCannedResponsesCounsellorsReadIt) {
  Counsellor anna = NewStaff("anna.k");
  Counsellor sanne = NewStaff("sanne", "supervisor");
  ASSERT_FALSE(HasFailure());
  const std::string welcome =
      R"({"title":"Welkom","body":"Fijn dat je er bent.\n\tJe bent anoniem.","language":"nl","tags":["Begin","anoniem"]})";
  auto created = HttpCall(server_.port(), {"POST", "/api/v1/canned", welcome, Auth(sanne.session)});
  ASSERT_TRUE(created && created->status == 201) << (created ? created->body : "");
  const boost::json::value made = created->Json().value();
  const std::int64_t id = made.at("response").at("id").as_int64();
  EXPECT_EQ(made.at("response").at("tags").as_array().at(0).as_string(), "begin");

  for (const char* bad :
       {R"({"title":"","body":"x","language":"nl"})", R"({"title":"x","body":"","language":"nl"})",
        R"({"title":"x","body":"x","language":"de"})",
        R"({"title":"x","body":"x","language":"nl","tags":["met spatie"]})",
        R"({"title":"x","body":"x","language":"nl","tags":"los"})",
        R"({"title":"x","body":"betaal \u202Eetsaw","language":"nl"})",
        R"({"title":"x","body":"on\u200Bzichtbaar","language":"nl"})", "[]"}) {
    auto refused = HttpCall(server_.port(), {"POST", "/api/v1/canned", bad, Auth(sanne.session)});
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->status, 400) << bad;
  }
  auto by_counsellor =
      HttpCall(server_.port(), {"POST", "/api/v1/canned", welcome, Auth(anna.session)});
  ASSERT_TRUE(by_counsellor);
  EXPECT_EQ(by_counsellor->status, 403);

  const std::string path = "/api/v1/canned/" + std::to_string(id);
  auto beyond = HttpCall(server_.port(), {"POST", path,
                                          R"({"title":"x","body":"x","language":"nl",)"
                                          R"("based_on":9223372036854775807})",
                                          Auth(sanne.session)});
  ASSERT_TRUE(beyond);
  EXPECT_EQ(beyond->status, 400) << "no version comes after it";
  auto changed = HttpCall(
      server_.port(),
      {"POST", path,
       R"({"title":"Welkom!","body":"Goed dat je schrijft. Hulp\u00ADverlening, \u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645 \uD83D\uDC4D","language":"nl"})",
       Auth(sanne.session)});
  ASSERT_TRUE(changed && changed->status == 200) << (changed ? changed->body : "");
  auto listed = HttpGet(server_.port(), "/api/v1/canned", {{"Cookie", anna.session.cookie}});
  ASSERT_TRUE(listed && listed->status == 200);
  const boost::json::value library = listed->Json().value();
  ASSERT_EQ(library.at("responses").as_array().size(), 1u);
  EXPECT_EQ(library.at("responses").as_array()[0].at("body").as_string(),
            "Goed dat je schrijft. Hulp\u00ADverlening, "
            "\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645 \U0001F44D")
      << "a soft hyphen, a Persian joiner and an emoji are text";

  auto removed = HttpCall(server_.port(), {"DELETE", path, "", Auth(sanne.session)});
  ASSERT_TRUE(removed);
  EXPECT_EQ(removed->status, 204);
  auto again = HttpCall(server_.port(), {"DELETE", path, "", Auth(sanne.session)});
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 404);

  auto audited = HttpGet(server_.port(), "/api/v1/audit?action=canned_changed",
                         {{"Cookie", sanne.session.cookie}});
  ASSERT_TRUE(audited && audited->status == 200);
  const boost::json::value entries = audited->Json().value();
  EXPECT_EQ(entries.at("entries").as_array().size(), 3u) << audited->body;
}

// The queue change that shows the conversation with `urgency`, among the next few.
boost::json::object ChangeShowing(WsClient& ws, const std::string& conversation_id,
                                  std::int64_t urgency) {
  for (int i = 0; i < 8; ++i) {
    auto change = ws.Take("queue_changes");
    if (!change) break;
    for (const char* part : {"added", "changed"}) {
      for (const auto& entry : change->at(part).as_array()) {
        if (entry.at("conversation_id").as_string() == conversation_id &&
            entry.at("urgency").as_int64() == urgency) {
          return entry.as_object();
        }
      }
    }
  }
  ADD_FAILURE() << "no queue change showed " << conversation_id << " at urgency " << urgency;
  return {};
}

TEST_F(TeamTest, TriageMarksAWaitingVisitorUrgentAndSaysWhyACounsellorMayChangeItAudited) {
  Counsellor anna = NewStaff("anna.k");
  ASSERT_FALSE(HasFailure());
  Visitor calm = NewVisitor("Ada");
  Visitor scared = NewVisitor("Bo");
  const std::string id = scared.conversation.conversation_id;
  const std::string words = "Ze weten waar ik woon";
  Secret(words);
  ASSERT_TRUE(scared.ws.Send(VisitorSend("v-1", words + " en ik moet morgen weer.")));
  ASSERT_TRUE(scared.ws.Take("ack"));

  const boost::json::object urgent = ChangeShowing(anna.ws, id, 2);
  ASSERT_FALSE(HasFailure());
  const auto& said = urgent.at("triage_words").as_array();
  EXPECT_NE(std::find(said.begin(), said.end(), boost::json::value(words)), said.end())
      << boost::json::serialize(urgent);
  EXPECT_FALSE(urgent.at("urgency_marked").as_bool());
  // A console that connects now sees it at the top.
  Counsellor bert = NewStaff("bert.v");
  ASSERT_FALSE(HasFailure());
  auto queue = bert.ws.Take("queue");
  ASSERT_TRUE(queue);
  EXPECT_EQ(queue->at("waiting").as_array().at(0).at("conversation_id").as_string(), id);

  for (const char* bad : {R"({"type":"mark","conversation_id":"X","urgency":3})",
                          R"({"type":"mark","conversation_id":"X","urgency":"2"})",
                          R"({"type":"mark","conversation_id":"X"})"}) {
    std::string frame = bad;
    frame.replace(frame.find("\"X\""), 3, "\"" + id + "\"");
    ASSERT_TRUE(anna.ws.SendText(frame));
    EXPECT_EQ(NextErrorCode(anna.ws), "invalid_argument") << bad;
  }
  ASSERT_TRUE(anna.ws.Send({{"type", "mark"}, {"conversation_id", id}, {"urgency", 0}}));
  const boost::json::object lowered = ChangeShowing(bert.ws, id, 0);
  ASSERT_FALSE(HasFailure());
  EXPECT_TRUE(lowered.at("urgency_marked").as_bool());

  // A visitor cannot mark.
  ASSERT_TRUE(calm.ws.Send({{"type", "mark"}, {"conversation_id", id}, {"urgency", 2}}));
  EXPECT_EQ(NextErrorCode(calm.ws), "invalid_argument");

  ASSERT_TRUE(AddStaff(server_.data_dir().string(), "sanne", kPassword, "supervisor"));
  auto supervisor = SignIn(server_.port(), "sanne", kPassword);
  ASSERT_TRUE(supervisor);
  auto audited = HttpGet(server_.port(), "/api/v1/audit?action=urgency_changed",
                         {{"Cookie", supervisor->cookie}});
  ASSERT_TRUE(audited && audited->status == 200);
  const boost::json::value listed = audited->Json().value();
  const auto& entries = listed.at("entries").as_array();
  ASSERT_EQ(entries.size(), 1u) << audited->body;
  EXPECT_EQ(entries[0].at("detail").as_string(), "2 -> 0");
  EXPECT_EQ(entries[0].at("conversation_id").as_string(), id);
}

}  // namespace
}  // namespace uitweg::support
