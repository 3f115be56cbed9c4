#include "crypto/totp.hpp"

#include <gtest/gtest.h>

namespace uitweg::crypto {
namespace {

// RFC 6238 appendix B, SHA-1 column: the 20-byte ASCII secret "12345678901234567890".
constexpr std::string_view kRfcSecret = "12345678901234567890";

TEST(TotpTest, MatchesTheRfc6238TestVectors) {
  struct Vector {
    std::int64_t unix_seconds;
    const char* code;
  };
  for (const Vector& v : {Vector{59, "94287082"}, Vector{1111111109, "07081804"},
                          Vector{1111111111, "14050471"}, Vector{1234567890, "89005924"},
                          Vector{2000000000, "69279037"}, Vector{20000000000, "65353130"}}) {
    const std::int64_t step = TotpStep(v.unix_seconds * 1000);
    EXPECT_EQ(TotpCode(kRfcSecret, step, 8), v.code) << v.unix_seconds;
    // Six digits are the last six of eight.
    EXPECT_EQ(TotpCode(kRfcSecret, step), std::string(v.code).substr(2)) << v.unix_seconds;
  }
}

TEST(TotpTest, AcceptsTheNeighbouringStepsOnlyAndSaysWhichMatched) {
  const core::UnixMillis now = 1111111111'000;
  const std::int64_t step = TotpStep(now);
  EXPECT_EQ(MatchTotp(kRfcSecret, TotpCode(kRfcSecret, step), now), step);
  EXPECT_EQ(MatchTotp(kRfcSecret, TotpCode(kRfcSecret, step - 1), now), step - 1);
  EXPECT_EQ(MatchTotp(kRfcSecret, TotpCode(kRfcSecret, step + 1), now), step + 1);
  EXPECT_EQ(MatchTotp(kRfcSecret, TotpCode(kRfcSecret, step - 2), now), std::nullopt);
  EXPECT_EQ(MatchTotp(kRfcSecret, TotpCode(kRfcSecret, step + 2), now), std::nullopt);
  EXPECT_EQ(MatchTotp("another secret of 20b", TotpCode(kRfcSecret, step), now), std::nullopt);
  EXPECT_EQ(MatchTotp(kRfcSecret, "12345", now), std::nullopt);
}

TEST(TotpTest, StepsAreThirtySecondsAndFloorBeforeTheEpoch) {
  EXPECT_EQ(TotpStep(0), 0);
  EXPECT_EQ(TotpStep(29'999), 0);
  EXPECT_EQ(TotpStep(30'000), 1);
  EXPECT_EQ(TotpStep(-1), -1);
}

TEST(TotpTest, ParsesWhatPeopleTypeAndRefusesTheRest) {
  EXPECT_EQ(ParseTotpCode("123456"), "123456");
  EXPECT_EQ(ParseTotpCode("123 456"), "123456");
  EXPECT_EQ(ParseTotpCode("123-456"), "123456");
  EXPECT_EQ(ParseTotpCode(""), std::nullopt);
  EXPECT_EQ(ParseTotpCode("12345"), std::nullopt);
  EXPECT_EQ(ParseTotpCode("1234567"), std::nullopt);
  EXPECT_EQ(ParseTotpCode("12345a"), std::nullopt);
  EXPECT_EQ(ParseTotpCode("１２３４５６"), std::nullopt);  // full-width digits
  EXPECT_EQ(ParseTotpCode(std::string("123\0456", 7)), std::nullopt);
}

TEST(TotpTest, Base32RoundTripsAndMatchesRfc4648) {
  EXPECT_EQ(Base32Encode(""), "");
  EXPECT_EQ(Base32Encode("f"), "MY");
  EXPECT_EQ(Base32Encode("foobar"), "MZXW6YTBOI");
  EXPECT_EQ(Base32Encode(kRfcSecret), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
  EXPECT_EQ(Base32Decode("MZXW6YTBOI======").value(), "foobar");
  EXPECT_EQ(Base32Decode("mzxw 6ytb oi").value(), "foobar");
  EXPECT_FALSE(Base32Decode("MZ1W"));
  EXPECT_FALSE(Base32Decode("MY=A"));
  const std::string secret = NewTotpSecret();
  EXPECT_EQ(secret.size(), kTotpSecretBytes);
  EXPECT_EQ(Base32Decode(Base32Encode(secret)).value(), secret);
}

TEST(TotpTest, UriCarriesTheSettingsAndEscapesNames) {
  EXPECT_EQ(OtpauthUri("Uitweg", "anna", kRfcSecret),
            "otpauth://totp/Uitweg:anna?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Uitweg"
            "&algorithm=SHA1&digits=6&period=30");
  EXPECT_EQ(OtpauthUri("Uitweg Noord", "a b", "x").substr(0, 36),
            "otpauth://totp/Uitweg%20Noord:a%20b?");
}

}  // namespace
}  // namespace uitweg::crypto
