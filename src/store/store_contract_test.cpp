// The store contract: every backend in Backends() must pass every case here.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <barrier>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "store/encrypting_test_database.hpp"
#include "store/sqlite/sqlite_test_database.hpp"
#include "store/store.hpp"
#include "store/test_database.hpp"

namespace uitweg::store {
namespace {

std::vector<StoreBackend> Backends() {
  return {sqlite::SqliteTestBackend(), EncryptingTestBackend(sqlite::SqliteTestBackend())};
}

constexpr UnixMillis kT0 = 1'700'000'000'000;

class StoreContractTest : public ::testing::TestWithParam<StoreBackend> {
 protected:
  void SetUp() override {
    database_ = GetParam().create();
    auto opened = database_->Open();
    ASSERT_TRUE(opened) << opened.error().message;
    store_ = std::move(*opened);
  }

  StaffAccount Counsellor(const std::string& username) {
    return store_
        ->CreateAccount(NewStaffAccount{.username = username,
                                        .role = Role::counsellor,
                                        .display_name = "C " + username,
                                        .password_hash = "$argon2id$placeholder-hash",
                                        .created_at = kT0})
        .value();
  }

  Conversation Waiting(const std::string& id, std::int32_t urgency = 0, UnixMillis at = kT0) {
    return store_
        ->CreateConversation(NewConversation{.id = id,
                                             .resume_token_hash = "resume-" + id,
                                             .subject = Subject::self,
                                             .nickname = "",
                                             .urgency = urgency,
                                             .created_at = at})
        .value();
  }

  Result<AppendedMessage> Send(const std::string& conversation, Sender sender,
                               const std::string& client_id, const std::string& body = "hoi") {
    return store_->AppendMessage(NewMessage{.conversation_id = conversation,
                                            .sender = sender,
                                            .author_id = std::nullopt,
                                            .client_id = client_id,
                                            .body = body,
                                            .created_at = kT0 + 1});
  }

  std::unique_ptr<TestDatabase> database_;
  std::unique_ptr<Store> store_;
};

TEST_P(StoreContractTest, CreatesAndFindsAccounts) {
  const StaffAccount created = Counsellor("anna");
  EXPECT_GT(created.id, 0);
  const StaffAccount by_id = store_->FindAccount(created.id).value();
  EXPECT_EQ(by_id.username, "anna");
  EXPECT_EQ(by_id.role, Role::counsellor);
  EXPECT_EQ(by_id.display_name, "C anna");
  EXPECT_EQ(by_id.password_hash, "$argon2id$placeholder-hash");
  EXPECT_FALSE(by_id.disabled);
  EXPECT_EQ(by_id.created_at, kT0);
  EXPECT_EQ(store_->FindAccountByUsername("anna").value().id, created.id);
  EXPECT_EQ(store_->FindAccountByUsername("bert").error().code, core::Errc::not_found);
  EXPECT_EQ(store_->FindAccount(created.id + 100).error().code, core::Errc::not_found);
  EXPECT_EQ(store_->CountAccounts().value(), 1);
}

TEST_P(StoreContractTest, DuplicateUsernameIsAlreadyExists) {
  Counsellor("anna");
  auto again = store_->CreateAccount(NewStaffAccount{
      .username = "anna", .role = Role::admin, .display_name = "", .password_hash = "h"});
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, core::Errc::already_exists);
  EXPECT_EQ(store_->CountAccounts().value(), 1);
}

TEST_P(StoreContractTest, ListsDisablesAndRehashesAccounts) {
  const StaffAccount bert = Counsellor("bert");
  const StaffAccount anna = Counsellor("anna");
  const auto all = store_->ListAccounts().value();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].id, anna.id);
  EXPECT_EQ(all[1].id, bert.id);
  ASSERT_TRUE(store_->SetAccountDisabled(bert.id, true));
  EXPECT_TRUE(store_->FindAccount(bert.id).value().disabled);
  EXPECT_FALSE(store_->FindAccount(anna.id).value().disabled);
  ASSERT_TRUE(store_->SetAccountDisabled(bert.id, false));
  EXPECT_FALSE(store_->FindAccount(bert.id).value().disabled);
  ASSERT_TRUE(store_->SetPasswordHash(anna.id, "$argon2id$new"));
  EXPECT_EQ(store_->FindAccountByUsername("anna").value().password_hash, "$argon2id$new");
  EXPECT_EQ(store_->SetAccountDisabled(9999, true).error().code, core::Errc::not_found);
  EXPECT_EQ(store_->SetPasswordHash(9999, "h").error().code, core::Errc::not_found);
}

