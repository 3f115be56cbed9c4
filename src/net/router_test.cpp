#include "net/router.hpp"

#include <stdexcept>

#include <gtest/gtest.h>

namespace uitweg::net {
namespace {

api::Handler Answer(unsigned status) {
  return [status](const api::Request&) -> core::Result<api::Response> {
    return api::Response{status, {}, {}};
  };
}

unsigned StatusOf(const RouteMatch& match) {
  return (*match.handler)(api::Request{})->status;
}

class RouterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router_.Add("GET", "/api/v1/setup", Answer(200));
    router_.Add("POST", "/api/v1/setup", Answer(201));
    router_.Add("GET", "/api/v1/conversations/{id}", Answer(202));
    router_.Add("GET", "/api/v1/conversations/{id}/messages", Answer(203));
  }
  Router router_;
};

TEST_F(RouterTest, MatchesMethodAndPath) {
  RouteMatch match = router_.Match("POST", "/api/v1/setup");
  ASSERT_EQ(match.outcome, MatchOutcome::found);
  EXPECT_EQ(StatusOf(match), 201u);
}

TEST_F(RouterTest, CapturesPlaceholders) {
  RouteMatch match = router_.Match("GET", "/api/v1/conversations/c_42/messages");
  ASSERT_EQ(match.outcome, MatchOutcome::found);
  EXPECT_EQ(StatusOf(match), 203u);
  ASSERT_EQ(match.params.size(), 1u);
  EXPECT_EQ(match.params[0], "c_42");
}

TEST_F(RouterTest, PlaceholderNeedsANonEmptySegment) {
  EXPECT_EQ(router_.Match("GET", "/api/v1/conversations/").outcome, MatchOutcome::no_path);
}

TEST_F(RouterTest, UnknownPathIsNoPath) {
  EXPECT_EQ(router_.Match("GET", "/api/v1/nothing").outcome, MatchOutcome::no_path);
  EXPECT_EQ(router_.Match("GET", "/api/v1/setup/extra").outcome, MatchOutcome::no_path);
  EXPECT_EQ(router_.Match("GET", "/api/v1/setup/").outcome, MatchOutcome::no_path);
}

TEST_F(RouterTest, ARouteMaySayItTakesLargeBodies) {
  EXPECT_EQ(router_.LargestBody(), 0u);
  router_.Add("PUT", "/api/v1/uploads/{id}", Answer(200),
              api::LargeBody{.max_bytes = 1 << 20, .admits = {}});
  EXPECT_EQ(router_.LargestBody(), 1u << 20);
  RouteMatch upload = router_.Match("PUT", "/api/v1/uploads/u1");
  ASSERT_EQ(upload.outcome, MatchOutcome::found);
  ASSERT_NE(upload.large_body, nullptr);
  EXPECT_EQ(upload.large_body->max_bytes, 1u << 20);
  EXPECT_EQ(router_.Match("POST", "/api/v1/setup").large_body, nullptr);
}

TEST_F(RouterTest, WrongMethodListsTheAllowedOnes) {
  RouteMatch match = router_.Match("DELETE", "/api/v1/setup");
  EXPECT_EQ(match.outcome, MatchOutcome::wrong_method);
  EXPECT_EQ(match.allowed, "GET, POST");
}

TEST_F(RouterTest, HeadIsAnsweredByGet) {
  RouteMatch match = router_.Match("HEAD", "/api/v1/setup");
  ASSERT_EQ(match.outcome, MatchOutcome::found);
  EXPECT_EQ(StatusOf(match), 200u);
}

TEST_F(RouterTest, DuplicateRouteIsAStartUpBug) {
  EXPECT_THROW(router_.Add("GET", "/api/v1/setup", Answer(200)), std::invalid_argument);
  EXPECT_THROW(router_.Add("GET", "no-slash", Answer(200)), std::invalid_argument);
}

TEST_F(RouterTest, SocketsMatchExactly) {
  router_.AddSocket("/api/v1/visitor/ws",
                    [](const api::Request&, std::weak_ptr<api::FrameSink>)
                        -> core::Result<std::shared_ptr<api::Channel>> { return nullptr; });
  EXPECT_NE(router_.MatchSocket("/api/v1/visitor/ws"), nullptr);
  EXPECT_EQ(router_.MatchSocket("/api/v1/visitor/ws/"), nullptr);
  EXPECT_EQ(router_.MatchSocket("/api/v1/staff/ws"), nullptr);
}

TEST(SplitPathTest, KeepsEmptySegments) {
  EXPECT_EQ(SplitPath("/"), (std::vector<std::string>{""}));
  EXPECT_EQ(SplitPath("/a/b"), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(SplitPath("/a/b/"), (std::vector<std::string>{"a", "b", ""}));
}

}  // namespace
}  // namespace uitweg::net
