#include "app/config.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace uitweg::app {
namespace {

TEST(ConfigTest, DefaultsServeLoopbackWithLocalData) {
  core::Result<Config> config = LoadConfig("", {}, {});
  ASSERT_TRUE(config);
  EXPECT_EQ(config->host, "127.0.0.1");
  EXPECT_EQ(config->port, 8080);
  EXPECT_EQ(config->data_dir, "./data");
  EXPECT_EQ(config->io_threads, 1);
  EXPECT_EQ(config->malloc_arenas, 4);
  EXPECT_EQ(config->limits.body_bytes, 16u * 1024);
}

TEST(ConfigTest, TomlSetsEveryKey) {
  Config config;
  core::Status status = ApplyToml(R"(
listen = "0.0.0.0:9000"
data_dir = "/var/lib/uitweg"
log_level = "warn"
io_threads = 4
worker_threads = 8
malloc_arenas = 2
[limits]
body_bytes = 32768
read_timeout_seconds = 20
visitor_starts_per_minute = 3
visitor_events_per_minute = 4
silent_socket_seconds = 5
)",
                                  "test.toml", config);
  ASSERT_TRUE(status) << status.error().message;
  EXPECT_EQ(config.host, "0.0.0.0");
  EXPECT_EQ(config.port, 9000);
  EXPECT_EQ(config.data_dir, "/var/lib/uitweg");
  EXPECT_EQ(config.log_level, core::LogLevel::warn);
  EXPECT_EQ(config.io_threads, 4);
  EXPECT_EQ(config.worker_threads, 8);
  EXPECT_EQ(config.malloc_arenas, 2);
  EXPECT_EQ(config.limits.body_bytes, 32768u);
  EXPECT_EQ(config.limits.read_timeout, std::chrono::seconds(20));
  EXPECT_EQ(config.visitor_starts_per_minute, 3);
  EXPECT_EQ(config.visitor_events_per_minute, 4);
  EXPECT_EQ(config.presence.silent_socket_ms, 5000);
}

struct BadCase {
  const char* toml;
  const char* expected_in_message;
};

TEST(ConfigTest, TrustedProxiesAreIpAddresses) {
  Config config;
  EXPECT_TRUE(config.trusted_proxies.empty());
  ASSERT_TRUE(ApplyToml("trusted_proxies = [\"127.0.0.1\", \"::1\"]\n", "uitweg.toml", config));
  EXPECT_EQ(config.trusted_proxies, (std::vector<std::string>{"127.0.0.1", "::1"}));
}

TEST(ConfigTest, BadSettingsNameTheSetting) {
  const BadCase cases[] = {
      {"colour = 1", "setting 'colour': unknown setting"},
      {"io_threads = \"two\"", "setting 'io_threads': must be an integer"},
      {"io_threads = 0", "setting 'io_threads': must be between 1 and 64"},
      {"malloc_arenas = -1", "setting 'malloc_arenas': must be between 0 and 64"},
      {"listen = \"localhost\"", "setting 'listen': expected HOST:PORT"},
      {"listen = \"127.0.0.1:70000\"", "setting 'listen': the port must be"},
      {"listen = \"localhost:8080\"", "setting 'listen': the host must be an IP address"},
      {"log_level = \"loud\"", "setting 'log_level': must be one of"},
      {"limits = 3", "setting 'limits': must be a table"},
      {"[limits]\nspeed = 1", "setting 'limits.speed': unknown setting"},
      {"[limits]\nbody_bytes = 10", "setting 'limits.body_bytes': must be between"},
      {"listen = ", "bad.toml:1:"},
      {"database = \"/var/lib/uitweg.db\"", "setting 'database': must be a postgresql:// URL"},
      {"neutral_title = 1", "setting 'neutral_title': must be true or false"},
      {"trusted_proxies = \"127.0.0.1\"", "setting 'trusted_proxies': must be a list of IP"},
      {"trusted_proxies = [\"lb.local\"]", "setting 'trusted_proxies': must be a list of IP"},
      {"helpline = 1", "setting 'helpline': must be at most 10"},
      {"[[helpline]]\nname = \"x\"", "setting 'helpline': each needs a name and a contact"},
      {"[[helpline]]\nname = \"x\"\ncontact = \"1\"\nurl = \"y\"",
       "setting 'helpline.url': unknown setting"},
  };
  for (const BadCase& c : cases) {
    Config config;
    core::Status status = ApplyToml(c.toml, "bad.toml", config);
    ASSERT_FALSE(status) << c.toml;
    EXPECT_EQ(status.error().code, core::Errc::invalid_argument);
    EXPECT_NE(status.error().message.find(c.expected_in_message), std::string::npos)
        << status.error().message;
    EXPECT_EQ(status.error().message.rfind("bad.toml", 0), 0u) << status.error().message;
  }
}

