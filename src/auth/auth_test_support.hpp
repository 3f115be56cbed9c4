#pragma once
// A fixture base for auth tests: a real SQLite store in a fresh temporary folder, a password
// hasher at the OWASP minimum, a manual clock, and second factors under a fresh master key.

#include <gtest/gtest.h>

#include <memory>

#include "auth/accounts.hpp"
#include "auth/second_factor.hpp"
#include "core/clock.hpp"
#include "crypto/password_hasher.hpp"
#include "crypto/totp.hpp"
#include "store/sqlite/sqlite_test_database.hpp"

namespace uitweg::auth {

class AuthTest : public ::testing::Test {
 protected:
  void SetUp() override {
    database_ = store::sqlite::SqliteTestBackend().create();
    auto opened = database_->Open();
    ASSERT_TRUE(opened) << opened.error().message;
    database_stores_ = std::move(*opened);
    store_ = database_stores_.accounts.get();
    factors_ = std::make_unique<SecondFactors>(*store_, *master_keys_);
    accounts_ = std::make_unique<Accounts>(*store_, hasher_, clock_);
  }

  // A fresh enrolment for `username`, as an admin or set-up would make it.
  Enrolment EnrolFor(std::string_view username) { return factors_->Enrol(username).value(); }
  // The enrolment's TOTP code at the clock's time.
  std::string CodeNow(const Enrolment& enrolment) {
    return crypto::TotpCode(crypto::Base32Decode(enrolment.secret_base32).value(),
                            crypto::TotpStep(clock_.Now()));
  }

  core::ManualClock clock_;
  crypto::PasswordHasher hasher_{crypto::PasswordHashOptions{.max_concurrent = 2}};
  std::unique_ptr<store::TestDatabase> database_;
  store::Database database_stores_;
  store::AccountStore* store_ = nullptr;
  std::shared_ptr<crypto::MasterKeys> master_keys_ =
      crypto::MasterKeys::Fixed({crypto::Aead::Generate()}).value();
  std::unique_ptr<SecondFactors> factors_;
  std::unique_ptr<Accounts> accounts_;
};

}  // namespace uitweg::auth
