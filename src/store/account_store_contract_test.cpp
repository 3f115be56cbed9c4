// The AccountStore contract: every backend in ContractBackends() passes every case here.
#include <thread>

#include "store/contract_fixture.hpp"

namespace uitweg::store {
namespace {

using model::Role;
using model::StaffAccount;
using model::StaffSession;

using AccountStoreContractTest = StoreContractTest;

TEST_P(AccountStoreContractTest, SignInFailuresAreKeptPerKeyAndForgottenWhenOld) {
  ASSERT_TRUE(accounts().RecordSignInFailure("a", kT0 + 1, kT0));
  ASSERT_TRUE(accounts().RecordSignInFailure("a", kT0 + 2, kT0));
  ASSERT_TRUE(accounts().RecordSignInFailure("b", kT0 + 3, kT0));
  EXPECT_EQ(accounts().SignInFailures("a", kT0).value(),
            (std::vector<UnixMillis>{kT0 + 1, kT0 + 2}));
  EXPECT_EQ(accounts().SignInFailures("a", kT0 + 2).value(), (std::vector<UnixMillis>{kT0 + 2}));
  ASSERT_TRUE(accounts().ClearSignInFailures("b"));
  EXPECT_TRUE(accounts().SignInFailures("b", kT0).value().empty());
  // A later failure forgets every key's failures before its cut-off.
  ASSERT_TRUE(accounts().RecordSignInFailure("c", kT0 + 10, kT0 + 2));
  EXPECT_EQ(accounts().SignInFailures("a", kT0).value(), (std::vector<UnixMillis>{kT0 + 2}));
  EXPECT_TRUE(accounts().ClearSignInFailures("nobody"));
}

TEST_P(AccountStoreContractTest, TheFirstAccountIsCreatedOnlyWhileThereIsNone) {
  auto account = [](const std::string& username) {
    return NewStaffAccount{.username = username,
                           .role = model::Role::admin,
                           .display_name = username,
                           .password_hash = "$argon2id$placeholder-hash",
                           .created_at = kT0};
  };
  auto first = accounts().CreateFirstAccount(account("root"));
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->username, "root");
  auto second = accounts().CreateFirstAccount(account("another"));
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, core::Errc::failed_precondition);
  EXPECT_EQ(accounts().CountAccounts().value(), 1);
  EXPECT_TRUE(accounts().CreateAccount(account("colleague")));
}

TEST_P(AccountStoreContractTest, AConsoleSeenIsNotedOnTheAccount) {
  const StaffAccount anna = Counsellor("anna");
  const StaffAccount bert = Counsellor("bert");
  EXPECT_FALSE(anna.console_seen_at.has_value());
  const std::int64_t seen[] = {anna.id, 999999};
  ASSERT_TRUE(accounts().MarkConsoleSeen(seen, kT0 + 3));
  EXPECT_EQ(accounts().FindAccount(anna.id).value().console_seen_at, kT0 + 3);
  EXPECT_FALSE(accounts().FindAccount(bert.id).value().console_seen_at.has_value());
}

TEST_P(AccountStoreContractTest, CreatesAndFindsAccounts) {
  const StaffAccount created = Counsellor("anna");
  EXPECT_GT(created.id, 0);
  const StaffAccount by_id = accounts().FindAccount(created.id).value();
  EXPECT_EQ(by_id.username, "anna");
  EXPECT_EQ(by_id.role, Role::counsellor);
  EXPECT_EQ(by_id.display_name, "C anna");
  EXPECT_EQ(by_id.password_hash, "$argon2id$placeholder-hash");
  EXPECT_FALSE(by_id.disabled);
  EXPECT_EQ(by_id.created_at, kT0);
  EXPECT_EQ(accounts().FindAccountByUsername("anna").value().id, created.id);
  EXPECT_EQ(accounts().FindAccountByUsername("bert").error().code, core::Errc::not_found);
  // Text is compared whole, a NUL in it too: a database that cut it there would find anna under
  // names the sign-in throttle counts apart.
  EXPECT_FALSE(accounts().FindAccountByUsername(std::string("anna\0x", 6)));
  EXPECT_EQ(accounts().FindAccount(created.id + 100).error().code, core::Errc::not_found);
  EXPECT_EQ(accounts().CountAccounts().value(), 1);
}

