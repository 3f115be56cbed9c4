#include "outreach/near_duplicates.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace uitweg::outreach {
namespace {

const std::string kAd =
    "Wil jij snel geld verdienen? Wij zoeken jongens en meiden met een bankpas. Je leent je pas "
    "een dag uit en krijgt 500 euro contant. Geen risico, alles discreet. App 0612345678 🔌💰";

// The cluster numbers of `texts` added in order, with the default options.
std::vector<std::uint32_t> Clusters(const std::vector<std::string>& texts) {
  NearDuplicateClusters clusters;
  for (const std::string& text : texts) clusters.Add(Fingerprint(text));
  return clusters.ClusterNumbers();
}

bool SameCluster(const std::string& a, const std::string& b) {
  const std::vector<std::uint32_t> numbers = Clusters({a, b});
  return numbers[0] == numbers[1];
}

TEST(CanonicalTextTest, DropsEmojiAndPunctuationAndFoldsCase) {
  EXPECT_EQ(CanonicalText("WIL JIJ snel geld?!? 🔥🔥 ✨Alles discreet…"),
            "wil je snel geld alles discreet");
}

TEST(CanonicalTextTest, EveryNumberIsOneTokenAndARunOfNumbersToo) {
  EXPECT_EQ(CanonicalText("bel 06-123 456 78 of +31 6 12345678"), "bel # of #");
  EXPECT_EQ(CanonicalText("1.000,- per dag, 24/7 bereikbaar, 5k"), "# perdag # bereikbaar #");
}

TEST(CanonicalTextTest, AnAmountReadsTheSameWithTheCurrencyOnEitherSide) {
  EXPECT_EQ(CanonicalText("€500"), "# euro");
  EXPECT_EQ(CanonicalText("500€"), "# euro");
  EXPECT_EQ(CanonicalText("500 eu"), "# euro");
  EXPECT_EQ(CanonicalText("500 EURO"), "# euro");
  EXPECT_EQ(CanonicalText("500 euro 0612345678"), "# euro #");
}

TEST(CanonicalTextTest, AbbreviationsTakeOneSpelling) {
  const struct {
    const char* text;
    const char* canonical;
  } cases[] = {
      {"p/w", "perweek"},
      {"pw", "perweek"},
      {"p.w.", "perweek"},
      {"per week", "perweek"},
      {"in de week", "perweek"},
      {"p/d", "perdag"},
      {"pd", "perdag"},
      {"per dag", "perdag"},
      {"p/m", "permaand"},
      {"per maand", "permaand"},
      {"500 pm", "# permaand"},
      {"stuur pm", "stuur dm"},
      {"DM", "dm"},
      {"inbox", "dm"},
      {"privé", "dm"},
      {"pv", "dm"},
      {"snl", "snel"},
      {"jij", "je"},
      {"jy", "je"},
      {"u", "je"},
      {"je", "je"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(CanonicalText(c.text), c.canonical) << c.text;
  }
}

TEST(CanonicalTextTest, MentionsAreOneToken) {
  EXPECT_EQ(CanonicalText("dm @snelcash010 of @geldnu"), "dm @ of @");
}

TEST(FingerprintTest, TrivialVariationGivesTheSameSignature) {
  EXPECT_EQ(Fingerprint(kAd),
            Fingerprint("WIL JY SNL GELD VERDIENEN??? Wij zoeken jongens en meiden met een "
                        "b.a.n.k.p.a.s. Je leent je pas een dag uit en krijgt €750 contant!! Geen "
                        "risico, alles discreet. App 06-87654321 💸"));
}

TEST(FingerprintTest, SimilarityEstimatesTheShareOfSharedShingles) {
  EXPECT_EQ(EstimatedSimilarity(Fingerprint(kAd), Fingerprint(kAd)), 1.0);
  const double unrelated = EstimatedSimilarity(
      Fingerprint(kAd), Fingerprint("Morgen is de training verplaatst naar zaal 3 in verband met "
                                    "het toernooi. Neem je eigen bidon mee, tot dan!"));
  EXPECT_LT(unrelated, 0.15);
}

TEST(FingerprintTest, ATextWithoutWordsStillHasItsOwnSignature) {
  EXPECT_EQ(Fingerprint("❄️💊🔌"), Fingerprint("❄💊🔌"));
  EXPECT_NE(Fingerprint("❄️💊🔌"), Fingerprint("🍀"));
}

// Per kind of variation a repost makes, the repost joins the cluster of the ad.
TEST(NearDuplicateClustersTest, OneWordChanged) {
  EXPECT_TRUE(SameCluster(kAd,
                          "Wil jij snel geld verdienen? Wij zoeken jongens en meiden met een "
                          "bankpas. Je leent je pas een week uit en krijgt 500 euro contant. "
                          "Geen risico, alles discreet. App 0612345678"));
  EXPECT_TRUE(SameCluster(kAd,
                          "Wil jij snel cash verdienen? Wij zoeken jongens en meiden met een "
                          "bankpas. Je leent je pas een dag uit en krijgt 500 euro contant. "
                          "Geen risico, alles discreet. App 0612345678"));
}

TEST(NearDuplicateClustersTest, OtherNumbers) {
  EXPECT_TRUE(SameCluster(kAd,
                          "Wil jij snel geld verdienen? Wij zoeken jongens en meiden met een "
                          "bankpas. Je leent je pas 2 dagen uit en krijgt 1.250 euro contant. "
                          "Geen risico, alles discreet. Bel +31 6 11 22 33 44"));
}

TEST(NearDuplicateClustersTest, OtherEmoji) {
  EXPECT_TRUE(SameCluster(kAd,
                          "🚨🚨 Wil jij snel geld verdienen? 💶 Wij zoeken jongens en meiden "
                          "met een bankpas. Je leent je pas een dag uit en krijgt 500 euro "
                          "contant 🤑. Geen risico, alles discreet. App 0612345678 ✅"));
}

TEST(NearDuplicateClustersTest, Abbreviations) {
  EXPECT_TRUE(SameCluster("Bijverdienen vanuit huis, 300 euro p/w, stuur een pm voor info",
                          "Bijverdienen vanuit huis, €300 per week, stuur een dm voor info"));
  EXPECT_TRUE(SameCluster("Snel geld voor jou, 200 eu p/d, inbox mij",
                          "snl geld voor jou, 200 euro per dag, dm mij"));
}

TEST(NearDuplicateClustersTest, ReorderedSentences) {
  EXPECT_TRUE(SameCluster(kAd,
                          "Geen risico, alles discreet. Wil jij snel geld verdienen? Wij "
                          "zoeken jongens en meiden met een bankpas. Je leent je pas een dag "
                          "uit en krijgt 500 euro contant. App 0612345678"));
}

TEST(NearDuplicateClustersTest, ShortPosts) {
  EXPECT_TRUE(SameCluster("Pinpas uitlenen? Snel geld, DM", "pinpas uitlenen!! snel geld dm 💰"));
  EXPECT_TRUE(SameCluster("Pinpas uitlenen voor snel geld", "Pinpas uitlenen voor veel geld"));
  EXPECT_FALSE(SameCluster("Pinpas uitlenen voor snel geld", "Rekening verhuren voor snel geld"));
  EXPECT_FALSE(SameCluster("snel geld", "geld nodig"));
}

// Posts that share the ad's words but say something else stay apart from it and each other: a
// warning about the ad, a legitimate job, a question, another kind of ad.
TEST(NearDuplicateClustersTest, DifferentPostsWithTheSameVocabularyStayApart) {
  const std::vector<std::string> posts = {
      "Pinpas uitlenen voor een dag en 500 euro cash verdienen? Geen vragen, geen risico. Stuur "
      "een dm voor info.",
      "Let op! Oplichters vragen jongeren hun pinpas uit te lenen voor een dag, voor 500 euro "
      "cash. Je krijgt geen geld maar wel een strafblad. Praat erover.",
      "Bijbaan: help zaterdag een dag mee met verhuizen, 100 euro cash. Ervaring niet nodig. "
      "Stuur een dm voor info.",
      "Pinpas kwijt? Laat hem meteen blokkeren bij je bank, dat kost niks. Daarna krijg je binnen "
      "een week een nieuwe pas.",
      "Rekening verhuren voor een week? Wij betalen 1500 euro, jij geeft alleen je pas en code "
      "af. Stuur een dm.",
      "Zoek iemand 18+ met een rekening, makkelijk werkje van 2 dagen. Je verdient 800 zonder "
      "iets te doen. Snel reageren!",
      "Zoek iemand 18+ met een auto, 2 dagen verhuiswerk in Amstelveen. Betaal 120 per dag. Snel "
      "reageren!",
  };
  EXPECT_EQ(Clusters(posts), (std::vector<std::uint32_t>{1, 2, 3, 4, 5, 6, 7}));
}

TEST(NearDuplicateClustersTest, NumbersFollowTheFirstPostOfEachCluster) {
  const std::vector<std::uint32_t> numbers = Clusters(
      {"morgen training om zeven uur in de sporthal", kAd,
       "morgen training om 7 uur in de sporthal!", kAd + " 🔥", "wie heeft mijn fiets gezien"});
  EXPECT_EQ(numbers, (std::vector<std::uint32_t>{1, 2, 1, 2, 3}));
}

TEST(NearDuplicateClustersTest, APostSimilarToTwoClustersJoinsThem) {
  // a and c share too little to join; b overlaps most of each.
  const std::string a =
      "een twee drie vier vijf zes zeven acht negen tien elf twaalf dertien veertien";
  const std::string b =
      "vier vijf zes zeven acht negen tien elf twaalf dertien veertien vijftien zestien zeventien";
  const std::string c =
      "zeven acht negen tien elf twaalf dertien veertien vijftien zestien zeventien achttien "
      "negentien twintig";
  EXPECT_EQ(Clusters({a, c}), (std::vector<std::uint32_t>{1, 2}));
  EXPECT_EQ(Clusters({a, c, b}), (std::vector<std::uint32_t>{1, 1, 1}));
  EXPECT_EQ(Clusters({a, c, b, "iets anders", c}), (std::vector<std::uint32_t>{1, 1, 1, 2, 1}));
}

TEST(NearDuplicateClustersTest, SameInputSameNumbers) {
  std::vector<std::string> texts;
  for (int i = 0; i < 50; ++i) {
    texts.push_back("advertentie " + std::to_string(i % 7) + " " + std::string(i % 7, 'x') +
                    " pinpas uitlenen geld " + std::string(i % 5, 'y') + " dm");
  }
  EXPECT_EQ(Clusters(texts), Clusters(texts));
}

TEST(NearDuplicateClustersTest, ACrowdOfVariantsFillingBucketsStaysOneCluster) {
  std::vector<std::string> texts;
  for (std::size_t i = 0; i < 3 * NearDuplicateClusters::kBucketLimit; ++i) {
    texts.push_back(kAd + " code woord" + std::string(1 + i % 26, static_cast<char>('a' + i % 26)));
  }
  const std::vector<std::uint32_t> numbers = Clusters(texts);
  EXPECT_EQ(numbers, std::vector<std::uint32_t>(texts.size(), 1));
}

TEST(NearDuplicateClustersTest, OptionsOutOfRangeAreClamped) {
  NearDuplicateClusters clusters({.bands = 1000, .rows = 0, .min_similarity = 0.5});
  clusters.Add(Fingerprint(kAd));
  clusters.Add(Fingerprint(kAd + " 🔥"));
  clusters.Add(Fingerprint("iets heel anders over de voetbaltraining"));
  EXPECT_EQ(clusters.ClusterNumbers(), (std::vector<std::uint32_t>{1, 1, 2}));
}

}  // namespace
}  // namespace uitweg::outreach
