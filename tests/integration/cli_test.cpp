// The command line of the real binary: help for every command, and configuration errors that
// stop `serve` with a message naming the setting.

#include <gtest/gtest.h>

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cctype>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <thread>

#include "support/command.hpp"
#include "support/http_client.hpp"
#include "support/server_process.hpp"

namespace uitweg::support {
namespace {

struct HelpCase {
  std::vector<std::string> args;
  std::vector<std::string> mentions;
};

TEST(CliTest, EveryCommandHasHelpThatNamesItsOptions) {
  const std::vector<HelpCase> cases{
      {{"--help"}, {"serve", "user"}},
      {{"serve", "--help"}, {"--listen", "--data", "--config", "--log-level"}},
      {{"user", "add", "--help"}, {"--username", "--role", "--data", "--password-stdin"}},
      {{"user", "--help"}, {"add", "reset-2fa", "disable", "enable", "otpauth://"}},
  };
  for (const HelpCase& c : cases) {
    auto run = RunCommand(c.args);
    ASSERT_TRUE(run) << run.error().message;
    EXPECT_EQ(run->exit_code, 0) << c.args[0] << " " << run->err;
    const std::string text = run->out + run->err;
    for (const std::string& mention : c.mentions) {
      EXPECT_NE(text.find(mention), std::string::npos)
          << "help of " << c.args[0] << "... lacks " << mention;
    }
  }
}

TEST(CliTest, ServeRefusesAnAddressOtherMachinesReachWithoutInsecureListen) {
  auto run = RunCommand({"serve", "--listen", "0.0.0.0:0", "--data", "/nonexistent/uitweg"});
  ASSERT_TRUE(run) << run.error().message;
  EXPECT_EQ(run->exit_code, 2);
  EXPECT_NE(run->err.find("--insecure-listen"), std::string::npos) << run->err;
}

TEST(CliTest, UnknownCommandOrOptionFails) {
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{{"frobnicate"}, {"serve", "--no-such-option"}}) {
    auto run = RunCommand(args);
    ASSERT_TRUE(run) << run.error().message;
    EXPECT_NE(run->exit_code, 0) << args.back();
    EXPECT_NE(run->err.find(args.back()), std::string::npos) << run->err;
  }
}

struct ConfigCase {
  std::string toml;
  std::string setting;  // the name the error message must contain
};

void PrintTo(const ConfigCase& c, std::ostream* os) {
  *os << c.setting;
}

class InvalidConfigTest : public ::testing::TestWithParam<ConfigCase> {};

TEST_P(InvalidConfigTest, StopsServeWithAMessageNamingTheSetting) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("uitweg-cli-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  const std::filesystem::path file = dir / "uitweg.toml";
  std::ofstream(file) << GetParam().toml;
  auto run = RunCommand({"serve", "--listen", "127.0.0.1:0", "--data", (dir / "data").string(),
                         "--config", file.string()},
                        {}, std::chrono::seconds(20));
  std::filesystem::remove_all(dir);
  ASSERT_TRUE(run) << run.error().message << " (serve kept running with a bad config)";
  EXPECT_NE(run->exit_code, 0);
  EXPECT_NE(run->err.find(GetParam().setting), std::string::npos) << run->err;
  EXPECT_EQ(run->err.find("server.listening"), std::string::npos);
}

// A file the configuration names that cannot be read stops serve before the database is
// opened: a new node with a mistyped path must not migrate a schema other nodes share.
// What stops a start stops it before the database is touched: a node with a mistyped path, or
// started on a port in use, must not migrate a schema other nodes share and then stop.
TEST(CliTest, WhatStopsServeStopsItBeforeTheDatabaseIsTouched) {
  ServerProcess running;
  ASSERT_TRUE(running.Start());
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("uitweg-cli-start-" + std::to_string(getpid()));
  struct Case {
    std::string toml;
    std::string listen;
    int exit_code;
    std::string says;
  };
  const std::vector<Case> cases{
      {"registration_form = \"" + (dir / "missing.toml").string() + "\"\n", "127.0.0.1:0", 2,
       "registration_form_failed"},
      {"[outreach]\nimport_folder = \"" + (dir / "no-exports").string() + "\"\n", "127.0.0.1:0", 2,
       "is not an existing folder"},
      {"", "127.0.0.1:" + std::to_string(running.port()), 1, "listen_failed"},
  };
  for (const Case& c : cases) {
    std::filesystem::create_directories(dir);
    const std::filesystem::path file = dir / "uitweg.toml";
    std::ofstream(file) << c.toml;
    auto run = RunCommand({"serve", "--listen", c.listen, "--data", (dir / "data").string(),
                           "--config", file.string()},
                          {}, std::chrono::seconds(20));
    const bool database_made = std::filesystem::exists(dir / "data");
    std::filesystem::remove_all(dir);
    ASSERT_TRUE(run) << run.error().message;
    EXPECT_EQ(run->exit_code, c.exit_code) << run->err;
    EXPECT_NE(run->err.find(c.says), std::string::npos) << run->err;
    EXPECT_FALSE(database_made) << c.says << ": the data folder was made (and migrated) first";
  }
}

TEST(CliTest, ASecondServeOnOneSqliteDataFolderStopsAndTheFirstGoesOn) {
  ServerProcess first;
  ASSERT_TRUE(first.Start());
  auto second =
      RunCommand({"serve", "--listen", "127.0.0.1:0", "--data", first.data_dir().string()}, {},
                 std::chrono::seconds(20));
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_EQ(second->exit_code, 1) << second->err;
  EXPECT_NE(
      second->err.find("another `uitweg serve` or `uitweg migrate-data` uses the data folder"),
      std::string::npos)
      << second->err;
  auto health = HttpGet(first.port(), "/healthz");
  ASSERT_TRUE(health) << health.error().message;
  EXPECT_EQ(health->status, 200);
  // The lock goes with the process: the folder is free again once the first has stopped.
  ASSERT_TRUE(first.Stop());
  ASSERT_TRUE(first.Start());
}

// systemd stops a node whose start hangs on a database that does not answer: SIGTERM must end it
// then, not wait unread until a start that may never come.
TEST(CliTest, SigtermEndsAStartThatWaitsOnTheDatabase) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("uitweg-cli-mute-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  // A "PostgreSQL" that takes connections and never says a word.
  const int mute = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  ASSERT_GE(mute, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  const std::string path = (dir / ".s.PGSQL.5432").string();
  ASSERT_LT(path.size(), sizeof address.sun_path);
  std::memcpy(address.sun_path, path.c_str(), path.size() + 1);
  ASSERT_EQ(bind(mute, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  ASSERT_EQ(listen(mute, 4), 0);
  auto serve = BackgroundProgram::Start(
      UitwegBinary(),
      {"serve", "--listen", "127.0.0.1:0", "--data", (dir / "data").string(), "--database",
       "postgresql://uitweg@/uitweg?host=" + dir.string() + "&connect_timeout=120"});
  ASSERT_TRUE(serve) << serve.error().message;
  int waiting = -1;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (waiting < 0 && std::chrono::steady_clock::now() < deadline && !(*serve)->Exited()) {
    waiting = accept4(mute, nullptr, nullptr, SOCK_CLOEXEC);
    if (waiting < 0) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_GE(waiting, 0) << "serve never asked the database: " << (*serve)->Output();
  (*serve)->Signal(SIGTERM);
  const auto given = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!(*serve)->Exited() && std::chrono::steady_clock::now() < given) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  const bool ended = (*serve)->Exited();
  close(waiting);
  close(mute);
  std::filesystem::remove_all(dir);
  EXPECT_TRUE(ended) << "SIGTERM left the start waiting";
}

INSTANTIATE_TEST_SUITE_P(Settings, InvalidConfigTest,
                         ::testing::Values(ConfigCase{"listen = 8080\n", "listen"},
                                           ConfigCase{"listen = \"nowhere\"\n", "listen"},
                                           ConfigCase{"io_threads = \"many\"\n", "io_threads"},
                                           ConfigCase{"log_level = \"loud\"\n", "log_level"},
                                           ConfigCase{"opening_hours = \"sometimes\"\n",
                                                      "opening_hours"},
                                           ConfigCase{"[limits]\nbody_bytes = -1\n", "body_bytes"},
                                           ConfigCase{"this is not toml\n", "uitweg.toml"}),
                         [](const ::testing::TestParamInfo<ConfigCase>& info) {
                           std::string name = std::to_string(info.index) + "_";
                           for (char c : info.param.setting)
                             name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
                           return name;
                         });

}  // namespace
}  // namespace uitweg::support
