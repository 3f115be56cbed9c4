#pragma once
// A fixture base for auth tests: a real SQLite store in a fresh temporary folder, a password
// hasher at the OWASP minimum, and a manual clock.

#include <gtest/gtest.h>

#include <memory>

#include "auth/accounts.hpp"
#include "core/clock.hpp"
#include "crypto/password_hasher.hpp"
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
    accounts_ = std::make_unique<Accounts>(*store_, hasher_, clock_);
  }

  core::ManualClock clock_;
  crypto::PasswordHasher hasher_{crypto::PasswordHashOptions{.max_concurrent = 2}};
  std::unique_ptr<store::TestDatabase> database_;
  store::Database database_stores_;
  store::AccountStore* store_ = nullptr;
  std::unique_ptr<Accounts> accounts_;
};

}  // namespace uitweg::auth
