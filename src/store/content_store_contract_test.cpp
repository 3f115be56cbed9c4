// The ContentStore and CampaignStore contracts: every backend in ContractBackends() passes every
// case here.
#include "store/contract_fixture.hpp"

namespace uitweg::store {
namespace {

using ContentStoreContractTest = StoreContractTest;
using CampaignStoreContractTest = StoreContractTest;

TEST_P(ContentStoreContractTest, VersionsGrowFromOneAndTheNewestIsRead) {
  EXPECT_FALSE(content().ReadContentVersion("safety", "nl", 0).value().has_value());
  auto first = content().AddContentVersion("safety", "nl", "# Veilig\n\neen", 0, 7, kT0);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->version, 1);
  auto second = content().AddContentVersion("safety", "nl", "# Veilig\n\ntwee", 1, 8, kT0 + 5);
  ASSERT_TRUE(second);
  EXPECT_EQ(second->version, 2);

  auto newest = content().ReadContentVersion("safety", "nl", 0).value();
  ASSERT_TRUE(newest.has_value());
  EXPECT_EQ(newest->version, 2);
  EXPECT_EQ(newest->body, "# Veilig\n\ntwee");
  EXPECT_EQ(newest->author_id, 8);
  EXPECT_EQ(newest->created_at, kT0 + 5);
  EXPECT_EQ(content().ReadContentVersion("safety", "nl", 1).value()->body, "# Veilig\n\neen");
  EXPECT_FALSE(content().ReadContentVersion("safety", "nl", 3).value().has_value());
  EXPECT_FALSE(content().ReadContentVersion("safety", "en", 0).value().has_value());
}

TEST_P(ContentStoreContractTest, AStaleBaseIsRefusedAndChangesNothing) {
  ASSERT_TRUE(content().AddContentVersion("privacy", "en", "# A", 0, 1, kT0));
  auto stale = content().AddContentVersion("privacy", "en", "# B", 0, 2, kT0 + 1);
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code, core::Errc::failed_precondition);
  auto ahead = content().AddContentVersion("privacy", "en", "# C", 5, 2, kT0 + 1);
  ASSERT_FALSE(ahead);
  EXPECT_EQ(content().ReadContentVersion("privacy", "en", 0).value()->body, "# A");
}

TEST_P(ContentStoreContractTest, ListsHistoryNewestFirstAndTheNewestOfEveryPage) {
  ASSERT_TRUE(content().AddContentVersion("signals", "nl", "# 1", 0, 1, kT0));
  ASSERT_TRUE(content().AddContentVersion("signals", "nl", "# 2", 1, 2, kT0 + 1));
  ASSERT_TRUE(content().AddContentVersion("signals", "en", "# one", 0, 1, kT0 + 2));
  ASSERT_TRUE(content().AddContentVersion("options", "nl", "# opties", 0, 1, kT0 + 3));

  auto history = content().ListContentVersions("signals", "nl").value();
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[0].version, 2);
  EXPECT_EQ(history[0].author_id, 2);
  EXPECT_TRUE(history[0].body.empty());
  EXPECT_EQ(history[1].version, 1);

  auto newest = content().NewestContentVersions().value();
  ASSERT_EQ(newest.size(), 3u);
  EXPECT_EQ(newest[0].slug, "options");
  EXPECT_EQ(newest[1].slug, "signals");
  EXPECT_EQ(newest[1].language, "en");
  EXPECT_EQ(newest[2].language, "nl");
  EXPECT_EQ(newest[2].body, "# 2");
}

TEST_P(ContentStoreContractTest, VersionsOutliveAReopen) {
  ASSERT_TRUE(content().AddContentVersion("worried", "nl", "# Zorgen", 0, 3, kT0));
  Reopen();
  EXPECT_EQ(content().ReadContentVersion("worried", "nl", 0).value()->body, "# Zorgen");
}

TEST_P(CampaignStoreContractTest, CodesAreCreatedOnceListedAndRetired) {
  ASSERT_TRUE(campaigns().CreateCampaign(
      Campaign{.code = "tiktok-2026-03", .label = "TikTok", .created_by = 4, .created_at = kT0}));
  ASSERT_TRUE(campaigns().CreateCampaign(
      Campaign{.code = "poster-rdam", .label = "Posters", .created_by = 4, .created_at = kT0 + 1}));
  auto taken = campaigns().CreateCampaign(
      Campaign{.code = "poster-rdam", .label = "Again", .created_by = 5, .created_at = kT0 + 2});
  ASSERT_FALSE(taken);
  EXPECT_EQ(taken.error().code, core::Errc::already_exists);

  auto listed = campaigns().ListCampaigns().value();
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].code, "poster-rdam");
  EXPECT_EQ(listed[0].label, "Posters");
  EXPECT_FALSE(listed[0].retired_at.has_value());

  EXPECT_TRUE(campaigns().RetireCampaign("tiktok-2026-03", kT0 + 10).value());
  EXPECT_FALSE(campaigns().RetireCampaign("tiktok-2026-03", kT0 + 20).value())
      << "retired already: a second admin's retire is told so";
  auto retired = campaigns().FindCampaign("tiktok-2026-03").value();
  ASSERT_TRUE(retired.has_value());
  EXPECT_EQ(retired->retired_at, kT0 + 10);
  EXPECT_EQ(campaigns().RetireCampaign("nope", kT0).error().code, core::Errc::not_found);
  EXPECT_FALSE(campaigns().FindCampaign("nope").value().has_value());
}

TEST_P(CampaignStoreContractTest, CountersAddUpPerDayCodeAndMetric) {
  for (int i = 0; i < 3; ++i)
    ASSERT_TRUE(campaigns().CountCampaignEvent("2026-03-01", "a", "visit"));
  ASSERT_TRUE(campaigns().CountCampaignEvent("2026-03-01", "", "visit"));
  ASSERT_TRUE(campaigns().CountCampaignEvent("2026-03-01", "a", "chat_started"));
  ASSERT_TRUE(campaigns().CountCampaignEvent("2026-03-02", "a", "visit"));
  ASSERT_TRUE(campaigns().CountCampaignEvent("2026-03-05", "a", "visit"));

  auto counts = campaigns().ReadCampaignCounts("2026-03-01", "2026-03-02").value();
  ASSERT_EQ(counts.size(), 4u);
  EXPECT_EQ(counts[0].code, "");
  EXPECT_EQ(counts[0].count, 1);
  EXPECT_EQ(counts[1].code, "a");
  EXPECT_EQ(counts[1].metric, "chat_started");
  EXPECT_EQ(counts[2].metric, "visit");
  EXPECT_EQ(counts[2].count, 3);
  EXPECT_EQ(counts[3].day, "2026-03-02");
  Reopen();
  EXPECT_EQ(campaigns().ReadCampaignCounts("2026-03-05", "2026-03-05").value().size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Backends, ContentStoreContractTest,
                         ::testing::ValuesIn(ContractBackends()),
                         [](const auto& info) { return info.param.name; });
INSTANTIATE_TEST_SUITE_P(Backends, CampaignStoreContractTest,
                         ::testing::ValuesIn(ContractBackends()),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace uitweg::store
