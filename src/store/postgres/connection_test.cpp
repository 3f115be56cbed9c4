#include "store/postgres/connection.hpp"

#include <gtest/gtest.h>

namespace uitweg::store::postgres {
namespace {

// The error of a URL libpq cannot use goes to the log: it must not hold the password, even one
// libpq misread as a host, a port or an encoding.
TEST(PostgresConnectionTest, AnErrorNeverHoldsTheUrlsPassword) {
  for (const std::string url :
       {"postgresql://anna:geheim%zzwachtwoord@127.0.0.1:1/uitweg",
        "postgresql://anna:geheim/wachtwoord@127.0.0.1:1/uitweg",
        "postgresql://anna:geheimwachtwoord@127.0.0.1:notaport/uitweg",
        "postgresql://anna:geheim%20wachtwoord@127.0.0.1:1/uitweg",
        "postgresql://anna@127.0.0.1:1/uitweg?password=geheim%zzwachtwoord",
        "postgresql://anna@127.0.0.1:1/uitweg?password=geheim\"wachtwoord%zz",
        "host=127.0.0.1 port=1 password=geheim wachtwoord"}) {
    auto opened = Connection::Open(url);
    ASSERT_FALSE(opened) << url;
    const std::string& message = opened.error().message;
    EXPECT_EQ(message.find("geheim"), std::string::npos) << message;
    EXPECT_EQ(message.find("wachtwoord"), std::string::npos) << message;
    EXPECT_EQ(message.rfind("cannot connect to PostgreSQL: ", 0), 0u) << message;
  }
}

}  // namespace
}  // namespace uitweg::store::postgres
