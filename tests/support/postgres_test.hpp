#pragma once
// The fixture of a test that needs a PostgreSQL database: an empty one of its own on the tests'
// server (support/postgres_server.hpp), made before each case and dropped after it.

#include <gtest/gtest.h>

#include <string>

#include "support/postgres_server.hpp"

namespace uitweg::support {

class PostgresDatabaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto server = TestPostgresUrl();
    ASSERT_TRUE(server) << server.error().message;
    auto url = CreateDatabase(*server);
    ASSERT_TRUE(url) << url.error().message;
    url_ = *url;
  }
  void TearDown() override {
    if (!url_.empty()) (void)DropDatabase(url_);
  }

  std::string url_;  // the database's full URL
};

}  // namespace uitweg::support
