// The RegistrationStore contract: every backend in ContractBackends() passes every case here.
#include "store/contract_fixture.hpp"

namespace uitweg::store {
namespace {

using RegistrationStoreContractTest = StoreContractTest;

TEST_P(RegistrationStoreContractTest, ARegistrationIsSavedWholeAndReplacedWhole) {
  const model::StaffAccount anna = Counsellor("anna");
  Waiting("c_1");
  Waiting("c_2");
  EXPECT_FALSE(registrations().FindRegistration("c_1").value().has_value());

  model::Registration draft{.conversation_id = "c_1",
                            .counsellor_id = anna.id,
                            .answers = {{"who", {"young_person"}},
                                        {"topics", {"threats", "debts"}},
                                        {"region", {"'s-Hertogenbosch"}}},
                            .complete = false,
                            .form_version = 1,
                            .updated_at = kT0};
  ASSERT_TRUE(registrations().SaveRegistration(draft));
  auto found = registrations().FindRegistration("c_1").value();
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->answers, draft.answers) << "the order of several options is kept";
  EXPECT_FALSE(found->complete);
  EXPECT_EQ(found->counsellor_id, anna.id);

  model::Registration complete = draft;
  complete.answers = {{"who", {"professional"}}, {"outcome", {"advice"}}};
  complete.complete = true;
  complete.updated_at = kT0 + 9;
  ASSERT_TRUE(registrations().SaveRegistration(complete));
  found = registrations().FindRegistration("c_1").value();
  EXPECT_EQ(found->answers, complete.answers);
  EXPECT_TRUE(found->complete);
  EXPECT_EQ(found->updated_at, kT0 + 9);

  const std::string ids[] = {"c_1", "c_2", "c_none"};
  const auto listed = registrations().FindRegistrations(ids).value();
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].conversation_id, "c_1");
  EXPECT_TRUE(listed[0].complete);

  model::Registration unknown = draft;
  unknown.conversation_id = "c_none";
  EXPECT_EQ(registrations().SaveRegistration(unknown).error().code, core::Errc::not_found);
  Reopen();
  EXPECT_EQ(registrations().FindRegistration("c_1").value()->answers, complete.answers);
}

INSTANTIATE_TEST_SUITE_P(Backends, RegistrationStoreContractTest,
                         ::testing::ValuesIn(ContractBackends()),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace uitweg::store
