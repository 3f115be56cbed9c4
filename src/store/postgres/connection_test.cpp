#include "store/postgres/connection.hpp"

#include <gtest/gtest.h>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <filesystem>
#include <optional>
#include <string>

#include "support/postgres_server.hpp"

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

// The descriptor of this process's TCP connection to `port` on the loopback, if there is one.
std::optional<int> SocketTo(std::uint16_t port) {
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) {
    const int fd = std::stoi(entry.path().filename().string());
    sockaddr_in peer{};
    socklen_t size = sizeof peer;
    if (getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &size) != 0) continue;
    if (peer.sin_family == AF_INET && ntohs(peer.sin_port) == port) return fd;
  }
  return std::nullopt;
}

int IntOption(int fd, int level, int name) {
  int value = 0;
  socklen_t size = sizeof value;
  EXPECT_EQ(getsockopt(fd, level, name, &value, &size), 0) << name;
  return value;
}

// A database or role set to another bytea_output than hex would read every sealed key and text
// as empty; a server that cannot write now is unavailable (the writer then fails the whole
// batch), not a refusal of one statement.
TEST(PostgresConnectionTest, BytesReadWhateverTheDatabaseSaysAndAReadOnlyServerIsUnavailable) {
  auto server = support::TestPostgresUrl();
  ASSERT_TRUE(server) << server.error().message;
  auto url = support::CreateDatabase(*server);
  ASSERT_TRUE(url) << url.error().message;
  {
    auto admin = Connection::Open(*url);
    ASSERT_TRUE(admin) << admin.error().message;
    auto database = (*admin)->Query("SELECT current_database()");
    ASSERT_TRUE(database) << database.error().message;
    ASSERT_TRUE((*admin)->Exec("ALTER DATABASE \"" + (*database)[0].Text(0) +
                               "\" SET bytea_output = 'escape'"));
    auto opened = Connection::Open(*url);
    ASSERT_TRUE(opened) << opened.error().message;
    auto bytes = (*opened)->Query("SELECT '\\x00ff41'::bytea");
    ASSERT_TRUE(bytes) << bytes.error().message;
    EXPECT_EQ((*bytes)[0].Blob(0), std::string("\x00\xff"
                                               "A",
                                               3));

    ASSERT_TRUE((*opened)->Exec("SET default_transaction_read_only = on"));
    auto write = (*opened)->Query("CREATE TABLE written (n INTEGER)");
    ASSERT_FALSE(write);
    EXPECT_EQ(write.error().code, core::Errc::unavailable) << write.error().message;
  }
  (void)support::DropDatabase(*url);
}

// A connection that dies without a word (a failover, a firewall that forgets idle connections)
// must be noticed: the doorbell listener waits on its connection for hours without a statement.
TEST(PostgresConnectionTest, ADeadConnectionIsNoticedWithinAboutAMinute) {
  auto server = support::TestPostgresUrl();
  ASSERT_TRUE(server) << server.error().message;
  auto url = support::CreateDatabase(*server);
  ASSERT_TRUE(url) << url.error().message;
  {
    auto opened = Connection::Open(*url);
    ASSERT_TRUE(opened) << opened.error().message;
    // The base URL ends in the server's port (postgresql://…@127.0.0.1:PORT).
    const std::string port = server->substr(server->rfind(':') + 1);
    const std::optional<int> fd = SocketTo(static_cast<std::uint16_t>(std::stoi(port)));
    ASSERT_TRUE(fd) << "no TCP connection to the test server";
    EXPECT_EQ(IntOption(*fd, SOL_SOCKET, SO_KEEPALIVE), 1);
    EXPECT_EQ(IntOption(*fd, IPPROTO_TCP, TCP_KEEPIDLE), 30);
    EXPECT_EQ(IntOption(*fd, IPPROTO_TCP, TCP_KEEPINTVL), 10);
    EXPECT_EQ(IntOption(*fd, IPPROTO_TCP, TCP_KEEPCNT), 3);
    EXPECT_EQ(IntOption(*fd, IPPROTO_TCP, TCP_USER_TIMEOUT), 60'000);
    // The server's side of it, and of a transaction left open by a node that went away: in the
    // first session, and in the next after the server ended that one.
    const auto expect_server_side = [&](Connection& connection) {
      auto server_side = connection.Query(
          "SELECT name, setting FROM pg_settings WHERE name IN ('tcp_keepalives_idle',"
          " 'tcp_user_timeout', 'idle_in_transaction_session_timeout') ORDER BY name");
      ASSERT_TRUE(server_side) << server_side.error().message;
      ASSERT_EQ(server_side->size(), 3);
      EXPECT_EQ((*server_side)[0].Text(1), "60000");  // idle_in_transaction_session_timeout, ms
      EXPECT_EQ((*server_side)[1].Text(1), "30");     // tcp_keepalives_idle, s
      EXPECT_EQ((*server_side)[2].Text(1), "60000");  // tcp_user_timeout, ms
    };
    expect_server_side(**opened);
    auto backend = (*opened)->Query("SELECT pg_backend_pid()");
    ASSERT_TRUE(backend) << backend.error().message;
    auto other = Connection::Open(*url);
    ASSERT_TRUE(other) << other.error().message;
    ASSERT_TRUE((*other)->Query("SELECT pg_terminate_backend($1)", {(*backend)[0].Int(0)}));
    EXPECT_FALSE((*opened)->Query("SELECT 1")) << "the session was ended";
    ASSERT_TRUE((*opened)->Ready());
    EXPECT_EQ((*opened)->Sessions(), 2u);
    expect_server_side(**opened);
  }
  (void)support::DropDatabase(*url);
}

}  // namespace
}  // namespace uitweg::store::postgres
