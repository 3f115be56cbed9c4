#include "chat/retention.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "store/sqlite/sqlite_test_database.hpp"
#include "store/test_database.hpp"

namespace uitweg::chat {
namespace {

constexpr core::UnixMillis kT0 = 1'700'000'000'000;

class RetentionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    database_ = store::sqlite::SqliteTestBackend().create();
    auto opened = database_->Open();
    ASSERT_TRUE(opened) << opened.error().message;
    stores_ = std::move(*opened);
  }
  store::ConversationStore& conversations() { return *stores_.conversations; }

  void Ended(const std::string& id, core::UnixMillis at) {
    ASSERT_TRUE(store::Await<model::Conversation>([&](store::Done<model::Conversation> done) {
      conversations().Create(store::NewConversation{.id = id,
                                                    .resume_token_hash = "r-" + id,
                                                    .subject = model::Subject::self,
                                                    .nickname = "Sam",
                                                    .urgency = 0,
                                                    .created_at = at},
                             done);
    }));
    ASSERT_TRUE(store::Await<store::Transition>([&](store::Done<store::Transition> done) {
      conversations().End(id, model::EndReason::visitor, at, done);
    }));
  }

  core::ManualClock clock_{kT0};
  std::unique_ptr<store::TestDatabase> database_;
  store::Database stores_;
};

TEST_F(RetentionTest, ShredsWhatEndedLongerAgoThanKeptAndWhatItsVisitorAskedToForget) {
  Ended("c_old", kT0);
  Ended("c_recent", kT0 + 60 * kDay);
  Ended("c_asked", kT0 + 80 * kDay);
  ASSERT_TRUE(store::Await<void>(
      [&](store::Done<void> done) { conversations().RequestForget("c_asked", done); }));
  clock_.Set(kT0 + 91 * kDay);
  std::vector<std::string> told;
  Retention retention(conversations(), clock_, RetentionOptions{},
                      [&told](const std::string& id) -> core::Status {
                        told.push_back(id);
                        return {};
                      });
  EXPECT_EQ(retention.Run().value(), 2);
  EXPECT_EQ(told, (std::vector<std::string>{"c_old", "c_asked"}));
  EXPECT_EQ(conversations().Find("c_old").value().nickname, "");
  EXPECT_EQ(conversations().Find("c_recent").value().nickname, "Sam");
  EXPECT_EQ(retention.Run().value(), 0) << "nothing is shredded twice";
  clock_.Set(kT0 + 151 * kDay);
  EXPECT_EQ(retention.Run().value(), 1);
}

TEST_F(RetentionTest, AConversationAnotherNodeShredsMeanwhileIsReportedByThatNodeOnly) {
  Ended("c_1", kT0);
  Ended("c_2", kT0 + 1);
  clock_.Set(kT0 + 91 * kDay);
  std::vector<std::string> told;
  Retention retention(conversations(), clock_, RetentionOptions{},
                      [&](const std::string& id) -> core::Status {
                        told.push_back(id);
                        // The other node, between this run's list and its shred of c_2.
                        EXPECT_EQ(store::Await<bool>([&](store::Done<bool> done) {
                                    conversations().Shred("c_2", clock_.Now(), done);
                                  }).value(),
                                  true);
                        return {};
                      });
  EXPECT_EQ(retention.Run().value(), 1);
  EXPECT_EQ(told, (std::vector<std::string>{"c_1"}));
}

TEST_F(RetentionTest, ADeletionTheAuditTrailCannotRecordStopsTheRun) {
  Ended("c_1", kT0);
  Ended("c_2", kT0 + 1);
  clock_.Set(kT0 + 91 * kDay);
  bool reachable = false;
  std::vector<std::string> told;
  Retention retention(conversations(), clock_, RetentionOptions{},
                      [&](const std::string& id) -> core::Status {
                        if (!reachable) {
                          return core::Fail(core::Errc::unavailable, "audit trail unreachable");
                        }
                        told.push_back(id);
                        return {};
                      });
  EXPECT_EQ(retention.Run().error().code, core::Errc::unavailable);
  EXPECT_EQ(conversations().Find("c_2").value().nickname, "Sam") << "not shredded unrecorded";
  EXPECT_EQ(retention.Run().error().code, core::Errc::unavailable);

  reachable = true;
  EXPECT_EQ(retention.Run().value(), 1);
  EXPECT_EQ(told, (std::vector<std::string>{"c_1", "c_2"}))
      << "the deletion left unrecorded is recorded first, once";
}

}  // namespace
}  // namespace uitweg::chat
