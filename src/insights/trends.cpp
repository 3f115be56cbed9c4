#include "insights/trends.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <string_view>
#include <tuple>
#include <utility>

namespace uitweg::insights {
namespace {

// The label with its first letter capitalised: ASCII, the Dutch digraph ("ijs" → "IJs") and
// the lowercase letters of Latin-1 in UTF-8 ("één" → "Één"). Anything else stays as it is.
std::string Capitalised(std::string label) {
  if (label.starts_with("ij")) {
    label[0] = 'I';
    label[1] = 'J';
  } else if (!label.empty() && label[0] >= 'a' && label[0] <= 'z') {
    label[0] = static_cast<char>(label[0] - 'a' + 'A');
  } else if (label.size() >= 2 && static_cast<unsigned char>(label[0]) == 0xC3) {
    const auto second = static_cast<unsigned char>(label[1]);
    // U+00E0..U+00FE are the lowercase of U+00C0..U+00DE, except U+00F7 (÷).
    if (second >= 0xA0 && second <= 0xBE && second != 0xB7) {
      label[1] = static_cast<char>(second - 0x20);
    }
  }
  return label;
}

// change / previous; the callers see to it that previous is not 0.
double Relative(const Trend& trend) {
  return static_cast<double>(trend.change) / static_cast<double>(trend.previous);
}

}  // namespace

std::vector<Trend> WeekOverWeek(std::span<const WeeklyCount> counts, std::int64_t week) {
  std::map<std::string, Trend> by_key;
  for (const WeeklyCount& weekly : counts) {
    Trend& trend = by_key[weekly.key];
    trend.key = weekly.key;
    if (trend.label.empty()) trend.label = weekly.label;
    if (weekly.week == week) trend.count += weekly.count;
    if (weekly.week == week - 1) trend.previous += weekly.count;
  }
  std::vector<Trend> trends;
  trends.reserve(by_key.size());
  for (auto& [key, trend] : by_key) {
    trend.change = trend.count - trend.previous;
    if (trend.previous != 0) trend.relative_change = Relative(trend);
    trends.push_back(std::move(trend));
  }
  return trends;
}

std::vector<Trend> LargestRises(std::span<const Trend> trends, std::size_t n,
                                std::int64_t min_count) {
  std::vector<Trend> rises;
  for (const Trend& trend : trends) {
    const bool previous_shown = trend.previous == 0 || trend.previous >= min_count;
    if (trend.change > 0 && trend.count >= min_count && previous_shown) rises.push_back(trend);
  }
  // Sorts larger rises first; a rise from 0 has no relative change and ranks above all others.
  auto rank = [](const Trend& trend) {
    const bool from_zero = trend.previous == 0;
    return std::make_tuple(-trend.change, !from_zero, from_zero ? 0.0 : -Relative(trend),
                           std::string_view(trend.key));
  };
  std::sort(rises.begin(), rises.end(),
            [&rank](const Trend& a, const Trend& b) { return rank(a) < rank(b); });
  if (rises.size() > n) rises.resize(n);
  return rises;
}

std::string DescribeRise(const Trend& trend) {
  std::string sentence = Capitalised(trend.label.empty() ? trend.key : trend.label);
  sentence += ": " + std::to_string(trend.count) + " deze week, ";
  if (trend.previous == 0) return sentence + "de week ervoor geen.";
  const long long percent = std::llround(Relative(trend) * 100.0);
  sentence += std::to_string(trend.previous) + " de week ervoor (";
  sentence += (percent > 0 ? "+" : "") + std::to_string(percent) + " %).";
  return sentence;
}

}  // namespace uitweg::insights