TEST_P(StoreContractTest, SessionsCreateFindTouchDelete) {
  const StaffAccount anna = Counsellor("anna");
  ASSERT_TRUE(store_->CreateSession(StaffSession{"hash-1", anna.id, "csrf-1", kT0, kT0}));
  StaffSession found = store_->FindSession("hash-1").value();
  EXPECT_EQ(found.account_id, anna.id);
  EXPECT_EQ(found.csrf_token, "csrf-1");
  EXPECT_EQ(found.created_at, kT0);
  ASSERT_TRUE(store_->TouchSession("hash-1", kT0 + 5000));
  EXPECT_EQ(store_->FindSession("hash-1").value().last_seen_at, kT0 + 5000);
  ASSERT_TRUE(store_->DeleteSession("hash-1"));
  EXPECT_EQ(store_->FindSession("hash-1").error().code, core::Errc::not_found);
  EXPECT_EQ(store_->TouchSession("hash-1", kT0).error().code, core::Errc::not_found);
  EXPECT_EQ(store_->DeleteSession("hash-1").error().code, core::Errc::not_found);
}

TEST_P(StoreContractTest, SessionNeedsExistingAccount) {
  auto created = store_->CreateSession(StaffSession{"hash-1", 4242, "csrf", kT0, kT0});
  ASSERT_FALSE(created);
  EXPECT_EQ(created.error().code, core::Errc::not_found);
}

TEST_P(StoreContractTest, CreatesAndFindsConversations) {
  const Conversation created = Waiting("c_1", 3);
  EXPECT_EQ(created.status, ConversationStatus::waiting);
  const Conversation found = store_->FindConversation("c_1").value();
  EXPECT_EQ(found.urgency, 3);
  EXPECT_EQ(found.last_seq, 0);
  EXPECT_EQ(found.created_at, kT0);
  EXPECT_FALSE(found.counsellor_id);
  EXPECT_EQ(store_->FindConversationByResumeToken("resume-c_1").value().id, "c_1");
  EXPECT_EQ(store_->FindConversationByResumeToken("nope").error().code, core::Errc::not_found);
  EXPECT_EQ(store_->FindConversation("c_2").error().code, core::Errc::not_found);
  auto again = store_->CreateConversation(NewConversation{.id = "c_1",
                                                          .resume_token_hash = "x",
                                                          .subject = Subject::other,
                                                          .nickname = "",
                                                          .urgency = 0,
                                                          .created_at = kT0});
  EXPECT_EQ(again.error().code, core::Errc::already_exists);
}

TEST_P(StoreContractTest, QueueIsMostUrgentThenLongestWaiting) {
  Waiting("c_new_calm", 0, kT0 + 300);
  Waiting("c_old_calm", 0, kT0 + 100);
  Waiting("c_urgent_late", 5, kT0 + 400);
  Waiting("c_urgent_early", 5, kT0 + 200);
  const StaffAccount anna = Counsellor("anna");
  Waiting("c_taken", 9, kT0);
  ASSERT_TRUE(store_->AcceptConversation("c_taken", anna.id, kT0 + 500));
  std::vector<std::string> order;
  for (const auto& c : store_->ListWaiting().value()) order.push_back(c.id);
  EXPECT_EQ(order, (std::vector<std::string>{"c_urgent_early", "c_urgent_late", "c_old_calm",
                                             "c_new_calm"}));
  ASSERT_TRUE(store_->SetUrgency("c_new_calm", 7));
  EXPECT_EQ(store_->ListWaiting().value().front().id, "c_new_calm");
  EXPECT_EQ(store_->SetUrgency("c_none", 1).error().code, core::Errc::not_found);
}

