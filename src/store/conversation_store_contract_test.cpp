// The ConversationStore contract: every backend in ContractBackends() passes every case here.
#include <array>
#include <atomic>
#include <barrier>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

#include "store/contract_fixture.hpp"

namespace uitweg::store {
namespace {

using model::Conversation;
using model::ConversationStatus;
using model::EndReason;
using model::Message;
using model::MessageKind;
using model::Sender;
using model::StaffAccount;

using ConversationStoreContractTest = StoreContractTest;

TEST_P(ConversationStoreContractTest, CreatesAndFindsConversations) {
  const Conversation created = Waiting("c_1", 3);
  EXPECT_EQ(created.status, ConversationStatus::waiting);
  const Conversation found = conversations().Find("c_1").value();
  EXPECT_EQ(found.urgency, 3);
  EXPECT_EQ(found.last_seq, 0);
  EXPECT_EQ(found.created_at, kT0);
  EXPECT_FALSE(found.counsellor_id);
  EXPECT_FALSE(found.end_reason);
  EXPECT_EQ(conversations().FindByResumeToken("resume-c_1").value().id, "c_1");
  EXPECT_EQ(conversations().FindByResumeToken("nope").error().code, core::Errc::not_found);
  EXPECT_EQ(conversations().Find("c_2").error().code, core::Errc::not_found);
  auto again = Create(NewConversation{.id = "c_1",
                                      .resume_token_hash = "x",
                                      .subject = model::Subject::other,
                                      .nickname = "",
                                      .urgency = 0,
                                      .created_at = kT0});
  EXPECT_EQ(again.error().code, core::Errc::already_exists);
  EXPECT_EQ(Create(NewConversation{.id = "", .resume_token_hash = "y"}).error().code,
            core::Errc::invalid_argument);
}

TEST_P(ConversationStoreContractTest, VisitorSeenMovesForwardWhileWaitingOnly) {
  Waiting("c_1");
  auto mark = [&](UnixMillis at) {
    return Await<void>([&](Done<void> done) { conversations().MarkVisitorSeen("c_1", at, done); });
  };
  EXPECT_FALSE(conversations().Find("c_1")->visitor_seen_at);
  ASSERT_TRUE(mark(kT0 + 20));
  ASSERT_TRUE(mark(kT0 + 10));
  EXPECT_EQ(conversations().Find("c_1")->visitor_seen_at, kT0 + 20) << "never back";
  EXPECT_EQ(conversations().Find("c_1")->last_seq, 0) << "no entry";
  ASSERT_TRUE(Accept("c_1", Counsellor("anna").id));
  ASSERT_TRUE(mark(kT0 + 30));
  EXPECT_EQ(conversations().Find("c_1")->visitor_seen_at, kT0 + 20) << "only while waiting";
  EXPECT_EQ(
      Await<void>([&](Done<void> done) { conversations().MarkVisitorSeen("nope", kT0, done); })
          .error()
          .code,
      core::Errc::not_found);
}

TEST_P(ConversationStoreContractTest, FindsManyAtOnceSkippingTheUnknown) {
  Waiting("c_1", 1, kT0, "Sam");
  Waiting("c_2", 2);
  Waiting("c\"3,{x}", 3);
  const std::vector<std::string> ids{"c_2", "nope", "c_1", "c\"3,{x}"};
  auto found = conversations().FindAll(ids);
  ASSERT_TRUE(found) << found.error().message;
  std::map<std::string, Conversation> by_id;
  for (Conversation& conversation : *found) by_id[conversation.id] = conversation;
  ASSERT_EQ(by_id.size(), 3u);
  EXPECT_EQ(by_id["c_1"].nickname, "Sam");
  EXPECT_EQ(by_id["c_2"].urgency, 2);
  EXPECT_EQ(by_id["c\"3,{x}"].urgency, 3) << "ids are data, whatever they hold";
  EXPECT_TRUE(conversations().FindAll({})->empty());
}
TEST_P(ConversationStoreContractTest, QueueIsMostUrgentThenLongestWaiting) {
  Waiting("c_new_calm", 0, kT0 + 300);
  Waiting("c_old_calm", 0, kT0 + 100);
  Waiting("c_urgent_late", 5, kT0 + 400);
  Waiting("c_urgent_early", 5, kT0 + 200);
  const StaffAccount anna = Counsellor("anna");
  Waiting("c_taken", 9, kT0);
  ASSERT_TRUE(Accept("c_taken", anna.id, kT0 + 500));
  std::vector<std::string> order;
  for (const auto& c : conversations().ListWaiting(WaitingIn::live_queue).value())
    order.push_back(c.id);
  EXPECT_EQ(order, (std::vector<std::string>{"c_urgent_early", "c_urgent_late", "c_old_calm",
                                             "c_new_calm"}));
  const Conversation raised = SetUrgency("c_new_calm", 7).value();
  EXPECT_EQ(raised.urgency, 7);
  EXPECT_EQ(conversations().ListWaiting(WaitingIn::live_queue).value().front().id, "c_new_calm");
  EXPECT_EQ(SetUrgency("c_none", 1).error().code, core::Errc::not_found);
}

TEST_P(ConversationStoreContractTest, ACounsellorsEndedConversationsListNewestFirstWithinAPeriod) {
  const StaffAccount anna = Counsellor("anna");
  const StaffAccount bert = Counsellor("bert");
  for (int i = 1; i <= 4; ++i) {
    const std::string id = "c_" + std::to_string(i);
    Waiting(id, 0, kT0 + i, "Nick " + std::to_string(i));
    ASSERT_TRUE(Accept(id, i == 3 ? bert.id : anna.id, kT0 + 10 * i));
    if (i != 4) {
      ASSERT_TRUE(End(id, model::EndReason::counsellor, kT0 + 1000 * i));
    }
  }
  const auto ids = [](const std::vector<Conversation>& list) {
    std::vector<std::string> out;
    for (const Conversation& c : list) out.push_back(c.id);
    return out;
  };
  auto all = conversations().ListEndedFor(anna.id, 0, kT0 + 10'000, 10);
  ASSERT_TRUE(all) << all.error().message;
  EXPECT_EQ(ids(*all), (std::vector<std::string>{"c_2", "c_1"})) << "ended, hers, newest first";
  EXPECT_EQ(all->front().nickname, "Nick 2");
  EXPECT_EQ(ids(conversations().ListEndedFor(anna.id, kT0 + 1500, kT0 + 10'000, 10).value()),
            std::vector<std::string>{"c_2"});
  EXPECT_EQ(ids(conversations().ListEndedFor(anna.id, 0, kT0 + 2000, 10).value()),
            std::vector<std::string>{"c_1"})
      << "until is exclusive";
  EXPECT_EQ(conversations().ListEndedFor(anna.id, 0, kT0 + 10'000, 1).value().size(), 1u);
  ASSERT_TRUE(Await<void>([&](Done<void> done) { conversations().RequestForget("c_2", done); }));
  EXPECT_EQ(ids(conversations().ListEndedFor(anna.id, 0, kT0 + 10'000, 10).value()),
            std::vector<std::string>{"c_1"})
      << "its visitor asked for it to be forgotten";
}

TEST_P(ConversationStoreContractTest, FeedbackIsTakenOnceAfterTheEnd) {
  Waiting("c_1");
  const model::Feedback answers{.helped = "yes", .would_return = "maybe"};
  EXPECT_EQ(RecordFeedback("c_1", answers).error().code, core::Errc::failed_precondition);
  ASSERT_TRUE(End("c_1", model::EndReason::visitor, kT0 + 1));
  ASSERT_TRUE(RecordFeedback("c_1", answers));
  EXPECT_EQ(RecordFeedback("c_1", answers).error().code, core::Errc::already_exists);
  EXPECT_EQ(RecordFeedback("c_none", answers).error().code, core::Errc::not_found);
  Waiting("c_2");
  ASSERT_TRUE(End("c_2", model::EndReason::visitor, kT0 + 2));
  EXPECT_TRUE(RecordFeedback("c_2", model::Feedback{.helped = "no"})) << "one answer is enough";
}

TEST_P(ConversationStoreContractTest, StaffOnlyEntriesNeedALiveConversationAndKeepTheirKind) {
  const StaffAccount anna = Counsellor("anna");
  const StaffAccount sanne = Counsellor("sanne");
  Waiting("c_1");
  const auto note = [&](const std::string& client_id, model::MessageKind kind,
                        std::int64_t author) {
    return Append(NewMessage{.conversation_id = "c_1",
                             .kind = kind,
                             .sender = model::Sender::counsellor,
                             .author_id = author,
                             .client_id = client_id,
                             .body = "internal",
                             .created_at = kT0 + 2});
  };
  EXPECT_EQ(note("n-0", model::MessageKind::note, anna.id).error().code,
            core::Errc::failed_precondition)
      << "not while waiting";
  ASSERT_TRUE(Accept("c_1", anna.id, kT0 + 1));
  auto noted = note("n-1", model::MessageKind::note, anna.id);
  ASSERT_TRUE(noted) << noted.error().message;
  EXPECT_EQ(noted->message.kind, model::MessageKind::note);
  // Any staff author: who may write one is the chat layer's to decide.
  auto whispered = note("w-1", model::MessageKind::whisper, sanne.id);
  ASSERT_TRUE(whispered) << whispered.error().message;
  EXPECT_EQ(whispered->message.seq, noted->message.seq + 1);
  EXPECT_TRUE(note("w-1", model::MessageKind::whisper, sanne.id)->duplicate);
  // A whisper meant for the chat's counsellor lands only while it is theirs.
  const auto for_counsellor = [&](const std::string& client_id, std::int64_t counsellor) {
    return Append(NewMessage{.conversation_id = "c_1",
                             .kind = model::MessageKind::whisper,
                             .sender = model::Sender::counsellor,
                             .author_id = sanne.id,
                             .assigned_to = counsellor,
                             .client_id = client_id,
                             .body = "internal",
                             .created_at = kT0 + 2});
  };
  const auto handed_over = for_counsellor("w-2", sanne.id);
  ASSERT_FALSE(handed_over);
  EXPECT_EQ(handed_over.error().code, core::Errc::failed_precondition);
  EXPECT_EQ(handed_over.error().message,
            "the conversation was handed over to a colleague meanwhile");
  ASSERT_TRUE(for_counsellor("w-3", anna.id));
  ASSERT_TRUE(for_counsellor("w-3", sanne.id)->duplicate) << "a resend is answered as before";

  const auto stored = conversations().MessagesAfter("c_1", 0, 10).value();
  ASSERT_EQ(stored.size(), 4u);
  EXPECT_EQ(stored[1].kind, model::MessageKind::note);
  EXPECT_EQ(stored[1].body, "internal");
  EXPECT_EQ(stored[2].kind, model::MessageKind::whisper);
  EXPECT_EQ(stored[2].author_id, sanne.id);

  EXPECT_EQ(Append(NewMessage{.conversation_id = "c_1",
                              .kind = model::MessageKind::note,
                              .sender = model::Sender::visitor,
                              .client_id = "v-1",
                              .body = "x"})
                .error()
                .code,
            core::Errc::invalid_argument)
      << "a visitor writes no note";
  EXPECT_EQ(Append(NewMessage{.conversation_id = "c_1",
                              .kind = model::MessageKind::ended,
                              .sender = model::Sender::counsellor,
                              .author_id = anna.id,
                              .client_id = "e-1",
                              .body = "x"})
                .error()
                .code,
            core::Errc::invalid_argument);
  ASSERT_TRUE(End("c_1", model::EndReason::counsellor, kT0 + 3));
  EXPECT_EQ(note("n-2", model::MessageKind::note, anna.id).error().code,
            core::Errc::failed_precondition);
  // A referral the visitor agreed to is recorded after the end, by the chat's counsellor alone.
  EXPECT_EQ(note("r-0", model::MessageKind::referral, sanne.id).error().code,
            core::Errc::failed_precondition);
  auto referred = note("r-1", model::MessageKind::referral, anna.id);
  ASSERT_TRUE(referred) << referred.error().message;
  EXPECT_EQ(referred->message.kind, model::MessageKind::referral);
  EXPECT_TRUE(note("r-1", model::MessageKind::referral, anna.id)->duplicate);
  ASSERT_TRUE(Shred("c_1"));
  EXPECT_EQ(note("r-2", model::MessageKind::referral, anna.id).error().code,
            core::Errc::failed_precondition)
      << "nothing is written into a deleted conversation";
}

TEST_P(ConversationStoreContractTest, UrgencySetByHandSticksAgainstTriage) {
  const StaffAccount anna = Counsellor("anna");
  Waiting("c_1");
  const Conversation triaged = SetUrgency("c_1", model::kUrgencyRaised).value();
  EXPECT_EQ(triaged.urgency, model::kUrgencyRaised);
  EXPECT_FALSE(triaged.urgency_marked_by);
  // Two texts assessed before either write came back: triage only ever raises.
  EXPECT_EQ(SetUrgency("c_1", model::kUrgencyUrgent).value().urgency, model::kUrgencyUrgent);
  EXPECT_EQ(SetUrgency("c_1", model::kUrgencyRaised).value().urgency, model::kUrgencyUrgent);

  const Conversation marked = SetUrgency("c_1", model::kUrgencyNormal, anna.id).value();
  EXPECT_EQ(marked.urgency, model::kUrgencyNormal);
  EXPECT_EQ(marked.urgency_marked_by, anna.id);

  // Triage no longer moves it; a person still can.
  EXPECT_EQ(SetUrgency("c_1", model::kUrgencyUrgent).value().urgency, model::kUrgencyNormal);
  EXPECT_EQ(conversations().Find("c_1").value().urgency_marked_by, anna.id);
  EXPECT_EQ(SetUrgency("c_1", model::kUrgencyUrgent, anna.id).value().urgency,
            model::kUrgencyUrgent);
}

TEST_P(ConversationStoreContractTest, AcceptAssignsAndAppendsEvent) {
  const StaffAccount anna = Counsellor("anna");
  Waiting("c_1");
  ASSERT_TRUE(Send("c_1", "m1"));
  const Transition accepted = Accept("c_1", anna.id, kT0 + 10).value();
  EXPECT_EQ(accepted.conversation.status, ConversationStatus::active);
  EXPECT_EQ(accepted.conversation.counsellor_id, anna.id);
  EXPECT_EQ(accepted.conversation.accepted_at, kT0 + 10);
  EXPECT_EQ(accepted.conversation.last_seq, 2);
  EXPECT_EQ(accepted.event.kind, MessageKind::accepted);
  EXPECT_EQ(accepted.event.seq, 2);
  EXPECT_EQ(accepted.event.author_id, anna.id);
  const auto active = conversations().ListActiveFor(anna.id).value();
  ASSERT_EQ(active.size(), 1u);
  EXPECT_EQ(active[0].id, "c_1");
  EXPECT_EQ(Accept("c_none", anna.id).error().code, core::Errc::not_found);
}

TEST_P(ConversationStoreContractTest, ReleaseHandsTheConversationBackToTheQueueWithAnEvent) {
  const StaffAccount anna = Counsellor("anna");
  const StaffAccount bert = Counsellor("bert");
  Waiting("c_1", 0, kT0);
  Waiting("c_2", 0, kT0 + 5);
  ASSERT_TRUE(Accept("c_1", anna.id, kT0 + 10));
  EXPECT_EQ(Release("c_1", bert.id).error().code, core::Errc::failed_precondition)
      << "only the counsellor it is assigned to";
  EXPECT_EQ(Release("c_2", anna.id).error().code, core::Errc::failed_precondition)
      << "a waiting conversation";

  const Transition released = Release("c_1", anna.id, kT0 + 20).value();
  EXPECT_EQ(released.conversation.status, ConversationStatus::waiting);
  EXPECT_FALSE(released.conversation.counsellor_id.has_value());
  EXPECT_EQ(released.event.kind, MessageKind::released);
  EXPECT_EQ(released.event.sender, Sender::system);
  EXPECT_EQ(released.event.author_id, anna.id);
  EXPECT_EQ(released.event.seq, 2);
  EXPECT_EQ(released.conversation.visitor_seen_at, kT0 + 20)
      << "the visitor's time away counts from the release, on every node";
  EXPECT_TRUE(conversations().ListActiveFor(anna.id).value().empty());
  const auto waiting = conversations().ListWaiting(WaitingIn::live_queue).value();
  ASSERT_EQ(waiting.size(), 2u);
  EXPECT_EQ(waiting[0].id, "c_1") << "it keeps its place: waiting since it started";
  EXPECT_EQ(Send("c_1", "late", "hoi", anna.id).error().code, core::Errc::permission_denied);

  const Transition again = Accept("c_1", bert.id, kT0 + 30).value();
  EXPECT_EQ(again.event.seq, 3);
  EXPECT_EQ(again.conversation.counsellor_id, bert.id);
  const auto entries = conversations().MessagesAfter("c_1", 0, 10).value();
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[1].kind, MessageKind::released);
  Reopen();
  EXPECT_EQ(conversations().MessagesAfter("c_1", 1, 1).value()[0].kind, MessageKind::released);
  ASSERT_TRUE(End("c_1", model::EndReason::counsellor));
  EXPECT_EQ(Release("c_1", bert.id).error().code, core::Errc::failed_precondition);
}

TEST_P(ConversationStoreContractTest, AcceptRaceHasExactlyOneWinner) {
  const StaffAccount anna = Counsellor("anna");
  const StaffAccount bert = Counsellor("bert");
  for (int round = 0; round < 20; ++round) {
    const std::string id = "c_" + std::to_string(round);
    Waiting(id);
    std::barrier start(2);
    Result<Transition> results[2] = {core::Fail(core::Errc::internal, ""),
                                     core::Fail(core::Errc::internal, "")};
    std::thread a([&] {
      start.arrive_and_wait();
      results[0] = Accept(id, anna.id);
    });
    std::thread b([&] {
      start.arrive_and_wait();
      results[1] = Accept(id, bert.id);
    });
    a.join();
    b.join();
    ASSERT_NE(results[0].has_value(), results[1].has_value()) << id;
    const auto& loser = results[0] ? results[1] : results[0];
    EXPECT_EQ(loser.error().code, core::Errc::failed_precondition);
    EXPECT_EQ(conversations().Find(id).value().last_seq, 1);
    ASSERT_TRUE(End(id, EndReason::counsellor)) << "the winner's place is free for the next round";
  }
}

TEST_P(ConversationStoreContractTest, TakingALiveConversationNeedsALivePlace) {
  const StaffAccount anna = Counsellor("anna");
  const StaffAccount bert = Counsellor("bert");
  ASSERT_TRUE(accounts().SetCapacity(anna.id, 2));
  ASSERT_TRUE(accounts().SetCapacity(bert.id, 1));
  for (const char* id : {"c_1", "c_2", "c_3", "c_4"}) Waiting(id);
  ASSERT_TRUE(Accept("c_1", anna.id));
  ASSERT_TRUE(Accept("c_2", anna.id));
  EXPECT_EQ(Accept("c_3", anna.id).error().code, core::Errc::resource_exhausted);
  EXPECT_EQ(conversations().Find("c_3").value().status, ConversationStatus::waiting);
  EXPECT_EQ(conversations().Find("c_3").value().last_seq, 0) << "no event for a refusal";
  EXPECT_EQ(Accept("c_3", 999999).error().code, core::Errc::not_found);

  ASSERT_TRUE(Create(NewConversation{.id = "c_left",
                                     .resume_token_hash = "resume-left",
                                     .subject = model::Subject::self,
                                     .created_at = kT0,
                                     .offline = true,
                                     .pickup_code_hash = "code-left"}));
  EXPECT_TRUE(Accept("c_left", anna.id)) << "a message left takes no live place";

  // A transfer is taken only into a free place.
  ASSERT_TRUE(Accept("c_4", bert.id));
  ASSERT_TRUE(Await<Conversation>([&](Done<Conversation> done) {
    conversations().OfferTransfer("c_1", anna.id, bert.id, kT0 + 1, done);
  }));
  const auto take = [&] {
    return Await<Transition>([&](Done<Transition> done) {
      conversations().TakeTransfer("c_1", bert.id, kT0 + 2, done);
    });
  };
  EXPECT_EQ(take().error().code, core::Errc::resource_exhausted);
  ASSERT_TRUE(End("c_4", EndReason::counsellor));
  EXPECT_TRUE(take()) << "once a place is free";

  // Ending one frees a place; a counsellor who is not available takes none.
  ASSERT_TRUE(accounts().SetAvailability(anna.id, model::Availability::busy));
  EXPECT_EQ(Accept("c_3", anna.id).error().code, core::Errc::failed_precondition);
  ASSERT_TRUE(accounts().SetAvailability(anna.id, model::Availability::available));
  EXPECT_TRUE(Accept("c_3", anna.id));
}

TEST_P(ConversationStoreContractTest, TwoAcceptsForTheLastPlaceLetOneThrough) {
  const StaffAccount anna = Counsellor("anna");
  ASSERT_TRUE(accounts().SetCapacity(anna.id, 1));
  for (int round = 0; round < 20; ++round) {
    const std::array<std::string, 2> ids = {"a_" + std::to_string(round),
                                            "b_" + std::to_string(round)};
    for (const std::string& id : ids) Waiting(id);
    std::barrier start(2);
    std::array<Result<Transition>, 2> results = {core::Fail(core::Errc::internal, ""),
                                                 core::Fail(core::Errc::internal, "")};
    std::array<std::thread, 2> tabs;
    for (std::size_t tab = 0; tab < 2; ++tab) {
      tabs[tab] = std::thread([&, tab] {
        start.arrive_and_wait();
        results[tab] = Accept(ids[tab], anna.id);
      });
    }
    for (std::thread& tab : tabs) tab.join();
    ASSERT_NE(results[0].has_value(), results[1].has_value()) << "round " << round;
    const std::size_t won = results[0] ? 0 : 1;
    EXPECT_EQ(results[1 - won].error().code, core::Errc::resource_exhausted);
    ASSERT_TRUE(End(ids[won], EndReason::counsellor));
  }
}

// A counsellor's end is checked in the write: one who pressed End as a colleague took the
// conversation over (or it went back to the queue) ends nothing.
TEST_P(ConversationStoreContractTest, ACounsellorEndsOnlyAConversationStillWithThem) {
  const StaffAccount anna = Counsellor("anna");
  const StaffAccount bert = Counsellor("bert");
  Waiting("c_1");
  EXPECT_EQ(EndByCounsellor("c_1", anna.id).error().code, core::Errc::failed_precondition)
      << "still waiting";
  ASSERT_TRUE(Accept("c_1", anna.id));
  ASSERT_TRUE(Await<Conversation>([&](Done<Conversation> done) {
    conversations().OfferTransfer("c_1", anna.id, bert.id, kT0 + 1, done);
  }));
  ASSERT_TRUE(Await<Transition>(
      [&](Done<Transition> done) { conversations().TakeTransfer("c_1", bert.id, kT0 + 2, done); }));
  EXPECT_EQ(EndByCounsellor("c_1", anna.id).error().code, core::Errc::failed_precondition);
  EXPECT_EQ(conversations().Find("c_1").value().status, ConversationStatus::active);
  EXPECT_EQ(Await<Transition>([&](Done<Transition> done) {
              conversations().End("c_1", EndReason::counsellor, kT0 + 3, done);
            })
                .error()
                .code,
            core::Errc::invalid_argument);
  const Transition ended = EndByCounsellor("c_1", bert.id, kT0 + 4).value();
  EXPECT_EQ(ended.event.author_id, bert.id);
  EXPECT_EQ(EndByCounsellor("c_none", bert.id).error().code, core::Errc::not_found);
}

TEST_P(ConversationStoreContractTest, EndTwiceIsFailedPrecondition) {
  const StaffAccount anna = Counsellor("anna");
  Waiting("c_1");
  ASSERT_TRUE(Accept("c_1", anna.id));
  const Transition ended = End("c_1", EndReason::counsellor, kT0 + 9).value();
  EXPECT_EQ(ended.conversation.status, ConversationStatus::ended);
  EXPECT_EQ(ended.conversation.ended_at, kT0 + 9);
  EXPECT_EQ(ended.conversation.end_reason, EndReason::counsellor);
  EXPECT_EQ(ended.conversation.last_seq, 2);
  EXPECT_EQ(ended.event.kind, MessageKind::ended);
  EXPECT_EQ(ended.event.sender, Sender::counsellor);
  EXPECT_EQ(ended.event.author_id, anna.id);
  EXPECT_EQ(ended.event.seq, 2);
  EXPECT_EQ(End("c_1", EndReason::visitor).error().code, core::Errc::failed_precondition);
  EXPECT_EQ(End("c_none", EndReason::visitor).error().code, core::Errc::not_found);
  EXPECT_EQ(Accept("c_1", anna.id).error().code, core::Errc::failed_precondition);
  EXPECT_TRUE(conversations().ListActiveFor(anna.id).value().empty());
  EXPECT_EQ(conversations().Find("c_1").value().end_reason, EndReason::counsellor);
}

TEST_P(ConversationStoreContractTest, VisitorLeavingTheQueueEndsConversation) {
  Waiting("c_1");
  Waiting("c_2");
  const Transition ended = End("c_1", EndReason::visitor, kT0 + 5).value();
  EXPECT_EQ(ended.event.sender, Sender::visitor);
  EXPECT_FALSE(ended.event.author_id);
  EXPECT_FALSE(ended.conversation.accepted_at);
  EXPECT_EQ(ended.conversation.end_reason, EndReason::visitor);
  const auto waiting = conversations().ListWaiting(WaitingIn::live_queue).value();
  ASSERT_EQ(waiting.size(), 1u);
  EXPECT_EQ(waiting[0].id, "c_2");
}

TEST_P(ConversationStoreContractTest, AbandonedConversationIsEndedByTheSystem) {
  Waiting("c_1");
  const Transition ended = End("c_1", EndReason::abandoned, kT0 + 600'000).value();
  EXPECT_EQ(ended.event.sender, Sender::system);
  EXPECT_FALSE(ended.event.author_id);
  EXPECT_EQ(ended.conversation.status, ConversationStatus::ended);
  EXPECT_EQ(ended.conversation.end_reason, EndReason::abandoned);
  EXPECT_TRUE(conversations().ListWaiting(WaitingIn::live_queue).value().empty());
}

TEST_P(ConversationStoreContractTest, OnlyAWaitingConversationCanBeAbandoned) {
  const StaffAccount anna = Counsellor("anna");
  Waiting("c_1");
  ASSERT_TRUE(Accept("c_1", anna.id));
  EXPECT_EQ(End("c_1", EndReason::abandoned).error().code, core::Errc::failed_precondition);
  EXPECT_EQ(conversations().Find("c_1").value().status, ConversationStatus::active);
  EXPECT_EQ(conversations().Find("c_1").value().last_seq, 1);
}

TEST_P(ConversationStoreContractTest, AcceptNeedsExistingCounsellor) {
  Waiting("c_1");
  EXPECT_EQ(Accept("c_1", 4242).error().code, core::Errc::not_found);
  EXPECT_EQ(conversations().Find("c_1").value().status, ConversationStatus::waiting);
  EXPECT_EQ(conversations().Find("c_1").value().last_seq, 0);
}

TEST_P(ConversationStoreContractTest, ActiveConversationsOfOneCounsellorOldestFirst) {
  const StaffAccount anna = Counsellor("anna");
  const StaffAccount bert = Counsellor("bert");
  for (const char* id : {"c_1", "c_2", "c_3"}) Waiting(id);
  ASSERT_TRUE(Accept("c_3", anna.id, kT0 + 1));
  ASSERT_TRUE(Accept("c_2", bert.id, kT0 + 2));
  ASSERT_TRUE(Accept("c_1", anna.id, kT0 + 3));
  std::vector<std::string> order;
  for (const auto& c : conversations().ListActiveFor(anna.id).value()) order.push_back(c.id);
  EXPECT_EQ(order, (std::vector<std::string>{"c_3", "c_1"}));
  ASSERT_TRUE(End("c_3", EndReason::counsellor, kT0 + 4));
  EXPECT_EQ(conversations().ListActiveFor(anna.id).value().size(), 1u);
}

TEST_P(ConversationStoreContractTest, OnlyTheAssignedCounsellorWrites) {
  const StaffAccount anna = Counsellor("anna");
  const StaffAccount bert = Counsellor("bert");
  Waiting("c_1");
  EXPECT_EQ(Send("c_1", "early", "hoi", anna.id).error().code, core::Errc::permission_denied);
  ASSERT_TRUE(Accept("c_1", anna.id));
  EXPECT_EQ(Send("c_1", "b1", "hoi", bert.id).error().code, core::Errc::permission_denied);
  const Appended sent = Send("c_1", "a1", "hoi", anna.id).value();
  EXPECT_EQ(sent.message.sender, Sender::counsellor);
  EXPECT_EQ(sent.message.author_id, anna.id);
  EXPECT_EQ(sent.message.seq, 2);
  EXPECT_EQ(conversations().Find("c_1").value().last_seq, 2);
  EXPECT_EQ(
      Append(NewMessage{.conversation_id = "c_1", .sender = Sender::counsellor, .client_id = "x"})
          .error()
          .code,
      core::Errc::invalid_argument);
}

TEST_P(ConversationStoreContractTest, ConcurrentAppendsGetSeqsWithoutGaps) {
  const StaffAccount anna = Counsellor("anna");
  Waiting("c_1");
  ASSERT_TRUE(Accept("c_1", anna.id));
  constexpr int kThreads = 8;
  constexpr int kPerThread = 40;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        const auto author = t % 2 == 0 ? std::nullopt : std::optional<std::int64_t>(anna.id);
        auto sent = Send("c_1", std::to_string(t) + "-" + std::to_string(i), "hoi", author);
        if (!sent || sent->duplicate) ++failures;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  const auto messages = conversations().MessagesAfter("c_1", 0, 10'000).value();
  ASSERT_EQ(messages.size(), std::size_t{kThreads * kPerThread + 1});
  for (std::size_t i = 0; i < messages.size(); ++i) EXPECT_EQ(messages[i].seq, std::int64_t(i + 1));
  EXPECT_EQ(conversations().Find("c_1").value().last_seq, kThreads * kPerThread + 1);
}

TEST_P(ConversationStoreContractTest, AppendsAnswerInOrderOnceCommittedAndOffTheCallersStack) {
  Waiting("c_1");
  constexpr int kMessages = 60;
  std::mutex mu;
  std::condition_variable answered_cv;
  std::vector<Result<Appended>> answers;
  std::vector<std::int64_t> committed_seqs;  // the conversation's last_seq as each answer came
  std::vector<std::thread::id> answered_on;
  auto submit = [&](const std::string& client_id, const std::string& body) {
    conversations().Append(NewMessage{.conversation_id = "c_1",
                                      .sender = Sender::visitor,
                                      .author_id = std::nullopt,
                                      .client_id = client_id,
                                      .body = body,
                                      .created_at = kT0 + 1},
                           [&](Result<Appended> appended) {
                             const std::int64_t last = conversations().Find("c_1").value().last_seq;
                             std::lock_guard lock(mu);
                             answers.push_back(std::move(appended));
                             committed_seqs.push_back(last);
                             answered_on.push_back(std::this_thread::get_id());
                             answered_cv.notify_all();
                           });
  };
  submit("", "no client id");
  for (int i = 0; i < kMessages; ++i) submit(std::to_string(i), "body " + std::to_string(i));
  submit("0", "resent");
  std::unique_lock lock(mu);
  ASSERT_TRUE(answered_cv.wait_for(lock, std::chrono::seconds(30),
                                   [&] { return answers.size() == kMessages + 2; }));
  ASSERT_FALSE(answers[0]);
  EXPECT_EQ(answers[0].error().code, core::Errc::invalid_argument);
  for (int i = 0; i < kMessages; ++i) {
    const auto& answer = answers[static_cast<std::size_t>(i) + 1];
    ASSERT_TRUE(answer) << answer.error().message;
    EXPECT_FALSE(answer->duplicate);
    EXPECT_EQ(answer->message.seq, i + 1);
    EXPECT_EQ(answer->message.body, "body " + std::to_string(i));
    EXPECT_GE(committed_seqs[static_cast<std::size_t>(i) + 1], answer->message.seq);
    EXPECT_NE(answered_on[static_cast<std::size_t>(i) + 1], std::this_thread::get_id());
  }
  ASSERT_TRUE(answers[kMessages + 1]);
  EXPECT_TRUE(answers[kMessages + 1]->duplicate);
  EXPECT_EQ(answers[kMessages + 1]->message.seq, 1);
  EXPECT_EQ(answers[kMessages + 1]->message.body, "body 0");
  const auto messages = conversations().MessagesAfter("c_1", 0, 1000).value();
  ASSERT_EQ(messages.size(), std::size_t{kMessages});
  EXPECT_EQ(messages.back().body, "body " + std::to_string(kMessages - 1));
}

TEST_P(ConversationStoreContractTest, SameClientIdIsStoredOncePerSender) {
  const StaffAccount anna = Counsellor("anna");
  Waiting("c_1");
  const Appended first = Send("c_1", "abc", "eerste").value();
  EXPECT_FALSE(first.duplicate);
  const Appended again = Send("c_1", "abc", "anders").value();
  EXPECT_TRUE(again.duplicate);
  EXPECT_EQ(again.message.seq, first.message.seq);
  EXPECT_EQ(again.message.body, "eerste");
  ASSERT_TRUE(Accept("c_1", anna.id));
  const Appended from_counsellor = Send("c_1", "abc", "hoi", anna.id).value();
  EXPECT_FALSE(from_counsellor.duplicate);
  EXPECT_EQ(from_counsellor.message.seq, 3);
  Waiting("c_2");
  EXPECT_FALSE(Send("c_2", "abc").value().duplicate);
  EXPECT_EQ(conversations().Find("c_1").value().last_seq, 3);
}

TEST_P(ConversationStoreContractTest, AppendRejectsBadInput) {
  Waiting("c_1");
  EXPECT_EQ(Send("c_1", "").error().code, core::Errc::invalid_argument);
  EXPECT_EQ(Send("c_1", std::string(65, 'x')).error().code, core::Errc::invalid_argument);
  EXPECT_EQ(Append(NewMessage{.conversation_id = "c_1", .sender = Sender::system, .client_id = "a"})
                .error()
                .code,
            core::Errc::invalid_argument);
  EXPECT_EQ(Send("c_none", "a").error().code, core::Errc::not_found);
  EXPECT_TRUE(Send("c_1", std::string(64, 'x')));
  EXPECT_EQ(conversations().Find("c_1").value().last_seq, 1);
}

TEST_P(ConversationStoreContractTest, MessagesAfterHonoursSeqAndLimit) {
  Waiting("c_1");
  for (int i = 1; i <= 10; ++i) ASSERT_TRUE(Send("c_1", std::to_string(i)));
  const auto page = conversations().MessagesAfter("c_1", 3, 4).value();
  ASSERT_EQ(page.size(), 4u);
  EXPECT_EQ(page.front().seq, 4);
  EXPECT_EQ(page.back().seq, 7);
  EXPECT_EQ(page.front().client_id, "4");
  EXPECT_EQ(page.front().kind, MessageKind::text);
  EXPECT_EQ(page.front().sender, Sender::visitor);
  EXPECT_EQ(conversations().MessagesAfter("c_1", 8, 100).value().size(), 2u);
  EXPECT_TRUE(conversations().MessagesAfter("c_1", 10, 100).value().empty());
  EXPECT_TRUE(conversations().MessagesAfter("c_1", 0, 0).value().empty());
  EXPECT_EQ(conversations().MessagesAfter("c_none", 0, 10).error().code, core::Errc::not_found);
}

TEST_P(ConversationStoreContractTest, MessagesAfterEachReadsEveryConversationFromItsOwnSeq) {
  Waiting("c_1");
  Waiting("c_2");
  Waiting("c_3");
  for (int i = 1; i <= 6; ++i) {
    ASSERT_TRUE(Send("c_1", std::to_string(i), "a" + std::to_string(i)));
    ASSERT_TRUE(Send("c_2", std::to_string(i), "b" + std::to_string(i)));
  }
  const std::vector<EntriesAfter> wanted = {{"c_2", 1}, {"c_none", 0}, {"c_3", 0}, {"c_1", 4}};
  const auto messages = conversations().MessagesAfterEach(wanted, 3).value();
  std::vector<std::string> read;
  for (const Message& message : messages) {
    read.push_back(message.conversation_id + "#" + std::to_string(message.seq) + "=" +
                   message.body);
  }
  const std::vector<std::string> expected = {"c_2#2=b2", "c_2#3=b3", "c_2#4=b4", "c_1#5=a5",
                                             "c_1#6=a6"};
  EXPECT_EQ(read, expected);
  EXPECT_TRUE(conversations().MessagesAfterEach({}, 10).value().empty());
  EXPECT_TRUE(conversations().MessagesAfterEach(wanted, 0).value().empty());
}

TEST_P(ConversationStoreContractTest, MessagesAfterEachReadsAnEndedConversationAsOftenAsNamed) {
  Waiting("c_1");
  ASSERT_TRUE(Send("c_1", "m-1", "one"));
  ASSERT_TRUE(End("c_1", EndReason::visitor));
  const std::vector<EntriesAfter> twice = {{"c_1", 0}, {"c_1", 1}};
  for (int read_again = 0; read_again < 2; ++read_again) {
    const auto messages = conversations().MessagesAfterEach(twice, 10).value();
    std::vector<std::int64_t> seqs;
    for (const Message& message : messages) seqs.push_back(message.seq);
    EXPECT_EQ(seqs, (std::vector<std::int64_t>{1, 2, 2}));
    ASSERT_EQ(messages.size(), 3u);
    EXPECT_EQ(messages[0].body, "one") << "readable after the end, once and again";
    EXPECT_EQ(messages[1].kind, MessageKind::ended);
  }
}

TEST_P(ConversationStoreContractTest, BodiesAreStoredByteForByte) {
  Waiting("c_1");
  const std::string body("bin\0ary\xff", 8);
  ASSERT_TRUE(Send("c_1", "a", body));
  ASSERT_TRUE(Send("c_1", "b", ""));
  const auto messages = conversations().MessagesAfter("c_1", 0, 10).value();
  EXPECT_EQ(messages[0].body, body);
  EXPECT_EQ(messages[1].body, "");
}

TEST_P(ConversationStoreContractTest, AppendAfterEndFailsButAResendIsAcknowledged) {
  const StaffAccount anna = Counsellor("anna");
  Waiting("c_1");
  ASSERT_TRUE(Send("c_1", "before"));
  ASSERT_TRUE(Accept("c_1", anna.id));
  ASSERT_TRUE(Send("c_1", "mine", "hoi", anna.id));
  ASSERT_TRUE(End("c_1", EndReason::visitor));
  EXPECT_EQ(Send("c_1", "after").error().code, core::Errc::failed_precondition);
  EXPECT_EQ(Send("c_1", "late", "hoi", anna.id).error().code, core::Errc::failed_precondition);
  EXPECT_TRUE(Send("c_1", "before").value().duplicate);
  EXPECT_TRUE(Send("c_1", "mine", "hoi", anna.id).value().duplicate);
  EXPECT_EQ(conversations().Find("c_1").value().last_seq, 4);
}

TEST_P(ConversationStoreContractTest, EverythingSurvivesReopen) {
  const StaffAccount anna = Counsellor("anna");
  Waiting("c_1");
  ASSERT_TRUE(Send("c_1", "a", "een"));
  ASSERT_TRUE(Accept("c_1", anna.id));
  Reopen();
  const Conversation c = conversations().Find("c_1").value();
  EXPECT_EQ(c.status, ConversationStatus::active);
  EXPECT_EQ(c.last_seq, 2);
  EXPECT_EQ(conversations().MessagesAfter("c_1", 0, 10).value().front().body, "een");
  EXPECT_EQ(Send("c_1", "b", "hoi", anna.id).value().message.seq, 3);
}

TEST_P(ConversationStoreContractTest, NicknameRoundTrips) {
  const std::string nickname = "Zoë \xF0\x9F\x8C\xBB";
  EXPECT_EQ(Waiting("c_1", 0, kT0, nickname).nickname, nickname);
  EXPECT_EQ(conversations().Find("c_1").value().nickname, nickname);
  EXPECT_EQ(conversations().FindByResumeToken("resume-c_1").value().nickname, nickname);
  EXPECT_EQ(conversations().ListWaiting(WaitingIn::live_queue).value().at(0).nickname, nickname);
  EXPECT_EQ(SetUrgency("c_1", 2).value().nickname, nickname);
  EXPECT_EQ(End("c_1", EndReason::visitor).value().conversation.nickname, nickname);
  Reopen();
  EXPECT_EQ(conversations().Find("c_1").value().nickname, nickname);
}

TEST_P(ConversationStoreContractTest, ShreddingForgetsTheLanguageAndKeepsTheCampaign) {
  auto created = Create(NewConversation{.id = "c_a",
                                        .resume_token_hash = "resume-c_a",
                                        .created_at = kT0,
                                        .language = "ar",
                                        .campaign = "poster-1"});
  ASSERT_TRUE(created);
  EXPECT_EQ(created->language, "ar");
  EXPECT_EQ(conversations().Find("c_a").value().campaign, "poster-1");
  ASSERT_TRUE(End("c_a", EndReason::visitor, kT0 + 1));
  ASSERT_TRUE(Shred("c_a"));
  const auto shredded = conversations().Find("c_a").value();
  EXPECT_EQ(shredded.language, "");
  EXPECT_EQ(shredded.campaign, "poster-1") << "what it counts under in the insights";
}

TEST_P(ConversationStoreContractTest, ShredBlanksTextsAndKeepsEntries) {
  const StaffAccount anna = Counsellor("anna");
  Waiting("c_1", 0, kT0, "Sam");
  ASSERT_TRUE(Send("c_1", "a", "ik word gedwongen"));
  ASSERT_TRUE(Accept("c_1", anna.id, kT0 + 1));
  ASSERT_TRUE(Send("c_1", "b", "vertel", anna.id));
  ASSERT_TRUE(End("c_1", EndReason::counsellor, kT0 + 2));
  Waiting("c_2");
  ASSERT_TRUE(Send("c_2", "a", "blijft"));

  ASSERT_TRUE(Shred("c_1"));
  const auto check = [&] {
    const auto entries = conversations().MessagesAfter("c_1", 0, 10).value();
    ASSERT_EQ(entries.size(), 4u);
    for (std::size_t i = 0; i < entries.size(); ++i) {
      EXPECT_EQ(entries[i].seq, std::int64_t(i + 1));
      EXPECT_TRUE(entries[i].body.empty());
      EXPECT_EQ(entries[i].body_shredded, entries[i].kind == MessageKind::text) << i;
    }
    EXPECT_EQ(entries[0].client_id, "a");
    EXPECT_EQ(entries[2].sender, Sender::counsellor);
    EXPECT_EQ(conversations().Find("c_1").value().nickname, "");
    EXPECT_EQ(conversations().FindKey("c_1").value(), "");
    const Appended resent = Send("c_1", "a", "ik word gedwongen").value();
    EXPECT_TRUE(resent.duplicate);
    EXPECT_TRUE(resent.message.body_shredded);
    EXPECT_TRUE(resent.message.body.empty());
    EXPECT_EQ(conversations().MessagesAfter("c_2", 0, 10).value().at(0).body, "blijft");
  };
  check();
  ASSERT_TRUE(Shred("c_1"));
  check();
  Reopen();
  check();
}

TEST_P(ConversationStoreContractTest, ShreddedConversationsAreNoLongerFoundByTheirResumeToken) {
  Waiting("c_1");
  ASSERT_TRUE(conversations().FindByResumeToken("resume-c_1"));
  ASSERT_TRUE(End("c_1", EndReason::visitor));
  EXPECT_TRUE(Shred("c_1").value());
  EXPECT_FALSE(Shred("c_1").value()) << "shredded already: only the first shred reports it";
  EXPECT_EQ(conversations().FindByResumeToken("resume-c_1").error().code, core::Errc::not_found);
}

TEST_P(ConversationStoreContractTest, ATransferIsOfferedTakenWithOneEventOrWithdrawn) {
  const StaffAccount anna = Counsellor("anna");
  const StaffAccount bert = Counsellor("bert");
  const StaffAccount carla = Counsellor("carla");
  const auto offer = [&](const std::string& id, std::int64_t from, std::int64_t to,
                         UnixMillis at = kT0 + 5) {
    return Await<Conversation>(
        [&](Done<Conversation> done) { conversations().OfferTransfer(id, from, to, at, done); });
  };
  const auto take = [&](const std::string& id, std::int64_t to) {
    return Await<Transition>(
        [&](Done<Transition> done) { conversations().TakeTransfer(id, to, kT0 + 6, done); });
  };
  const auto withdraw = [&](const std::string& id, std::int64_t to, UnixMillis at = kT0 + 5) {
    return Await<Conversation>(
        [&](Done<Conversation> done) { conversations().WithdrawOffer(id, to, at, done); });
  };
  Waiting("c_1", 0, kT0, "Sam");
  EXPECT_EQ(offer("c_1", anna.id, bert.id).error().code, core::Errc::failed_precondition)
      << "only an active conversation";
  ASSERT_TRUE(Accept("c_1", anna.id, kT0 + 1));
  EXPECT_EQ(offer("c_1", bert.id, carla.id).error().code, core::Errc::failed_precondition)
      << "only by the counsellor it is assigned to";
  EXPECT_EQ(offer("c_1", anna.id, anna.id).error().code, core::Errc::failed_precondition);
  EXPECT_EQ(offer("c_1", anna.id, 999999).error().code, core::Errc::not_found);

  const auto offered = offer("c_1", anna.id, bert.id);
  ASSERT_TRUE(offered) << offered.error().message;
  EXPECT_EQ(offered->offered_to, bert.id);
  EXPECT_EQ(offered->offered_at, kT0 + 5);
  EXPECT_EQ(offered->counsellor_id, anna.id) << "it stays with anna until taken";
  EXPECT_EQ(offered->nickname, "Sam");
  ASSERT_EQ(conversations().ListOffered().value().size(), 1u);
  EXPECT_EQ(take("c_1", carla.id).error().code, core::Errc::failed_precondition);

  const auto taken = take("c_1", bert.id);
  ASSERT_TRUE(taken) << taken.error().message;
  EXPECT_EQ(taken->conversation.counsellor_id, bert.id);
  EXPECT_FALSE(taken->conversation.offered_to);
  EXPECT_EQ(taken->event.kind, MessageKind::transferred);
  EXPECT_EQ(taken->event.sender, Sender::system);
  EXPECT_EQ(taken->event.author_id, bert.id);
  EXPECT_EQ(taken->event.seq, 2);
  EXPECT_TRUE(conversations().ListOffered().value().empty());
  EXPECT_EQ(take("c_1", bert.id).error().code, core::Errc::failed_precondition) << "once";
  EXPECT_EQ(conversations().ListActiveFor(bert.id).value().size(), 1u);
  EXPECT_TRUE(conversations().ListActiveFor(anna.id).value().empty());

  ASSERT_TRUE(offer("c_1", bert.id, carla.id));
  const auto withdrawn = withdraw("c_1", carla.id);
  ASSERT_TRUE(withdrawn);
  EXPECT_FALSE(withdrawn->offered_to);
  EXPECT_EQ(withdrawn->counsellor_id, bert.id);
  EXPECT_EQ(withdraw("c_1", carla.id).error().code, core::Errc::failed_precondition);

  // Withdrawing an offer (lapsed, declined) leaves a newer one alone.
  ASSERT_TRUE(offer("c_1", bert.id, carla.id));
  ASSERT_TRUE(offer("c_1", bert.id, anna.id, kT0 + 6));
  EXPECT_EQ(withdraw("c_1", carla.id).error().code, core::Errc::failed_precondition);
  ASSERT_TRUE(offer("c_1", bert.id, anna.id, kT0 + 7));
  EXPECT_EQ(withdraw("c_1", anna.id, kT0 + 6).error().code, core::Errc::failed_precondition)
      << "offered to anna again since";
  EXPECT_EQ(conversations().Find("c_1").value().offered_to, anna.id);
  ASSERT_TRUE(withdraw("c_1", anna.id, kT0 + 7));

  // Ending or handing back withdraws an offer.
  ASSERT_TRUE(offer("c_1", bert.id, carla.id));
  ASSERT_TRUE(Release("c_1", bert.id, kT0 + 7));
  EXPECT_FALSE(conversations().Find("c_1").value().offered_to);
  ASSERT_TRUE(Accept("c_1", anna.id, kT0 + 8));
  ASSERT_TRUE(offer("c_1", anna.id, carla.id));
  ASSERT_TRUE(End("c_1", EndReason::counsellor, kT0 + 9));
  EXPECT_FALSE(conversations().Find("c_1").value().offered_to);
  EXPECT_TRUE(conversations().ListOffered().value().empty());
}

TEST_P(ConversationStoreContractTest, AMessageLeftIsFoundByItsPickUpCodeUntilShredded) {
  Waiting("c_live");
  ASSERT_TRUE(Create(NewConversation{.id = "c_left",
                                     .resume_token_hash = "resume-left",
                                     .subject = model::Subject::self,
                                     .nickname = "Sam",
                                     .urgency = 0,
                                     .created_at = kT0 + 1,
                                     .offline = true,
                                     .pickup_code_hash = "code-left"}));
  const auto found = conversations().FindByPickUpCode("code-left");
  ASSERT_TRUE(found) << found.error().message;
  EXPECT_EQ(found->id, "c_left");
  EXPECT_TRUE(found->offline);
  EXPECT_FALSE(conversations().Find("c_live").value().offline);
  EXPECT_EQ(conversations().FindByPickUpCode("resume-left").error().code, core::Errc::not_found);
  // Each queue holds its own: every node reads the live one every two seconds.
  const auto live = conversations().ListWaiting(WaitingIn::live_queue).value();
  ASSERT_EQ(live.size(), 1u);
  EXPECT_EQ(live[0].id, "c_live");
  const auto left = conversations().ListWaiting(WaitingIn::messages_left).value();
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0].id, "c_left");
  EXPECT_TRUE(left[0].offline);

  // The visitor who came back gets a token of their own; the old one opens nothing.
  ASSERT_TRUE(Await<void>(
      [&](Done<void> done) { conversations().SetResumeToken("c_left", "resume-again", done); }));
  EXPECT_EQ(conversations().FindByResumeToken("resume-again").value().id, "c_left");
  EXPECT_EQ(conversations().FindByResumeToken("resume-left").error().code, core::Errc::not_found);
  EXPECT_EQ(
      Await<void>([&](Done<void> done) { conversations().SetResumeToken("c_nobody", "x", done); })
          .error()
          .code,
      core::Errc::not_found);

  ASSERT_TRUE(End("c_left", EndReason::visitor));
  ASSERT_TRUE(Shred("c_left"));
  EXPECT_EQ(conversations().FindByPickUpCode("code-left").error().code, core::Errc::not_found);
  EXPECT_EQ(Await<void>([&](Done<void> done) {
              conversations().SetResumeToken("c_left", "resume-later", done);
            })
                .error()
                .code,
            core::Errc::not_found);
}

TEST_P(ConversationStoreContractTest, ARepeatedRequestFindsTheConversationItMadeWithNewSecrets) {
  // Try `at - kT0` of the page's request: the tries below count up with the time.
  const auto request = [](std::string id, std::string token, UnixMillis at, bool offline = false,
                          std::string code = {}) {
    return NewConversation{.id = std::move(id),
                           .resume_token_hash = std::move(token),
                           .subject = model::Subject::other,
                           .nickname = "Sam",
                           .urgency = 0,
                           .created_at = at,
                           .offline = offline,
                           .pickup_code_hash = std::move(code),
                           .language = "nl",
                           .campaign = {},
                           .wrapped_key = {},
                           .request_hash = "request-1",
                           .request_try = at - kT0};
  };
  const auto first = Create(request("c_first", "token-1", kT0));
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->id, "c_first");

  // The answer never arrived; the page asks again: the same conversation, with the new token.
  const auto again = Create(request("c_second", "token-2", kT0 + 10));
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->id, "c_first");
  EXPECT_EQ(again->subject, model::Subject::other);
  EXPECT_EQ(again->nickname, "Sam");
  EXPECT_EQ(again->status, ConversationStatus::waiting);
  EXPECT_EQ(again->created_at, kT0);
  EXPECT_EQ(conversations().Find("c_second").error().code, core::Errc::not_found);
  EXPECT_EQ(conversations().FindByResumeToken("token-2").value().id, "c_first");
  EXPECT_EQ(conversations().FindByResumeToken("token-1").error().code, core::Errc::not_found);
  EXPECT_EQ(conversations().ListWaiting(WaitingIn::live_queue).value().size(), 1u);

  // Taken meanwhile, it is still the one the visitor's page asked for.
  const StaffAccount anna = Counsellor("anna");
  ASSERT_TRUE(Accept("c_first", anna.id, kT0 + 15));
  const auto taken = Create(request("c_third", "token-3", kT0 + 20));
  ASSERT_TRUE(taken) << taken.error().message;
  EXPECT_EQ(taken->id, "c_first");
  EXPECT_EQ(taken->status, ConversationStatus::active);

  // A slow try from before the one answered last cannot take its token back, whatever the
  // clock of the node that took it says.
  EXPECT_EQ(Create(request("c_slow", "token-slow", kT0 + 19)).error().code,
            core::Errc::failed_precondition);
  NewConversation skewed = request("c_skewed", "token-skewed", kT0 + 60'000);
  skewed.request_try = 19;
  EXPECT_EQ(Create(skewed).error().code, core::Errc::failed_precondition);
  EXPECT_EQ(conversations().FindByResumeToken("token-3").value().id, "c_first");
  // The same try again (a browser sends a POST twice when its connection closed without an
  // answer) is answered again; a later try behind a clock that is behind wins.
  const auto twice = Create(request("c_twice", "token-twice", kT0 + 20));
  ASSERT_TRUE(twice) << twice.error().message;
  EXPECT_EQ(twice->id, "c_first");
  NewConversation behind = request("c_behind", "token-3", kT0 + 1);
  behind.request_try = 21;
  const auto later_try = Create(behind);
  ASSERT_TRUE(later_try) << later_try.error().message;
  EXPECT_EQ(later_try->id, "c_first");
  EXPECT_EQ(conversations().FindByResumeToken("token-3").value().id, "c_first");

  // The same id for a message left is refused, and changes nothing.
  EXPECT_EQ(Create(request("c_left", "token-4", kT0 + 30, true, "code-1")).error().code,
            core::Errc::invalid_argument);
  EXPECT_EQ(conversations().FindByResumeToken("token-3").value().id, "c_first");
  EXPECT_EQ(conversations().Find("c_left").error().code, core::Errc::not_found);

  // At the end of the window it is found still.
  const auto last = Create(request("c_last", "token-last", kT0 + kRequestRepeatWindow));
  ASSERT_TRUE(last) << last.error().message;
  EXPECT_EQ(last->id, "c_first");

  // Past the window, or once it ended, the request makes a conversation of its own.
  const auto late = Create(request("c_late", "token-5", kT0 + kRequestRepeatWindow + 1));
  ASSERT_TRUE(late) << late.error().message;
  EXPECT_EQ(late->id, "c_late");
  EXPECT_EQ(conversations().FindByResumeToken("token-last").value().id, "c_first");
  ASSERT_TRUE(End("c_late", EndReason::visitor, kT0 + kRequestRepeatWindow + 2));
  const auto after_end = Create(request("c_after", "token-6", kT0 + kRequestRepeatWindow + 3));
  ASSERT_TRUE(after_end) << after_end.error().message;
  EXPECT_EQ(after_end->id, "c_after");
  EXPECT_EQ(conversations().FindByResumeToken("token-5").value().id, "c_late");
}

TEST_P(ConversationStoreContractTest, ARepeatedMessageLeftGetsANewPickUpCode) {
  NewConversation left{.id = "c_left",
                       .resume_token_hash = "token-1",
                       .subject = model::Subject::self,
                       .nickname = {},
                       .urgency = 0,
                       .created_at = kT0,
                       .offline = true,
                       .pickup_code_hash = "code-1",
                       .request_hash = "request-left",
                       .request_try = 1};
  ASSERT_TRUE(Create(left));
  left.id = "c_again";
  left.request_try = 2;
  left.resume_token_hash = "token-2";
  left.pickup_code_hash = "code-2";
  const auto again = Create(left);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->id, "c_left");
  EXPECT_TRUE(again->offline);
  EXPECT_EQ(conversations().FindByPickUpCode("code-2").value().id, "c_left");
  EXPECT_EQ(conversations().FindByPickUpCode("code-1").error().code, core::Errc::not_found);
  EXPECT_EQ(conversations().FindByResumeToken("token-2").value().id, "c_left");
  // A live chat's start asking with the same id is refused.
  left.id = "c_live";
  left.request_try = 3;
  left.offline = false;
  left.pickup_code_hash.clear();
  EXPECT_EQ(Create(left).error().code, core::Errc::invalid_argument);
}

TEST_P(ConversationStoreContractTest,
       DueForShreddingAreEndedOnesPastTheCutOffAskedToBeForgottenOrLeftUnanswered) {
  for (const char* id : {"c_old", "c_new", "c_asked", "c_open", "c_done"}) Waiting(id);
  ASSERT_TRUE(End("c_old", EndReason::visitor, kT0 + 10));
  ASSERT_TRUE(End("c_new", EndReason::visitor, kT0 + 500));
  ASSERT_TRUE(End("c_asked", EndReason::visitor, kT0 + 600));
  ASSERT_TRUE(End("c_done", EndReason::visitor, kT0 + 20));
  ASSERT_TRUE(
      Await<void>([&](Done<void> done) { conversations().RequestForget("c_asked", done); }));
  ASSERT_TRUE(Await<void>([&](Done<void> done) { conversations().RequestForget("c_open", done); }));
  EXPECT_TRUE(conversations().Find("c_asked").value().forget_requested);
  EXPECT_FALSE(conversations().Find("c_old").value().forget_requested);
  EXPECT_EQ(Await<void>([&](Done<void> done) { conversations().RequestForget("c_none", done); })
                .error()
                .code,
            core::Errc::not_found);
  ASSERT_TRUE(Shred("c_done").value());
  // A message left that nobody took is due once it ends so; one its visitor ended is not.
  for (const char* id : {"c_unanswered", "c_withdrawn"}) {
    ASSERT_TRUE(Create(NewConversation{.id = id,
                                       .resume_token_hash = std::string("resume-") + id,
                                       .created_at = kT0,
                                       .offline = true}));
  }
  ASSERT_TRUE(End("c_unanswered", EndReason::abandoned, kT0 + 700));
  ASSERT_TRUE(End("c_withdrawn", EndReason::visitor, kT0 + 700));
  EXPECT_EQ(conversations().DueForShredding(kT0 + 100, 10).value(),
            (std::vector<std::string>{"c_old", "c_asked", "c_unanswered"}));
  EXPECT_EQ(conversations().DueForShredding(kT0 + 100, 1).value(),
            (std::vector<std::string>{"c_old"}));
  EXPECT_EQ(conversations().DueForShredding(kT0 + 1000, 10).value(),
            (std::vector<std::string>{"c_old", "c_new", "c_asked", "c_unanswered", "c_withdrawn"}));
}

TEST_P(ConversationStoreContractTest, ListsThoseStartedInAPeriodThatStillHaveTheirContent) {
  Waiting("c_before", 0, kT0 - 1);
  Waiting("c_first", 0, kT0);
  Waiting("c_second", 0, kT0 + 10);
  Waiting("c_shredded", 0, kT0 + 20);
  Waiting("c_after", 0, kT0 + 100);
  ASSERT_TRUE(End("c_shredded", EndReason::visitor));
  ASSERT_TRUE(Shred("c_shredded"));
  // A visitor who asked to be forgotten is not read meanwhile, before the shred comes.
  Waiting("c_forget", 0, kT0 + 30);
  ASSERT_TRUE(
      Await<void>([&](Done<void> done) { conversations().RequestForget("c_forget", done); }));
  EXPECT_EQ(conversations().ListStartedBetween(kT0, kT0 + 100).value(),
            (std::vector<std::string>{"c_first", "c_second"}));
  EXPECT_TRUE(conversations().ListStartedBetween(kT0 + 101, kT0 + 200).value().empty());
}

TEST_P(ConversationStoreContractTest, FindsAnyKeyUntilShredded) {
  EXPECT_EQ(conversations().FindAnyKey().error().code, core::Errc::not_found);
  ASSERT_TRUE(Create(NewConversation{.id = "c_1",
                                     .resume_token_hash = "resume-c_1",
                                     .subject = model::Subject::self,
                                     .nickname = "",
                                     .urgency = 0,
                                     .created_at = kT0,
                                     .wrapped_key = "wrapped"}));
  const ConversationKey any = conversations().FindAnyKey().value();
  EXPECT_EQ(any.conversation_id, "c_1");
  EXPECT_FALSE(any.wrapped_key.empty());
  EXPECT_EQ(any.wrapped_key, conversations().FindKey("c_1").value());
  ASSERT_TRUE(End("c_1", EndReason::visitor));
  ASSERT_TRUE(Shred("c_1"));
  EXPECT_EQ(conversations().FindAnyKey().error().code, core::Errc::not_found);
}

TEST_P(ConversationStoreContractTest, ShredNeedsAnEndedConversation) {
  Waiting("c_1");
  ASSERT_TRUE(Send("c_1", "a", "nog nodig"));
  EXPECT_EQ(Shred("c_1").error().code, core::Errc::failed_precondition);
  EXPECT_EQ(Shred("c_none").error().code, core::Errc::not_found);
  EXPECT_EQ(conversations().FindKey("c_none").error().code, core::Errc::not_found);
  const Message kept = conversations().MessagesAfter("c_1", 0, 10).value().at(0);
  EXPECT_EQ(kept.body, "nog nodig");
  EXPECT_FALSE(kept.body_shredded);
}

INSTANTIATE_TEST_SUITE_P(Backends, ConversationStoreContractTest,
                         ::testing::ValuesIn(ContractBackends()),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace uitweg::store
