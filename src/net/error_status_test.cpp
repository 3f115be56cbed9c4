#include "net/error_status.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

namespace uitweg::net {
namespace {

struct Case {
  core::Errc code;
  unsigned status;
};

TEST(ErrorStatusTest, EveryCodeHasTheDocumentedStatus) {
  using core::Errc;
  const Case cases[] = {
      {Errc::invalid_argument, 400},
      {Errc::unauthenticated, 401},
      {Errc::permission_denied, 403},
      {Errc::not_found, 404},
      {Errc::already_exists, 409},
      {Errc::failed_precondition, 409},
      {Errc::resource_exhausted, 429},
      {Errc::internal, 500},
      {Errc::unavailable, 503},
      {Errc::deadline_exceeded, 504},
      {Errc::aborted, 409},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(HttpStatusFor(c.code), c.status) << core::ErrcName(c.code);
  }
}

TEST(ErrorStatusTest, BodyNamesCodeAndMessage) {
  boost::json::value body =
      boost::json::parse(ErrorBody(core::Fail(core::Errc::not_found, "no \"such\" conversation")));
  EXPECT_EQ(body.at("error").at("code").as_string(), "not_found");
  EXPECT_EQ(body.at("error").at("message").as_string(), "no \"such\" conversation");
}

}  // namespace
}  // namespace uitweg::net
