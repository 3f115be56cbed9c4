#pragma once
// Statistical disclosure control for the counts we publish. A partner report (a municipality's,
// say) must never let its reader learn that fewer than `threshold` young people did something:
// a small count can point at one person. Publish protects a two-way additive table in four
// steps, in this order:
//
// 1. Primary suppression: a cell or total whose count is 1..threshold-1 is not shown. A 0 is
//    shown: a structural zero names no one.
// 2. Difference suppression: two published reports over overlapping periods can be subtracted.
//    For each earlier report Y that overlaps this report X, the caller counts the same table
//    over the days X has and Y has not (X\Y) and the other way round (Y\X); a cell or total
//    whose count in any of those is 1..threshold-1 is not shown either.
// 3. Secondary suppression: a line of the table adds up to its total (a row's cells to the row
//    total, a column's cells to the column total, the row totals and the column totals each to
//    the grand total), so one hidden member of a line is its total minus the shown rest, and
//    several hidden beside a shown total add up to it minus the shown rest. Until no line has
//    exactly one hidden member, nor a shown total with hidden members that add up to less
//    than the threshold (0 included: they may be zeros hidden beside a small total), one more
//    member of such a line is hidden: its smallest non-zero cell, preferring a cell whose other
//    line already has a hidden member (hiding it then opens no new line); when no non-zero cell is
//    left, its total; a zero only when nothing else is left. Lines are visited in a fixed order
//    (rows, columns, the row totals, the column totals) and ties go to the lower index, so the
//    result is deterministic. A line whose total is hidden by step 1 or 2 and which has one
//    non-zero member besides it hides its zeros as well (they would say that everyone of that small
//    group gave that one answer); as that opens lines again, the two alternate until neither hides
//    anything more.
// 4. Rounding: every shown value is rounded to the nearest multiple of rounding_base, half up.
//    Totals are rounded on their own, so shown cells need not add up to a shown total; that is
//    intended, as adding up would undo the rounding.
//
// What this does not promise: a reader who solves the table's equations can still bound a
// hidden cell between limits taken from the shown values (rounding widens those limits, it does
// not set a minimum width); sums over several lines at once (a row whose total is hidden, taken
// together with the line of row totals) are not checked, only each line on its own; and across
// reports only the differences the caller passes are checked.
//
// Errors: invalid_argument when the input is malformed (sizes that do not match, a negative
// count, a count above kMaxCount, a threshold or base below 1): the caller has a bug, there is
// nothing to publish. Thread safety: pure functions.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/error.hpp"

namespace uitweg::insights {

// No count of people comes near this; it keeps totals and rounding far from overflow.
inline constexpr std::int64_t kMaxCount = 1'000'000'000'000'000;

struct DisclosureRules {
  // Counts 1..threshold-1 are never shown, nor recoverable from what is shown.
  std::int64_t threshold = 10;
  // Shown values are multiples of this; 1 shows them as they are.
  std::int64_t rounding_base = 5;
};

// Counts by row and column; the row totals, column totals and grand total are their sums. A
// list of counts is a table with one row.
struct CountTable {
  std::vector<std::string> rows = {};
  std::vector<std::string> columns = {};
  std::vector<std::int64_t> cells = {};  // row-major: rows.size() * columns.size()
  // Per row (or empty: none), what counts in no column of the table but in its row total and
  // the grand total. A difference table needs it: an earlier report's days in months that this
  // report has no column for still make up its row totals.
  std::vector<std::int64_t> beyond_columns = {};
};

// Why a value is not shown.
enum class Suppression {
  none,
  primary,     // its count is below the threshold
  secondary,   // it would otherwise give away another hidden value by subtraction
  difference,  // subtracting it from an earlier report would give a count below the threshold
};

struct PublishedCell {
  std::optional<std::int64_t> value = {};  // rounded; nullopt when suppressed
  Suppression reason = Suppression::none;

  bool operator==(const PublishedCell&) const = default;
};

struct PublishedTable {
  std::vector<std::string> rows = {};
  std::vector<std::string> columns = {};
  std::vector<PublishedCell> cells = {};  // row-major, as CountTable
  std::vector<PublishedCell> row_totals = {};
  std::vector<PublishedCell> column_totals = {};
  PublishedCell total = {};

  bool operator==(const PublishedTable&) const = default;
};

// The table as it may be published. `differences` are the same table (same rows and columns,
// in the same order) counted over the days this report and an earlier published one do not
// share: both X\Y and Y\X for every earlier report Y that overlaps it. The same input always
// gives the same output.
core::Result<PublishedTable> Publish(const CountTable& table, const DisclosureRules& rules,
                                     std::span<const CountTable> differences = {});

// One figure that is not part of an additive table (a funnel step, the number of conversations
// a median is taken over): primary and difference suppression and rounding, as Publish.
// `differences` are this figure counted over X\Y and Y\X, as for Publish.
core::Result<PublishedCell> PublishCount(std::int64_t count, const DisclosureRules& rules,
                                         std::span<const std::int64_t> differences = {});

}  // namespace uitweg::insights
