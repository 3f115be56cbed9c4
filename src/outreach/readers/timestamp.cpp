#include "outreach/readers/timestamp.hpp"

#include <fmt/format.h>

#include "core/calendar.hpp"

namespace uitweg::outreach::readers {
namespace {

class Reader {
 public:
  explicit Reader(std::string_view text) : text_(text) {}
  bool Digits(int count, int& out) {
    out = 0;
    for (int i = 0; i < count; ++i) {
      if (pos_ >= text_.size() || text_[pos_] < '0' || text_[pos_] > '9') return false;
      out = out * 10 + (text_[pos_++] - '0');
    }
    return true;
  }
  bool Take(char c) {
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  bool AtEnd() const { return pos_ == text_.size(); }
  char Peek() const { return pos_ < text_.size() ? text_[pos_] : '\0'; }
  void Skip() { ++pos_; }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

std::optional<std::int64_t> ParseUnixSeconds(std::string_view text) {
  if (text.empty() || text.size() > 12) return std::nullopt;
  std::int64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

}  // namespace

std::optional<std::int64_t> ParseTimestamp(std::string_view text) {
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  if (auto unix_seconds = ParseUnixSeconds(text)) {
    if (!IsPostDate(*unix_seconds)) return std::nullopt;
    return unix_seconds;
  }
  Reader r(text);
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!r.Digits(4, year) || !r.Take('-') || !r.Digits(2, month) || !r.Take('-') ||
      !r.Digits(2, day)) {
    return std::nullopt;
  }
  if (month < 1 || month > 12 || day < 1 || day > 31) return std::nullopt;
  if (!r.AtEnd()) {
    if (!r.Take('T') && !r.Take(' ')) return std::nullopt;
    if (!r.Digits(2, hour) || !r.Take(':') || !r.Digits(2, minute)) return std::nullopt;
    if (r.Take(':') && !r.Digits(2, second)) return std::nullopt;
    if (r.Take('.') || r.Take(',')) {
      while (r.Peek() >= '0' && r.Peek() <= '9') r.Skip();
    }
    if (hour > 23 || minute > 59 || second > 60) return std::nullopt;
  }
  std::int64_t offset = 0;
  if (!r.AtEnd()) {
    if (r.Take('Z') || r.Take('z')) {
    } else {
      int sign = r.Take('+') ? 1 : (r.Take('-') ? -1 : 0);
      int oh = 0, om = 0;
      if (sign == 0 || !r.Digits(2, oh)) return std::nullopt;
      r.Take(':');
      if (!r.AtEnd() && !r.Digits(2, om)) return std::nullopt;
      offset = sign * (oh * 3600 + om * 60);
    }
    if (!r.AtEnd()) return std::nullopt;
  }
  const std::int64_t days =
      core::DaysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  const std::int64_t seconds = days * 86400 + hour * 3600 + minute * 60 + second - offset;
  if (!IsPostDate(seconds)) return std::nullopt;
  return seconds;
}

std::string FormatUtc(std::int64_t unix_seconds) {
  std::int64_t days = unix_seconds / 86400;
  std::int64_t rest = unix_seconds % 86400;
  if (rest < 0) {
    rest += 86400;
    --days;
  }
  const core::CivilDate c = core::CivilFromDays(days);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", c.year, c.month, c.day, rest / 3600,
                     rest / 60 % 60, rest % 60);
}

}  // namespace uitweg::outreach::readers
