// The command line of the real binary: help for every command, and configuration errors that
// stop `serve` with a message naming the setting.

#include <gtest/gtest.h>

#include <cctype>
#include <filesystem>
#include <fstream>

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
TEST(CliTest, AnUnreadableFormStopsServeBeforeTheDatabaseIsTouched) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("uitweg-cli-form-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  const std::filesystem::path file = dir / "uitweg.toml";
  std::ofstream(file) << "registration_form = \"" << (dir / "missing.toml").string() << "\"\n";
  auto run = RunCommand({"serve", "--listen", "127.0.0.1:0", "--data", (dir / "data").string(),
                         "--config", file.string()},
                        {}, std::chrono::seconds(20));
  const bool database_made = std::filesystem::exists(dir / "data");
  std::filesystem::remove_all(dir);
  ASSERT_TRUE(run) << run.error().message;
  EXPECT_EQ(run->exit_code, 2) << run->err;
  EXPECT_NE(run->err.find("registration_form_failed"), std::string::npos) << run->err;
  EXPECT_FALSE(database_made) << "the data folder was made (and migrated) first";
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
