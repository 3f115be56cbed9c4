#include "auth/second_factor.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <set>

#include "auth/auth_test_support.hpp"
#include "crypto/random.hpp"
#include "crypto/totp.hpp"

namespace uitweg::auth {
namespace {

constexpr core::UnixMillis kNow = 1'800'000'000'000;

class SecondFactorTest : public AuthTest {
 protected:
  model::StaffAccount Enrolled(const std::string& username, const Enrolment& enrolment) {
    auto account = store_->CreateAccount(store::NewStaffAccount{.username = username,
                                                                .role = model::Role::counsellor,
                                                                .display_name = username,
                                                                .password_hash = "$argon2id$x",
                                                                .created_at = 0,
                                                                .second_factor = enrolment.stored});
    EXPECT_TRUE(account) << account.error().message;
    return *account;
  }
  static std::string CodeAt(const Enrolment& enrolment, core::UnixMillis at) {
    return crypto::TotpCode(crypto::Base32Decode(enrolment.secret_base32).value(),
                            crypto::TotpStep(at));
  }
  bool Check(const model::StaffAccount& account, std::string_view typed,
             core::UnixMillis at = kNow) {
    auto checked = factors_->Check(account, typed, at);
    EXPECT_TRUE(checked) << checked.error().message;
    return checked && *checked;
  }
};

TEST_F(SecondFactorTest, RecognisesTotpAndRecoveryCodesAsPeopleTypeThem) {
  EXPECT_EQ(ParseTypedCode("123 456")->kind, TypedCode::Kind::totp);
  auto recovery = ParseTypedCode("ABCDE-fgh23");
  ASSERT_TRUE(recovery);
  EXPECT_EQ(recovery->kind, TypedCode::Kind::recovery);
  EXPECT_EQ(recovery->normalised, "abcdefgh23");
  EXPECT_FALSE(ParseTypedCode(""));
  EXPECT_FALSE(ParseTypedCode("abcde-fgh1"));    // 1 is not base32
  EXPECT_FALSE(ParseTypedCode("abcde-fgh234"));  // too long
  EXPECT_FALSE(ParseTypedCode("12345"));
  EXPECT_FALSE(ParseTypedCode("abcde\xc3\xa9"));
}

TEST_F(SecondFactorTest, EnrolmentMakesAUriASealedSecretAndTenDistinctRecoveryCodes) {
  const Enrolment enrolment = factors_->Enrol("anna").value();
  EXPECT_EQ(enrolment.secret_base32.size(), 32u);  // 160 bits
  EXPECT_TRUE(enrolment.otpauth_uri.starts_with("otpauth://totp/Uitweg:anna?secret=" +
                                                enrolment.secret_base32));
  EXPECT_EQ(enrolment.recovery_codes.size(), 10u);
  EXPECT_EQ(std::set<std::string>(enrolment.recovery_codes.begin(), enrolment.recovery_codes.end())
                .size(),
            10u);
  for (const std::string& code : enrolment.recovery_codes) {
    EXPECT_EQ(code.size(), 11u);
    EXPECT_EQ(code[5], '-');
  }
  // Sealed for this username only; neither the secret nor a code is stored in the clear.
  const std::string secret = crypto::Base32Decode(enrolment.secret_base32).value();
  EXPECT_EQ(factors_->Unseal("anna", enrolment.stored.sealed_totp_secret).value(), secret);
  EXPECT_FALSE(factors_->Unseal("bert", enrolment.stored.sealed_totp_secret));
  EXPECT_EQ(enrolment.stored.sealed_totp_secret.find(secret), std::string::npos);
  for (const std::string& hash : enrolment.stored.recovery_code_hashes) {
    for (const std::string& code : enrolment.recovery_codes) {
      EXPECT_EQ(hash.find(code.substr(0, 5)), std::string::npos);
    }
  }
}

TEST_F(SecondFactorTest, ATotpCodeWorksOnceAndOnlyAroundItsTime) {
  const Enrolment enrolment = factors_->Enrol("anna").value();
  const model::StaffAccount anna = Enrolled("anna", enrolment);
  EXPECT_FALSE(Check(anna, CodeAt(enrolment, kNow - 90'000)));
  EXPECT_TRUE(Check(anna, CodeAt(enrolment, kNow)));
  EXPECT_FALSE(Check(anna, CodeAt(enrolment, kNow)));  // replayed
  // The previous step's code, still in the window, is refused too: it is not later.
  EXPECT_FALSE(Check(anna, CodeAt(enrolment, kNow - 30'000)));
  EXPECT_TRUE(Check(anna, CodeAt(enrolment, kNow + 30'000), kNow + 30'000));
  EXPECT_FALSE(Check(anna, "000000x"));
  EXPECT_FALSE(Check(anna, ""));
}

TEST_F(SecondFactorTest, ARecoveryCodeWorksOnceInAnyCase) {
  const Enrolment enrolment = factors_->Enrol("anna").value();
  const model::StaffAccount anna = Enrolled("anna", enrolment);
  std::string shouted = enrolment.recovery_codes[3];
  for (char& c : shouted) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_TRUE(Check(anna, shouted));
  EXPECT_FALSE(Check(anna, enrolment.recovery_codes[3]));
  EXPECT_TRUE(Check(anna, enrolment.recovery_codes[4]));
  EXPECT_EQ(store_->CountRecoveryCodes(anna.id).value(), 8);
}

// A copy of the database alone cannot test guesses at the codes: they are kept keyed with the
// sealed TOTP secret. Codes kept unkeyed, as they were before, still work once.
TEST_F(SecondFactorTest, RecoveryCodesAreKeptKeyedAndOlderUnkeyedOnesStillWork) {
  Enrolment enrolment = factors_->Enrol("anna").value();
  for (const std::string& code : enrolment.recovery_codes) {
    const std::string normalised = code.substr(0, 5) + code.substr(6);
    const std::string unkeyed = crypto::HashToken("recovery:" + normalised);
    EXPECT_EQ(std::count(enrolment.stored.recovery_code_hashes.begin(),
                         enrolment.stored.recovery_code_hashes.end(), unkeyed),
              0);
  }
  enrolment.stored.recovery_code_hashes.push_back(crypto::HashToken("recovery:abcdefgh23"));
  const model::StaffAccount anna = Enrolled("anna", enrolment);
  EXPECT_TRUE(Check(anna, "abcde-fgh23"));
  EXPECT_FALSE(Check(anna, "abcde-fgh23"));
  EXPECT_TRUE(Check(anna, enrolment.recovery_codes[0]));
  EXPECT_EQ(store_->CountRecoveryCodes(anna.id).value(), 9);

  // A secret that does not open (sealed for another name here, as with a lost key file): the
  // codes kept unkeyed still sign in.
  Enrolment berts = factors_->Enrol("bert").value();
  berts.stored.recovery_code_hashes = {crypto::HashToken("recovery:bcdefghi23")};
  const model::StaffAccount carl = Enrolled("carl", berts);
  EXPECT_TRUE(Check(carl, "bcdef-ghi23"));
  EXPECT_FALSE(Check(carl, CodeAt(berts, kNow)));
}

TEST_F(SecondFactorTest, AnotherAccountsCodesAndAnAccountWithoutASecondFactorAreRefused) {
  const Enrolment annas = factors_->Enrol("anna").value();
  const Enrolment berts = factors_->Enrol("bert").value();
  const model::StaffAccount anna = Enrolled("anna", annas);
  Enrolled("bert", berts);
  EXPECT_FALSE(Check(anna, CodeAt(berts, kNow)));
  EXPECT_FALSE(Check(anna, berts.recovery_codes[0]));
  const model::StaffAccount carol = Enrolled("carol", Enrolment{});
  EXPECT_FALSE(Check(carol, CodeAt(annas, kNow)));
}

TEST_F(SecondFactorTest, AnEnrolmentIsConfirmedByItsCodeAndResumedFromItsSealedSecret) {
  const Enrolment enrolment = factors_->Enrol("Anna").value();
  EXPECT_TRUE(enrolment.otpauth_uri.starts_with("otpauth://totp/Uitweg:anna?"));
  EXPECT_EQ(factors_->Confirms(enrolment, CodeAt(enrolment, kNow), kNow), crypto::TotpStep(kNow));
  EXPECT_EQ(factors_->Confirms(enrolment, "000000x", kNow), std::nullopt);
  EXPECT_FALSE(factors_->Enrol("no spaces allowed"));

  const Enrolment resumed = factors_->Resume("anna", enrolment.stored.sealed_totp_secret).value();
  EXPECT_EQ(resumed.secret_base32, enrolment.secret_base32);
  EXPECT_NE(resumed.recovery_codes, enrolment.recovery_codes);
  EXPECT_EQ(factors_->Resume("bert", enrolment.stored.sealed_totp_secret).error().code,
            core::Errc::invalid_argument);
  EXPECT_FALSE(factors_->Resume("anna", "not sealed at all"));
}

TEST_F(SecondFactorTest, StoringANewEnrolmentRetiresTheOldSecretAndCodes) {
  const Enrolment first = factors_->Enrol("anna").value();
  model::StaffAccount anna = Enrolled("anna", first);
  const Enrolment second = factors_->Enrol("anna").value();
  ASSERT_TRUE(factors_->Store(anna.id, second));
  anna = store_->FindAccount(anna.id).value();
  EXPECT_FALSE(Check(anna, first.recovery_codes[0]));
  EXPECT_TRUE(Check(anna, CodeAt(second, kNow)));
  EXPECT_TRUE(Check(anna, second.recovery_codes[0]));
}

}  // namespace
}  // namespace uitweg::auth
