#include "api/send_window.hpp"

#include <gtest/gtest.h>

namespace uitweg::api {
namespace {

TEST(SendWindowTest, ReadingHoldsWhenTheWindowFillsAndResumesWhenItFrees) {
  SendWindow window(3);
  EXPECT_TRUE(window.Take());
  EXPECT_TRUE(window.Take());
  EXPECT_FALSE(window.Take()) << "three in flight: hold";
  EXPECT_TRUE(window.Release()) << "the full window freed: resume";
  EXPECT_FALSE(window.Release());
  EXPECT_TRUE(window.Take());
  EXPECT_FALSE(window.Take());
}

TEST(SendWindowTest, AWindowOfOneHoldsAfterEverySend) {
  SendWindow window(1);
  EXPECT_FALSE(window.Take());
  EXPECT_TRUE(window.Release());
}

}  // namespace
}  // namespace uitweg::api