TEST(ConfigTest, OutreachHasDefaultsAndItsOwnTable) {
  Config config;
  EXPECT_EQ(config.outreach.import_folder, "");
  EXPECT_EQ(config.outreach.max_upload_bytes, std::uint64_t{2048} << 20);
  EXPECT_EQ(config.outreach.keep_finding_texts_ms, 90 * chat::kDay);
  ASSERT_TRUE(
      ApplyToml("[outreach]\nimport_folder = \"/srv/exports\"\nmax_upload_mb = 10\n"
                "retention_days = 7\n",
                "test.toml", config));
  EXPECT_EQ(config.outreach.import_folder, "/srv/exports");
  EXPECT_EQ(config.outreach.max_upload_bytes, 10u << 20);
  EXPECT_EQ(config.outreach.keep_finding_texts_ms, 7 * chat::kDay);
  for (const char* bad :
       {"[outreach]\nmax_upload_mb = 0", "[outreach]\nretention_days = 0",
        "[outreach]\nimport_folder = 3", "[outreach]\nfolder = \"x\"", "outreach = 1"}) {
    EXPECT_FALSE(ApplyToml(bad, "bad.toml", config)) << bad;
  }
}

TEST(ConfigTest, PartnerReportsEndADayBeforeTodayUnlessSetOtherwise) {
  Config config;
  EXPECT_EQ(config.insights.report_settle_days, 1);
  ASSERT_TRUE(ApplyToml("[insights]\nreport_settle_days = 7\n", "test.toml", config));
  EXPECT_EQ(config.insights.report_settle_days, 7);
  for (const char* bad :
       {"[insights]\nreport_settle_days = -1", "[insights]\nreport_settle_days = 91"}) {
    EXPECT_FALSE(ApplyToml(bad, "bad.toml", config)) << bad;
  }
}

TEST(ConfigTest, HelplinesReplaceTheDefaultsAndTheTitleCanBeNeutral) {
  Config config;
  EXPECT_EQ(config.helplines.size(), 2u);
  EXPECT_FALSE(config.neutral_title);
  ASSERT_TRUE(
      ApplyToml("neutral_title = true\n[[helpline]]\nname = \"Jongerenlijn\"\n"
                "contact = \"0800-1234\"\n",
                "test.toml", config));
  ASSERT_EQ(config.helplines.size(), 1u);
  EXPECT_EQ(config.helplines[0].name, "Jongerenlijn");
  EXPECT_EQ(config.helplines[0].contact, "0800-1234");
  EXPECT_EQ(config.helplines[0].when, "");
  EXPECT_TRUE(config.neutral_title);
}

TEST(ConfigTest, EnvironmentOverridesAndFlagsOverrideBoth) {
  std::map<std::string, std::string> environment{{"UITWEG_LISTEN", "127.0.0.1:9100"},
                                                 {"UITWEG_DATA", "/env/data"}};
  ConfigOverrides flags;
  flags.listen = "127.0.0.1:0";
  core::Result<Config> config = LoadConfig("", environment, flags);
  ASSERT_TRUE(config);
  EXPECT_EQ(config->port, 0);
  EXPECT_EQ(config->data_dir, "/env/data");
}

TEST(ConfigTest, TheDatabaseComesFromTheFileTheEnvironmentOrTheFlag) {
  Config from_file;
  ASSERT_TRUE(ApplyToml("database = \"postgresql://uitweg@db1/uitweg\"", "f.toml", from_file));
  EXPECT_EQ(from_file.database, "postgresql://uitweg@db1/uitweg");
  EXPECT_TRUE(Config{}.database.empty()) << "SQLite in the data folder unless told otherwise";

  const std::map<std::string, std::string> environment{
      {"UITWEG_DATABASE", "postgres://uitweg@db2/uitweg"}};
  auto from_environment = LoadConfig("", environment, {});
  ASSERT_TRUE(from_environment);
  EXPECT_EQ(from_environment->database, "postgres://uitweg@db2/uitweg");

  ConfigOverrides flags;
  flags.database = "postgresql://uitweg@db3/uitweg";
  auto from_flag = LoadConfig("", environment, flags);
  ASSERT_TRUE(from_flag);
  EXPECT_EQ(from_flag->database, "postgresql://uitweg@db3/uitweg");

  flags.database = "mysql://db4";
  auto wrong = LoadConfig("", environment, flags);
  ASSERT_FALSE(wrong);
  EXPECT_NE(wrong.error().message.find("--database"), std::string::npos);
}

