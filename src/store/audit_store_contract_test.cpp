// The AuditStore contract: every backend in ContractBackends() passes every case here.
#include <atomic>
#include <latch>
#include <thread>
#include <vector>

#include "store/contract_fixture.hpp"

namespace uitweg::store {
namespace {

using AuditStoreContractTest = StoreContractTest;

TEST(AuditLockKeyTest, SortsAfterEveryConversationId) {
  // Conversation ids are "c_" and base64url, whose greatest character is 'z'; the writer runs a
  // batch's units in key order, so the chain's lock comes last.
  EXPECT_LT("c_" + std::string(22, 'z'), kAuditLockKey);
  EXPECT_LT("c_" + std::string(22, '_'), kAuditLockKey);
  EXPECT_LT(std::string(""), kAuditLockKey) << "units without a key";
}

NewAuditEntry Entry(std::string action, std::optional<std::int64_t> account = 7,
                    std::string conversation = "", UnixMillis at = kT0) {
  return NewAuditEntry{.at = at,
                       .node = "node-a",
                       .account_id = account,
                       .role = account ? "counsellor" : "",
                       .action = std::move(action),
                       .conversation_id = std::move(conversation),
                       .detail = ""};
}

TEST_P(AuditStoreContractTest, EntriesChainFromTheGenesisWithoutGaps) {
  const AuditEntry first = audit().Append(Entry("sign_in")).value();
  EXPECT_EQ(first.seq, 1);
  EXPECT_EQ(first.prev_hash, kAuditGenesis);
  EXPECT_EQ(first.hash, AuditHash(first));
  const AuditEntry second = audit().Append(Entry("read", 7, "c_1")).value();
  EXPECT_EQ(second.seq, 2);
  EXPECT_EQ(second.prev_hash, first.hash);
  EXPECT_NE(second.hash, first.hash);

  const auto all = audit().After(0, 10).value();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].hash, first.hash);
  EXPECT_EQ(all[1].conversation_id, "c_1");
  EXPECT_EQ(all[1].account_id, 7);
  EXPECT_EQ(all[1].role, "counsellor");
  EXPECT_EQ(all[1].node, "node-a");
  EXPECT_EQ(audit().After(1, 10).value().size(), 1u);
  Reopen();
  EXPECT_EQ(audit().Append(Entry("sign_out")).value().seq, 3);
}

TEST_P(AuditStoreContractTest, ConcurrentAppendersMakeOneChain) {
  std::vector<std::thread> appenders;
  for (int t = 0; t < 4; ++t) {
    appenders.emplace_back([this] {
      for (int i = 0; i < 10; ++i) ASSERT_TRUE(audit().Append(Entry("send", 7, "c_1")));
    });
  }
  for (auto& appender : appenders) appender.join();
  const auto all = audit().After(0, 100).value();
  ASSERT_EQ(all.size(), 40u);
  std::string previous(kAuditGenesis);
  for (std::size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(all[i].seq, static_cast<std::int64_t>(i + 1));
    EXPECT_EQ(all[i].prev_hash, previous);
    EXPECT_EQ(all[i].hash, AuditHash(all[i]));
    previous = all[i].hash;
  }
}

TEST_P(AuditStoreContractTest, AppendsThatDoNotWaitChainLikeTheOthers) {
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(Await<void>(
        [&](Done<void> done) { audit().AppendLater(Entry("send", 7, "c_1"), std::move(done)); }));
    ASSERT_TRUE(audit().Append(Entry("read", 7, "c_1")));
  }
  const auto all = audit().After(0, 100).value();
  ASSERT_EQ(all.size(), 40u);
  for (std::size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(all[i].seq, static_cast<std::int64_t>(i + 1));
    EXPECT_EQ(all[i].action, i % 2 == 0 ? "send" : "read");
    EXPECT_EQ(all[i].prev_hash, i == 0 ? std::string(kAuditGenesis) : all[i - 1].hash);
  }
}

TEST_P(AuditStoreContractTest, ManyAppendsThatDoNotWaitMakeOneChainInEachCallersOrder) {
  constexpr int kThreads = 4;
  constexpr int kEach = 50;
  std::atomic<int> failed = 0;
  std::latch answered(kThreads * kEach);
  std::vector<std::thread> appenders;
  for (int t = 0; t < kThreads; ++t) {
    appenders.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        audit().AppendLater(Entry("send", t, "c_" + std::to_string(i)), [&](core::Status status) {
          if (!status) ++failed;
          answered.count_down();
        });
      }
    });
  }
  for (auto& appender : appenders) appender.join();
  answered.wait();
  EXPECT_EQ(failed, 0);
  const auto all = audit().After(0, 1000).value();
  ASSERT_EQ(all.size(), static_cast<std::size_t>(kThreads * kEach));
  std::vector<int> next(kThreads, 0);
  for (std::size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(all[i].seq, static_cast<std::int64_t>(i + 1));
    EXPECT_EQ(all[i].prev_hash, i == 0 ? std::string(kAuditGenesis) : all[i - 1].hash);
    EXPECT_EQ(all[i].hash, AuditHash(all[i]));
    const auto caller = static_cast<std::size_t>(all[i].account_id.value());
    EXPECT_EQ(all[i].conversation_id, "c_" + std::to_string(next[caller]++));
  }
}

TEST_P(AuditStoreContractTest, FindFiltersNewestFirstAndPagesBack) {
  ASSERT_TRUE(audit().Append(Entry("sign_in", 7, "", kT0)));
  ASSERT_TRUE(audit().Append(Entry("read", 7, "c_1", kT0 + 10)));
  ASSERT_TRUE(audit().Append(Entry("read", 8, "c_2", kT0 + 20)));
  ASSERT_TRUE(audit().Append(Entry("sign_in_failed", std::nullopt, "", kT0 + 30)));
  ASSERT_TRUE(audit().Append(Entry("read", 7, "c_2", kT0 + 40)));

  const auto seqs = [](const std::vector<AuditEntry>& entries) {
    std::vector<std::int64_t> out;
    for (const AuditEntry& entry : entries) out.push_back(entry.seq);
    return out;
  };
  EXPECT_EQ(seqs(audit().Find(AuditQuery{}).value()), (std::vector<std::int64_t>{5, 4, 3, 2, 1}));
  EXPECT_EQ(seqs(audit().Find(AuditQuery{.account_id = 7}).value()),
            (std::vector<std::int64_t>{5, 2, 1}));
  EXPECT_EQ(seqs(audit().Find(AuditQuery{.action = "read"}).value()),
            (std::vector<std::int64_t>{5, 3, 2}));
  EXPECT_EQ(seqs(audit().Find(AuditQuery{.conversation_id = "c_2"}).value()),
            (std::vector<std::int64_t>{5, 3}));
  EXPECT_EQ(seqs(audit().Find(AuditQuery{.since = kT0 + 10, .until = kT0 + 40}).value()),
            (std::vector<std::int64_t>{4, 3, 2}));
  EXPECT_EQ(seqs(audit().Find(AuditQuery{.before_seq = 4, .limit = 2}).value()),
            (std::vector<std::int64_t>{3, 2}));
  EXPECT_FALSE(audit().Find(AuditQuery{}).value()[1].account_id.has_value());
}

INSTANTIATE_TEST_SUITE_P(Backends, AuditStoreContractTest, ::testing::ValuesIn(ContractBackends()),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace uitweg::store
