#include "auth/master_key_rotation.hpp"

#include <future>

#include "auth/auth_test_support.hpp"
#include "store/encrypting_conversation_store.hpp"

namespace uitweg::auth {
namespace {

class MasterKeyRotationTest : public AuthTest {
 protected:
  // A conversation whose data key `key` wrapped, stored as it is (no encrypting store here).
  void ConversationWrappedBy(const crypto::Aead& key, const std::string& id) {
    std::promise<core::Result<model::Conversation>> created;
    database_stores_.conversations->Create(
        store::NewConversation{
            .id = id,
            .resume_token_hash = "r-" + id,
            .created_at = 1,
            .wrapped_key = key.Seal(DataKeyOf(id), store::ConversationKeyAad(id))},
        [&created](core::Result<model::Conversation> result) { created.set_value(result); });
    ASSERT_TRUE(created.get_future().get());
  }
  // A staff account whose TOTP secret `key` sealed.
  void AccountSealedBy(const crypto::Aead& key, const std::string& username) {
    const auto account =
        store_
            ->CreateAccount(store::NewStaffAccount{.username = username,
                                                   .display_name = username,
                                                   .password_hash = "$argon2id$placeholder",
                                                   .created_at = 1})
            .value();
    ASSERT_TRUE(store_->SetSecondFactor(
        account.id, store::SecondFactor{.sealed_totp_secret = key.Seal("totp of " + username,
                                                                       TotpSecretAad(username))}));
  }
  static std::string DataKeyOf(const std::string& id) {
    return std::string(32 - id.size(), 'k') + id;
  }

  store::SealedSecretStore& sealed() { return *database_stores_.sealed; }

  const crypto::Aead old_key_ = crypto::Aead::Generate();
  const crypto::Aead new_key_ = crypto::Aead::Generate();
};

TEST_F(MasterKeyRotationTest, WhatTheOldKeySealedIsResealedUnderTheNewOne) {
  ConversationWrappedBy(old_key_, "c_1");
  ConversationWrappedBy(old_key_, "c_2");
  ConversationWrappedBy(new_key_, "c_3");
  AccountSealedBy(old_key_, "anna");

  auto both = crypto::MasterKeys::Fixed({new_key_, old_key_}).value();
  EXPECT_EQ(CountSealedByOlderKeys(sealed(), *both).value(), 3);
  const ResealReport report = ResealUnderCurrentKey(sealed(), *both).value();
  EXPECT_EQ(report.conversation_keys, 2);
  EXPECT_EQ(report.totp_secrets, 1);
  EXPECT_EQ(report.current, 1);
  EXPECT_EQ(report.changed_meanwhile + report.unopenable, 0);
  EXPECT_EQ(CountSealedByOlderKeys(sealed(), *both).value(), 0);

  // The new key alone now opens everything, and the contents did not change.
  auto only_new = crypto::MasterKeys::Fixed({new_key_}).value();
  for (const auto& key : sealed().ConversationKeysAfter("", 10).value()) {
    EXPECT_EQ(only_new->Open(key.sealed, store::ConversationKeyAad(key.owner)).value(),
              DataKeyOf(key.owner));
  }
  const auto totp = sealed().TotpSecretsAfter("", 10).value();
  ASSERT_EQ(totp.size(), 1u);
  EXPECT_EQ(only_new->Open(totp[0].sealed, TotpSecretAad("anna")).value(), "totp of anna");
  EXPECT_FALSE(old_key_.Open(totp[0].sealed, TotpSecretAad("anna")));

  const ResealReport again = ResealUnderCurrentKey(sealed(), *both).value();
  EXPECT_EQ(again.conversation_keys + again.totp_secrets, 0);
  EXPECT_EQ(again.current, 4);
}

TEST_F(MasterKeyRotationTest, WhatNoKeyOpensIsCountedAndLeftAlone) {
  ConversationWrappedBy(crypto::Aead::Generate(), "c_lost");
  auto keys = crypto::MasterKeys::Fixed({new_key_, old_key_}).value();
  const ResealReport report = ResealUnderCurrentKey(sealed(), *keys).value();
  EXPECT_EQ(report.unopenable, 1);
  EXPECT_EQ(report.conversation_keys, 0);
  EXPECT_EQ(CountSealedByOlderKeys(sealed(), *keys).value(), 0)
      << "keeping the older keys would not help it";
}

TEST_F(MasterKeyRotationTest, PagesThroughManyConversations) {
  for (int i = 0; i < 1203; ++i) ConversationWrappedBy(old_key_, "c_" + std::to_string(10000 + i));
  auto keys = crypto::MasterKeys::Fixed({new_key_, old_key_}).value();
  EXPECT_EQ(ResealUnderCurrentKey(sealed(), *keys).value().conversation_keys, 1203);
  EXPECT_EQ(CountSealedByOlderKeys(sealed(), *keys).value(), 0);
}

}  // namespace
}  // namespace uitweg::auth
