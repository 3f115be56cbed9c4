#include "outreach/readers/input_detect.hpp"

#include "outreach/readers/json_scan.hpp"

namespace uitweg::outreach::readers {
namespace {

// True when the object in [begin, end) has one of the keys that make it a Telegram export.
bool HasExportKey(std::string_view object) {
  const char* d = object.data();
  const std::size_t n = object.size();
  std::size_t pos = json::SkipWhitespace(d, n, 1);
  while (pos < n && d[pos] == '"') {
    const std::size_t key_end = json::StringEnd(d, n, pos);
    if (key_end == json::kNotFound) return false;
    const std::string_view key(d + pos + 1, key_end - pos - 2);
    if (key == "messages" || key == "chats" || key == "left_chats") return true;
    pos = json::SkipWhitespace(d, n, key_end);
    if (pos >= n || d[pos] != ':') return false;
    pos = json::SkipWhitespace(d, n, pos + 1);
    const std::size_t value_end = json::ValueEnd(d, n, pos);
    if (value_end == json::kNotFound) return false;
    pos = json::SkipWhitespace(d, n, value_end);
    if (pos >= n || d[pos] != ',') return false;
    pos = json::SkipWhitespace(d, n, pos + 1);
  }
  return false;
}

}  // namespace

DetectedInput DetectInput(std::string_view bytes) {
  const char* d = bytes.data();
  const std::size_t n = bytes.size();
  const std::size_t start = json::SkipWhitespace(d, n, 0);
  if (start < n && d[start] == '[') return {InputKind::telegram_json, {}};
  if (start < n && d[start] == '{') {
    const std::size_t nl = bytes.find('\n', start);
    const std::size_t line_end = nl == std::string_view::npos ? n : nl;
    const std::size_t end = json::ContainerEnd(d, line_end, start);
    if (end == json::kNotFound) return {InputKind::telegram_json, {}};
    if (HasExportKey(bytes.substr(start, end - start))) return {InputKind::telegram_json, {}};
    return {InputKind::json_lines, {}};
  }
  if (auto layout = DetectCsvHeader(bytes)) return {InputKind::csv, layout};
  return {InputKind::plain_text, {}};
}

}  // namespace uitweg::outreach::readers
