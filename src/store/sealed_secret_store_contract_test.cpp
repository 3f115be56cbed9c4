// The SealedSecretStore contract: every backend in ContractBackends() passes every case here.
#include "store/contract_fixture.hpp"

namespace uitweg::store {
namespace {

using SealedSecretStoreContractTest = StoreContractTest;

std::vector<std::string> Owners(const std::vector<SealedSecret>& secrets) {
  std::vector<std::string> owners;
  for (const SealedSecret& secret : secrets) owners.push_back(secret.owner);
  return owners;
}

TEST_P(SealedSecretStoreContractTest, ConversationKeysArePagedInIdOrderAndReplacedIfUnchanged) {
  for (const char* id : {"c_3", "c_1", "c_2"}) {
    ASSERT_TRUE(Create(NewConversation{.id = id,
                                       .resume_token_hash = std::string("r-") + id,
                                       .created_at = kT0,
                                       .wrapped_key = std::string("wrapped-") + id}));
  }
  Waiting("c_4");  // created without a key (plain backends): not listed there
  const auto first = sealed().ConversationKeysAfter("", 2).value();
  EXPECT_EQ(Owners(first), (std::vector<std::string>{"c_1", "c_2"}));
  const auto rest = sealed().ConversationKeysAfter("c_2", 10).value();
  ASSERT_GE(rest.size(), 1u);
  EXPECT_EQ(rest.front().owner, "c_3");

  const std::string old_key = first.front().sealed;
  EXPECT_EQ(sealed().ReplaceConversationKey("c_1", old_key, "rewrapped").value(), true);
  EXPECT_EQ(conversations().FindKey("c_1").value().empty(), false);
  EXPECT_EQ(sealed().ConversationKeysAfter("", 1).value().front().sealed, "rewrapped");
  EXPECT_EQ(sealed().ReplaceConversationKey("c_1", old_key, "late").value(), false)
      << "changed meanwhile: left alone";
  EXPECT_EQ(sealed().ReplaceConversationKey("c_404", old_key, "x").value(), false);

  ASSERT_TRUE(End("c_2", model::EndReason::visitor));
  ASSERT_TRUE(Shred("c_2"));
  EXPECT_EQ(sealed().ReplaceConversationKey("c_2", first[1].sealed, "revived").value(), false)
      << "a shredded conversation keeps no key";
  EXPECT_EQ(Owners(sealed().ConversationKeysAfter("c_1", 1).value()),
            (std::vector<std::string>{"c_3"}));
}

TEST_P(SealedSecretStoreContractTest, TotpSecretsArePagedByUsernameAndReplacedIfUnchanged) {
  const auto bea = Counsellor("bea");
  const auto ali = Counsellor("ali");
  Counsellor("cas");  // not enrolled: not listed
  ASSERT_TRUE(accounts().SetSecondFactor(bea.id, SecondFactor{.sealed_totp_secret = "sealed-b"}));
  ASSERT_TRUE(accounts().SetSecondFactor(ali.id, SecondFactor{.sealed_totp_secret = "sealed-a"}));

  EXPECT_EQ(Owners(sealed().TotpSecretsAfter("", 10).value()),
            (std::vector<std::string>{"ali", "bea"}));
  EXPECT_EQ(Owners(sealed().TotpSecretsAfter("ali", 10).value()),
            (std::vector<std::string>{"bea"}));
  EXPECT_EQ(sealed().TotpSecretsAfter("", 1).value().front().sealed, "sealed-a");

  EXPECT_EQ(sealed().ReplaceTotpSecret("ali", "sealed-a", "resealed-a").value(), true);
  EXPECT_EQ(accounts().FindAccount(ali.id).value().sealed_totp_secret, "resealed-a");
  EXPECT_EQ(sealed().ReplaceTotpSecret("bea", "stale", "x").value(), false);
  EXPECT_EQ(sealed().ReplaceTotpSecret("cas", "", "x").value(), false);
  Reopen();
  EXPECT_EQ(sealed().TotpSecretsAfter("", 1).value().front().sealed, "resealed-a");
}

INSTANTIATE_TEST_SUITE_P(Backends, SealedSecretStoreContractTest,
                         ::testing::ValuesIn(ContractBackends()),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace uitweg::store
