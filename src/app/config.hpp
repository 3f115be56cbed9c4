#pragma once
// The settings of `uitweg serve`, from four layers, each overriding the one before: built-in
// defaults, a TOML file, the environment (UITWEG_LISTEN, UITWEG_DATA, UITWEG_LOG_LEVEL,
// UITWEG_DATABASE, UITWEG_TLS_CERT, UITWEG_TLS_KEY) and command-line flags. Every error names the
// setting and where it came from; the caller stops start-up with exit code 2.
//
// The file, all keys optional (docs/operations.md says what each one does):
//   listen = "127.0.0.1:8080"      data_dir = "./data"      log_level = "info"
//   io_threads = 1                 worker_threads = 32     insecure_listen = false
//   malloc_arenas = 4              trusted_proxies = ["127.0.0.1"]   (a load balancer in front)
//   tls_cert = "/etc/uitweg/fullchain.pem"   tls_key = "/etc/uitweg/privkey.pem"  (HTTPS)
//   risk_lexicon = "/etc/uitweg/nl-risk.toml"   (triage; default: the one built in)
//   registration_form = "/etc/uitweg/registration.toml"   (default: the one built in)
//   review_rubric = "/etc/uitweg/review.toml"   (methodology review; default: the one built in)
//   opening_hours = "night"   (until an admin sets hours in the console: "night", Monday to
//                              Friday 16:00–06:00 and weekends 20:00–06:00, or "always")
//   neutral_title = false     (true: the visitor's tab shows a neutral title and icon in a chat)
//   [[helpline]]              (other lines to turn to, on the home page and after a chat;
//   name = "De Kindertelefoon"   contact = "0800-0432"   when = "elke dag 11:00–21:00"
//                              default: De Kindertelefoon and Meld Misdaad Anoniem)
//   [limits]
//   body_bytes = 16384   header_bytes = 8192   frame_bytes = 16384   send_queue_bytes = 1048576
//   read_timeout_seconds = 15   socket_idle_timeout_seconds = 60   visitor_starts_per_minute = 30
//   visitor_events_per_minute = 10
//   max_connections = 0 (the file limit less a reserve)   max_connections_per_address = 256
//   max_waiting = 1000   sockets_per_conversation = 4   silent_socket_seconds = 20
//   visitor_messages_per_minute = 30
//   visitor_messages_while_waiting = 20   abandon_after_seconds = 600   console_gone_seconds = 120
//   transfer_seconds = 120 (how long a colleague has to take a transfer, 5..3600)
//   sign_in_attempts_per_account_and_client = 5   sign_in_attempts_per_client = 20
//   sign_in_attempts_per_account = 100
//   [retention]
//   ended_conversation_days = 90   resume_token_hours = 24   run_every_seconds = 60
//   [outreach]
//   import_folder = "/srv/exports" (none by default)   max_upload_mb = 2048   retention_days = 90
//   max_findings = 50000
//   [insights]
//   suppression_threshold = 10 (2..1000)   rounding_base = 5 (1..100)   report_settle_days = 1
//   (0..90)
// For every cap, 0 means none.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/sign_in_limiter.hpp"
#include "chat/presence.hpp"
#include "chat/retention.hpp"
#include "core/error.hpp"
#include "core/log.hpp"
#include "model/helpline.hpp"
#include "net/limits.hpp"

