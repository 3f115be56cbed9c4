#include "outreach/normaliser.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace uitweg::outreach {
namespace {

struct Case {
  const char* rule;
  std::string input;
  std::string expected;
};

class NormaliserRuleTest : public testing::TestWithParam<Case> {};

TEST_P(NormaliserRuleTest, NormalisesAsTheRuleSays) {
  const Case& c = GetParam();
  Normaliser normaliser;
  EXPECT_EQ(normaliser.Normalise(c.input), c.expected) << c.rule << ": " << c.input;
  EXPECT_EQ(normaliser.NormaliseWithOffsets(c.input), c.expected) << c.rule << ": " << c.input;
}

const Case kCases[] = {
    {"ascii is lowercased", "Snel GELD Verdienen", "snel geld verdienen"},
    {"whitespace collapses", "  snel \t\n  geld  ", "snel geld"},
    {"underscore is a space", "snel_geld", "snel geld"},
    {"punctuation stays", "geld, nu! (echt)?", "geld, nu! (echt)?"},
    {"latin-1 diacritics go", "Café CRÈME naïef", "cafe creme naief"},
    {"latin-1 expands", "Straße Æther þorn", "strasse aether thorn"},
    {"latin extended-a", "Łódź Šťastný ĳs Œuvre", "lodz stastny ijs oeuvre"},
    {"combining marks go", "cafe\xCC\x81", "cafe"},
    {"cyrillic lookalikes", "\xD1\x80\xD1\x96n\xD1\x80\xD0\xB0s", "pinpas"},
    {"greek lookalikes", "\xCE\x91\xCE\x9D\xCE\x9A", "ank"},
    {"fullwidth letters", "\xEF\xBC\xA2\xEF\xBD\x81nk", "bank"},
    {"mathematical bold", "\xF0\x9D\x90\x9B\xF0\x9D\x90\x9A\xF0\x9D\x90\xA7\xF0\x9D\x90\xA4",
     "bank"},
    {"circled letters", "\xE2\x93\x91\xE2\x93\x90nk", "bank"},
    {"zero-width space inside a word", "pin\xE2\x80\x8Bpas", "pinpas"},
    {"word joiner and bom", "\xEF\xBB\xBFpin\xE2\x81\xA0pas", "pinpas"},
    {"soft hyphen", "bank\xC2\xADpas", "bankpas"},
    {"variation selector keeps emoji", "\xE2\x9D\x84\xEF\xB8\x8F", "\xE2\x9D\x84"},
    {"skin tone goes", "\xF0\x9F\x92\xAA\xF0\x9F\x8F\xBD", "\xF0\x9F\x92\xAA"},
    {"emoji stay", "\xF0\x9F\x8D\xAB\xF0\x9F\x94\x8C \xF0\x9F\x92\x8A",
     "\xF0\x9F\x8D\xAB\xF0\x9F\x94\x8C \xF0\x9F\x92\x8A"},
    {"nbsp is a space", "snel\xC2\xA0geld", "snel geld"},
    {"invalid utf-8 repaired", "geld\xFFnu", "geld\xEF\xBF\xBDnu"},
    {"truncated sequence repaired", "geld\xE2\x82", "geld\xEF\xBF\xBD\xEF\xBF\xBD"},
    {"overlong repaired", "\xC0\xAF", "\xEF\xBF\xBD\xEF\xBF\xBD"},
    {"surrogate repaired", "\xED\xA0\x80", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"},
    {"dots between letters", "b.a.n.k.p.a.s", "bankpas"},
    {"spaces between letters", "b a n k p a s uitlenen", "bankpas uitlenen"},
    {"dashes between letters", "B-A-N-K", "bank"},
    {"underscores between letters", "b_a_n_k", "bank"},
    {"two single letters stay apart", "a b", "a b"},
    {"each joiner makes its own word", "b.a.n.k p.a.s", "bank pas"},
    {"a short chain hands over its last letter", "z'n p.a.s", "z'n pas"},
    {"chains end at a longer word", "x y z.a.b woord", "xyz.a.b woord"},
    {"single letters with double gaps stay", "b. a. n. k", "b. a. n. k"},
    {"single digits stay apart", "1 2 3 4", "1 2 3 4"},
    {"one letter among digits stays", "3 a 4 keer", "3 a 4 keer"},
    {"joined letters get leetspeak", "p.1.n.p.4.s", "pinpas"},
    {"emoji between letters",
     "r\xF0\x9F\x94\xA5"
     "e\xF0\x9F\x94\xA5"
     "k\xF0\x9F\x94\xA5"
     "e\xF0\x9F\x94\xA5"
     "n",
     "reken"},
    {"emoji with a variation selector between letters",
     "g\xE2\x9D\x84\xEF\xB8\x8F"
     "e\xE2\x9D\x84\xEF\xB8\x8F"
     "l\xE2\x9D\x84\xEF\xB8\x8F"
     "d",
     "geld"},
    {"emoji between words stay", "geld \xF0\x9F\x94\xA5 nu", "geld \xF0\x9F\x94\xA5 nu"},
    {"mixed separators", "g.e.l.d-e.z.e.l", "geldezel"},
    {"mixed separators with slashes", "p/i.n|p-a.s", "pinpas"},
    {"a space does not mix with marks", "z'n p.a.s nu", "z'n pas nu"},
    {"hyphens inside a word", "bank-re-ke-ning", "bankrekening"},
    {"hyphen in a compound", "Geld-Ezel gezocht", "geldezel gezocht"},
    {"hyphen after a single letter stays", "e-mail", "e-mail"},
    {"hyphen before a number stays", "covid-19 18-jarige", "covid-19 18-jarige"},
    {"a hyphen at a word's end stays", "in- en uitvoer", "in- en uitvoer"},
    {"runs of letters", "paaaasje geeeeld", "pasje geld"},
    {"digits 2 6 9 in words", "6eld 9eld 2akgeld", "geld geld zakgeld"},
    {"digits 2 6 9 alone stay", "2 6 9 269", "2 6 9 269"},
    {"letters spaced out, words by double spaces", "p i n p a s  u i t l e n e n",
     "pinpas uitlenen"},
    {"letters spaced out, words on new lines", "p i n p a s\nu i t", "pinpas uit"},
    {"a double space between words is one space", "snel  geld", "snel geld"},
    {"leet digits in a word", "p1np4s", "pinpas"},
    {"all leet digits", "0134578", "0134578"},
    {"leet word with each digit", "h0i l1ef 3xtr4 5n3l 7ijd 8ank", "hoi lief extra snel tijd bank"},
    {"numbers stay numbers", "100 euro", "100 euro"},
    {"numbers with a unit stay", "5k 10k 3e 2de 100euro 16jr", "5k 10k 3e 2de 100euro 16jr"},
    {"names with a number stay", "ps5 covid19 mp3 fifa23", "ps5 covid19 mp3 fifa23"},
    {"one leading leet digit", "0pslag 4ltijd", "opslag altijd"},
    {"one trailing leet digit", "gel0 cash5", "gelo cashs"},
    {"leet symbols", "c@sh $nel geld h!j", "cash snel geld hij"},
    {"euro sign in a word", "g\xE2\x82\xACld", "geld"},
    {"euro sign before a number stays",
     "\xE2\x82\xAC"
     "50",
     "\xE2\x82\xAC"
     "50"},
    {"mention stays", "@snelgeld", "@snelgeld"},
    {"exclamation stays", "geld!!", "geld!!"},
    {"dollar before a number stays", "$100", "$100"},
    {"triple letters collapse", "snelllll geeeld", "snel geld"},
    {"double letters stay", "snelle geeld", "snelle geeld"},
    {"leet then runs", "g333ld", "geld"},
    {"digit runs stay", "1000000", "1000000"},
    {"hashtag", "#MoneyFlips", "#moneyflips"},
    {"empty", "", ""},
};

INSTANTIATE_TEST_SUITE_P(Rules, NormaliserRuleTest, testing::ValuesIn(kCases));

TEST(NormaliserTest, OffsetsPointAtTheOriginalBytes) {
  Normaliser normaliser;
  const std::string text = "Wil je  SNELLLL geld? p.1.n.p.a.s!";
  const std::string_view norm = normaliser.NormaliseWithOffsets(text);
  ASSERT_EQ(norm, "wil je snel geld? pinpas!");
  auto original = [&](std::string_view part) {
    const std::size_t at = norm.find(part);
    const auto [from, to] = normaliser.OriginalRange(at, at + part.size());
    return text.substr(from, to - from);
  };
  EXPECT_EQ(original("snel"), "SNELLLL");
  EXPECT_EQ(original("snel geld"), "SNELLLL geld");
  EXPECT_EQ(original("pinpas"), "p.1.n.p.a.s");
  EXPECT_EQ(original("je snel"), "je  SNELLLL");
}

TEST(NormaliserTest, OffsetsCoverMultiByteCharacters) {
  Normaliser normaliser;
  const std::string text = "Straße \xE2\x9D\x84\xEF\xB8\x8F g\xE2\x82\xACld";
  const std::string_view norm = normaliser.NormaliseWithOffsets(text);
  ASSERT_EQ(norm, "strasse \xE2\x9D\x84 geld");
  const auto [from, to] = normaliser.OriginalRange(norm.find("geld"), norm.size());
  EXPECT_EQ(text.substr(from, to - from), "g\xE2\x82\xACld");
  const std::size_t snow = norm.find("\xE2\x9D\x84");
  const auto [sf, st] = normaliser.OriginalRange(snow, snow + 3);
  EXPECT_EQ(text.substr(sf, st - sf), "\xE2\x9D\x84");
  const auto [bf, bt] = normaliser.OriginalRange(0, 7);
  EXPECT_EQ(text.substr(bf, bt - bf), "Straße");
}

// Normalise takes an eight-bytes-at-a-time fast path through plain text that
// NormaliseWithOffsets never takes; the Analyzer relies on both giving the same text.
TEST(NormaliserTest, FastPathAgreesWithTheLongWay) {
  constexpr std::string_view kPieces[] = {"a",
                                          "b",
                                          "e",
                                          "l",
                                          "s",
                                          "A",
                                          "Z",
                                          " ",
                                          " ",
                                          " ",
                                          " ",
                                          "  ",
                                          "snel",
                                          "geld",
                                          "SNEL",
                                          "aa",
                                          "lll",
                                          "x y",
                                          ".",
                                          "-",
                                          "_",
                                          "'",
                                          "1",
                                          "0",
                                          "4",
                                          "@",
                                          "$",
                                          "!",
                                          "\n",
                                          "\t",
                                          "\xC3\xA9",
                                          "\xE2\x9D\x84\xEF\xB8\x8F",
                                          "\xE2\x80\x8B",
                                          "\xFF",
                                          "\xE2\x82\xAC",
                                          "b.a.n.k",
                                          "p1n",
                                          "wie heeft",
                                          "de aantekeningen",
                                          "Morgen",
                                          "haven",
                                          "ooo",
                                          "ee",
                                          "k",
                                          "u",
                                          "'t"};
  std::uint64_t state = 0x9E3779B97F4A7C15ULL;
  auto next = [&state] {
    state ^= state >> 12;
    state ^= state << 25;
    state ^= state >> 27;
    return state * 0x2545F4914F6CDD1DULL;
  };
  Normaliser fast;
  Normaliser slow;
  for (int round = 0; round < 20000; ++round) {
    std::string text;
    const std::size_t pieces = next() % 24;
    for (std::size_t k = 0; k < pieces; ++k) text += kPieces[next() % std::size(kPieces)];
    ASSERT_EQ(fast.Normalise(text), slow.NormaliseWithOffsets(text)) << "text: " << text;
  }
}

TEST(NormaliserTest, ReusedNormaliserGivesTheSameResult) {
  Normaliser normaliser;
  const std::string long_text(10000, 'x');
  EXPECT_EQ(normaliser.Normalise(long_text), "x");
  EXPECT_EQ(normaliser.Normalise("B.A.N.K"), "bank");
  EXPECT_EQ(Normalise("B.A.N.K"), "bank");
}

}  // namespace
}  // namespace uitweg::outreach
