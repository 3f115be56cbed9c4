#include "crypto/sha1.hpp"

#include <gtest/gtest.h>

#include "crypto/random.hpp"

namespace uitweg::crypto {
namespace {

TEST(Sha1Test, MatchesTheStandardsTestVectors) {
  EXPECT_EQ(Base64Encode(Sha1("abc")), "qZk+NkcGgWq6PiVxeFDCbJzQ2J0=");
  EXPECT_EQ(Base64Encode(Sha1("")), "2jmj7l5rSw0yVb/vlWAYkK/YBwk=");
}

}  // namespace
}  // namespace uitweg::crypto