TEST_P(AccountStoreContractTest, SecondFactorIsStoredWithTheAccountAndReplacedWhole) {
  const std::string sealed("sealed\0secret\xff", 14);
  auto created = accounts().CreateAccount(NewStaffAccount{
      .username = "anna",
      .role = Role::counsellor,
      .display_name = "Anna",
      .password_hash = "$argon2id$placeholder-hash",
      .created_at = kT0,
      .second_factor = {.sealed_totp_secret = sealed, .recovery_code_hashes = {"h1", "h2", "h3"}}});
  ASSERT_TRUE(created) << created.error().message;
  EXPECT_EQ(created->sealed_totp_secret, sealed);
  EXPECT_EQ(accounts().FindAccount(created->id).value().sealed_totp_secret, sealed);
  EXPECT_EQ(accounts().FindAccountByUsername("anna").value().sealed_totp_secret, sealed);
  EXPECT_EQ(accounts().CountRecoveryCodes(created->id).value(), 3);

  // A recovery code works once.
  EXPECT_TRUE(accounts().UseRecoveryCode(created->id, "h2").value());
  EXPECT_FALSE(accounts().UseRecoveryCode(created->id, "h2").value());
  EXPECT_FALSE(accounts().UseRecoveryCode(created->id, "never issued").value());
  EXPECT_EQ(accounts().CountRecoveryCodes(created->id).value(), 2);

  // A step is accepted once, and never one at or before the last accepted.
  EXPECT_TRUE(accounts().UseTotpStep(created->id, 1000).value());
  EXPECT_FALSE(accounts().UseTotpStep(created->id, 1000).value());
  EXPECT_FALSE(accounts().UseTotpStep(created->id, 999).value());
  EXPECT_TRUE(accounts().UseTotpStep(created->id, 1001).value());

  // A new factor replaces the secret and every code, and starts the steps afresh.
  ASSERT_TRUE(accounts().SetSecondFactor(
      created->id, SecondFactor{.sealed_totp_secret = "new", .recovery_code_hashes = {"h9"}}));
  EXPECT_EQ(accounts().FindAccount(created->id).value().sealed_totp_secret, "new");
  EXPECT_FALSE(accounts().UseRecoveryCode(created->id, "h1").value());
  EXPECT_TRUE(accounts().UseRecoveryCode(created->id, "h9").value());
  EXPECT_TRUE(accounts().UseTotpStep(created->id, 5).value());

  // Removing it leaves the account without one.
  ASSERT_TRUE(accounts().SetSecondFactor(created->id, SecondFactor{}));
  EXPECT_TRUE(accounts().FindAccount(created->id).value().sealed_totp_secret.empty());
  EXPECT_EQ(accounts().SetSecondFactor(created->id + 100, SecondFactor{}).error().code,
            core::Errc::not_found);
  // Other accounts are not touched.
  EXPECT_TRUE(Counsellor("bert").sealed_totp_secret.empty());
}