TEST_P(StoreContractTest, AcceptAssignsAndAppendsEvent) {
  const StaffAccount anna = Counsellor("anna");
  Waiting("c_1");
  ASSERT_TRUE(Send("c_1", Sender::visitor, "m1"));
  const Transition accepted = store_->AcceptConversation("c_1", anna.id, kT0 + 10).value();
  EXPECT_EQ(accepted.conversation.status, ConversationStatus::active);
  EXPECT_EQ(accepted.conversation.counsellor_id, anna.id);
  EXPECT_EQ(accepted.conversation.accepted_at, kT0 + 10);
  EXPECT_EQ(accepted.conversation.last_seq, 2);
  EXPECT_EQ(accepted.event.kind, MessageKind::accepted);
  EXPECT_EQ(accepted.event.seq, 2);
  EXPECT_EQ(accepted.event.author_id, anna.id);
  const auto active = store_->ListActiveFor(anna.id).value();
  ASSERT_EQ(active.size(), 1u);
  EXPECT_EQ(active[0].id, "c_1");
  EXPECT_EQ(store_->AcceptConversation("c_none", anna.id, kT0).error().code,
            core::Errc::not_found);
}

TEST_P(StoreContractTest, AcceptRaceHasExactlyOneWinner) {
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
      results[0] = store_->AcceptConversation(id, anna.id, kT0);
    });
    std::thread b([&] {
      start.arrive_and_wait();
      results[1] = store_->AcceptConversation(id, bert.id, kT0);
    });
    a.join();
    b.join();
    ASSERT_NE(results[0].has_value(), results[1].has_value()) << id;
    const auto& loser = results[0] ? results[1] : results[0];
    EXPECT_EQ(loser.error().code, core::Errc::failed_precondition);
    EXPECT_EQ(store_->FindConversation(id).value().last_seq, 1);
  }
}

TEST_P(StoreContractTest, EndTwiceIsFailedPrecondition) {
  const StaffAccount anna = Counsellor("anna");
  Waiting("c_1");
  ASSERT_TRUE(store_->AcceptConversation("c_1", anna.id, kT0));
  const Transition ended = store_->EndConversation("c_1", Sender::counsellor, kT0 + 9).value();
  EXPECT_EQ(ended.conversation.status, ConversationStatus::ended);
  EXPECT_EQ(ended.conversation.ended_at, kT0 + 9);
  EXPECT_EQ(ended.event.kind, MessageKind::ended);
  EXPECT_EQ(ended.event.sender, Sender::counsellor);
  EXPECT_EQ(ended.event.author_id, anna.id);
  EXPECT_EQ(ended.event.seq, 2);
  EXPECT_EQ(store_->EndConversation("c_1", Sender::visitor, kT0).error().code,
            core::Errc::failed_precondition);
  EXPECT_EQ(store_->EndConversation("c_none", Sender::visitor, kT0).error().code,
            core::Errc::not_found);
  EXPECT_EQ(store_->AcceptConversation("c_1", anna.id, kT0).error().code,
            core::Errc::failed_precondition);
  EXPECT_TRUE(store_->ListActiveFor(anna.id).value().empty());
}

TEST_P(StoreContractTest, VisitorLeavingTheQueueEndsConversation) {
  Waiting("c_1");
  Waiting("c_2");
  const Transition ended = store_->EndConversation("c_1", Sender::visitor, kT0 + 5).value();
  EXPECT_EQ(ended.event.sender, Sender::visitor);
  EXPECT_FALSE(ended.event.author_id);
  EXPECT_FALSE(ended.conversation.accepted_at);
  const auto waiting = store_->ListWaiting().value();
  ASSERT_EQ(waiting.size(), 1u);
  EXPECT_EQ(waiting[0].id, "c_2");
}

TEST_P(StoreContractTest, AcceptNeedsExistingCounsellor) {
  Waiting("c_1");
  EXPECT_EQ(store_->AcceptConversation("c_1", 4242, kT0).error().code, core::Errc::not_found);
  EXPECT_EQ(store_->FindConversation("c_1").value().status, ConversationStatus::waiting);
  EXPECT_EQ(store_->FindConversation("c_1").value().last_seq, 0);
}

TEST_P(StoreContractTest, ActiveConversationsOfOneCounsellorOldestFirst) {
  const StaffAccount anna = Counsellor("anna");
  const StaffAccount bert = Counsellor("bert");
  for (const char* id : {"c_1", "c_2", "c_3"}) Waiting(id);
  ASSERT_TRUE(store_->AcceptConversation("c_3", anna.id, kT0 + 1));
  ASSERT_TRUE(store_->AcceptConversation("c_2", bert.id, kT0 + 2));
  ASSERT_TRUE(store_->AcceptConversation("c_1", anna.id, kT0 + 3));
  std::vector<std::string> order;
  for (const auto& c : store_->ListActiveFor(anna.id).value()) order.push_back(c.id);
  EXPECT_EQ(order, (std::vector<std::string>{"c_3", "c_1"}));
  ASSERT_TRUE(store_->EndConversation("c_3", Sender::counsellor, kT0 + 4));
  EXPECT_EQ(store_->ListActiveFor(anna.id).value().size(), 1u);
}