// A blank line of an EnvironmentFile ("UITWEG_DATABASE=") leaves the file's setting in place:
// it must not start a node of a cluster on a SQLite database of its own, nor turn TLS off.
TEST(ConfigTest, AnEmptyEnvironmentVariableCountsAsUnset) {
  const std::filesystem::path file = std::filesystem::temp_directory_path() /
                                     ("uitweg-config-test-" + std::to_string(::getpid()) + ".toml");
  {
    std::ofstream out(file);
    out << "database = \"postgresql://uitweg@db1/uitweg\"\n"
           "tls_cert = \"/etc/uitweg/cert.pem\"\ntls_key = \"/etc/uitweg/key.pem\"\n";
  }
  auto config = LoadConfig(file.string(),
                           {{"UITWEG_DATABASE", ""},
                            {"UITWEG_TLS_CERT", ""},
                            {"UITWEG_TLS_KEY", ""},
                            {"UITWEG_DATA", ""}},
                           {});
  std::filesystem::remove(file);
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->database, "postgresql://uitweg@db1/uitweg");
  EXPECT_EQ(config->tls_cert, "/etc/uitweg/cert.pem");
  EXPECT_EQ(config->tls_key, "/etc/uitweg/key.pem");
  EXPECT_EQ(config->data_dir, Config{}.data_dir);
}

TEST(ConfigTest, BadEnvironmentValueNamesTheVariable) {
  core::Result<Config> config = LoadConfig("", {{"UITWEG_LOG_LEVEL", "chatty"}}, {});
  ASSERT_FALSE(config);
  EXPECT_NE(config.error().message.find("UITWEG_LOG_LEVEL"), std::string::npos);
}

TEST(ConfigTest, MissingFileIsAnError) {
  core::Result<Config> config = LoadConfig("/nonexistent/uitweg.toml", {}, {});
  ASSERT_FALSE(config);
  EXPECT_NE(config.error().message.find("--config"), std::string::npos);
}

TEST(ParseListenTest, AcceptsIpv6InBrackets) {
  std::string host;
  std::uint16_t port = 1;
  ASSERT_TRUE(ParseListen("[::1]:0", host, port));
  EXPECT_EQ(host, "::1");
  EXPECT_EQ(port, 0);
  EXPECT_FALSE(ParseListen(":80", host, port));
  EXPECT_FALSE(ParseListen("127.0.0.1:", host, port));
  EXPECT_FALSE(ParseListen("127.0.0.1:8o", host, port));
}

TEST(ListenSafetyTest, OnlyLoopbackUnlessAProxyIsSaidToTerminateTls) {
  EXPECT_TRUE(IsLoopbackHost("127.0.0.1"));
  EXPECT_TRUE(IsLoopbackHost("127.8.9.10"));
  EXPECT_TRUE(IsLoopbackHost("::1"));
  EXPECT_TRUE(IsLoopbackHost("localhost"));
  EXPECT_FALSE(IsLoopbackHost("0.0.0.0"));
  EXPECT_FALSE(IsLoopbackHost("::"));
  EXPECT_FALSE(IsLoopbackHost("10.1.2.3"));
  EXPECT_FALSE(IsLoopbackHost("uitweg.example"));

  Config config;
  EXPECT_TRUE(CheckListenIsSafe(config));
  config.host = "0.0.0.0";
  auto refused = CheckListenIsSafe(config);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("insecure_listen"), std::string::npos);
  ASSERT_TRUE(ApplyToml("insecure_listen = true\n", "uitweg.toml", config));
  EXPECT_TRUE(CheckListenIsSafe(config));
  EXPECT_FALSE(ApplyToml("insecure_listen = 1\n", "uitweg.toml", config));
}

TEST(ListenSafetyTest, TlsServedHereMayListenAnywhere) {
  Config config;
  config.host = "0.0.0.0";
  ASSERT_TRUE(ApplyToml("tls_cert = \"/etc/uitweg/chain.pem\"\ntls_key = \"/etc/uitweg/key.pem\"\n",
                        "uitweg.toml", config));
  EXPECT_EQ(config.tls_cert, "/etc/uitweg/chain.pem");
  EXPECT_EQ(config.tls_key, "/etc/uitweg/key.pem");
  EXPECT_TRUE(CheckListenIsSafe(config));
}

TEST(ConfigTest, TlsFilesComeInPairsFromAnyLayer) {
  auto from_environment =
      LoadConfig("", {{"UITWEG_TLS_CERT", "/a.pem"}, {"UITWEG_TLS_KEY", "/a.key"}}, {});
  ASSERT_TRUE(from_environment);
  EXPECT_EQ(from_environment->tls_cert, "/a.pem");

  ConfigOverrides flags;
  flags.tls_key = "/b.key";
  auto mixed = LoadConfig("", {{"UITWEG_TLS_CERT", "/a.pem"}, {"UITWEG_TLS_KEY", "/a.key"}}, flags);
  ASSERT_TRUE(mixed);
  EXPECT_EQ(mixed->tls_key, "/b.key");

  auto alone = LoadConfig("", {{"UITWEG_TLS_CERT", "/a.pem"}}, {});
  ASSERT_FALSE(alone);
  EXPECT_NE(alone.error().message.find("tls_cert and tls_key go together"), std::string::npos);
}

}  // namespace
}  // namespace uitweg::app