TEST_P(AccountStoreContractTest, RolesChangeSignInsAreNotedAndSetupLinksReplaceEachOther) {
  const StaffAccount anna = Counsellor("anna");
  EXPECT_FALSE(anna.last_sign_in_at.has_value());
  ASSERT_TRUE(accounts().SetRole(anna.id, Role::supervisor));
  ASSERT_TRUE(accounts().RecordSignIn(anna.id, kT0 + 5));
  const StaffAccount changed = accounts().FindAccount(anna.id).value();
  EXPECT_EQ(changed.role, Role::supervisor);
  EXPECT_EQ(changed.last_sign_in_at, kT0 + 5);
  EXPECT_EQ(changed.capacity, model::kDefaultCapacity);
  EXPECT_EQ(changed.availability, model::Availability::available);
  ASSERT_TRUE(accounts().SetAvailability(anna.id, model::Availability::away));
  EXPECT_EQ(accounts().FindAccount(anna.id)->availability, model::Availability::away);
  EXPECT_EQ(accounts().SetAvailability(anna.id + 100, model::Availability::busy).error().code,
            core::Errc::not_found);
  ASSERT_TRUE(accounts().SetCapacity(anna.id, 5));
  EXPECT_EQ(accounts().FindAccount(anna.id).value().capacity, 5);
  EXPECT_EQ(accounts().SetCapacity(anna.id, 0).error().code, core::Errc::invalid_argument);
  EXPECT_EQ(accounts().SetCapacity(anna.id, 21).error().code, core::Errc::invalid_argument);
  EXPECT_EQ(accounts().SetCapacity(anna.id + 999, 2).error().code, core::Errc::not_found);
  EXPECT_EQ(accounts().SetRole(anna.id + 100, Role::admin).error().code, core::Errc::not_found);

  const model::AccountSetup first{.token_hash = "h1",
                                  .account_id = anna.id,
                                  .purpose = model::SetupPurpose::new_account,
                                  .expires_at = kT0 + 100};
  ASSERT_TRUE(accounts().CreateSetup(first));
  const model::AccountSetup found = accounts().FindSetup("h1").value();
  EXPECT_EQ(found.account_id, anna.id);
  EXPECT_EQ(found.purpose, model::SetupPurpose::new_account);
  EXPECT_EQ(found.expires_at, kT0 + 100);
  ASSERT_TRUE(accounts().CreateSetup(model::AccountSetup{.token_hash = "h2",
                                                         .account_id = anna.id,
                                                         .purpose = model::SetupPurpose::password,
                                                         .expires_at = kT0 + 200}));
  EXPECT_EQ(accounts().FindSetup("h1").error().code, core::Errc::not_found);
  EXPECT_EQ(accounts().FindSetup("h2").value().purpose, model::SetupPurpose::password);
  ASSERT_TRUE(accounts().DeleteSetup("h2"));
  EXPECT_EQ(accounts().FindSetup("h2").error().code, core::Errc::not_found);
  // Used up: a second use at the same time is told so.
  EXPECT_EQ(accounts().DeleteSetup("h2").error().code, core::Errc::not_found);
}

TEST_P(AccountStoreContractTest, DuplicateUsernameIsAlreadyExists) {
  Counsellor("anna");
  auto again = accounts().CreateAccount(NewStaffAccount{
      .username = "anna", .role = Role::admin, .display_name = "", .password_hash = "h"});
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, core::Errc::already_exists);
  EXPECT_EQ(accounts().CountAccounts().value(), 1);
}

TEST_P(AccountStoreContractTest, ListsDisablesAndRehashesAccounts) {
  const StaffAccount bert = Counsellor("bert");
  const StaffAccount anna = Counsellor("anna");
  const auto all = accounts().ListAccounts().value();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].id, anna.id);
  EXPECT_EQ(all[1].id, bert.id);
  ASSERT_TRUE(accounts().CreateSetup(model::AccountSetup{.token_hash = "link",
                                                         .account_id = bert.id,
                                                         .purpose = model::SetupPurpose::password,
                                                         .expires_at = kT0 + 100}));
  ASSERT_TRUE(accounts().SetAccountDisabled(bert.id, true));
  EXPECT_TRUE(accounts().FindAccount(bert.id).value().disabled);
  EXPECT_EQ(accounts().FindSetup("link").error().code, core::Errc::not_found)
      << "a link that went astray does not come back with the account";
  EXPECT_FALSE(accounts().FindAccount(anna.id).value().disabled);
  ASSERT_TRUE(accounts().SetAccountDisabled(bert.id, false));
  EXPECT_FALSE(accounts().FindAccount(bert.id).value().disabled);
  ASSERT_TRUE(accounts().SetPasswordHash(anna.id, "$argon2id$new"));
  EXPECT_EQ(accounts().FindAccountByUsername("anna").value().password_hash, "$argon2id$new");
  EXPECT_EQ(accounts().SetAccountDisabled(9999, true).error().code, core::Errc::not_found);
  EXPECT_EQ(accounts().SetPasswordHash(9999, "h").error().code, core::Errc::not_found);
}

