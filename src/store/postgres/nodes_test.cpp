// Several nodes on one PostgreSQL database, at the store level: each "node" here is a Database
// of its own (its own writer and connections) on the same database, as separate processes
// would have.

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <barrier>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <future>
#include <iostream>
#include <latch>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "store/group_commit/testing/held_writer.hpp"
#include "store/postgres/change_feed.hpp"
#include "store/postgres/connection.hpp"
#include "store/postgres/connections.hpp"
#include "store/postgres/postgres_audit_store.hpp"
#include "store/postgres/postgres_conversation_store.hpp"
#include "store/postgres/postgres_database.hpp"
#include "store/test_database.hpp"
#include "support/postgres_test.hpp"

namespace uitweg::store {
namespace {

constexpr UnixMillis kT0 = 1'700'000'000'000;

class PostgresNodesTest : public support::PostgresDatabaseTest {
 protected:
  Database Node() {
    auto opened = OpenPostgresDatabase(PostgresOptions{.url = url_, .reader_count = 2});
    EXPECT_TRUE(opened) << opened.error().message;
    return opened ? std::move(*opened) : Database{};
  }

  static Result<model::StaffAccount> NewCounsellor(Database& node, const std::string& username) {
    return node.accounts->CreateAccount(NewStaffAccount{.username = username,
                                                        .role = model::Role::counsellor,
                                                        .display_name = username,
                                                        .password_hash = "h",
                                                        .created_at = kT0});
  }

  // Accepts `id` for `counsellor` on `node` once `start` lets every racer go.
  static Result<Transition> AcceptWhenAllReady(std::barrier<>& start, Database& node,
                                               const std::string& id, std::int64_t counsellor) {
    start.arrive_and_wait();
    return Await<Transition>(
        [&](Done<Transition> done) { node.conversations->Accept(id, counsellor, kT0, done); });
  }

