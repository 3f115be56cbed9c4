#include "app/config.hpp"
#include "store/database.hpp"

#include <charconv>
#include <fstream>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <toml++/toml.h>
#include <boost/asio/ip/address.hpp>

namespace uitweg::app {
namespace {

core::Error Bad(std::string_view origin, std::string_view setting, std::string_view why) {
  return core::Fail(core::Errc::invalid_argument,
                    fmt::format("{}: setting '{}': {}", origin, setting, why));
}

// An integer setting in [low, high].
template <class Int>
core::Status ReadInt(const toml::node& node, std::string_view origin, std::string_view setting,
                     std::int64_t low, std::int64_t high, Int& out) {
  std::optional<std::int64_t> value = node.value_exact<std::int64_t>();
  if (!value) return Bad(origin, setting, "must be an integer");
  if (*value < low || *value > high) {
    return Bad(origin, setting, fmt::format("must be between {} and {}", low, high));
  }
  out = static_cast<Int>(*value);
  return {};
}

core::Status ReadString(const toml::node& node, std::string_view origin, std::string_view setting,
                        std::string& out) {
  std::optional<std::string> value = node.value_exact<std::string>();
  if (!value) return Bad(origin, setting, "must be a string");
  out = *value;
  return {};
}

core::Status ReadAddresses(const toml::node& node, std::string_view origin,
                           std::string_view setting, std::vector<std::string>& out) {
  const toml::array* list = node.as_array();
  if (list == nullptr) return Bad(origin, setting, "must be a list of IP addresses");
  out.clear();
  for (const toml::node& item : *list) {
    const std::optional<std::string> text = item.value_exact<std::string>();
    boost::system::error_code ec;
    const auto address = boost::asio::ip::make_address(text.value_or(""), ec);
    if (!text || ec) return Bad(origin, setting, "must be a list of IP addresses");
    out.push_back(address.to_string());
  }
  return {};
}

core::Status ApplyLimits(const toml::table& limits, std::string_view origin, Config& config) {
  for (const auto& [key, node] : limits) {
    const std::string name = "limits." + std::string(key.str());
    core::Status status;
    std::int64_t seconds = 0;
    if (key == "body_bytes") {
      status = ReadInt(node, origin, name, 1024, 16 << 20, config.limits.body_bytes);
    } else if (key == "header_bytes") {
      status = ReadInt(node, origin, name, 1024, 1 << 20, config.limits.header_bytes);
    } else if (key == "frame_bytes") {
      status = ReadInt(node, origin, name, 1024, 16 << 20, config.limits.frame_bytes);
    } else if (key == "send_queue_bytes") {
      status = ReadInt(node, origin, name, 64 << 10, 1 << 30, config.limits.send_queue_bytes);
    } else if (key == "read_timeout_seconds") {
      status = ReadInt(node, origin, name, 1, 3600, seconds);
      config.limits.read_timeout = std::chrono::seconds(seconds);
    } else if (key == "socket_idle_timeout_seconds") {
      status = ReadInt(node, origin, name, 2, 3600, seconds);
      config.limits.socket_idle_timeout = std::chrono::seconds(seconds);
    } else if (key == "visitor_starts_per_minute") {
      status = ReadInt(node, origin, name, 1, 1'000'000, config.visitor_starts_per_minute);
    } else if (key == "visitor_events_per_minute") {
      status = ReadInt(node, origin, name, 1, 1'000'000, config.visitor_events_per_minute);
    } else if (key == "max_connections") {
      status = ReadInt(node, origin, name, 0, 10'000'000, config.limits.max_connections);
    } else if (key == "max_connections_per_address") {
      status =
          ReadInt(node, origin, name, 0, 10'000'000, config.limits.max_connections_per_address);
    } else if (key == "max_waiting") {
      status = ReadInt(node, origin, name, 0, 10'000'000, config.max_waiting);
    } else if (key == "sockets_per_conversation") {
      status = ReadInt(node, origin, name, 0, 10'000, config.presence.sockets_per_conversation);
    } else if (key == "visitor_messages_per_minute") {
      status = ReadInt(node, origin, name, 0, 100'000'000, config.presence.messages_per_minute);
    } else if (key == "visitor_messages_while_waiting") {
      status = ReadInt(node, origin, name, 0, 100'000'000, config.presence.messages_while_waiting);
    } else if (key == "sign_in_attempts_per_account_and_client") {
      status = ReadInt(node, origin, name, 1, 100'000'000, config.sign_in.per_account_and_client);
    } else if (key == "sign_in_attempts_per_client") {
      status = ReadInt(node, origin, name, 1, 100'000'000, config.sign_in.per_client);
    } else if (key == "sign_in_attempts_per_account") {
      status = ReadInt(node, origin, name, 1, 100'000'000, config.sign_in.per_account);
    } else if (key == "silent_socket_seconds") {
      status = ReadInt(node, origin, name, 0, 24 * 3600, seconds);
      config.presence.silent_socket_ms = seconds * 1000;
    } else if (key == "abandon_after_seconds") {
      status = ReadInt(node, origin, name, 0, 7 * 24 * 3600, seconds);
      config.presence.abandon_after_ms = seconds * 1000;
    } else if (key == "console_gone_seconds") {
      status = ReadInt(node, origin, name, 0, 24 * 3600, seconds);
      config.console_gone_ms = seconds * 1000;
    } else if (key == "transfer_seconds") {
      status = ReadInt(node, origin, name, 5, 3600, seconds);
      config.transfer_lapse_ms = seconds * 1000;
    } else {
      return Bad(origin, name, "unknown setting");
    }
    if (!status) return status;
  }
  return {};
}

// [[helpline]] entries replace the default list; each needs a name and a contact.
core::Status ApplyHelplines(const toml::node& node, std::string_view origin, Config& config) {
  const toml::array* entries = node.as_array();
  if (entries == nullptr || entries->size() > 10) {
    return Bad(origin, "helpline", "must be at most 10 [[helpline]] tables");
  }
  std::vector<model::Helpline> helplines;
  for (const toml::node& entry : *entries) {
    const toml::table* table = entry.as_table();
    if (table == nullptr) return Bad(origin, "helpline", "must be [[helpline]] tables");
    model::Helpline helpline{.name = (*table)["name"].value_or(std::string()),
                             .contact = (*table)["contact"].value_or(std::string()),
                             .when = (*table)["when"].value_or(std::string())};
    if (helpline.name.empty() || helpline.contact.empty()) {
      return Bad(origin, "helpline", "each needs a name and a contact");
    }
    for (const auto& [key, value] : *table) {
      if (key != "name" && key != "contact" && key != "when") {
        return Bad(origin, "helpline." + std::string(key.str()), "unknown setting");
      }
    }
    helplines.push_back(std::move(helpline));
  }
  config.helplines = std::move(helplines);
  return {};
}

core::Status ApplyRetention(const toml::table& retention, std::string_view origin, Config& config) {
  for (const auto& [key, node] : retention) {
    const std::string name = "retention." + std::string(key.str());
    std::int64_t value = 0;
    core::Status status;
    if (key == "ended_conversation_days") {
      status = ReadInt(node, origin, name, 1, 100 * 365, value);
      config.retention.keep_ended_ms = value * chat::kDay;
    } else if (key == "run_every_seconds") {
      status = ReadInt(node, origin, name, 1, 24 * 3600, value);
      config.retention.run_every_ms = value * 1000;
    } else if (key == "resume_token_hours") {
      status = ReadInt(node, origin, name, 0, 24 * 365, value);
      config.resume_after_end_ms = value * 60 * 60 * 1000;
    } else {
      return Bad(origin, name, "unknown setting");
    }
    if (!status) return status;
  }
  return {};
}

core::Status ApplyOutreach(const toml::table& outreach, std::string_view origin, Config& config) {
  for (const auto& [key, node] : outreach) {
    const std::string name = "outreach." + std::string(key.str());
    std::int64_t value = 0;
    core::Status status;
    if (key == "import_folder") {
      status = ReadString(node, origin, name, config.outreach.import_folder);
    } else if (key == "max_upload_mb") {
      status = ReadInt(node, origin, name, 1, 1 << 20, value);
      config.outreach.max_upload_bytes = static_cast<std::uint64_t>(value) << 20;
    } else if (key == "retention_days") {
      status = ReadInt(node, origin, name, 1, 100 * 365, value);
      config.outreach.keep_finding_texts_ms = value * chat::kDay;
    } else if (key == "max_findings") {
      status = ReadInt(node, origin, name, 1, 10'000'000, value);
      config.outreach.max_findings = static_cast<std::size_t>(value);
    } else {
      return Bad(origin, name, "unknown setting");
    }
    if (!status) return status;
  }
  return {};
}

core::Status ApplyInsights(const toml::table& insights, std::string_view origin, Config& config) {
  for (const auto& [key, node] : insights) {
    const std::string name = "insights." + std::string(key.str());
    core::Status status;
    if (key == "suppression_threshold") {
      status = ReadInt(node, origin, name, 2, 1000, config.insights.suppression_threshold);
    } else if (key == "rounding_base") {
      status = ReadInt(node, origin, name, 1, 100, config.insights.rounding_base);
    } else if (key == "report_settle_days") {
      status = ReadInt(node, origin, name, 0, 90, config.insights.report_settle_days);
    } else {
      return Bad(origin, name, "unknown setting");
    }
    if (!status) return status;
  }
  return {};
}

}  // namespace

core::Status ParseListen(std::string_view text, std::string& host, std::uint16_t& port) {
  const std::size_t colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0) {
    return core::Fail(core::Errc::invalid_argument, "expected HOST:PORT");
  }
  std::string_view host_part = text.substr(0, colon);
  if (host_part.front() == '[') {
    if (host_part.size() < 3 || host_part.back() != ']') {
      return core::Fail(core::Errc::invalid_argument, "expected [IPv6]:PORT");
    }
    host_part = host_part.substr(1, host_part.size() - 2);
  }
  const std::string_view port_part = text.substr(colon + 1);
  unsigned value = 0;
  auto [end, ec] = std::from_chars(port_part.data(), port_part.data() + port_part.size(), value);
  if (port_part.empty() || ec != std::errc() || end != port_part.data() + port_part.size() ||
      value > 65535) {
    return core::Fail(core::Errc::invalid_argument, "the port must be a number from 0 to 65535");
  }
  boost::system::error_code bad_address;
  boost::asio::ip::make_address(host_part, bad_address);
  if (bad_address) {
    return core::Fail(core::Errc::invalid_argument,
                      "the host must be an IP address, such as 127.0.0.1");
  }
  host = std::string(host_part);
  port = static_cast<std::uint16_t>(value);
  return {};
}

core::Status ApplyToml(std::string_view text, std::string_view origin, Config& config) {
  toml::table table;
  try {
    table = toml::parse(text);
  } catch (const toml::parse_error& e) {
    return core::Fail(core::Errc::invalid_argument,
                      fmt::format("{}:{}:{}: {}", origin, e.source().begin.line,
                                  e.source().begin.column, e.description()));
  }
  ConfigOverrides strings;
  for (const auto& [key, node] : table) {
    const std::string name(key.str());
    core::Status status;
    std::string text_value;
    if (key == "listen" || key == "data_dir" || key == "log_level" || key == "database" ||
        key == "tls_cert" || key == "tls_key") {
      status = ReadString(node, origin, name, text_value);
      if (status && key == "listen") strings.listen = text_value;
      if (status && key == "data_dir") strings.data_dir = text_value;
      if (status && key == "log_level") strings.log_level = text_value;
      if (status && key == "database") strings.database = text_value;
      if (status && key == "tls_cert") strings.tls_cert = text_value;
      if (status && key == "tls_key") strings.tls_key = text_value;
    } else if (key == "risk_lexicon") {
      status = ReadString(node, origin, name, config.risk_lexicon);
    } else if (key == "registration_form") {
      status = ReadString(node, origin, name, config.registration_form);
    } else if (key == "review_rubric") {
      status = ReadString(node, origin, name, config.review_rubric);
    } else if (key == "opening_hours") {
      status = ReadString(node, origin, name, text_value);
      if (status && text_value != "night" && text_value != "always") {
        return Bad(origin, name, "must be \"night\" or \"always\"");
      }
      config.always_open = text_value == "always";
    } else if (key == "io_threads") {
      status = ReadInt(node, origin, name, 1, 64, config.io_threads);
    } else if (key == "worker_threads") {
      status = ReadInt(node, origin, name, 1, 1024, config.worker_threads);
    } else if (key == "malloc_arenas") {
      status = ReadInt(node, origin, name, 0, 64, config.malloc_arenas);
    } else if (key == "trusted_proxies") {
      status = ReadAddresses(node, origin, name, config.trusted_proxies);
    } else if (key == "insecure_listen") {
      const std::optional<bool> value = node.value_exact<bool>();
      if (!value) return Bad(origin, name, "must be true or false");
      config.insecure_listen = *value;
    } else if (key == "neutral_title") {
      if (!node.is_boolean()) return Bad(origin, name, "must be true or false");
      config.neutral_title = node.as_boolean()->get();
    } else if (key == "helpline") {
      status = ApplyHelplines(node, origin, config);
    } else if (key == "limits") {
      if (!node.is_table()) return Bad(origin, name, "must be a table");
      status = ApplyLimits(*node.as_table(), origin, config);
    } else if (key == "retention") {
      if (!node.is_table()) return Bad(origin, name, "must be a table");
      status = ApplyRetention(*node.as_table(), origin, config);
    } else if (key == "outreach") {
      if (!node.is_table()) return Bad(origin, name, "must be a table");
      status = ApplyOutreach(*node.as_table(), origin, config);
    } else if (key == "insights") {
      if (!node.is_table()) return Bad(origin, name, "must be a table");
      status = ApplyInsights(*node.as_table(), origin, config);
    } else {
      return Bad(origin, name, "unknown setting");
    }
    if (!status) return status;
  }
  return ApplyOverrides(strings, origin, kFileNames, config);
}

core::Status ApplyOverrides(const ConfigOverrides& overrides, std::string_view origin,
                            const OverrideNames& names, Config& config) {
  if (overrides.listen) {
    core::Status status = ParseListen(*overrides.listen, config.host, config.port);
    if (!status) return Bad(origin, names.listen, status.error().message);
  }
  if (overrides.data_dir) {
    if (overrides.data_dir->empty()) return Bad(origin, names.data_dir, "must not be empty");
    config.data_dir = *overrides.data_dir;
  }
  if (overrides.log_level && !core::ParseLogLevel(*overrides.log_level, config.log_level)) {
    return Bad(origin, names.log_level, "must be one of debug, info, warn, error");
  }
  if (overrides.database) {
    if (!overrides.database->empty() && !store::IsPostgresUrl(*overrides.database)) {
      return Bad(origin, names.database,
                 "must be a postgresql:// URL (or empty for SQLite in the data folder)");
    }
    config.database = *overrides.database;
  }
  if (overrides.tls_cert) config.tls_cert = *overrides.tls_cert;
  if (overrides.tls_key) config.tls_key = *overrides.tls_key;
  return {};
}

std::map<std::string, std::string> ReadConfigEnvironment() {
  std::map<std::string, std::string> environment;
  for (const char* name : {"UITWEG_LISTEN", "UITWEG_DATA", "UITWEG_LOG_LEVEL", "UITWEG_DATABASE",
                           "UITWEG_TLS_CERT", "UITWEG_TLS_KEY"}) {
    if (const char* value = std::getenv(name)) environment[name] = value;
  }
  return environment;
}

core::Result<Config> LoadConfig(const std::string& config_file,
                                const std::map<std::string, std::string>& environment,
                                const ConfigOverrides& flags) {
  Config config;
  if (!config_file.empty()) {
    std::ifstream in(config_file);
    if (!in) {
      return core::Fail(core::Errc::invalid_argument,
                        fmt::format("--config: cannot read {}", config_file));
    }
    std::stringstream text;
    text << in.rdbuf();
    core::Status status = ApplyToml(text.str(), config_file, config);
    if (!status) return status.error();
  }
  ConfigOverrides from_environment;
  // A variable set to nothing counts as unset: a blank line in an EnvironmentFile must not turn
  // a node to a database of its own, nor TLS off.
  auto read = [&environment](const char* name, std::optional<std::string>& out) {
    if (auto it = environment.find(name); it != environment.end() && !it->second.empty()) {
      out = it->second;
    }
  };
  read("UITWEG_LISTEN", from_environment.listen);
  read("UITWEG_DATA", from_environment.data_dir);
  read("UITWEG_LOG_LEVEL", from_environment.log_level);
  read("UITWEG_DATABASE", from_environment.database);
  read("UITWEG_TLS_CERT", from_environment.tls_cert);
  read("UITWEG_TLS_KEY", from_environment.tls_key);
  UITWEG_TRY(ApplyOverrides(from_environment, "environment", kEnvironmentNames, config));
  UITWEG_TRY(ApplyOverrides(flags, "command line", kFlagNames, config));
  if (flags.insecure_listen) config.insecure_listen = true;
  if (config.tls_cert.empty() != config.tls_key.empty()) {
    return core::Fail(core::Errc::invalid_argument,
                      "tls_cert and tls_key go together: give both (HTTPS) or neither");
  }
  return config;
}

bool IsLoopbackHost(std::string_view host) {
  if (host == "localhost") return true;
  boost::system::error_code ec;
  const boost::asio::ip::address address = boost::asio::ip::make_address(host, ec);
  return !ec && address.is_loopback();
}

core::Status CheckListenIsSafe(const Config& config) {
  if (!config.tls_cert.empty() || config.insecure_listen || IsLoopbackHost(config.host)) return {};
  return core::Fail(
      core::Errc::failed_precondition,
      fmt::format("listen: {} can be reached from other machines without TLS, so passwords and "
                  "messages would cross the network readable. Give tls_cert and tls_key (or "
                  "--tls-cert and --tls-key); or, with a TLS-terminating proxy in front, set "
                  "insecure_listen = true (or give --insecure-listen); or listen on 127.0.0.1",
                  config.host));
}

}  // namespace uitweg::app
