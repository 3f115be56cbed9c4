// The SettingStore contract: every backend in ContractBackends() passes every case here.
#include "store/contract_fixture.hpp"

namespace uitweg::store {
namespace {

using SettingStoreContractTest = StoreContractTest;

TEST_P(SettingStoreContractTest, ASettingIsAbsentUntilWrittenThenReplacedWhole) {
  EXPECT_FALSE(settings().ReadSetting("opening_hours").value().has_value());
  ASSERT_TRUE(settings().WriteSetting("opening_hours", R"({"weekly":{}})", kT0));
  auto read = settings().ReadSetting("opening_hours").value();
  ASSERT_TRUE(read.has_value());
  EXPECT_EQ(read->value, R"({"weekly":{}})");
  EXPECT_EQ(read->updated_at, kT0);

  ASSERT_TRUE(settings().WriteSetting("opening_hours", "{}", kT0 + 7));
  read = settings().ReadSetting("opening_hours").value();
  EXPECT_EQ(read->value, "{}");
  EXPECT_EQ(read->updated_at, kT0 + 7);
  EXPECT_FALSE(settings().ReadSetting("other").value().has_value());
}

TEST_P(SettingStoreContractTest, AConditionalWriteLeavesAChangeMadeMeanwhile) {
  EXPECT_TRUE(settings().WriteSettingIf("opening_hours", "first", std::nullopt, kT0).value());
  EXPECT_FALSE(settings().WriteSettingIf("opening_hours", "again", std::nullopt, kT0 + 1).value())
      << "it exists now";
  EXPECT_TRUE(settings().WriteSettingIf("opening_hours", "second", "first", kT0 + 2).value());
  EXPECT_FALSE(settings().WriteSettingIf("opening_hours", "stale", "first", kT0 + 3).value());
  const auto read = settings().ReadSetting("opening_hours").value();
  EXPECT_EQ(read->value, "second");
  EXPECT_EQ(read->updated_at, kT0 + 2);
  EXPECT_FALSE(settings().WriteSettingIf("other", "x", "first", kT0).value());
  EXPECT_FALSE(settings().ReadSetting("other").value().has_value());
}

TEST_P(SettingStoreContractTest, SettingsOutliveAReopen) {
  ASSERT_TRUE(settings().WriteSetting("opening_hours", "kept", kT0));
  Reopen();
  EXPECT_EQ(settings().ReadSetting("opening_hours").value()->value, "kept");
}

INSTANTIATE_TEST_SUITE_P(Backends, SettingStoreContractTest,
                         ::testing::ValuesIn(ContractBackends()),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace uitweg::store
