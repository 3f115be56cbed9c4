#include "core/log.hpp"

#include <atomic>
#include <cstdio>
#include <string>

#include <fmt/format.h>

#include "core/clock.hpp"
#include "core/json_text.hpp"

namespace uitweg::core {
namespace {

std::atomic<LogLevel> g_min_level{LogLevel::info};

std::string_view LevelName(LogLevel level) {
  switch (level) {
    case LogLevel::debug: return "debug";
    case LogLevel::info: return "info";
    case LogLevel::warn: return "warn";
    case LogLevel::error: return "error";
  }
  return "info";
}

}  // namespace

void Log(LogLevel level, std::string_view event, std::initializer_list<LogField> fields) {
  if (level < g_min_level.load(std::memory_order_relaxed)) return;
  std::string line;
  line.reserve(128);
  line += "{\"ts\":";
  AppendJsonString(line, FormatIso8601(SystemClock().Now()));
  line += ",\"level\":";
  AppendJsonString(line, LevelName(level));
  line += ",\"event\":";
  AppendJsonString(line, event);
  for (const LogField& field : fields) {
    line.push_back(',');
    AppendJsonString(line, field.key);
    line.push_back(':');
    std::visit(
        [&line](const auto& v) {
          using V = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<V, std::string_view>) {
            AppendJsonString(line, v);
          } else if constexpr (std::is_same_v<V, bool>) {
            line += v ? "true" : "false";
          } else {
            line += fmt::format("{}", v);
          }
        },
        field.value);
  }
  line += "}\n";
  // One write per line keeps lines whole when threads log at once.
  std::fwrite(line.data(), 1, line.size(), stderr);
}

void SetLogLevel(LogLevel level) {
  g_min_level.store(level);
}

bool ParseLogLevel(std::string_view text, LogLevel& out) {
  for (LogLevel level : {LogLevel::debug, LogLevel::info, LogLevel::warn, LogLevel::error}) {
    if (text == LevelName(level)) {
      out = level;
      return true;
    }
  }
  return false;
}

}  // namespace uitweg::core