TEST_P(AccountStoreContractTest, AHashIsReplacedOnlyWhileItIsStillTheOneStored) {
  const StaffAccount anna = Counsellor("anna");
  const std::string first = anna.password_hash;
  ASSERT_TRUE(accounts().ReplacePasswordHash(anna.id, first, "$argon2id$upgraded"));
  EXPECT_EQ(accounts().FindAccount(anna.id).value().password_hash, "$argon2id$upgraded");
  ASSERT_TRUE(accounts().SetPasswordHash(anna.id, "$argon2id$reset"));
  EXPECT_EQ(
      accounts().ReplacePasswordHash(anna.id, "$argon2id$upgraded", "$argon2id$late").error().code,
      core::Errc::failed_precondition);
  EXPECT_EQ(accounts().FindAccount(anna.id).value().password_hash, "$argon2id$reset")
      << "an upgrade from the hash checked before a reset does not undo the reset";
  EXPECT_EQ(accounts().ReplacePasswordHash(9999, first, "h").error().code,
            core::Errc::failed_precondition);
  EXPECT_EQ(accounts().ReplacePasswordHash(anna.id, "$argon2id$reset", "").error().code,
            core::Errc::invalid_argument);
}

TEST_P(AccountStoreContractTest, TheLastEnabledAdministratorStays) {
  const auto admin = [this](const std::string& username) {
    const StaffAccount account = Counsellor(username);
    EXPECT_TRUE(accounts().SetRole(account.id, Role::admin));
    return account.id;
  };
  const std::int64_t anna = admin("anna");
  const std::int64_t bert = admin("bert");
  ASSERT_TRUE(accounts().SetRole(bert, Role::supervisor));
  EXPECT_EQ(accounts().SetRole(anna, Role::counsellor).error().code,
            core::Errc::failed_precondition);
  EXPECT_EQ(accounts().SetAccountDisabled(anna, true).error().code,
            core::Errc::failed_precondition);
  EXPECT_EQ(accounts().FindAccount(anna).value().role, Role::admin);
  EXPECT_FALSE(accounts().FindAccount(anna).value().disabled);
  EXPECT_TRUE(accounts().SetRole(anna, Role::admin)) << "staying one";

  // A disabled administrator manages nothing: it does not count.
  const std::int64_t cora = admin("cora");
  ASSERT_TRUE(accounts().SetAccountDisabled(cora, true));
  EXPECT_EQ(accounts().SetAccountDisabled(anna, true).error().code,
            core::Errc::failed_precondition);
  EXPECT_TRUE(accounts().SetRole(cora, Role::counsellor));
  EXPECT_TRUE(accounts().SetAccountDisabled(cora, false));

  // Two administrators taking each other's role at once: one of them stays.
  ASSERT_TRUE(accounts().SetRole(bert, Role::admin));
  for (int round = 0; round < 10; ++round) {
    Status first;
    Status second;
    std::thread a([&] { first = accounts().SetRole(bert, Role::counsellor); });
    std::thread b([&] { second = accounts().SetAccountDisabled(anna, true); });
    a.join();
    b.join();
    EXPECT_NE(first.has_value(), second.has_value()) << "round " << round;
    ASSERT_TRUE(accounts().SetAccountDisabled(anna, false));
    ASSERT_TRUE(accounts().SetRole(bert, Role::admin));
  }
}

