#include "core/error.hpp"

#include <string>

#include <gtest/gtest.h>

namespace uitweg::core {
namespace {

Result<int> Parse(const std::string& text) {
  if (text.empty()) return Fail(Errc::invalid_argument, "empty");
  return static_cast<int>(text.size());
}

Status Check(bool ok) {
  if (!ok) return Fail(Errc::failed_precondition, "not ok");
  return {};
}

Result<int> Twice(const std::string& text, bool ok, int& reached) {
  UITWEG_TRY(Check(ok));
  ++reached;
  UITWEG_TRY_ASSIGN(const int length, Parse(text));
  ++reached;
  return 2 * length;
}

TEST(ErrorTest, TryPassesTheFirstErrorUp) {
  int reached = 0;
  Result<int> failed = Twice("abc", false, reached);
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code, Errc::failed_precondition);
  EXPECT_EQ(reached, 0);
}

TEST(ErrorTest, TryAssignPassesItsErrorUpAndStopsThere) {
  int reached = 0;
  Result<int> failed = Twice("", true, reached);
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code, Errc::invalid_argument);
  EXPECT_EQ(failed.error().message, "empty");
  EXPECT_EQ(reached, 1);
}

TEST(ErrorTest, TryAssignDeclaresTheValue) {
  int reached = 0;
  Result<int> doubled = Twice("abcd", true, reached);
  ASSERT_TRUE(doubled);
  EXPECT_EQ(*doubled, 8);
  EXPECT_EQ(reached, 2);
}

TEST(ErrorTest, FailCarriesNoRetryHintUnlessSet) {
  Error error = Fail(Errc::unavailable, "busy");
  EXPECT_EQ(error.retry_after_seconds, 0);
  error.retry_after_seconds = 30;
  Status status = error;
  EXPECT_EQ(status.error().retry_after_seconds, 30);
}

}  // namespace
}  // namespace uitweg::core
