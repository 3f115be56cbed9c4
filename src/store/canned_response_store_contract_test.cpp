// The CannedResponseStore contract: every backend in ContractBackends() passes every case here.
#include "store/contract_fixture.hpp"

namespace uitweg::store {
namespace {

using CannedResponseStoreContractTest = StoreContractTest;

TEST_P(CannedResponseStoreContractTest, ResponsesAreKeptListedByTitleChangedAndDeleted) {
  EXPECT_TRUE(canned().ListCanned().value().empty());
  auto welcome = canned().CreateCanned(model::CannedResponse{.title = "Welkom",
                                                             .body = "Fijn dat je er bent.",
                                                             .tags = {"begin", "welkom"},
                                                             .updated_at = kT0});
  ASSERT_TRUE(welcome) << welcome.error().message;
  EXPECT_GT(welcome->id, 0);
  auto anonymous =
      canned().CreateCanned(model::CannedResponse{.title = "Anoniem",
                                                  .body = "Je hoeft je naam niet te noemen.",
                                                  .language = "en",
                                                  .updated_at = kT0});
  ASSERT_TRUE(anonymous);
  EXPECT_NE(anonymous->id, welcome->id);

  auto listed = canned().ListCanned().value();
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].title, "Anoniem");
  EXPECT_EQ(listed[0].language, "en");
  EXPECT_TRUE(listed[0].tags.empty());
  EXPECT_EQ(listed[1].tags, (std::vector<std::string>{"begin", "welkom"}));

  model::CannedResponse changed = *welcome;
  changed.body = "Goed dat je schrijft.";
  changed.tags = {"start"};
  changed.updated_at = kT0 + 5;
  ASSERT_TRUE(canned().UpdateCanned(changed, std::nullopt));
  listed = canned().ListCanned().value();
  EXPECT_EQ(listed[1].body, "Goed dat je schrijft.");
  EXPECT_EQ(listed[1].tags, std::vector<std::string>{"start"});
  EXPECT_EQ(listed[1].updated_at, kT0 + 5);
  // Two editors of one version: the second, over a version gone, changes nothing.
  model::CannedResponse first = changed;
  first.body = "Fijn dat je er bent.";
  first.updated_at = kT0 + 6;
  ASSERT_TRUE(canned().UpdateCanned(first, kT0 + 5));
  model::CannedResponse second = changed;
  second.body = "Welkom.";
  second.updated_at = kT0 + 7;
  EXPECT_EQ(canned().UpdateCanned(second, kT0 + 5).error().code, core::Errc::failed_precondition);
  EXPECT_EQ(canned().ListCanned().value()[1].body, "Fijn dat je er bent.");
  changed = first;

  ASSERT_TRUE(canned().DeleteCanned(anonymous->id));
  EXPECT_EQ(canned().ListCanned().value().size(), 1u);
  EXPECT_EQ(canned().DeleteCanned(anonymous->id).error().code, core::Errc::not_found);
  changed.id = anonymous->id;
  EXPECT_EQ(canned().UpdateCanned(changed, std::nullopt).error().code, core::Errc::not_found);
  EXPECT_EQ(canned().UpdateCanned(changed, kT0 + 6).error().code, core::Errc::not_found);
}

INSTANTIATE_TEST_SUITE_P(Backends, CannedResponseStoreContractTest,
                         ::testing::ValuesIn(ContractBackends()),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace uitweg::store