TEST_P(AccountStoreContractTest, SessionsCreateFindTouchDelete) {
  const StaffAccount anna = Counsellor("anna");
  ASSERT_TRUE(accounts().CreateSession(StaffSession{"hash-1", anna.id, "csrf-1", kT0, kT0}));
  StaffSession found = accounts().FindSession("hash-1").value();
  EXPECT_EQ(found.account_id, anna.id);
  EXPECT_EQ(found.csrf_token, "csrf-1");
  EXPECT_EQ(found.created_at, kT0);
  ASSERT_TRUE(accounts().TouchSession("hash-1", kT0 + 5000));
  EXPECT_EQ(accounts().FindSession("hash-1").value().last_seen_at, kT0 + 5000);
  ASSERT_TRUE(accounts().TouchSession("hash-1", kT0 + 10));
  EXPECT_EQ(accounts().FindSession("hash-1").value().last_seen_at, kT0 + 5000);
  ASSERT_TRUE(accounts().DeleteSession("hash-1"));
  EXPECT_EQ(accounts().FindSession("hash-1").error().code, core::Errc::not_found);
  EXPECT_EQ(accounts().TouchSession("hash-1", kT0).error().code, core::Errc::not_found);
  EXPECT_EQ(accounts().DeleteSession("hash-1").error().code, core::Errc::not_found);
}

TEST_P(AccountStoreContractTest, SessionsAreListedPerAccountAndExpiredOnesPurged) {
  const StaffAccount anna = Counsellor("anna");
  const StaffAccount bert = Counsellor("bert");
  const auto session = [](const std::string& hash, std::int64_t account, UnixMillis created,
                          UnixMillis seen) {
    return StaffSession{.token_hash = hash,
                        .account_id = account,
                        .csrf_token = "csrf",
                        .created_at = created,
                        .last_seen_at = seen};
  };
  ASSERT_TRUE(accounts().CreateSession(session("old", anna.id, kT0, kT0 + 10)));
  ASSERT_TRUE(accounts().CreateSession(session("new", anna.id, kT0 + 100, kT0 + 100)));
  ASSERT_TRUE(accounts().CreateSession(session("idle", anna.id, kT0 + 50, kT0 + 50)));
  ASSERT_TRUE(accounts().CreateSession(session("berts", bert.id, kT0 + 60, kT0 + 200)));
  std::vector<std::string> annas;
  for (const StaffSession& s : accounts().ListSessions(anna.id).value())
    annas.push_back(s.token_hash);
  EXPECT_EQ(annas, (std::vector<std::string>{"new", "idle", "old"}));

  // "idle" was last used before kT0 + 60; "old" was created before kT0 + 5.
  EXPECT_EQ(accounts().DeleteExpiredSessions(kT0 + 60, kT0 + 5).value(), 2);
  ASSERT_EQ(accounts().ListSessions(anna.id).value().size(), 1u);
  EXPECT_EQ(accounts().ListSessions(anna.id).value()[0].token_hash, "new");
  EXPECT_EQ(accounts().ListSessions(bert.id).value().size(), 1u);
  EXPECT_EQ(accounts().DeleteExpiredSessions(kT0 + 60, kT0 + 5).value(), 0);
}

TEST_P(AccountStoreContractTest, SessionNeedsExistingAccount) {
  auto created = accounts().CreateSession(StaffSession{"hash-1", 4242, "csrf", kT0, kT0});
  ASSERT_FALSE(created);
  EXPECT_EQ(created.error().code, core::Errc::not_found);
}

TEST_P(AccountStoreContractTest, AccountsAndSessionsSurviveReopen) {
  const StaffAccount anna = Counsellor("anna");
  ASSERT_TRUE(accounts().CreateSession(StaffSession{"hash-1", anna.id, "csrf", kT0, kT0}));
  Reopen();
  EXPECT_EQ(accounts().FindAccountByUsername("anna").value().id, anna.id);
  EXPECT_EQ(accounts().FindSession("hash-1").value().account_id, anna.id);
}

TEST_P(AccountStoreContractTest, NewerSchemaIsRefused) {
  database_ = Database{};
  ASSERT_TRUE(test_database_->ForceSchemaVersion(999));
  auto opened = test_database_->Open();
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().code, core::Errc::failed_precondition);
  EXPECT_NE(opened.error().message.find("999"), std::string::npos) << opened.error().message;
}

INSTANTIATE_TEST_SUITE_P(Backends, AccountStoreContractTest,
                         ::testing::ValuesIn(ContractBackends()),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace uitweg::store
