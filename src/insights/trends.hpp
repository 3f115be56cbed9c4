#pragma once
// Week-over-week change of weekly counts (conversations by subject, say), and the sentences the
// insights dashboard shows for the largest rises.
//
// What a week number means is the caller's choice; `week - 1` is the week before. Counts are
// taken as given: publishing them to partners goes through disclosure.hpp.
//
// Errors: none. Thread safety: pure functions.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace uitweg::insights {

struct WeeklyCount {
  std::string key = {};    // stable identifier, e.g. "debts"
  std::string label = {};  // Dutch display name, e.g. "schulden"
  std::int64_t week = 0;
  std::int64_t count = 0;
};

struct Trend {
  std::string key = {};
  std::string label = {};
  std::int64_t count = 0;     // in the week asked for
  std::int64_t previous = 0;  // in the week before
  std::int64_t change = 0;    // count - previous
  // change / previous, so 0.7 is +70 %; nullopt when previous is 0.
  std::optional<double> relative_change = {};
};

// One trend for every key in `counts`, whatever its weeks (a key without counts in `week` or
// `week - 1` has 0 in both), sorted by key. Counts of one key and week add up; a key's label is
// the first non-empty one given for it.
std::vector<Trend> WeekOverWeek(std::span<const WeeklyCount> counts, std::int64_t week);

// At most `n` of `trends` that rose, largest absolute rise first, then largest relative rise (a
// rise from 0 counts as the largest), then by key. Only trends whose count is at least
// `min_count`, and whose previous count is 0 or at least `min_count` too: the caller passes the
// suppression threshold, and DescribeRise names both counts, so no small number is named.
std::vector<Trend> LargestRises(std::span<const Trend> trends, std::size_t n,
                                std::int64_t min_count);

// One plain Dutch sentence, the label's first letter capitalised (the key when the label is
// empty): "Schulden: 34 deze week, 20 de week ervoor (+70 %)." or, when the week before had
// none, "Schulden: 34 deze week, de week ervoor geen." The percentage is rounded to a whole
// number; a fall shows as a negative one.
std::string DescribeRise(const Trend& trend);

}  // namespace uitweg::insights
