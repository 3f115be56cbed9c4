#include "core/utf8.hpp"

#include <gtest/gtest.h>

namespace uitweg::core {
namespace {

TEST(Utf8Test, CountsCodePointsNotBytes) {
  EXPECT_EQ(CountCodePoints("abc"), 3u);
  EXPECT_EQ(CountCodePoints("h\xC3\xA9"), 2u);         // é
  EXPECT_EQ(CountCodePoints("\xF0\x9F\x98\x80"), 1u);  // an emoji
  EXPECT_EQ(CountCodePoints(""), 0u);
}

TEST(Utf8Test, RefusesWhatIsNotUtf8) {
  EXPECT_FALSE(CountCodePoints("\xC3"));              // truncated
  EXPECT_FALSE(CountCodePoints("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(CountCodePoints("\xED\xA0\x80"));      // a surrogate
  EXPECT_FALSE(CountCodePoints("\xF4\x90\x80\x80"));  // past U+10FFFF
  EXPECT_FALSE(CountCodePoints("\xFF"));
}

TEST(Utf8Test, DecodesOneCodePoint) {
  char32_t code_point = 0;
  EXPECT_EQ(DecodeUtf8("\xE2\x82\xAC rest", code_point), 3u);  // €
  EXPECT_EQ(code_point, U'\u20AC');
  EXPECT_EQ(DecodeUtf8("", code_point), 0u);
  EXPECT_EQ(DecodeUtf8("\x80", code_point), 0u);
}

TEST(Utf8Test, FindsTheFirstInvalidByte) {
  EXPECT_EQ(InvalidUtf8Offset("caf\xC3\xA9"), 5u);
  EXPECT_EQ(InvalidUtf8Offset("ab\xC3(cd"), 2u);
  EXPECT_EQ(InvalidUtf8Offset("\xF0\x9F\x98"), 0u);
}

TEST(Utf8Test, ValidPrefixDropsASplitCharacterAndWhatFollowsInvalidBytes) {
  EXPECT_EQ(ValidUtf8Prefix("abc"), "abc");
  EXPECT_EQ(ValidUtf8Prefix("ab\xC3"), "ab");
  EXPECT_EQ(ValidUtf8Prefix("z\xC3\xAB"
                            "e\xFF"
                            "x"),
            "z\xC3\xAB"
            "e");
  EXPECT_EQ(ValidUtf8Prefix(""), "");
}

}  // namespace
}  // namespace uitweg::core

namespace uitweg::core {
namespace {

TEST(Utf8Test, ControlAndFormatCharactersAreFoundWhereverTheyHide) {
  EXPECT_FALSE(HasControlOrFormat("Sam"));
  EXPECT_FALSE(HasControlOrFormat("J\xc3\xa9r\xc3\xb4me \xf0\x9f\x98\x80"));  // accents, emoji
  for (std::string_view hidden : {
           std::string_view("a\x01"),      // C0
           std::string_view("a\x7f"),      // DEL
           std::string_view("a\xc2\x85"),  // C1: next line
           std::string_view("a\xc2\xad"
                            "b"),                // soft hyphen
           std::string_view("\xe2\x80\xaegnp"),  // right-to-left override
           std::string_view("a\xe2\x81\xa6"
                            "b"),  // left-to-right isolate
           std::string_view("a\xe2\x80\x8b"
                            "b"),  // zero-width space
           std::string_view("a\xe2\x80\x8d"
                            "b"),  // zero-width joiner
           std::string_view("\xef\xbb\xbf"
                            "a"),  // byte-order mark
           std::string_view("a\xe2\x81\xa0"
                            "b"),                  // word joiner
           std::string_view("a\xf3\xa0\x80\x81"),  // language tag
           std::string_view("a\xff"),              // not UTF-8
       }) {
    EXPECT_TRUE(HasControlOrFormat(hidden)) << hidden;
  }
}

// Young people write their names with emoji; many are drawn with a joiner or tags.
TEST(Utf8Test, EmojiDrawnWithJoinersOrTagsAreNoHiddenCharacters) {
  for (std::string_view seen : {
           std::string_view("Sam \U0001F937\u200D\u2642\uFE0F"),      // person shrugging: man
           std::string_view("\U0001F3F3\uFE0F\u200D\U0001F308"),      // rainbow flag
           std::string_view("\u2764\uFE0F\u200D\U0001F525 Noor"),     // heart on fire
           std::string_view("\U0001F9D1\U0001F3FD\u200D\U0001F4BB"),  // technologist, skin tone
           std::string_view("\U0001F468\u200D\U0001F469\u200D\U0001F467"),  // family
           std::string_view("\U0001F3F4\U000E0067\U000E0062\U000E0073\U000E0063\U000E0074"
                            "\U000E007F"),  // flag of Scotland
       }) {
    EXPECT_FALSE(HasControlOrFormat(seen)) << seen;
  }
  for (std::string_view hidden : {
           std::string_view("a\u200D\U0001F525"),                 // a joiner after a letter
           std::string_view("\U0001F525\u200D"),                  // a joiner at the end
           std::string_view("\U0001F525\u200D\u200D\U0001F525"),  // two joiners
           std::string_view("\U0001F3F4\U000E0067\U000E0062"),    // tags that never end
           std::string_view("a\U000E0067\U000E007F"),             // tags after a letter
           std::string_view("\U0001F3F4\U000E007F\u202E"),        // a flag, then an override
           std::string_view("a\uFE0F\u200D\uFE0Fb"),              // a joiner between letters
           std::string_view("\U0001F3F4\U000E0048\U000E0020\U000E0069\U000E007F"),  // "H i"
           std::string_view("\U0001F3F4\U000E0067\U000E007F"),  // a one-letter region
           std::string_view(
               "\U0001F3F4\U000E0068\U000E0065\U000E006C\U000E0070\U000E007F"),  // "help"
       }) {
    EXPECT_TRUE(HasControlOrFormat(hidden)) << hidden;
  }
}

// Persian, Urdu and the scripts of India spell words with a non-joiner, which shapes them.
TEST(Utf8Test, ANonJoinerThatShapesAWordIsNoHiddenCharacter) {
  for (std::string_view seen : {
           std::string_view("\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645"),  // Persian: I want
           std::string_view("\u0646\u0627\u0645\u0647\u200C\u0647\u0627"),        // letters
           std::string_view("\u0645\u0647\u0645\u0651\u200C\u062A\u0631\u06CC\u0646"),  // a shadda
           std::string_view("\u0915\u094D\u200C\u0937"),  // Devanagari: a half form after a virama
       }) {
    EXPECT_FALSE(HasControlOrFormat(seen)) << seen;
  }
  for (std::string_view hidden : {
           std::string_view("Sa\u200Cm"),                 // between Latin letters it shows nothing
           std::string_view("\u200C\u0645\u06CC"),        // at the start
           std::string_view("\u0645\u06CC\u200C"),        // at the end
           std::string_view("\u0645\u200C\u200C\u06CC"),  // two
           std::string_view("\u0645\u200C Sam"),          // before a space
           std::string_view("\u0631\u200C\u0636\u0627"),  // after a reh, which never joins on
           std::string_view("\u0915\u200C\u0937"),        // Devanagari letters, no virama
           std::string_view("\u0915\u094D\u200C\u0995"),  // Devanagari, then Bengali
           std::string_view("\u0645\u200C\u0966"),        // before a Devanagari digit
           std::string_view("\u0628\u200C\u0674"),        // before a high hamza, which joins none
           std::string_view("\u0D15\u0D4D\u200C\u0D58"),  // Malayalam: before a fraction
       }) {
    EXPECT_TRUE(HasControlOrFormat(hidden)) << hidden;
  }
}

}  // namespace
}  // namespace uitweg::core
