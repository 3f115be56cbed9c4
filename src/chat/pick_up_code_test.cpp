#include "chat/pick_up_code.hpp"

#include <gtest/gtest.h>

#include <set>

namespace uitweg::chat {
namespace {

TEST(PickUpCodeTest, ACodeIsFourWordsOfSixLettersAndItsOwnCanonicalForm) {
  const std::string code = NewPickUpCode();
  ASSERT_EQ(code.size(), 4 * 6 + 3) << code;
  EXPECT_EQ(code[6], '-');
  EXPECT_EQ(code[13], '-');
  EXPECT_EQ(code[20], '-');
  EXPECT_EQ(CanonicalPickUpCode(code), code);
}

TEST(PickUpCodeTest, CodesDoNotRepeat) {
  std::set<std::string> seen;
  for (int i = 0; i < 2000; ++i) EXPECT_TRUE(seen.insert(NewPickUpCode()).second);
}

TEST(PickUpCodeTest, EverySyllableIsUsedSoNoBitsAreLost) {
  std::set<std::string> syllables;
  for (int i = 0; i < 2000; ++i) {
    const std::string code = NewPickUpCode();
    for (std::size_t at = 0; at + 1 < code.size(); at += 2) {
      if (code[at] == '-') ++at;
      syllables.insert(code.substr(at, 2));
    }
  }
  EXPECT_EQ(syllables.size(), 64u);
}

TEST(PickUpCodeTest, CaseSpacesAndSeparatorsDoNotMatter) {
  EXPECT_EQ(CanonicalPickUpCode("BAKIME tosira  Lepado.mifeka"), "bakime-tosira-lepado-mifeka");
  EXPECT_EQ(CanonicalPickUpCode("bakimetosiralepadomifeka"), "bakime-tosira-lepado-mifeka");
}

TEST(PickUpCodeTest, WhatCannotBeACodeIsRefused) {
  for (const char* typed :
       {"", "bakime-tosira-lepado", "bakime-tosira-lepado-mifeka-b", "bukime-tosira-lepado-mifeka",
        "bakime-tosira-lepado-mifeky", "aakime-tosira-lepado-mifeka", "bakime_tosira_lepado_mifeka",
        "bakime-tosira-lepado-mifek4"}) {
    EXPECT_FALSE(CanonicalPickUpCode(typed)) << typed;
  }
  EXPECT_FALSE(CanonicalPickUpCode(std::string(1000, ' ')));
}

}  // namespace
}  // namespace uitweg::chat
