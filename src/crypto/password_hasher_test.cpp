#include "crypto/password_hasher.hpp"

#include <sched.h>

#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <thread>
#include <vector>

namespace uitweg::crypto {
namespace {

class PasswordHasherTest : public ::testing::Test {
 protected:
  PasswordHasher hasher_{PasswordHashOptions{.max_concurrent = 2}};
};

TEST_F(PasswordHasherTest, HashIsArgon2idWithOwaspMinimum) {
  auto hash = hasher_.Hash("correct horse battery");
  ASSERT_TRUE(hash);
  EXPECT_TRUE(hash->starts_with("$argon2id$v=19$m=19456,t=2,p=1$")) << *hash;
}

TEST_F(PasswordHasherTest, VerifyAcceptsRightPasswordOnly) {
  const std::string hash = hasher_.Hash("correct horse battery").value();
  EXPECT_TRUE(hasher_.Verify(hash, "correct horse battery").value());
  EXPECT_FALSE(hasher_.Verify(hash, "correct horse batterY").value());
  EXPECT_FALSE(hasher_.Verify(hash, "").value());
}

TEST_F(PasswordHasherTest, SamePasswordHashesDifferently) {
  EXPECT_NE(hasher_.Hash("correct horse battery").value(),
            hasher_.Hash("correct horse battery").value());
}

TEST_F(PasswordHasherTest, VerifyRejectsMalformedHash) {
  for (std::string_view bad :
       {"", "plain", "$argon2i$v=19$m=19456,t=2,p=1$abc$def", "$argon2id$garbage"}) {
    auto result = hasher_.Verify(bad, "password12");
    if (result) {
      EXPECT_FALSE(*result) << bad;
    } else {
      EXPECT_EQ(result.error().code, core::Errc::invalid_argument) << bad;
    }
  }
  EXPECT_FALSE(hasher_.Verify("", "x"));
}

TEST_F(PasswordHasherTest, HashRejectsEmptyAndHugePasswords) {
  EXPECT_EQ(hasher_.Hash("").error().code, core::Errc::invalid_argument);
  EXPECT_EQ(hasher_.Hash(std::string(5000, 'a')).error().code, core::Errc::invalid_argument);
}

TEST_F(PasswordHasherTest, NeedsRehashWhenParametersGrow) {
  const std::string hash = hasher_.Hash("correct horse battery").value();
  EXPECT_FALSE(hasher_.NeedsRehash(hash));
  PasswordHasher stronger(PasswordHashOptions{.opslimit = 3});
  EXPECT_TRUE(stronger.NeedsRehash(hash));
  EXPECT_TRUE(hasher_.NeedsRehash("not a hash"));
}

TEST(PasswordHasherOptionsTest, RefusesBelowOwaspMinimum) {
  EXPECT_THROW(PasswordHasher(PasswordHashOptions{.opslimit = 1}), std::invalid_argument);
  EXPECT_THROW(PasswordHasher(PasswordHashOptions{.memlimit_bytes = 8u << 20}),
               std::invalid_argument);
}

TEST(PasswordHasherOptionsTest, DefaultConcurrencyIsHardwareThreads) {
  PasswordHasher hasher;
  EXPECT_GE(hasher.max_concurrent(), 1u);
  EXPECT_EQ(hasher.max_concurrent(), std::max(1u, std::thread::hardware_concurrency()));
}

TEST(PasswordHasherConcurrencyTest, HashesRunAtTheLowestPriority) {
  PasswordHasher hasher(PasswordHashOptions{.max_concurrent = 2});
  EXPECT_EQ(hasher.HashingThreadPolicy(), SCHED_IDLE)
      << "hashing must give way to the chat's threads";
  EXPECT_EQ(sched_getscheduler(0), SCHED_OTHER) << "the caller's own thread is left alone";
}

TEST(PasswordHasherConcurrencyTest, ManyThreadsHashAndVerify) {
  PasswordHasher hasher(PasswordHashOptions{.max_concurrent = 1});
  std::atomic<int> verified{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&, i] {
      const std::string password = "password-" + std::to_string(i);
      auto hash = hasher.Hash(password);
      if (!hash) return;
      auto ok = hasher.Verify(*hash, password);
      if (ok && *ok) ++verified;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(verified.load(), 4);
}

}  // namespace
}  // namespace uitweg::crypto
