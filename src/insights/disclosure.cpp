#include "insights/disclosure.hpp"

#include <algorithm>
#include <cstddef>
#include <span>
#include <tuple>
#include <utility>

namespace uitweg::insights {
namespace {

// A table's cells and totals as one list: the cells row by row, then the row totals, the
// column totals and the grand total.
struct Layout {
  std::size_t rows = 0;
  std::size_t columns = 0;

  std::size_t Cell(std::size_t row, std::size_t column) const { return row * columns + column; }
  std::size_t RowTotal(std::size_t row) const { return rows * columns + row; }
  std::size_t ColumnTotal(std::size_t column) const { return rows * columns + rows + column; }
  std::size_t Total() const { return rows * columns + rows + columns; }
  std::size_t size() const { return Total() + 1; }
};

// A line that adds up: its members, the last of which is the sum of the others.
using Line = std::vector<std::size_t>;

// Every line with at least one member besides its total (a line without cells, which only an
// empty table has, gives nothing away).
std::vector<Line> Lines(const Layout& layout) {
  std::vector<Line> lines;
  auto add = [&lines](Line line) {
    if (line.size() >= 2) lines.push_back(std::move(line));
  };
  for (std::size_t row = 0; row < layout.rows; ++row) {
    Line line;
    for (std::size_t column = 0; column < layout.columns; ++column) {
      line.push_back(layout.Cell(row, column));
    }
    line.push_back(layout.RowTotal(row));
    add(std::move(line));
  }
  for (std::size_t column = 0; column < layout.columns; ++column) {
    Line line;
    for (std::size_t row = 0; row < layout.rows; ++row) line.push_back(layout.Cell(row, column));
    line.push_back(layout.ColumnTotal(column));
    add(std::move(line));
  }
  Line row_totals;
  for (std::size_t row = 0; row < layout.rows; ++row) row_totals.push_back(layout.RowTotal(row));
  row_totals.push_back(layout.Total());
  add(std::move(row_totals));
  Line column_totals;
  for (std::size_t column = 0; column < layout.columns; ++column) {
    column_totals.push_back(layout.ColumnTotal(column));
  }
  column_totals.push_back(layout.Total());
  add(std::move(column_totals));
  return lines;
}

core::Status CheckCount(std::int64_t count) {
  if (count < 0) return core::Fail(core::Errc::invalid_argument, "a count is negative");
  if (count > kMaxCount) return core::Fail(core::Errc::invalid_argument, "a count is too large");
  return {};
}

core::Status CheckRules(const DisclosureRules& rules) {
  if (rules.threshold < 1) {
    return core::Fail(core::Errc::invalid_argument, "the threshold must be at least 1");
  }
  if (rules.rounding_base < 1) {
    return core::Fail(core::Errc::invalid_argument, "the rounding base must be at least 1");
  }
  return {};
}

// The counts of `table` in the order of `layout`, totals included.
core::Result<std::vector<std::int64_t>> Counts(const CountTable& table, const Layout& layout) {
  if (table.cells.size() != layout.rows * layout.columns) {
    return core::Fail(core::Errc::invalid_argument,
                      "a table needs one cell per row and column, row by row");
  }
  std::vector<std::int64_t> counts(layout.size(), 0);
  for (std::size_t row = 0; row < layout.rows; ++row) {
    for (std::size_t column = 0; column < layout.columns; ++column) {
      const std::int64_t count = table.cells[layout.Cell(row, column)];
      UITWEG_TRY(CheckCount(count));
      counts[layout.Cell(row, column)] = count;
      counts[layout.RowTotal(row)] += count;
      counts[layout.ColumnTotal(column)] += count;
      counts[layout.Total()] += count;
      // Every total is at most the grand total, so checking that one keeps all in range.
      UITWEG_TRY(CheckCount(counts[layout.Total()]));
    }
  }
  if (!table.beyond_columns.empty() && table.beyond_columns.size() != layout.rows) {
    return core::Fail(core::Errc::invalid_argument,
                      "a table's counts beyond its columns need one per row");
  }
  for (std::size_t row = 0; row < table.beyond_columns.size(); ++row) {
    const std::int64_t count = table.beyond_columns[row];
    UITWEG_TRY(CheckCount(count));
    counts[layout.RowTotal(row)] += count;
    counts[layout.Total()] += count;
    UITWEG_TRY(CheckCount(counts[layout.Total()]));
  }
  return counts;
}

bool Small(std::int64_t count, const DisclosureRules& rules) {
  return count >= 1 && count < rules.threshold;
}

std::int64_t Round(std::int64_t value, std::int64_t base) {
  const std::int64_t quotient = value / base;
  const std::int64_t remainder = value % base;
  return (remainder >= base - remainder ? quotient + 1 : quotient) * base;
}

PublishedCell Shown(std::int64_t count, Suppression reason, const DisclosureRules& rules) {
  if (reason != Suppression::none) return {std::nullopt, reason};
  return {Round(count, rules.rounding_base), Suppression::none};
}

// Hides one more member of a line that gives a hidden value away until none does: a line with
// exactly one hidden member (the total minus the shown rest), or a line whose total is shown and
// whose hidden cells add up to less than the threshold (the reader learns that so few, or none,
// are among them).
// Every round hides a value that was shown, so it ends after at most layout.size() rounds.
void SuppressSecondary(const std::vector<Line>& lines, const std::vector<std::int64_t>& counts,
                       std::vector<Suppression>& reasons, const DisclosureRules& rules) {
  // The lines each value belongs to: two for every value of a table with rows and columns.
  std::vector<std::vector<std::size_t>> lines_of(counts.size());
  for (std::size_t line = 0; line < lines.size(); ++line) {
    for (const std::size_t member : lines[line]) lines_of[member].push_back(line);
  }
  // By line: how many members are hidden, and what the hidden ones besides the total add up to.
  std::vector<std::size_t> hidden(lines.size(), 0);
  std::vector<std::int64_t> hidden_cells(lines.size(), 0);
  const auto hide = [&](std::size_t member, Suppression reason) {
    reasons[member] = reason;
    for (const std::size_t line : lines_of[member]) {
      ++hidden[line];
      if (member != lines[line].back()) hidden_cells[line] += counts[member];
    }
  };
  for (std::size_t member = 0; member < counts.size(); ++member) {
    if (reasons[member] != Suppression::none) hide(member, reasons[member]);
  }
  // Hidden cells that add up to 0 are given away too: they may be zeros hidden beside a small
  // total, which would say what everyone of that small group answered.
  const auto gives_away = [&](std::size_t line) {
    return hidden[line] == 1 || (reasons[lines[line].back()] == Suppression::none &&
                                 hidden[line] > 0 && hidden_cells[line] < rules.threshold);
  };
  for (;;) {
    std::size_t open = 0;
    while (open < lines.size() && !gives_away(open)) ++open;
    if (open == lines.size()) return;
    // Lower is better: a non-zero value, a cell rather than the total, another line that
    // already has a hidden value, a smaller count, a lower index.
    using Rank = std::tuple<bool, bool, bool, std::int64_t, std::size_t>;
    std::optional<Rank> best;
    for (const std::size_t member : lines[open]) {
      if (reasons[member] != Suppression::none) continue;
      bool other_line_clear = true;
      for (const std::size_t line : lines_of[member]) {
        if (line != open && hidden[line] > 0) other_line_clear = false;
      }
      const Rank rank{counts[member] == 0, member == lines[open].back(), other_line_clear,
                      counts[member], member};
      if (!best || rank < *best) best = rank;
    }
    // An open line has a member left to hide: one of its two or more members is shown, or its
    // total is, so `best` is set.
    hide(std::get<4>(*best), Suppression::secondary);
  }
}

// A line whose total is hidden for being small (or for a small difference) and which has one
// non-zero member besides it: its shown zeros would say that everyone of that small group gave
// that one answer (all of a municipality's few "unclear", say), though not how many they were.
// Hides those zeros; true when it hid any. A total hidden only to protect another counts at
// least `threshold`, as large a group as a shown total.
bool HideZerosBesideHiddenTotals(const std::vector<Line>& lines,
                                 const std::vector<std::int64_t>& counts,
                                 std::vector<Suppression>& reasons) {
  bool hid = false;
  for (const Line& line : lines) {
    const std::size_t total = line.back();
    if (reasons[total] == Suppression::none || reasons[total] == Suppression::secondary) continue;
    const auto members = std::span(line).first(line.size() - 1);
    const auto non_zero =
        std::count_if(members.begin(), members.end(),
                      [&counts](std::size_t member) { return counts[member] > 0; });
    if (non_zero != 1) continue;
    for (const std::size_t member : members) {
      if (counts[member] == 0 && reasons[member] == Suppression::none) {
        reasons[member] = Suppression::secondary;
        hid = true;
      }
    }
  }
  return hid;
}

}  // namespace

core::Result<PublishedTable> Publish(const CountTable& table, const DisclosureRules& rules,
                                     std::span<const CountTable> differences) {
  UITWEG_TRY(CheckRules(rules));
  const Layout layout{table.rows.size(), table.columns.size()};
  UITWEG_TRY_ASSIGN(const std::vector<std::int64_t> counts, Counts(table, layout));

  std::vector<Suppression> reasons(layout.size(), Suppression::none);
  for (std::size_t i = 0; i < counts.size(); ++i) {
    if (Small(counts[i], rules)) reasons[i] = Suppression::primary;
  }
  for (const CountTable& difference : differences) {
    if (difference.rows != table.rows || difference.columns != table.columns) {
      return core::Fail(core::Errc::invalid_argument,
                        "a difference table must have the rows and columns of the table");
    }
    UITWEG_TRY_ASSIGN(const std::vector<std::int64_t> difference_counts,
                      Counts(difference, layout));
    for (std::size_t i = 0; i < counts.size(); ++i) {
      if (reasons[i] == Suppression::none && Small(difference_counts[i], rules)) {
        reasons[i] = Suppression::difference;
      }
    }
  }
  // Hiding zeros opens lines again, and secondary suppression may hide a total: repeat until
  // neither changes anything (each round hides a value that was shown, so this ends).
  const std::vector<Line> lines = Lines(layout);
  do {
    SuppressSecondary(lines, counts, reasons, rules);
  } while (HideZerosBesideHiddenTotals(lines, counts, reasons));

  PublishedTable published;
  published.rows = table.rows;
  published.columns = table.columns;
  auto shown = [&](std::size_t i) { return Shown(counts[i], reasons[i], rules); };
  for (std::size_t row = 0; row < layout.rows; ++row) {
    for (std::size_t column = 0; column < layout.columns; ++column) {
      published.cells.push_back(shown(layout.Cell(row, column)));
    }
  }
  for (std::size_t row = 0; row < layout.rows; ++row) {
    published.row_totals.push_back(shown(layout.RowTotal(row)));
  }
  for (std::size_t column = 0; column < layout.columns; ++column) {
    published.column_totals.push_back(shown(layout.ColumnTotal(column)));
  }
  published.total = shown(layout.Total());
  return published;
}

core::Result<PublishedCell> PublishCount(std::int64_t count, const DisclosureRules& rules,
                                         std::span<const std::int64_t> differences) {
  UITWEG_TRY(CheckRules(rules));
  UITWEG_TRY(CheckCount(count));
  Suppression reason = Small(count, rules) ? Suppression::primary : Suppression::none;
  for (const std::int64_t difference : differences) {
    UITWEG_TRY(CheckCount(difference));
    if (reason == Suppression::none && Small(difference, rules)) reason = Suppression::difference;
  }
  return Shown(count, reason, rules);
}

}  // namespace uitweg::insights
