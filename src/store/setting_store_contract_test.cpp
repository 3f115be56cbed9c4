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