TEST_P(StoreContractTest, ConcurrentAppendsGetSeqsWithoutGaps) {
  Waiting("c_1");
  constexpr int kThreads = 8;
  constexpr int kPerThread = 40;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        const Sender sender = t % 2 == 0 ? Sender::visitor : Sender::counsellor;
        auto sent = Send("c_1", sender, std::to_string(t) + "-" + std::to_string(i));
        if (!sent || sent->duplicate) ++failures;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  const auto messages = store_->MessagesAfter("c_1", 0, 10'000).value();
  ASSERT_EQ(messages.size(), std::size_t{kThreads * kPerThread});
  for (std::size_t i = 0; i < messages.size(); ++i) EXPECT_EQ(messages[i].seq, std::int64_t(i + 1));
  EXPECT_EQ(store_->FindConversation("c_1").value().last_seq, kThreads * kPerThread);
}

TEST_P(StoreContractTest, AsyncAppendsAnswerInOrderOnceCommitted) {
  Waiting("c_1");
  constexpr int kMessages = 60;
  std::mutex mu;
  std::condition_variable answered_cv;
  std::vector<Result<AppendedMessage>> answers;
  std::vector<std::int64_t> committed_seqs;  // the conversation's last_seq as each answer came
  auto submit = [&](const std::string& client_id, const std::string& body) {
    store_->AppendMessageAsync(NewMessage{.conversation_id = "c_1",
                                          .sender = Sender::visitor,
                                          .author_id = std::nullopt,
                                          .client_id = client_id,
                                          .body = body,
                                          .created_at = kT0 + 1},
                               [&](Result<AppendedMessage> appended) {
                                 const std::int64_t last =
                                     store_->FindConversation("c_1").value().last_seq;
                                 std::lock_guard lock(mu);
                                 answers.push_back(std::move(appended));
                                 committed_seqs.push_back(last);
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
  }
  ASSERT_TRUE(answers[kMessages + 1]);
  EXPECT_TRUE(answers[kMessages + 1]->duplicate);
  EXPECT_EQ(answers[kMessages + 1]->message.seq, 1);
  EXPECT_EQ(answers[kMessages + 1]->message.body, "body 0");
  const auto messages = store_->MessagesAfter("c_1", 0, 1000).value();
  ASSERT_EQ(messages.size(), std::size_t{kMessages});
  EXPECT_EQ(messages.back().body, "body " + std::to_string(kMessages - 1));
}

TEST_P(StoreContractTest, SameClientIdIsStoredOncePerSender) {
  Waiting("c_1");
  const AppendedMessage first = Send("c_1", Sender::visitor, "abc", "eerste").value();
  EXPECT_FALSE(first.duplicate);
  const AppendedMessage again = Send("c_1", Sender::visitor, "abc", "anders").value();
  EXPECT_TRUE(again.duplicate);
  EXPECT_EQ(again.message.seq, first.message.seq);
  EXPECT_EQ(again.message.body, "eerste");
  const AppendedMessage from_counsellor = Send("c_1", Sender::counsellor, "abc").value();
  EXPECT_FALSE(from_counsellor.duplicate);
  EXPECT_EQ(from_counsellor.message.seq, 2);
  Waiting("c_2");
  EXPECT_FALSE(Send("c_2", Sender::visitor, "abc").value().duplicate);
  EXPECT_EQ(store_->FindConversation("c_1").value().last_seq, 2);
}

TEST_P(StoreContractTest, AppendRejectsBadInput) {
  Waiting("c_1");
  EXPECT_EQ(Send("c_1", Sender::visitor, "").error().code, core::Errc::invalid_argument);
  EXPECT_EQ(Send("c_1", Sender::visitor, std::string(65, 'x')).error().code,
            core::Errc::invalid_argument);
  EXPECT_EQ(Send("c_1", Sender::system, "a").error().code, core::Errc::invalid_argument);
  EXPECT_EQ(Send("c_none", Sender::visitor, "a").error().code, core::Errc::not_found);
  EXPECT_TRUE(Send("c_1", Sender::visitor, std::string(64, 'x')));
}

TEST_P(StoreContractTest, MessagesAfterHonoursSeqAndLimit) {
  Waiting("c_1");
  for (int i = 1; i <= 10; ++i) ASSERT_TRUE(Send("c_1", Sender::visitor, std::to_string(i)));
  const auto page = store_->MessagesAfter("c_1", 3, 4).value();
  ASSERT_EQ(page.size(), 4u);
  EXPECT_EQ(page.front().seq, 4);
  EXPECT_EQ(page.back().seq, 7);
  EXPECT_EQ(page.front().client_id, "4");
  EXPECT_EQ(page.front().kind, MessageKind::text);
  EXPECT_EQ(page.front().sender, Sender::visitor);
  EXPECT_EQ(store_->MessagesAfter("c_1", 8, 100).value().size(), 2u);
  EXPECT_TRUE(store_->MessagesAfter("c_1", 10, 100).value().empty());
  EXPECT_TRUE(store_->MessagesAfter("c_1", 0, 0).value().empty());
  EXPECT_EQ(store_->MessagesAfter("c_none", 0, 10).error().code, core::Errc::not_found);
}

TEST_P(StoreContractTest, BodiesAreStoredByteForByte) {
  Waiting("c_1");
  const std::string body("bin\0ary\xff", 8);
  ASSERT_TRUE(Send("c_1", Sender::visitor, "a", body));
  ASSERT_TRUE(Send("c_1", Sender::visitor, "b", ""));
  const auto messages = store_->MessagesAfter("c_1", 0, 10).value();
  EXPECT_EQ(messages[0].body, body);
  EXPECT_EQ(messages[1].body, "");
}

TEST_P(StoreContractTest, AppendAfterEndFails) {
  Waiting("c_1");
  ASSERT_TRUE(Send("c_1", Sender::visitor, "before"));
  ASSERT_TRUE(store_->EndConversation("c_1", Sender::visitor, kT0));
  EXPECT_EQ(Send("c_1", Sender::visitor, "after").error().code, core::Errc::failed_precondition);
  EXPECT_TRUE(Send("c_1", Sender::visitor, "before").value().duplicate);
  EXPECT_EQ(store_->FindConversation("c_1").value().last_seq, 2);
}

TEST_P(StoreContractTest, EverythingSurvivesReopen) {
  const StaffAccount anna = Counsellor("anna");
  ASSERT_TRUE(store_->CreateSession(StaffSession{"hash-1", anna.id, "csrf", kT0, kT0}));
  Waiting("c_1");
  ASSERT_TRUE(Send("c_1", Sender::visitor, "a", "een"));
  ASSERT_TRUE(store_->AcceptConversation("c_1", anna.id, kT0));
  store_.reset();
  store_ = database_->Open().value();
  EXPECT_EQ(store_->FindAccountByUsername("anna").value().id, anna.id);
  EXPECT_EQ(store_->FindSession("hash-1").value().account_id, anna.id);
  const Conversation c = store_->FindConversation("c_1").value();
  EXPECT_EQ(c.status, ConversationStatus::active);
  EXPECT_EQ(c.last_seq, 2);
  EXPECT_EQ(store_->MessagesAfter("c_1", 0, 10).value().front().body, "een");
  EXPECT_EQ(Send("c_1", Sender::counsellor, "b").value().message.seq, 3);
}

TEST_P(StoreContractTest, NicknameRoundTrips) {
  const std::string nickname = "Zoë \xF0\x9F\x8C\xBB";
  const Conversation created =
      store_
          ->CreateConversation(NewConversation{.id = "c_1",
                                               .resume_token_hash = "resume-c_1",
                                               .subject = Subject::other,
                                               .nickname = nickname,
                                               .urgency = 0,
                                               .created_at = kT0})
          .value();
  EXPECT_EQ(created.nickname, nickname);
  EXPECT_EQ(store_->FindConversation("c_1").value().nickname, nickname);
  EXPECT_EQ(store_->FindConversationByResumeToken("resume-c_1").value().nickname, nickname);
  EXPECT_EQ(store_->ListWaiting().value().at(0).nickname, nickname);
  EXPECT_EQ(store_->EndConversation("c_1", Sender::visitor, kT0).value().conversation.nickname,
            nickname);
}

TEST_P(StoreContractTest, ShredBlanksTextsAndKeepsEntries) {
  const StaffAccount anna = Counsellor("anna");
  ASSERT_TRUE(store_->CreateConversation(NewConversation{.id = "c_1",
                                                         .resume_token_hash = "resume-c_1",
                                                         .subject = Subject::self,
                                                         .nickname = "Sam",
                                                         .urgency = 0,
                                                         .created_at = kT0}));
  ASSERT_TRUE(Send("c_1", Sender::visitor, "a", "ik word gedwongen"));
  ASSERT_TRUE(store_->AcceptConversation("c_1", anna.id, kT0 + 1));
  ASSERT_TRUE(Send("c_1", Sender::counsellor, "b", "vertel"));
  ASSERT_TRUE(store_->EndConversation("c_1", Sender::counsellor, kT0 + 2));
  Waiting("c_2");
  ASSERT_TRUE(Send("c_2", Sender::visitor, "a", "blijft"));

  ASSERT_TRUE(store_->ShredConversation("c_1"));
  const auto check = [&] {
    const auto entries = store_->MessagesAfter("c_1", 0, 10).value();
    ASSERT_EQ(entries.size(), 4u);
    for (std::size_t i = 0; i < entries.size(); ++i) {
      EXPECT_EQ(entries[i].seq, std::int64_t(i + 1));
      EXPECT_TRUE(entries[i].body.empty());
      EXPECT_EQ(entries[i].body_shredded, entries[i].kind == MessageKind::text) << i;
    }
    EXPECT_EQ(entries[0].client_id, "a");
    EXPECT_EQ(entries[2].sender, Sender::counsellor);
    EXPECT_EQ(store_->FindConversation("c_1").value().nickname, "");
    EXPECT_EQ(store_->FindConversationKey("c_1").value(), "");
    const AppendedMessage resent = Send("c_1", Sender::visitor, "a", "ik word gedwongen").value();
    EXPECT_TRUE(resent.duplicate);
    EXPECT_TRUE(resent.message.body_shredded);
    EXPECT_TRUE(resent.message.body.empty());
    EXPECT_EQ(store_->MessagesAfter("c_2", 0, 10).value().at(0).body, "blijft");
  };
  check();
  ASSERT_TRUE(store_->ShredConversation("c_1"));
  check();
  store_.reset();
  store_ = database_->Open().value();
  check();
}

TEST_P(StoreContractTest, FindsAnyConversationKeyUntilShredded) {
  EXPECT_EQ(store_->FindAnyConversationKey().error().code, core::Errc::not_found);
  ASSERT_TRUE(store_->CreateConversation(NewConversation{.id = "c_1",
                                                         .resume_token_hash = "resume-c_1",
                                                         .subject = Subject::self,
                                                         .nickname = "",
                                                         .urgency = 0,
                                                         .created_at = kT0,
                                                         .wrapped_key = "wrapped"}));
  const ConversationKey any = store_->FindAnyConversationKey().value();
  EXPECT_EQ(any.conversation_id, "c_1");
  EXPECT_FALSE(any.wrapped_key.empty());
  EXPECT_EQ(any.wrapped_key, store_->FindConversationKey("c_1").value());
  ASSERT_TRUE(store_->EndConversation("c_1", Sender::visitor, kT0));
  ASSERT_TRUE(store_->ShredConversation("c_1"));
  EXPECT_EQ(store_->FindAnyConversationKey().error().code, core::Errc::not_found);
}

TEST_P(StoreContractTest, ShredNeedsAnEndedConversation) {
  Waiting("c_1");
  ASSERT_TRUE(Send("c_1", Sender::visitor, "a", "nog nodig"));
  EXPECT_EQ(store_->ShredConversation("c_1").error().code, core::Errc::failed_precondition);
  EXPECT_EQ(store_->ShredConversation("c_none").error().code, core::Errc::not_found);
  EXPECT_EQ(store_->FindConversationKey("c_none").error().code, core::Errc::not_found);
  const Message kept = store_->MessagesAfter("c_1", 0, 10).value().at(0);
  EXPECT_EQ(kept.body, "nog nodig");
  EXPECT_FALSE(kept.body_shredded);
}

TEST_P(StoreContractTest, NewerSchemaIsRefused) {
  store_.reset();
  ASSERT_TRUE(database_->ForceSchemaVersion(999));
  auto opened = database_->Open();
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().code, core::Errc::failed_precondition);
  EXPECT_NE(opened.error().message.find("999"), std::string::npos) << opened.error().message;
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreContractTest, ::testing::ValuesIn(Backends()),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace uitweg::store
