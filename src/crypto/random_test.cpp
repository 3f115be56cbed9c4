#include "crypto/random.hpp"

#include <gtest/gtest.h>

#include <set>

namespace uitweg::crypto {
namespace {

bool IsUrlSafe(std::string_view text) {
  return text.find_first_not_of(
             "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") ==
         std::string_view::npos;
}

TEST(RandomTest, TokenIsUrlSafeWithoutPadding) {
  const std::string token = RandomToken();
  EXPECT_EQ(token.size(), 43u);
  EXPECT_TRUE(IsUrlSafe(token)) << token;
  EXPECT_EQ(RandomToken(6).size(), 8u);
}

TEST(RandomTest, TokensDoNotRepeat) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) EXPECT_TRUE(seen.insert(RandomToken(16)).second);
}

TEST(RandomTest, RandomBelowStaysBelowAndReachesEveryValue) {
  std::set<std::uint32_t> seen;
  for (int i = 0; i < 2000; ++i) {
    const std::uint32_t drawn = RandomBelow(7);
    EXPECT_LT(drawn, 7u);
    seen.insert(drawn);
  }
  EXPECT_EQ(seen.size(), 7u);
  EXPECT_EQ(RandomBelow(1), 0u);
  EXPECT_EQ(RandomBelow(0), 0u);
}

TEST(RandomTest, IdHasPrefixAnd22Characters) {
  const std::string id = RandomId("c_");
  ASSERT_EQ(id.size(), 24u);
  EXPECT_EQ(id.substr(0, 2), "c_");
  EXPECT_TRUE(IsUrlSafe(id.substr(2)));
  EXPECT_NE(RandomId("c_"), id);
}

TEST(RandomTest, HashTokenIsHexBlake2b256) {
  // BLAKE2b-256 of the empty string, from the reference implementation.
  EXPECT_EQ(HashToken(""), "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8");
  const std::string hash = HashToken("abc");
  EXPECT_EQ(hash.size(), 64u);
  EXPECT_EQ(hash.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(HashToken("abc"), hash);
  EXPECT_NE(HashToken("abd"), hash);
}

TEST(RandomTest, KeyedHashDependsOnKey) {
  EXPECT_EQ(KeyedHash("salt", "alice"), KeyedHash("salt", "alice"));
  EXPECT_NE(KeyedHash("salt", "alice"), KeyedHash("pepper", "alice"));
  EXPECT_NE(KeyedHash("salt", "alice"), HashToken("alice"));
  EXPECT_EQ(KeyedHash(std::string(100, 'k'), "x").size(), 64u);
  EXPECT_EQ(KeyedHash("", "x").size(), 64u);
}

TEST(RandomTest, WipeLeavesZerosOfTheSameLength) {
  std::string secret = "0123456789abcdef0123456789abcdef";
  Wipe(secret);
  EXPECT_EQ(secret, std::string(32, '\0'));
  std::string empty;
  Wipe(empty);
  EXPECT_TRUE(empty.empty());
}

TEST(RandomTest, ConstantTimeEquals) {
  EXPECT_TRUE(ConstantTimeEquals("secret", "secret"));
  EXPECT_FALSE(ConstantTimeEquals("secret", "secreT"));
  EXPECT_FALSE(ConstantTimeEquals("secret", "secret2"));
  EXPECT_TRUE(ConstantTimeEquals("", ""));
  EXPECT_FALSE(ConstantTimeEquals("", "a"));
}

TEST(RandomTest, Base64UrlRoundTrip) {
  for (std::size_t size = 0; size < 40; ++size) {
    const std::string bytes = RandomBytes(size);
    auto decoded = Base64UrlDecode(Base64UrlEncode(bytes));
    ASSERT_TRUE(decoded) << size;
    EXPECT_EQ(*decoded, bytes);
  }
  EXPECT_EQ(Base64UrlEncode("\xfb\xff"), "-_8");
  EXPECT_EQ(Base64UrlDecode("-_8=").value(), "\xfb\xff");
}

TEST(RandomTest, Base64DecodeRejectsGarbage) {
  for (std::string_view bad : {"a", "!!!!", "ab$d", "a+b/c*"}) {
    auto decoded = Base64UrlDecode(bad);
    ASSERT_FALSE(decoded) << bad;
    EXPECT_EQ(decoded.error().code, core::Errc::invalid_argument);
  }
  EXPECT_FALSE(Base64Decode("-_8"));
  EXPECT_FALSE(Base64Decode("AAAA%"));
}

TEST(RandomTest, StandardBase64) {
  EXPECT_EQ(Base64Encode("\xfb\xff"), "+/8=");
  EXPECT_EQ(Base64Decode(" +/8=\n").value(), "\xfb\xff");
  EXPECT_EQ(Base64Decode("aGVsbG8").value(), "hello");
}

}  // namespace
}  // namespace uitweg::crypto
