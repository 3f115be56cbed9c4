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
  std::optional<ChainBreak> Verify() { return trail_->Verify().value(); }

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

}  // namespace
}  // namespace uitweg::auth
