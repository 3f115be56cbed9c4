#include "outreach/stemmer.hpp"

#include <gtest/gtest.h>

#include <string>

namespace uitweg::outreach {
namespace {

TEST(DutchStemmerTest, InflectedFormsShareAStem) {
  DutchStemmer stemmer;
  EXPECT_EQ(stemmer.Stem("rekeningen"), "reken");
  EXPECT_EQ(stemmer.Stem("rekening"), "reken");
}

TEST(StemMemoTest, AnswersTheKeyOfTheStemWhetherRememberedOrNot) {
  StemMemo memo;
  DutchStemmer stemmer;
  const std::uint64_t reken = StemMemo::Key("reken");
  EXPECT_NE(reken, 0u);
  EXPECT_EQ(memo.StemKey("rekeningen"), reken);
  EXPECT_EQ(memo.StemKey("rekeningen"), reken);  // now from memory
  EXPECT_EQ(memo.StemKey("rekening"), reken);
  EXPECT_NE(memo.StemKey("geldezels"), reken);
  // Many more words than the memo keeps: slots are reused, and every answer is still right.
  for (int round = 0; round < 2; ++round) {
    for (int i = 0; i < 20000; ++i) {
      std::string word = "verhuur";
      for (int n = i; n > 0; n /= 26) word.push_back(static_cast<char>('a' + n % 26));
      word += "en";
      const std::string stem(stemmer.Stem(word));
      ASSERT_EQ(memo.StemKey(word), StemMemo::Key(stem)) << word;
    }
  }
}

}  // namespace
}  // namespace uitweg::outreach
