#include "outreach/near_duplicates.hpp"

#include <gtest/gtest.h>

#include <bit>
#include <string>

namespace uitweg::outreach {
namespace {

const std::string kAd =
    "Wil jij snel geld verdienen? Wij zoeken jongens en meiden met een bankpas. Je leent je pas "
    "een dag uit en krijgt 500 euro contant. Geen risico, alles discreet. App 0612345678 🔌💰";

TEST(FingerprintTest, RepostWithAnotherPhoneNumberOrEmojiIsTheSame) {
  const std::string repost =
      "Wil jij snel geld verdienen? Wij zoeken jongens en meiden met een bankpas. Je leent je "
      "pas een dag uit en krijgt 750 euro contant. Geen risico, alles discreet. App 0687654321 💸";
  EXPECT_EQ(Fingerprint(kAd), Fingerprint(repost));
}

TEST(FingerprintTest, CaseSpacingAndObfuscationDoNotMatter) {
  const std::string shouted =
      "WIL JIJ SNEL GELD VERDIENEN??   Wij zoeken jongens en meiden met een b.a.n.k.p.a.s. Je "
      "leent je pas een dag uit en krijgt 500 euro contant. Geen risico, alles discreet. APP!";
  EXPECT_EQ(Fingerprint(kAd), Fingerprint(shouted));
}

TEST(FingerprintTest, UnrelatedPostsAreFarApart) {
  const std::string other =
      "Morgen is de training verplaatst naar zaal 3 in verband met het toernooi. Neem je eigen "
      "bidon mee en vergeet je sportschoenen niet, tot dan!";
  EXPECT_GT(std::popcount(Fingerprint(kAd) ^ Fingerprint(other)), 10);
}

TEST(FingerprintTest, NoWordsGivesZero) {
  EXPECT_EQ(Fingerprint(""), 0u);
  EXPECT_EQ(Fingerprint("0612345678 🔌💰 !!!"), 0u);
}

TEST(NearDuplicateClustersTest, IdsAreOneBasedInOrderOfFirstAppearance) {
  NearDuplicateClusters clusters;
  EXPECT_EQ(clusters.Assign(0x1111), 1u);
  EXPECT_EQ(clusters.Assign(0xFFFF0000FFFF0000ULL), 2u);
  EXPECT_EQ(clusters.Assign(0x1111), 1u);
  EXPECT_EQ(clusters.cluster_count(), 2u);
}

TEST(NearDuplicateClustersTest, WithinDistanceJoinsBeyondDoesNot) {
  NearDuplicateClusters clusters(3);
  const std::uint64_t base = 0x0123456789ABCDEFULL;
  const std::uint32_t id = clusters.Assign(base);
  // Three flipped bits, each in another band: still found through the fourth band.
  EXPECT_EQ(clusters.Assign(base ^ (1ULL << 1) ^ (1ULL << 20) ^ (1ULL << 40)), id);
  // Four bits away from every member so far.
  EXPECT_NE(clusters.Assign(~base), id);
  EXPECT_NE(clusters.Assign(base ^ 0xF000000000000000ULL ^ 0x0F00000000000000ULL), id);
}

TEST(NearDuplicateClustersTest, RepostsOfAnAdShareACluster) {
  NearDuplicateClusters clusters;
  const std::uint32_t ad = clusters.Assign(Fingerprint(kAd));
  const std::uint32_t other = clusters.Assign(
      Fingerprint("Gezocht: vrijwilligers voor de voedselbank op zaterdag, meld je bij Ans."));
  EXPECT_NE(ad, other);
  EXPECT_EQ(clusters.Assign(Fingerprint(kAd + " 🔥🔥 06-11223344 !!!")), ad);
  EXPECT_EQ(clusters.Assign(Fingerprint(kAd + " @recruiter_2024")), ad);
}

TEST(NearDuplicateClustersTest, LargerDistanceUsesMoreBands) {
  NearDuplicateClusters clusters(8);
  const std::uint64_t base = 0xDEADBEEFCAFEF00DULL;
  const std::uint32_t id = clusters.Assign(base);
  EXPECT_NE(clusters.Assign(base ^ 0x1FFULL), id);                  // 9 bits away
  EXPECT_EQ(clusters.Assign(base ^ 0x8000'0000'0000'007FULL), id);  // 8 bits away
}

}  // namespace
}  // namespace uitweg::outreach
