#include "auth/audit_trail.hpp"

#include <gtest/gtest.h>

#include <map>

#include "auth/auth_test_support.hpp"

namespace uitweg::auth {
namespace {

// The real store behind a lens that shows some entries other than they were written: what an
// attacker with the database file could make of them.
class TamperedAuditStore final : public store::AuditStore {
 public:
  explicit TamperedAuditStore(store::AuditStore& real) : real_(real) {}
  core::Result<store::AuditEntry> Append(const store::NewAuditEntry& entry) override {
    return real_.Append(entry);
  }
  void AppendLater(store::NewAuditEntry entry, std::function<void(core::Status)> done) override {
    real_.AppendLater(std::move(entry), std::move(done));
  }
  core::Result<std::vector<store::AuditEntry>> Find(const store::AuditQuery& query) override {
    return real_.Find(query);
  }
  core::Result<std::vector<store::AuditEntry>> After(std::int64_t after,
                                                     std::size_t limit) override {
    UITWEG_TRY_ASSIGN(std::vector<store::AuditEntry> entries, real_.After(after, limit));
    std::vector<store::AuditEntry> shown;
    for (store::AuditEntry& entry : entries) {
      if (removed.contains(entry.seq)) continue;
      if (auto changed = changes.find(entry.seq); changed != changes.end()) {
        changed->second(entry);
      }
      shown.push_back(std::move(entry));
    }
    return shown;
  }

  std::map<std::int64_t, std::function<void(store::AuditEntry&)>> changes;
  std::set<std::int64_t> removed;

 private:
  store::AuditStore& real_;
};

class AuditTrailTest : public AuthTest {
 protected:
  void SetUp() override {
    AuthTest::SetUp();
    tampered_ = std::make_unique<TamperedAuditStore>(*database_stores_.audit);
    trail_ = std::make_unique<AuditTrail>(*tampered_, clock_, "node-a");
    const model::StaffAccount anna{.id = 3, .username = "anna", .role = model::Role::counsellor};
    for (int i = 0; i < 5; ++i) {
      ASSERT_TRUE(trail_->Record(Actor::Staff(anna), audit_action::read, "c_" + std::to_string(i)));
    }
  }
  std::optional<ChainBreak> Verify() { return trail_->Verify().value().broken; }

  std::unique_ptr<TamperedAuditStore> tampered_;
  std::unique_ptr<AuditTrail> trail_;
};

TEST_F(AuditTrailTest, AnIntactChainVerifies) {
  EXPECT_FALSE(Verify());
  const auto entries = trail_->Find(store::AuditQuery{}).value();
  ASSERT_EQ(entries.size(), 5u);
  EXPECT_EQ(entries[0].role, "counsellor");
  EXPECT_EQ(entries[0].account_id, 3);
  EXPECT_EQ(entries[0].node, "node-a");
  EXPECT_EQ(entries[0].at, clock_.Now());
}

TEST_F(AuditTrailTest, AChangedEntryIsNamed) {
  tampered_->changes[3] = [](store::AuditEntry& entry) { entry.conversation_id = "c_other"; };
  const auto broken = Verify();
  ASSERT_TRUE(broken);
  EXPECT_EQ(broken->seq, 3);
  EXPECT_NE(broken->why.find("changed"), std::string::npos);
}

TEST_F(AuditTrailTest, AnEntryRewrittenWithAFreshHashBreaksTheNext) {
  tampered_->changes[2] = [](store::AuditEntry& entry) {
    entry.account_id = 4;
    entry.hash = store::AuditHash(entry);
  };
  const auto broken = Verify();
  ASSERT_TRUE(broken);
  EXPECT_EQ(broken->seq, 3);
}

TEST_F(AuditTrailTest, ARemovedEntryIsNamed) {
  tampered_->removed.insert(4);
  const auto broken = Verify();
  ASSERT_TRUE(broken);
  EXPECT_EQ(broken->seq, 4);
  EXPECT_NE(broken->why.find("missing"), std::string::npos);
}

TEST_F(AuditTrailTest, AnAnchorShowsARewriteWithEveryHashRecomputed) {
  const ChainAnchor anchor = trail_->Verify().value().last;
  EXPECT_EQ(anchor.seq, 5);
  std::string carried;
  tampered_->changes[2] = [&carried](store::AuditEntry& entry) {
    entry.account_id = 4;
    entry.hash = store::AuditHash(entry);
    carried = entry.hash;
  };
  for (std::int64_t seq = 3; seq <= 5; ++seq) {
    tampered_->changes[seq] = [&carried](store::AuditEntry& entry) {
      entry.prev_hash = carried;
      entry.hash = store::AuditHash(entry);
      carried = entry.hash;
    };
  }
  EXPECT_FALSE(Verify()) << "the chain alone cannot tell";
  const auto broken = trail_->Verify({}, anchor).value().broken;
  ASSERT_TRUE(broken);
  EXPECT_EQ(broken->seq, 5);
  EXPECT_NE(broken->why.find("rewritten"), std::string::npos);
}

TEST_F(AuditTrailTest, AnAnchorShowsEntriesCutFromTheEnd) {
  const ChainAnchor anchor = trail_->Verify().value().last;
  tampered_->removed.insert(5);
  EXPECT_FALSE(Verify()) << "the chain alone cannot tell";
  const auto broken = trail_->Verify({}, anchor).value().broken;
  ASSERT_TRUE(broken);
  EXPECT_EQ(broken->seq, 5);
  EXPECT_NE(broken->why.find("removed from its end"), std::string::npos);
}

TEST(ChainAnchorTest, ReadsWhatItWrites) {
  const ChainAnchor anchor{48213, std::string(64, 'a')};
  const auto read = ParseChainAnchor(ChainAnchorText(anchor));
  ASSERT_TRUE(read);
  EXPECT_EQ(read->seq, 48213);
  EXPECT_EQ(read->hash, anchor.hash);
  for (const char* bad : {"", ":", "12", "12:", ":abc", "0:abc", "-1:abc", "1x:abc", "1:ABC",
                          "1:ab c", "99999999999999999999:ab"}) {
    EXPECT_FALSE(ParseChainAnchor(bad)) << bad;
  }
}

}  // namespace
}  // namespace uitweg::auth