  static Result<model::Conversation> Create(Database& node, const std::string& id) {
    return Await<model::Conversation>([&](Done<model::Conversation> done) {
      node.conversations->Create(NewConversation{.id = id,
                                                 .resume_token_hash = "resume-" + id,
                                                 .subject = model::Subject::self,
                                                 .nickname = "",
                                                 .urgency = 0,
                                                 .created_at = kT0},
                                 done);
    });
  }
};

TEST_F(PostgresNodesTest, NodesStartingAtOnceMigrateOnce) {
  constexpr int kNodes = 4;
  std::barrier start(kNodes);
  std::vector<std::future<bool>> opened;
  for (int i = 0; i < kNodes; ++i) {
    opened.push_back(std::async(std::launch::async, [&] {
      start.arrive_and_wait();
      return OpenPostgresDatabase(PostgresOptions{.url = url_, .reader_count = 1}).has_value();
    }));
  }
  for (auto& node : opened) EXPECT_TRUE(node.get());
  auto db = postgres::Connection::Open(url_);
  ASSERT_TRUE(db);
  auto counted = (*db)->Query("SELECT COUNT(*), COUNT(DISTINCT version) FROM schema_version");
  ASSERT_TRUE(counted) << counted.error().message;
  EXPECT_EQ((*counted)[0].Int(0), (*counted)[0].Int(1)) << "a migration was recorded twice";
  EXPECT_GE((*counted)[0].Int(0), 1);
}

TEST_F(PostgresNodesTest, TwoNodesAppendingToOneConversationShareNoSeqAndSkipNone) {
  Database a = Node();
  Database b = Node();
  ASSERT_TRUE(a.conversations && b.conversations);
  ASSERT_TRUE(Create(a, "c_1"));
  ASSERT_TRUE(Create(a, "c_2"));
  constexpr int kEach = 200;
  std::barrier start(2);
  auto send_all = [&](Database& node, const std::string& side) {
    start.arrive_and_wait();
    std::vector<std::promise<Result<Appended>>> answers(2 * kEach);
    for (int i = 0; i < kEach; ++i) {
      // Both conversations, in opposite orders on the two nodes: their batches lock the same
      // rows, which must not deadlock.
      for (int c = 0; c < 2; ++c) {
        const std::string id = (side == "a") == (c == 0) ? "c_1" : "c_2";
        auto& answer = answers[static_cast<std::size_t>(2 * i + c)];
        node.conversations->Append(NewMessage{.conversation_id = id,
                                              .sender = model::Sender::visitor,
                                              .author_id = std::nullopt,
                                              .client_id = side + "-" + std::to_string(i),
                                              .body = "x",
                                              .created_at = kT0},
                                   [&answer](Result<Appended> r) { answer.set_value(r); });
      }
    }
    int failed = 0;
    for (auto& answer : answers) failed += answer.get_future().get().has_value() ? 0 : 1;
    return failed;
  };
  auto on_a = std::async(std::launch::async, [&] { return send_all(a, "a"); });
  auto on_b = std::async(std::launch::async, [&] { return send_all(b, "b"); });
  EXPECT_EQ(on_a.get(), 0);
  EXPECT_EQ(on_b.get(), 0);
  for (const char* id : {"c_1", "c_2"}) {
    auto entries = a.conversations->MessagesAfter(id, 0, 10'000);
    ASSERT_TRUE(entries) << entries.error().message;
    ASSERT_EQ(entries->size(), static_cast<std::size_t>(2 * kEach)) << id;
    std::set<std::string> client_ids;
    for (std::size_t i = 0; i < entries->size(); ++i) {
      EXPECT_EQ((*entries)[i].seq, static_cast<std::int64_t>(i + 1)) << id;
      client_ids.insert((*entries)[i].client_id);
    }
    EXPECT_EQ(client_ids.size(), static_cast<std::size_t>(2 * kEach)) << id;
    EXPECT_EQ(a.conversations->Find(id)->last_seq, 2 * kEach);
  }
  for (Database* node : {&a, &b}) {
    const WriterStats stats =
        dynamic_cast<postgres::PostgresConversationStore&>(*node->conversations).Stats();
    EXPECT_EQ(stats.retries, 0u) << "batches deadlocked";
    std::cout << "batches " << stats.batches << ", units " << stats.units << "\n";
  }
}

// Another node's open batch holds a conversation's row (here a transaction of the test's own).
// A message to that conversation is set aside instead of holding up the writer's batch, so a
// message to another conversation commits meanwhile; once the row is free the first is stored.
TEST_F(PostgresNodesTest, AMessageWhoseConversationAnotherNodeHoldsDoesNotHoldUpTheOthers) {
  std::promise<Result<Appended>> held_done;
  std::promise<Result<Appended>> free_done;
  Database a = Node();
  ASSERT_TRUE(Create(a, "c_1"));
  ASSERT_TRUE(Create(a, "c_2"));
  auto other = postgres::Connection::Open(url_);
  ASSERT_TRUE(other) << other.error().message;
  ASSERT_TRUE((*other)->Exec("BEGIN; SELECT id FROM conversation WHERE id = 'c_1' FOR UPDATE"));
  auto send = [&](const std::string& id, std::promise<Result<Appended>>& done) {
    a.conversations->Append(NewMessage{.conversation_id = id,
                                       .sender = model::Sender::visitor,
                                       .author_id = std::nullopt,
                                       .client_id = "v-1",
                                       .body = "hallo",
                                       .created_at = kT0},
                            [&done](Result<Appended> appended) { done.set_value(appended); });
  };
  send("c_1", held_done);
  send("c_2", free_done);
  auto free_answer = free_done.get_future();
  ASSERT_EQ(free_answer.wait_for(std::chrono::seconds(60)), std::future_status::ready)
      << "the message to c_2 waits behind the one to c_1";
  EXPECT_EQ(free_answer.get().value().message.seq, 1);
  auto& store = dynamic_cast<postgres::PostgresConversationStore&>(*a.conversations);
  constexpr auto kLimit = static_cast<std::uint64_t>(postgres::Writer::kSetAsideLimit);
  auto held_answer = held_done.get_future();
  while (store.Stats().set_aside < kLimit &&
         held_answer.wait_for(std::chrono::milliseconds(1)) == std::future_status::timeout) {
  }
  ASSERT_TRUE((*other)->Exec("COMMIT"));
  const Result<Appended> held = held_answer.get();
  ASSERT_TRUE(held) << held.error().message;
  EXPECT_EQ(held->message.seq, 1);
  EXPECT_EQ(store.Stats().set_aside, kLimit);
}

// Each node's appends read the chain's last entry only once they hold the chain, so two nodes
// appending at once still make one chain: no seq twice, none skipped, every entry linked to the
// one before.
TEST_F(PostgresNodesTest, TwoNodesAppendingToTheAuditChainAtOnceMakeOneChain) {
  Database a = Node();
  Database b = Node();
  ASSERT_TRUE(a.audit && b.audit);
  constexpr int kEach = 150;
  std::atomic<int> failed = 0;
  std::latch answered(2 * kEach);
  std::barrier start(2);
  auto append_all = [&](Database& node, const std::string& name) {
    start.arrive_and_wait();
    for (int i = 0; i < kEach; ++i) {
      node.audit->AppendLater(
          NewAuditEntry{.at = kT0, .node = name, .action = "send", .detail = std::to_string(i)},
          [&](core::Status appended) {
            if (!appended) ++failed;
            answered.count_down();
          });
      // Some wait for their commit, so the nodes' batches interleave.
      if (i % 10 == 0) {
        EXPECT_TRUE(node.audit->Append(NewAuditEntry{.at = kT0, .node = name, .action = "read"}));
      }
    }
  };
  std::thread on_a(append_all, std::ref(a), "a");
  std::thread on_b(append_all, std::ref(b), "b");
  on_a.join();
  on_b.join();
  answered.wait();
  EXPECT_EQ(failed, 0);
  const auto chain = a.audit->After(0, 10'000);
  ASSERT_TRUE(chain) << chain.error().message;
  ASSERT_EQ(chain->size(), static_cast<std::size_t>(2 * (kEach + kEach / 10)));
  std::map<std::string, int> next_detail;
  std::string previous(kAuditGenesis);
  for (std::size_t i = 0; i < chain->size(); ++i) {
    const AuditEntry& entry = (*chain)[i];
    EXPECT_EQ(entry.seq, static_cast<std::int64_t>(i + 1));
    EXPECT_EQ(entry.prev_hash, previous) << "entry " << entry.seq << " links to another";
    EXPECT_EQ(entry.hash, AuditHash(entry));
    previous = entry.hash;
    if (entry.action == "send") {
      EXPECT_EQ(entry.detail, std::to_string(next_detail[entry.node]++)) << entry.node;
    }
  }
}

// A batch whose audit entries find the chain held by another node (until that node's commit)
// commits its messages without waiting; the entries follow in a later batch.
TEST_F(PostgresNodesTest, AMessageDoesNotWaitWhileAnotherNodeHoldsTheAuditChain) {
  Database node = Node();
  ASSERT_TRUE(node.conversations);
  ASSERT_TRUE(Create(node, "c_1"));
  // Before the writer's connections, so that they outlive its answers should an assertion end
  // the test while the writer still waits for the chain.
  std::promise<core::Status> audited;
  std::promise<Result<Appended>> appended;
  auto connections = postgres::Connections::Open(PostgresOptions{.url = url_, .reader_count = 1});
  ASSERT_TRUE(connections) << connections.error().message;
  postgres::PostgresAuditStore audit(*connections);
  postgres::PostgresConversationStore conversations(*connections);
  auto other = postgres::Connection::Open(url_);
  ASSERT_TRUE(other) << other.error().message;
  ASSERT_TRUE((*other)->Exec("BEGIN"));
  // The chain's lock, as another node's append takes it.
  ASSERT_TRUE((*other)->Query("SELECT pg_advisory_xact_lock(8460421431143366659)"));

  // A counsellor's message is audited and the visitor's next message comes in, in one batch.
  std::latch open(1);
  std::thread holder = testing::HoldWriter((*connections)->writer(), open);
  audit.AppendLater(NewAuditEntry{.at = kT0, .node = "a", .action = "send"},
                    [&](core::Status status) { audited.set_value(status); });
  conversations.Append(NewMessage{.conversation_id = "c_1",
                                  .sender = model::Sender::visitor,
                                  .client_id = "m1",
                                  .body = "x",
                                  .created_at = kT0},
                       [&](Result<Appended> r) { appended.set_value(std::move(r)); });
  testing::WaitPending((*connections)->writer(), 2);
  open.count_down();
  holder.join();

  auto message = appended.get_future();
  // Generous: committing one message takes milliseconds; the chain is held until COMMIT below.
  ASSERT_EQ(message.wait_for(std::chrono::seconds(30)), std::future_status::ready)
      << "the message waited for the audit chain's lock";
  ASSERT_TRUE(message.get());
  auto entry = audited.get_future();
  EXPECT_EQ(entry.wait_for(std::chrono::milliseconds(0)), std::future_status::timeout)
      << "the entry was appended while another node held the chain";

  ASSERT_TRUE((*other)->Exec("COMMIT"));
  EXPECT_TRUE(entry.get());
  const auto chain = audit.After(0, 10);
  ASSERT_TRUE(chain) << chain.error().message;
  ASSERT_EQ(chain->size(), 1u);
  EXPECT_EQ(chain->front().action, "send");
}

// PostgreSQL restarted (or an idle timeout cut them): the node's connections are gone, which
// each finds out on its next statement. Reads and writes go on, on new connections.
TEST_F(PostgresNodesTest, ReadsAndWritesGoOnWhenTheServerDroppedTheConnections) {
  Database node = Node();
  ASSERT_TRUE(node.conversations);
  ASSERT_TRUE(Create(node, "c_1"));
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(node.conversations->Find("c_1"));
  auto admin = postgres::Connection::Open(url_);
  ASSERT_TRUE(admin);
  auto dropped = (*admin)->Query(
      "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity"
      " WHERE datname = current_database() AND pid <> pg_backend_pid()");
  ASSERT_TRUE(dropped) << dropped.error().message;
  ASSERT_GE((*dropped)[0].Int(0), 3) << "the node's readers and writer";
  for (int i = 0; i < 4; ++i) {
    auto found = node.conversations->Find("c_1");
    EXPECT_TRUE(found) << "read " << i << ": " << found.error().message;
  }
  auto created = Create(node, "c_2");
  EXPECT_TRUE(created) << created.error().message;
}

TEST_F(PostgresNodesTest, TwoNodesRacingToAcceptOneVisitorLetExactlyOneWin) {
  Database a = Node();
  Database b = Node();
  ASSERT_TRUE(a.accounts && b.accounts);
  auto anna = NewCounsellor(a, "anna");
  auto bert = NewCounsellor(b, "bert");
  ASSERT_TRUE(anna && bert);
  constexpr int kRounds = 20;
  for (int round = 0; round < kRounds; ++round) {
    const std::string id = "c_" + std::to_string(round);
    ASSERT_TRUE(Create(a, id));
    std::barrier start(2);
    auto by_a =
        std::async(std::launch::async, [&] { return AcceptWhenAllReady(start, a, id, anna->id); });
    auto by_b =
        std::async(std::launch::async, [&] { return AcceptWhenAllReady(start, b, id, bert->id); });
    Result<Transition> first = by_a.get();
    Result<Transition> second = by_b.get();
    ASSERT_NE(first.has_value(), second.has_value()) << "round " << round;
    const Result<Transition>& lost = first ? second : first;
    EXPECT_EQ(lost.error().code, core::Errc::failed_precondition);
    auto stored = a.conversations->MessagesAfter(id, 0, 10);
    ASSERT_TRUE(stored);
    EXPECT_EQ(stored->size(), 1u) << "one accepted entry, not two";
    // The winner's place is free again for the next round.
    ASSERT_TRUE(Await<Transition>([&](Done<Transition> done) {
      a.conversations->EndByCounsellor(id, a.conversations->Find(id)->counsellor_id.value_or(0),
                                       kT0, done);
    }));
  }
}

// A page asked again while its first try was still being stored on another node: one
// conversation, and the second try's token, whichever node committed first.
TEST_F(PostgresNodesTest, TwoTriesOfOneRequestOnTwoNodesAtOnceMakeOneConversation) {
  Database a = Node();
  Database b = Node();
  ASSERT_TRUE(a.conversations && b.conversations);
  const auto try_when_ready = [](std::barrier<>& start, Database& node, std::string id,
                                 std::string request, std::int64_t try_number) {
    start.arrive_and_wait();
    return Await<model::Conversation>([&](Done<model::Conversation> done) {
      node.conversations->Create(NewConversation{.id = id,
                                                 .resume_token_hash = "resume-" + id,
                                                 .created_at = kT0,
                                                 .request_hash = request,
                                                 .request_try = try_number},
                                 done);
    });
  };
  constexpr int kRounds = 20;
  for (int round = 0; round < kRounds; ++round) {
    const std::string request = "request-" + std::to_string(round);
    const std::string first_id = "c_a" + std::to_string(round);
    const std::string second_id = "c_b" + std::to_string(round);
    std::barrier start(2);
    auto by_a = std::async(std::launch::async,
                           [&] { return try_when_ready(start, a, first_id, request, 1); });
    auto by_b = std::async(std::launch::async,
                           [&] { return try_when_ready(start, b, second_id, request, 2); });
    Result<model::Conversation> first = by_a.get();
    Result<model::Conversation> second = by_b.get();
    ASSERT_TRUE(second) << second.error().message;
    if (first) {
      EXPECT_EQ(first->id, second->id) << "round " << round;
    } else {
      EXPECT_EQ(first.error().code, core::Errc::failed_precondition) << first.error().message;
    }
    EXPECT_EQ(a.conversations->FindByResumeToken("resume-" + second_id).value().id, second->id);
    EXPECT_FALSE(a.conversations->FindByResumeToken("resume-" + first_id)) << "round " << round;
  }
  EXPECT_EQ(a.conversations->ListWaiting(WaitingIn::live_queue)->size(),
            static_cast<std::size_t>(kRounds));
}

TEST_F(PostgresNodesTest, TwoNodesAcceptingForOneCounsellorsLastPlaceLetOneThrough) {
  Database a = Node();
  Database b = Node();
  ASSERT_TRUE(a.accounts && b.accounts);
  auto anna = NewCounsellor(a, "anna");
  ASSERT_TRUE(anna);
  ASSERT_TRUE(a.accounts->SetCapacity(anna->id, 1));
  constexpr int kRounds = 20;
  for (int round = 0; round < kRounds; ++round) {
    const std::string on_a = "a_" + std::to_string(round);
    const std::string on_b = "b_" + std::to_string(round);
    ASSERT_TRUE(Create(a, on_a));
    ASSERT_TRUE(Create(a, on_b));
    std::barrier start(2);
    auto by_a = std::async(std::launch::async,
                           [&] { return AcceptWhenAllReady(start, a, on_a, anna->id); });
    auto by_b = std::async(std::launch::async,
                           [&] { return AcceptWhenAllReady(start, b, on_b, anna->id); });
    Result<Transition> first = by_a.get();
    Result<Transition> second = by_b.get();
    ASSERT_NE(first.has_value(), second.has_value()) << "round " << round;
    EXPECT_EQ((first ? second : first).error().code, core::Errc::resource_exhausted);
    ASSERT_TRUE(Await<Transition>([&](Done<Transition> done) {
      a.conversations->EndByCounsellor(first ? on_a : on_b, anna->id, kT0, done);
    }));
  }
}

TEST_F(PostgresNodesTest, TwoNodesAcceptingForTwoCounsellorsInOppositeOrdersDoNotDeadlock) {
  Database a = Node();
  Database b = Node();
  ASSERT_TRUE(a.accounts && b.accounts);
  auto x = NewCounsellor(a, "xander");
  auto y = NewCounsellor(a, "yara");
  ASSERT_TRUE(x && y);
  constexpr int kRounds = 30;
  for (int round = 0; round < kRounds; ++round) {
    const std::string prefix = "r" + std::to_string(round) + "_";
    // Within a batch units run in the order of their conversations: node a locks xander's
    // account first and then yara's, node b the other way round.
    const std::vector<std::pair<std::string, std::int64_t>> on_a = {{prefix + "a1", x->id},
                                                                    {prefix + "a2", y->id}};
    const std::vector<std::pair<std::string, std::int64_t>> on_b = {{prefix + "b1", y->id},
                                                                    {prefix + "b2", x->id}};
    for (const auto* accepts : {&on_a, &on_b}) {
      for (const auto& [id, counsellor] : *accepts) ASSERT_TRUE(Create(a, id));
    }
    std::barrier start(2);
    auto accept_all = [&](Database& node, const auto& accepts) {
      start.arrive_and_wait();
      std::vector<std::promise<Result<Transition>>> answers(accepts.size());
      for (std::size_t i = 0; i < accepts.size(); ++i) {
        node.conversations->Accept(
            accepts[i].first, accepts[i].second, kT0,
            [&answer = answers[i]](Result<Transition> r) { answer.set_value(std::move(r)); });
      }
      int failed = 0;
      for (auto& answer : answers) failed += answer.get_future().get().has_value() ? 0 : 1;
      return failed;
    };
    auto by_a = std::async(std::launch::async, [&] { return accept_all(a, on_a); });
    auto by_b = std::async(std::launch::async, [&] { return accept_all(b, on_b); });
    ASSERT_EQ(by_a.get(), 0) << "round " << round;
    ASSERT_EQ(by_b.get(), 0) << "round " << round;
    for (const auto* accepts : {&on_a, &on_b}) {
      for (const auto& [id, counsellor] : *accepts) {
        ASSERT_TRUE(Await<Transition>([&](Done<Transition> done) {
          a.conversations->EndByCounsellor(id, counsellor, kT0, done);
        }));
      }
    }
  }
  for (Database* node : {&a, &b}) {
    const WriterStats stats =
        dynamic_cast<postgres::PostgresConversationStore&>(*node->conversations).Stats();
    EXPECT_EQ(stats.retries, 0u) << "batches deadlocked";
  }
}

TEST_F(PostgresNodesTest, TwoNodesCreatingTheFirstAdministratorAtOnceMakeOne) {
  Database a = Node();
  Database b = Node();
  ASSERT_TRUE(a.accounts && b.accounts);
  auto db = postgres::Connection::Open(url_);
  ASSERT_TRUE(db);
  constexpr int kRounds = 20;
  for (int round = 0; round < kRounds; ++round) {
    ASSERT_TRUE((*db)->Exec("DELETE FROM staff_account"));
    std::barrier start(2);
    auto create = [&](Database& node, const std::string& username) {
      start.arrive_and_wait();
      return node.accounts->CreateFirstAccount(NewStaffAccount{.username = username,
                                                               .role = model::Role::admin,
                                                               .display_name = username,
                                                               .password_hash = "h",
                                                               .created_at = kT0});
    };
    auto on_a = std::async(std::launch::async, [&] { return create(a, "root-a"); });
    auto on_b = std::async(std::launch::async, [&] { return create(b, "root-b"); });
    auto first = on_a.get();
    auto second = on_b.get();
    EXPECT_NE(first.has_value(), second.has_value()) << "round " << round;
    EXPECT_EQ(a.accounts->CountAccounts().value(), 1) << "round " << round;
  }
}

// A review saved on one node while another node's shred of the conversation is under way (not
// yet committed) must see the shred: otherwise its comment outlives the conversation.
TEST_F(PostgresNodesTest, AReviewSavedDuringAShredElsewhereKeepsNoComment) {
  Database node = Node();
  ASSERT_TRUE(node.conversations);
  auto anna = NewCounsellor(node, "anna");
  ASSERT_TRUE(anna);
  auto sam = node.accounts->CreateAccount(NewStaffAccount{.username = "sam",
                                                          .role = model::Role::supervisor,
                                                          .display_name = "sam",
                                                          .password_hash = "h",
                                                          .created_at = kT0});
  ASSERT_TRUE(sam);
  ASSERT_TRUE(Create(node, "c_1"));
  ASSERT_TRUE(Await<Transition>(
      [&](Done<Transition> done) { node.conversations->Accept("c_1", anna->id, kT0, done); }));
  ASSERT_TRUE(Await<Transition>([&](Done<Transition> done) {
    node.conversations->EndByCounsellor("c_1", anna->id, kT0 + 1, done);
  }));
  ASSERT_TRUE(node.reviews->CreateSample(model::ReviewSample{.id = "s_1",
                                                             .supervisor_id = sam->id,
                                                             .from = kT0,
                                                             .to = kT0 + 10,
                                                             .only_unreviewed = true,
                                                             .candidates = 1,
                                                             .created_at = kT0 + 2,
                                                             .conversation_ids = {"c_1"}}));
  // The other node's shred, held open as its transaction would be while it blanks the messages.
  auto shredding = postgres::Connection::Open(url_);
  ASSERT_TRUE(shredding);
  ASSERT_TRUE(
      (*shredding)
          ->Exec("BEGIN; UPDATE conversation SET data_key = NULL, shredded_at = 1 WHERE id = 'c_1';"
                 " UPDATE review SET comment = '' WHERE conversation_id = 'c_1'"));
  auto saved = std::async(std::launch::async, [&] {
    return node.reviews->SaveReview(model::Review{.conversation_id = "c_1",
                                                  .sample_id = "s_1",
                                                  .reviewer_id = sam->id,
                                                  .rubric_version = 1,
                                                  .scores = {{"contact", 3}},
                                                  .comment = "Goed gedaan",
                                                  .ended_at = 0,
                                                  .reviewed_at = kT0 + 3});
  });
  // The save is either done (it did not see the shred: the fault) or waits for it.
  const bool answered_at_once =
      saved.wait_for(std::chrono::seconds(2)) == std::future_status::ready;
  ASSERT_TRUE((*shredding)->Exec("COMMIT"));
  const core::Status answer = saved.get();
  EXPECT_FALSE(answered_at_once && answer) << "saved past a shred under way";
  ASSERT_FALSE(answer);
  EXPECT_EQ(answer.error().code, core::Errc::failed_precondition);
  const std::string ids[] = {"c_1"};
  EXPECT_TRUE(node.reviews->FindReviews(ids).value().empty());
}

TEST_F(PostgresNodesTest, ARingReachesTheOtherNodesButNotItsOwn) {
  postgres::PostgresChangeFeed a(url_, "nodeA");
  postgres::PostgresChangeFeed b(url_, "nodeB");
  std::mutex mu;
  std::condition_variable heard;
  std::vector<Rung> heard_by_a;
  std::vector<Rung> heard_by_b;
  a.Listen([&](std::vector<Rung> rung) {
    std::lock_guard lock(mu);
    heard_by_a.insert(heard_by_a.end(), rung.begin(), rung.end());
    heard.notify_all();
  });
  b.Listen([&](std::vector<Rung> rung) {
    std::lock_guard lock(mu);
    heard_by_b.insert(heard_by_b.end(), rung.begin(), rung.end());
    heard.notify_all();
  });
  // A ring sent before B listens is lost, as rings may be; ring until B has heard both (they
  // may come in one notification or in two).
  const auto heard_both = [&] {
    const bool first = std::find(heard_by_b.begin(), heard_by_b.end(),
                                 Rung{"c_1", Change::conversation}) != heard_by_b.end();
    const bool second = std::find(heard_by_b.begin(), heard_by_b.end(),
                                  Rung{"c_2", Change::entries}) != heard_by_b.end();
    return first && second;
  };
  std::unique_lock lock(mu);
  for (int attempt = 0; attempt < 100 && !heard_both(); ++attempt) {
    lock.unlock();
    a.Ring("c_1", Change::entries);
    a.Ring("c_1", Change::conversation);
    a.Ring("c_2", Change::entries);
    lock.lock();
    heard.wait_for(lock, std::chrono::milliseconds(100), heard_both);
  }
  EXPECT_TRUE(heard_both()) << "c_1 rung for anything, c_2 for entries alone";
  EXPECT_TRUE(heard_by_a.empty()) << "a node skips its own rings";
}

// A node's own ring comes back with whatever the other nodes rang while it was sent, read with
// the answer into libpq's buffer, where the socket no longer shows it: that must be heard at
// once, not when the feed next wakes for something else (after a minute here).
TEST_F(PostgresNodesTest, ARingThatCameWhileTheNodeRangItselfIsHeardAtOnce) {
  constexpr auto kIdle = std::chrono::minutes(1);
  postgres::PostgresChangeFeed a(url_, "nodeA", kIdle);
  postgres::PostgresChangeFeed b(url_, "nodeB", kIdle);
  std::mutex mu;
  std::condition_variable heard;
  std::set<std::string> heard_by_b;
  a.Listen([](std::vector<Rung>) {});
  b.Listen([&](std::vector<Rung> rung) {
    std::lock_guard lock(mu);
    for (const Rung& one : rung) heard_by_b.insert(one.conversation_id);
    heard.notify_all();
  });
  const auto heard_id = [&](const std::string& id) {
    return [&heard_by_b, id] { return heard_by_b.contains(id); };
  };
  std::unique_lock lock(mu);
  for (int attempt = 0; attempt < 100 && !heard_id("c_ready")(); ++attempt) {
    lock.unlock();
    a.Ring("c_ready", Change::entries);
    lock.lock();
    heard.wait_for(lock, std::chrono::milliseconds(100), heard_id("c_ready"));
  }
  ASSERT_TRUE(heard_id("c_ready")()) << "B listens";
  // B rings at the moment A's ring comes, so that A's often arrives during B's.
  for (int round = 0; round < 50; ++round) {
    const std::string id = "c_" + std::to_string(round);
    lock.unlock();
    b.Ring("b_" + std::to_string(round), Change::entries);
    a.Ring(id, Change::entries);
    lock.lock();
    ASSERT_TRUE(heard.wait_for(lock, std::chrono::seconds(30), heard_id(id))) << "round " << round;
  }
}

// A ring whose connection broke as it was sent goes out once the feed is connected again: the
// other nodes would otherwise learn of it only from their slow poll.
TEST_F(PostgresNodesTest, ARingWhoseConnectionBrokeGoesOutOnceConnectedAgain) {
  constexpr auto kIdle = std::chrono::minutes(1);
  postgres::PostgresChangeFeed a(url_, "nodeA", kIdle);
  postgres::PostgresChangeFeed b(url_, "nodeB", kIdle);
  std::mutex mu;
  std::condition_variable changed;
  bool a_held = false;
  bool a_released = false;
  std::set<std::string> heard_by_b;
  // A's thread waits in its listener while its connection is cut and it is rung.
  a.Listen([&](std::vector<Rung> rung) {
    std::unique_lock lock(mu);
    if (a_held ||
        std::find(rung.begin(), rung.end(), Rung{"c_hold", Change::entries}) == rung.end()) {
      return;
    }
    a_held = true;
    changed.notify_all();
    changed.wait(lock, [&] { return a_released; });
  });
  b.Listen([&](std::vector<Rung> rung) {
    std::lock_guard lock(mu);
    for (const Rung& one : rung) heard_by_b.insert(one.conversation_id);
    changed.notify_all();
  });
  std::unique_lock lock(mu);
  for (int attempt = 0; attempt < 100 && !a_held; ++attempt) {
    lock.unlock();
    b.Ring("c_hold", Change::entries);
    lock.lock();
    changed.wait_for(lock, std::chrono::milliseconds(100), [&] { return a_held; });
  }
  ASSERT_TRUE(a_held);
  lock.unlock();
  // A has only listened; B has rung since.
  auto admin = postgres::Connection::Open(url_);
  ASSERT_TRUE(admin);
  auto cut = (*admin)->Query(
      "SELECT COUNT(pg_terminate_backend(pid, 10000)) FROM pg_stat_activity"
      " WHERE datname = current_database() AND query = 'LISTEN uitweg_changes'");
  ASSERT_TRUE(cut) << cut.error().message;
  ASSERT_EQ((*cut)[0].Int(0), 1) << "A's connection";
  a.Ring("c_lost", Change::entries);
  lock.lock();
  a_released = true;
  changed.notify_all();
  EXPECT_TRUE(changed.wait_for(lock, std::chrono::seconds(30),
                               [&] { return heard_by_b.contains("c_lost"); }));
}

// A supervisor's watch, begun and ended on node A, reaches node B in that order, and no rung
// conversation comes of it.
TEST_F(PostgresNodesTest, AWatchReachesTheOtherNodesInOrderAndRingsNothingElse) {
  postgres::PostgresChangeFeed a(url_, "nodeA");
  postgres::PostgresChangeFeed b(url_, "nodeB");
  std::mutex mu;
  std::condition_variable heard;
  std::vector<Watch> watches_b;
  std::vector<Rung> rung_b;
  b.OnWatch([&](Watch watch) {
    std::lock_guard lock(mu);
    watches_b.push_back(std::move(watch));
    heard.notify_all();
  });
  b.Listen([&](std::vector<Rung> rung) {
    std::lock_guard lock(mu);
    rung_b.insert(rung_b.end(), rung.begin(), rung.end());
  });
  a.Listen([](std::vector<Rung>) {});
  const Watch began{.conversation_id = "c_1", .supervisor_id = 42, .watching = true};
  const Watch ended{.conversation_id = "c_1", .supervisor_id = 42, .watching = false};
  // Rung before B listens, a watch is lost as a ring may be: ring until B has heard one pair.
  const auto heard_pair = [&] {
    for (std::size_t i = 0; i + 1 < watches_b.size(); ++i) {
      if (watches_b[i] == began && watches_b[i + 1] == ended) return true;
    }
    return false;
  };
  std::unique_lock lock(mu);
  for (int attempt = 0; attempt < 100 && !heard_pair(); ++attempt) {
    lock.unlock();
    a.RingWatch(began);
    a.RingWatch(ended);
    lock.lock();
    heard.wait_for(lock, std::chrono::milliseconds(100), heard_pair);
  }
  EXPECT_TRUE(heard_pair());
  EXPECT_TRUE(rung_b.empty()) << "a watch rings no conversation";
}

// A port that takes connections and closes each at once, as a server that refuses would; it
// counts the connections.
class RefusingServer {
 public:
  RefusingServer() {
    listener_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (bind(listener_, reinterpret_cast<sockaddr*>(&address), length) != 0 ||
        listen(listener_, 64) != 0 ||
        getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
      ADD_FAILURE() << "no loopback port";
    }
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] {
      while (!stopping_) {
        pollfd wait{listener_, POLLIN, 0};
        if (poll(&wait, 1, 20) <= 0) continue;
        const int accepted = accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
        if (accepted < 0) continue;
        close(accepted);
        std::lock_guard lock(mu_);
        ++connections_;
        changed_.notify_all();
      }
    });
  }
  ~RefusingServer() {
    stopping_ = true;
    thread_.join();
    close(listener_);
  }
  std::string Url() const {
    return "postgresql://nobody@127.0.0.1:" + std::to_string(port_) +
           "/none?sslmode=disable&gssencmode=disable&connect_timeout=2";
  }
  int Connections() {
    std::lock_guard lock(mu_);
    return connections_;
  }
  // Whether a connection comes after the first `seen` within `within`.
  bool AnotherWithin(int seen, std::chrono::milliseconds within) {
    std::unique_lock lock(mu_);
    return changed_.wait_for(lock, within, [&] { return connections_ > seen; });
  }

 private:
  int listener_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_ = false;
  std::mutex mu_;
  std::condition_variable changed_;
  int connections_ = 0;
  std::thread thread_;
};

// While PostgreSQL refuses, rings go on (a node's chats go on); each must not cost a connection
// attempt, or a busy node hammers the server it waits for.
TEST(PostgresChangeFeedTest, WhileTheServerRefusesRingsDoNotHurryTheNextAttempt) {
  RefusingServer server;
  postgres::PostgresChangeFeed feed(server.Url(), "nodeA");
  feed.Listen([](std::vector<Rung>) {});
  ASSERT_TRUE(server.AnotherWithin(0, std::chrono::seconds(10))) << "the first attempt";
  const auto start = std::chrono::steady_clock::now();
  constexpr int kRounds = 30;
  for (int round = 0; round < kRounds; ++round) {
    const int seen = server.Connections();
    feed.Ring("c_" + std::to_string(round), Change::entries);
    (void)server.AnotherWithin(seen, std::chrono::milliseconds(40));
  }
  const auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start);
  // One attempt a second, each of at most two connections (libpq may try twice).
  const int allowed = 2 * (static_cast<int>(seconds.count()) + 2);
  EXPECT_LE(server.Connections(), allowed) << kRounds << " rings in " << seconds.count() << " s";
}

TEST(RingPayloadsTest, ManyIdsAreSplitBelowPostgresLimitAndReadBackWithTheirChange) {
  std::map<std::string, Change> changed;
  for (int i = 0; i < 2000; ++i) {
    changed.emplace("c_" + std::to_string(100000 + i),
                    i % 3 == 0 ? Change::conversation : Change::entries);
  }
  const auto payloads = postgres::RingPayloads("node7", changed);
  ASSERT_GT(payloads.size(), 1u);
  std::map<std::string, Change> read_back;
  for (const std::string& payload : payloads) {
    EXPECT_LT(payload.size(), 8000u);
    for (Rung& rung : postgres::RungIn(payload, "node8")) {
      EXPECT_TRUE(read_back.emplace(std::move(rung.conversation_id), rung.change).second);
    }
    EXPECT_TRUE(postgres::RungIn(payload, "node7").empty());
  }
  EXPECT_EQ(read_back, changed);
}

TEST(RingPayloadsTest, AWatchIsReadBackWholeAndOnlyByOtherNodes) {
  const Watch watch{.conversation_id = "c_ab-1", .supervisor_id = 1234567, .watching = true};
  const std::string payload = postgres::WatchPayload("node7", watch);
  EXPECT_EQ(postgres::WatchIn(payload, "node8"), watch);
  EXPECT_FALSE(postgres::WatchIn(payload, "node7"));
  EXPECT_TRUE(postgres::RungIn(payload, "node8").empty());
  const Watch ended{.conversation_id = "c_ab-1", .supervisor_id = 7, .watching = false};
  EXPECT_EQ(postgres::WatchIn(postgres::WatchPayload("node7", ended), "node8"), ended);
  for (const char* malformed : {"node7 c_1", "node7 !2:7:c_1", "node7 !1:x:c_1", "node7 !1::c_1",
                                "node7 !1:7:", "node7 !1:7", "node7"}) {
    EXPECT_FALSE(postgres::WatchIn(malformed, "node8")) << malformed;
  }
}

}  // namespace
}  // namespace uitweg::store
