// The HandoverStore contract: every backend in ContractBackends() passes every case here.
#include "store/contract_fixture.hpp"

namespace uitweg::store {
namespace {

using HandoverStoreContractTest = StoreContractTest;

TEST_P(HandoverStoreContractTest, TheDirectoryKeepsOrganisationsActiveOnesFirst) {
  EXPECT_TRUE(handovers().ListOrganisations().value().empty());
  auto jeugd = handovers().CreateOrganisation({.name = "Jeugdzorg Rijnmond",
                                               .description = "jeugdhulp",
                                               .region = "Rotterdam",
                                               .contact_person = "Ilse de Vries",
                                               .contact_phone = "010 123 4567",
                                               .contact_email = "ilse@example.org",
                                               .active = true,
                                               .updated_at = kT0});
  ASSERT_TRUE(jeugd) << jeugd.error().message;
  auto anders =
      handovers().CreateOrganisation({.name = "Anders", .active = true, .updated_at = kT0});
  ASSERT_TRUE(anders);
  EXPECT_NE(jeugd->id, anders->id);
  model::Organisation closed = *anders;
  closed.active = false;
  ASSERT_TRUE(handovers().UpdateOrganisation(closed));
  const auto listed = handovers().ListOrganisations().value();
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].name, "Jeugdzorg Rijnmond");
  EXPECT_EQ(listed[0].contact_person, "Ilse de Vries");
  EXPECT_FALSE(listed[1].active);
  EXPECT_EQ(handovers().FindOrganisation(jeugd->id).value().region, "Rotterdam");
  EXPECT_EQ(handovers().FindOrganisation(999999).error().code, core::Errc::not_found);
  closed.id = 999999;
  EXPECT_EQ(handovers().UpdateOrganisation(closed).error().code, core::Errc::not_found);
}

TEST_P(HandoverStoreContractTest, AReferralKeepsItsStatusAndWhoChangedIt) {
  const model::StaffAccount anna = Counsellor("anna");
  const model::StaffAccount bert = Counsellor("bert");
  Waiting("c_1");
  auto organisation = handovers().CreateOrganisation({.name = "Jeugdzorg", .active = true});
  ASSERT_TRUE(organisation);
  auto made = handovers().CreateReferral({.conversation_id = "c_1",
                                          .organisation_id = organisation->id,
                                          .counsellor_id = anna.id,
                                          .status = model::ReferralStatus::proposed,
                                          .details_seq = 4,
                                          .created_at = kT0,
                                          .updated_at = kT0,
                                          .updated_by = anna.id});
  ASSERT_TRUE(made) << made.error().message;
  EXPECT_EQ(handovers()
                .SetReferralStatus(made->id, model::ReferralStatus::completed,
                                   model::ReferralStatus::declined, bert.id, kT0 + 5)
                .error()
                .code,
            core::Errc::failed_precondition)
      << "a change from a status it no longer has";
  ASSERT_TRUE(handovers().SetReferralStatus(made->id, model::ReferralStatus::proposed,
                                            model::ReferralStatus::accepted, bert.id, kT0 + 5));
  const model::Referral found = handovers().FindReferral(made->id).value();
  EXPECT_EQ(found.status, model::ReferralStatus::accepted);
  EXPECT_EQ(found.updated_by, bert.id);
  EXPECT_EQ(found.updated_at, kT0 + 5);
  EXPECT_EQ(found.details_seq, 4);
  EXPECT_EQ(handovers().ListReferrals(anna.id, 10).value().size(), 1u);
  EXPECT_TRUE(handovers().ListReferrals(bert.id, 10).value().empty());
  EXPECT_EQ(handovers().ListReferrals(0, 10).value().size(), 1u);
  EXPECT_EQ(handovers()
                .SetReferralStatus(999999, model::ReferralStatus::proposed,
                                   model::ReferralStatus::declined, anna.id, kT0)
                .error()
                .code,
            core::Errc::not_found);
  // One referral per referral entry: a retry finds the first by its entry.
  model::Referral again = found;
  again.status = model::ReferralStatus::proposed;
  EXPECT_EQ(handovers().CreateReferral(again).error().code, core::Errc::already_exists);
  EXPECT_EQ(handovers().FindReferralOn("c_1", 4).value().id, made->id);
  EXPECT_EQ(handovers().FindReferralOn("c_1", 5).error().code, core::Errc::not_found);
  EXPECT_EQ(handovers().ListReferrals(0, 10).value().size(), 1u);
  model::Referral orphan = found;
  orphan.conversation_id = "c_none";
  EXPECT_EQ(handovers().CreateReferral(orphan).error().code, core::Errc::not_found);
}

INSTANTIATE_TEST_SUITE_P(Backends, HandoverStoreContractTest,
                         ::testing::ValuesIn(ContractBackends()),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace uitweg::store
