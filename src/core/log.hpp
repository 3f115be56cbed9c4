#pragma once
// Structured logs: one JSON object per line on stderr, one line per event.
//   core::Log(LogLevel::info, "conversation.accepted", {{"conversation", id}, {"waited_ms", 812}});
// Privacy rule: never pass message text, tokens, passwords, secrets or visitor addresses.
// Thread-safe.

#include <cstdint>
#include <initializer_list>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>

namespace uitweg::core {

enum class LogLevel { debug, info, warn, error };

using LogValue = std::variant<std::string_view, std::int64_t, double, bool>;

struct LogField {
  std::string_view key;
  LogValue value;
  LogField(std::string_view k, std::string_view v) : key(k), value(v) {}
  LogField(std::string_view k, const char* v) : key(k), value(std::string_view(v)) {}
  template <class Int>
  requires std::is_integral_v<Int> &&(!std::is_same_v<Int, bool>)LogField(std::string_view k, Int v)
      : key(k), value(static_cast<std::int64_t>(v)) {}
  LogField(std::string_view k, double v) : key(k), value(v) {}
  LogField(std::string_view k, bool v) : key(k), value(v) {}
};

void Log(LogLevel level, std::string_view event, std::initializer_list<LogField> fields = {});

// Lines below this level are dropped. Default: info.
void SetLogLevel(LogLevel level);
// Parses "debug", "info", "warn", "error".
bool ParseLogLevel(std::string_view text, LogLevel& out);

}  // namespace uitweg::core
