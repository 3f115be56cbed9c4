#include "chat/campaigns.hpp"

#include <gtest/gtest.h>

#include "core/clock.hpp"
#include "core/testing/test_folder.hpp"
#include "store/sqlite/sqlite_database.hpp"

namespace uitweg::chat {
namespace {

class CampaignsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    database_ =
        store::OpenSqliteDatabase(store::SqliteOptions{.path = (folder_ / "uitweg.db").string()})
            .value();
    campaigns_ = std::make_unique<Campaigns>(*database_.campaigns, clock_);
  }

  std::int64_t Count(std::string_view code, std::string_view metric) {
    const std::string today = campaigns_->Today();
    for (const auto& count : campaigns_->Counts(today, today).value()) {
      if (count.code == code && count.metric == metric) return count.count;
    }
    return 0;
  }

  core::testing::TestFolder folder_{"campaigns"};
  // 2026-03-29 00:30 UTC: 01:30 in Amsterdam, the night the clocks go forward.
  core::ManualClock clock_{1'774'744'200'000};
  store::Database database_;
  std::unique_ptr<Campaigns> campaigns_;
};

TEST_F(CampaignsTest, CodesHaveAShapeAndALabel) {
  EXPECT_TRUE(IsCampaignCodeShape("tiktok-2026-03"));
  EXPECT_TRUE(IsCampaignCodeShape("a1"));
  EXPECT_FALSE(IsCampaignCodeShape("a"));
  EXPECT_FALSE(IsCampaignCodeShape("-a"));
  EXPECT_FALSE(IsCampaignCodeShape("TikTok"));
  EXPECT_FALSE(IsCampaignCodeShape("a b"));
  EXPECT_FALSE(IsCampaignCodeShape(std::string(41, 'a')));
  EXPECT_EQ(campaigns_->Create("Bad Code", "x", 1).error().code, core::Errc::invalid_argument);
  EXPECT_EQ(campaigns_->Create("ok-code", "  ", 1).error().code, core::Errc::invalid_argument);
  EXPECT_EQ(campaigns_->Create("ok-code", std::string(121, 'x'), 1).error().code,
            core::Errc::invalid_argument);
  EXPECT_EQ(campaigns_->Create("ok-code", "\n", 1).error().code, core::Errc::invalid_argument);
  EXPECT_EQ(campaigns_->Create("ok-code", "Posters\u202Emadretto", 1).error().code,
            core::Errc::invalid_argument);
  // 120 characters counted as the form counts them, not as bytes.
  ASSERT_TRUE(campaigns_->Create(
      "arabic",
      std::string(120 / 2, ' ') +
          [] {
            std::string label;
            for (int i = 0; i < 120; ++i) label += "\u0645";
            return label;
          }(),
      1));
  auto created = campaigns_->Create("ok-code", "  Posters Rotterdam \n", 1);
  ASSERT_TRUE(created);
  EXPECT_EQ(created->label, "Posters Rotterdam");
  EXPECT_EQ(campaigns_->Create("ok-code", "again", 1).error().code, core::Errc::already_exists);
}

TEST_F(CampaignsTest, OnlyLiveCodesCountAsThemselves) {
  ASSERT_TRUE(campaigns_->Create("live", "Live", 1));
  ASSERT_TRUE(campaigns_->Create("old", "Old", 1));
  ASSERT_TRUE(campaigns_->Retire("old"));
  EXPECT_EQ(campaigns_->Retire("unknown").error().code, core::Errc::not_found);
  EXPECT_EQ(campaigns_->Retire("../x").error().code, core::Errc::not_found);

  ASSERT_TRUE(campaigns_->Count(CampaignMetric::visit, "live"));
  ASSERT_TRUE(campaigns_->Count(CampaignMetric::visit, "live"));
  ASSERT_TRUE(campaigns_->Count(CampaignMetric::visit, "old"));
  ASSERT_TRUE(campaigns_->Count(CampaignMetric::visit, "never-made"));
  ASSERT_TRUE(campaigns_->Count(CampaignMetric::self_check, "NOT A CODE"));
  EXPECT_EQ(Count("live", "visit"), 2);
  EXPECT_EQ(Count("old", "visit"), 0);
  EXPECT_EQ(Count("", "visit"), 2);
  EXPECT_EQ(Count("", "self_check"), 1);
  EXPECT_EQ(campaigns_->LiveCode("old").value(), "");
  EXPECT_EQ(campaigns_->LiveCode("live").value(), "live");
}

TEST_F(CampaignsTest, DaysAreTheServicesAndPeriodsAreChecked) {
  EXPECT_EQ(campaigns_->Today(), "2026-03-29");
  EXPECT_EQ(campaigns_->DaysBefore(1), "2026-03-28");
  EXPECT_EQ(campaigns_->Counts("2026-03-29", "2026-03-01").error().code,
            core::Errc::invalid_argument);
  EXPECT_EQ(campaigns_->Counts("29-03-2026", "2026-03-30").error().code,
            core::Errc::invalid_argument);
  EXPECT_TRUE(campaigns_->Counts("2026-03-01", "2026-03-29"));
}

}  // namespace
}  // namespace uitweg::chat