namespace uitweg::app {

// The outreach review console's settings ([outreach]).
struct OutreachSettings {
  // A folder of this server whose exports analysts may scan by path; empty: none.
  std::string import_folder = {};
  std::uint64_t max_upload_bytes = std::uint64_t{2048} << 20;
  // How long the texts of findings are kept (scores, verdicts and counts stay).
  core::UnixMillis keep_finding_texts_ms = 90 * chat::kDay;
  // A scan stops after flagging this many posts (they are held in memory until its end).
  std::size_t max_findings = 50'000;
};

// Disclosure control for what insights show ([insights]): counts under the threshold are never
// named or published; published counts are rounded to the base (docs/insights.md).
struct InsightsSettings {
  std::int64_t suppression_threshold = 10;
  std::int64_t rounding_base = 5;
  // How many days before today a partner report's period ends at the latest: a day still running
  // changes, and two reports of it give away what came in between.
  std::int64_t report_settle_days = 1;
};

struct Config {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;
  std::string data_dir = "./data";
  // Empty: SQLite in the data folder. Else a postgresql:// URL (several nodes share it).
  std::string database;
  core::LogLevel log_level = core::LogLevel::info;
  int io_threads = 1;
  int worker_threads = 32;
  // The C library's malloc arenas (core/allocator.hpp); 0: its own default, 8 per core.
  int malloc_arenas = 4;
  // HTTPS: the PEM certificate chain and its private key, both or neither. Without them a
  // `listen` address other than loopback is refused unless insecure_listen says that a
  // TLS-terminating proxy stands in front (IsLoopbackHost).
  std::string tls_cert;
  std::string tls_key;
  bool insecure_listen = false;
  // The IP addresses of the proxies in front (a load balancer): requests from them are limited
  // per client as their last X-Forwarded-For names it, not all together as the proxy's.
  std::vector<std::string> trusted_proxies;
  // The lexicon that triage runs over waiting visitors' messages; empty: the built-in
  // lexicon/nl-risk.toml.
  std::string risk_lexicon;
  // The registration form's definition; empty: the built-in forms/registration.toml.
  std::string registration_form;
  // The methodology review's rubric; empty: the built-in forms/review.toml.
  std::string review_rubric;
  // The opening hours in force until an admin sets some: the night service, or always open.
  bool always_open = false;
  // What the visitor's pages show: other helplines, and whether the tab looks neutral in a chat.
  std::vector<model::Helpline> helplines = {
      {"De Kindertelefoon", "0800-0432", "gratis en anoniem, elke dag 11:00–21:00"},
      {"Meld Misdaad Anoniem", "0800-7000", "anoniem iets melden over criminaliteit"}};
  bool neutral_title = false;
  int visitor_starts_per_minute = 30;
  // Campaign events (a visit, a self-check done) one client may report in a minute.
  int visitor_events_per_minute = 10;
  std::size_t max_waiting = 1000;
  chat::PresenceLimits presence;
  chat::RetentionOptions retention;
  auth::SignInLimits sign_in;
  core::UnixMillis resume_after_end_ms = 24 * 60 * 60 * 1000;
  // How long a counsellor's console may be gone (no staff socket on any node) before their
  // active conversations go back to the queue; 0: never.
  core::UnixMillis console_gone_ms = 2 * 60 * 1000;
  // How long a colleague has to take a conversation offered to them before it stays put.
  core::UnixMillis transfer_lapse_ms = 2 * 60 * 1000;
  net::Limits limits;
  OutreachSettings outreach;
  InsightsSettings insights;
};

struct ConfigOverrides {
  std::optional<std::string> listen = {};
  std::optional<std::string> data_dir = {};
  std::optional<std::string> log_level = {};
  std::optional<std::string> database = {};
  std::optional<std::string> tls_cert = {};
  std::optional<std::string> tls_key = {};
  bool insecure_listen = false;  // --insecure-listen
};

// Applies TOML text (named `origin` in errors) on top of `config`.
core::Status ApplyToml(std::string_view text, std::string_view origin, Config& config);
// How each override is called where it came from, for error messages.
struct OverrideNames {
  std::string_view listen, data_dir, log_level, database, tls_cert, tls_key;
};
inline constexpr OverrideNames kFileNames{"listen",   "data_dir", "log_level",
                                          "database", "tls_cert", "tls_key"};
inline constexpr OverrideNames kEnvironmentNames{"UITWEG_LISTEN",    "UITWEG_DATA",
                                                 "UITWEG_LOG_LEVEL", "UITWEG_DATABASE",
                                                 "UITWEG_TLS_CERT",  "UITWEG_TLS_KEY"};
inline constexpr OverrideNames kFlagNames{"--listen",   "--data",     "--log-level",
                                          "--database", "--tls-cert", "--tls-key"};

// Applies overrides (from the environment or from flags, named `origin`) on top of `config`.
core::Status ApplyOverrides(const ConfigOverrides& overrides, std::string_view origin,
                            const OverrideNames& names, Config& config);

// The environment variables that override the file (UITWEG_LISTEN, UITWEG_DATA, ...).
std::map<std::string, std::string> ReadConfigEnvironment();

// The whole chain. `config_file` empty: no file. `environment` maps names to values.
// invalid_argument when only one of tls_cert and tls_key is set.
core::Result<Config> LoadConfig(const std::string& config_file,
                                const std::map<std::string, std::string>& environment,
                                const ConfigOverrides& flags);

// Whether `host` is a loopback address (127.0.0.0/8, ::1) or "localhost": only this machine can
// reach it.
bool IsLoopbackHost(std::string_view host);
// failed_precondition unless the configuration listens on loopback, serves TLS, or says
// insecure_listen.
core::Status CheckListenIsSafe(const Config& config);

// "HOST:PORT", "[::1]:PORT"; port 0..65535.
core::Status ParseListen(std::string_view text, std::string& host, std::uint16_t& port);

}  // namespace uitweg::app
