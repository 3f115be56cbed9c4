#include "model/registration.hpp"

#include <gtest/gtest.h>

namespace uitweg::model {
namespace {

TEST(PlaceTest, SpacesTypedAroundAndBetweenWordsDoNotMakeAnotherPlace) {
  EXPECT_EQ(TidyPlace("Den Haag"), "Den Haag");
  EXPECT_EQ(TidyPlace("  Den   Haag "), "Den Haag");
  EXPECT_EQ(TidyPlace("'s-Hertogenbosch"), "'s-Hertogenbosch");
  EXPECT_EQ(TidyPlace("   "), "");
  EXPECT_TRUE(IsPlace(TidyPlace(" Súdwest-Fryslân ")));
}

}  // namespace
}  // namespace uitweg::model
