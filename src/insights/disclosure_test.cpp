#include "insights/disclosure.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace uitweg::insights {
namespace {

// k = 10 without rounding, so that the tests can do the reader's arithmetic exactly.
constexpr DisclosureRules kExact{10, 1};

PublishedTable MustPublish(const CountTable& table, const DisclosureRules& rules,
                           std::span<const CountTable> differences = {}) {
  const core::Result<PublishedTable> published = Publish(table, rules, differences);
  EXPECT_TRUE(published.has_value()) << (published ? "" : published.error().message);
  return published.has_value() ? *published : PublishedTable{};
}

const PublishedCell& At(const PublishedTable& table, std::size_t row, std::size_t column) {
  return table.cells[row * table.columns.size() + column];
}

bool Small(std::int64_t count, std::int64_t threshold) {
  return count >= 1 && count < threshold;
}

// What a report that only hides counts below the threshold would show.
std::optional<std::int64_t> Naive(std::int64_t count) {
  if (Small(count, kExact.threshold)) {
    return std::nullopt;
  }
  return count;
}

// What a reader gets back by subtracting the shown members of a line from its shown total: the
// one hidden member, or nothing when the total is hidden or more than one member is.
std::optional<std::int64_t> Recover(const std::vector<std::optional<std::int64_t>>& members,
                                    std::optional<std::int64_t> total) {
  if (!total) {
    return std::nullopt;
  }
  std::int64_t rest = *total;
  int hidden = 0;
  for (const std::optional<std::int64_t>& member : members) {
    if (member) {
      rest -= *member;
    } else {
      ++hidden;
    }
  }
  if (hidden != 1) {
    return std::nullopt;
  }
  return rest;
}

std::vector<std::optional<std::int64_t>> RowValues(const PublishedTable& table, std::size_t row) {
  std::vector<std::optional<std::int64_t>> values;
  for (std::size_t column = 0; column < table.columns.size(); ++column) {
    values.push_back(At(table, row, column).value);
  }
  return values;
}

std::vector<std::optional<std::int64_t>> ColumnValues(const PublishedTable& table,
                                                      std::size_t column) {
  std::vector<std::optional<std::int64_t>> values;
  for (std::size_t row = 0; row < table.rows.size(); ++row) {
    values.push_back(At(table, row, column).value);
  }
  return values;
}

TEST(PublishTest, ANaiveThresholdLeaksACellThroughItsRowTotalAndPublishDoesNot) {
  const CountTable table{
      {"Amsterdam", "Utrecht"}, {"schulden", "dreiging", "geld"}, {3, 20, 30, 25, 40, 15}};

  // The naive report hides the 3 and shows 20, 30 and the row total 53: 53 - 20 - 30 = 3.
  EXPECT_EQ(Recover({Naive(3), Naive(20), Naive(30)}, Naive(53)), 3);

  const PublishedTable published = MustPublish(table, kExact);
  EXPECT_EQ(At(published, 0, 0).reason, Suppression::primary);
  // The smallest other cell of the row; then its column (25) and the cell of row 2 whose
  // column already has a hidden cell (40 rather than 15).
  EXPECT_EQ(At(published, 0, 1).reason, Suppression::secondary);
  EXPECT_EQ(At(published, 1, 0).reason, Suppression::secondary);
  EXPECT_EQ(At(published, 1, 1).reason, Suppression::secondary);
  EXPECT_EQ(At(published, 0, 2).value, 30);
  EXPECT_EQ(At(published, 1, 2).value, 15);
  for (std::size_t row = 0; row < 2; ++row) {
    EXPECT_EQ(Recover(RowValues(published, row), published.row_totals[row].value), std::nullopt);
  }
  for (std::size_t column = 0; column < 3; ++column) {
    EXPECT_EQ(Recover(ColumnValues(published, column), published.column_totals[column].value),
              std::nullopt);
  }
  EXPECT_EQ(published.row_totals[0].value, 53);
  EXPECT_EQ(published.total.value, 133);
}

// A difference's counts beyond its columns make up its row totals and grand total only.
TEST(PublishTest, ADifferenceCountsBeyondItsColumnsInItsTotalsOnly) {
  const CountTable table{{"a", "b"}, {"jan"}, {20, 40}};
  CountTable difference{{"a", "b"}, {"jan"}, {0, 0}, {5, 0}};
  const PublishedTable published =
      Publish(table, DisclosureRules{}, std::span(&difference, 1)).value();
  EXPECT_EQ(published.row_totals[0].reason, Suppression::difference);
  EXPECT_EQ(published.total.reason, Suppression::difference);
  EXPECT_EQ(published.cells[0].reason, Suppression::secondary) << "the cell's own difference is 0";
  difference.beyond_columns = {5};
  EXPECT_EQ(Publish(table, DisclosureRules{}, std::span(&difference, 1)).error().code,
            core::Errc::invalid_argument)
      << "one per row";
}

TEST(PublishTest, ACellRecoverableThroughItsColumnIsProtectedToo) {
  // Row 1 hides both its small cells, so its row total gives nothing away; but column 1 is
  // 4 + 30 + 25 = 59 and would give the 4 back.
  const CountTable table{
      {"Almere", "Breda", "Delft"}, {"jongens", "meisjes"}, {4, 6, 30, 20, 25, 35}};
  EXPECT_EQ(Recover({Naive(4), Naive(6)}, Naive(10)), std::nullopt);
  EXPECT_EQ(Recover({Naive(4), Naive(30), Naive(25)}, Naive(59)), 4);

  const PublishedTable published = MustPublish(table, kExact);
  EXPECT_EQ(At(published, 0, 0).reason, Suppression::primary);
  EXPECT_EQ(At(published, 0, 1).reason, Suppression::primary);
  EXPECT_EQ(At(published, 2, 0).reason, Suppression::secondary);  // 25, smaller than 30
  EXPECT_EQ(At(published, 2, 1).reason, Suppression::secondary);  // then its row
  EXPECT_EQ(At(published, 1, 0).value, 30);
  EXPECT_EQ(At(published, 1, 1).value, 20);
  EXPECT_EQ(published.row_totals[0].value, 10);
  EXPECT_EQ(Recover(ColumnValues(published, 0), published.column_totals[0].value), std::nullopt);
  EXPECT_EQ(Recover(ColumnValues(published, 1), published.column_totals[1].value), std::nullopt);
}

TEST(PublishTest, SecondarySuppressionCascadesIntoTheTotals) {
  // A list is a table with one row, whose column totals repeat its cells. Hiding the 20 next to
  // the 3 leaves column 2 with one hidden member, so its total goes too.
  const CountTable table{{"alle"}, {"instagram", "snapchat", "tiktok"}, {3, 20, 30}};
  const PublishedTable published = MustPublish(table, kExact);
  EXPECT_EQ(published.cells[0].reason, Suppression::primary);
  EXPECT_EQ(published.cells[1].reason, Suppression::secondary);
  EXPECT_EQ(published.cells[2].value, 30);
  EXPECT_EQ(published.column_totals[0].reason, Suppression::primary);
  EXPECT_EQ(published.column_totals[1].reason, Suppression::secondary);
  EXPECT_EQ(published.column_totals[2].value, 30);
  EXPECT_EQ(published.row_totals[0].value, 53);
  EXPECT_EQ(published.total.value, 53);
}

TEST(PublishTest, SecondarySuppressionCascadesAcrossLines) {
  // The 2 in row a → the 50 beside it → column x has one hidden: the 40 → row b has one: the 70,
  // whose column already has the 50 hidden, rather than the 80, whose column has none.
  const CountTable table{{"a", "b", "c"}, {"x", "y", "z"}, {2, 50, 60, 40, 70, 80, 45, 55, 90}};
  const PublishedTable published = MustPublish(table, kExact);
  const std::vector<Suppression> expected = {
      Suppression::primary,   Suppression::secondary, Suppression::none,
      Suppression::secondary, Suppression::secondary, Suppression::none,
      Suppression::none,      Suppression::none,      Suppression::none};
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(published.cells[i].reason, expected[i]) << "cell " << i;
  }
  for (const PublishedCell& total : published.row_totals) {
    EXPECT_TRUE(total.value.has_value());
  }
  for (const PublishedCell& total : published.column_totals) {
    EXPECT_TRUE(total.value.has_value());
  }
}

TEST(PublishTest, AnAllSmallTableShowsOnlyTotalsThatReachTheThreshold) {
  const PublishedTable reaches = MustPublish({{"a", "b"}, {"x", "y"}, {1, 2, 3, 4}}, kExact);
  for (const PublishedCell& cell : reaches.cells) {
    EXPECT_EQ(cell.reason, Suppression::primary);
  }
  for (const PublishedCell& total : reaches.row_totals) {
    EXPECT_EQ(total.reason, Suppression::primary);
  }
  for (const PublishedCell& total : reaches.column_totals) {
    EXPECT_EQ(total.reason, Suppression::primary);
  }
  EXPECT_EQ(reaches.total.value, 10);

  const PublishedTable none = MustPublish({{"a", "b"}, {"x", "y"}, {1, 2, 3, 2}}, kExact);
  EXPECT_EQ(none.total.reason, Suppression::primary);
  for (const PublishedCell& cell : none.cells) {
    EXPECT_FALSE(cell.value.has_value());
  }
}

// Two small cells hidden in one row: neither can be recovered alone, but the row total minus
// the shown rest says how few they are together (2 + 1 = 3 of 15).
TEST(PublishTest, HiddenCellsThatTogetherAreFewAreJoinedByAnother) {
  const CountTable table{
      .rows = {"Rotterdam"}, .columns = {"Oct", "Nov", "Dec", "Jan"}, .cells = {2, 0, 1, 12}};
  const PublishedTable published = MustPublish(table, kExact);
  ASSERT_TRUE(published.row_totals[0].value);
  std::int64_t hidden_together = *published.row_totals[0].value;
  for (const std::optional<std::int64_t>& shown : RowValues(published, 0)) {
    if (shown) hidden_together -= *shown;
  }
  EXPECT_FALSE(Small(hidden_together, kExact.threshold)) << hidden_together;
  EXPECT_FALSE(At(published, 0, 3).value) << "January is hidden with them";
  EXPECT_EQ(At(published, 0, 1).value, 0) << "the zero still shows";
}

// The 6 and the 7 are small and hidden, and the zeros below them too (they would say that
// everyone in those columns answered "a"); row b must not give those zeros back as 41 - 41.
TEST(PublishTest, ZerosHiddenBesideASmallTotalCannotBeReadBackFromTheirRow) {
  const CountTable table{
      .rows = {"a", "b"}, .columns = {"x", "y", "z"}, .cells = {6, 7, 35, 0, 0, 41}};
  const PublishedTable published = MustPublish(table, kExact);
  ASSERT_FALSE(At(published, 1, 0).value);
  ASSERT_FALSE(At(published, 1, 1).value);
  const auto total = published.row_totals[1].value;
  const auto shown_z = At(published, 1, 2).value;
  EXPECT_FALSE(total && shown_z && *total - *shown_z < kExact.threshold)
      << "row b shows " << total.value_or(-1) << " and " << shown_z.value_or(-1);
}

TEST(PublishTest, ZerosAreShownAndNotHiddenWhileAnythingElseIsLeft) {
  const PublishedTable plain =
      MustPublish({{"a", "b"}, {"x", "y", "z"}, {0, 25, 30, 0, 40, 15}}, kExact);
  for (const PublishedCell& cell : plain.cells) {
    EXPECT_EQ(cell.reason, Suppression::none);
  }
  EXPECT_EQ(plain.cells[0].value, 0);
  EXPECT_EQ(plain.column_totals[0].value, 0);

  // The 5 needs a partner in its row: 40, not the 0.
  const PublishedTable with_small =
      MustPublish({{"a", "b"}, {"x", "y", "z"}, {5, 0, 40, 20, 0, 30}}, kExact);
  EXPECT_EQ(At(with_small, 0, 2).reason, Suppression::secondary);
  EXPECT_EQ(At(with_small, 0, 1).value, 0);
  EXPECT_EQ(At(with_small, 1, 1).value, 0);

  // Column y holds a hidden 12 and a 0: its total goes rather than the 0.
  const PublishedTable zero_left = MustPublish({{"a", "b"}, {"x", "y"}, {3, 12, 20, 0}}, kExact);
  EXPECT_EQ(At(zero_left, 0, 1).reason, Suppression::secondary);
  EXPECT_EQ(At(zero_left, 1, 1).value, 0);
  EXPECT_EQ(zero_left.column_totals[1].reason, Suppression::secondary);
}

TEST(PublishTest, ZerosBesideAHiddenTotalDoNotSayWhatEveryoneItCountsAnswered) {
  // Row a: 3 people, all "x". Hiding the 3 and its total alone still shows a's two zeros, and
  // with them that all of a answered x.
  const PublishedTable table =
      MustPublish({{"a", "b"}, {"x", "y", "z"}, {3, 0, 0, 20, 30, 40}}, kExact);
  EXPECT_EQ(table.row_totals[0].reason, Suppression::primary);
  EXPECT_FALSE(At(table, 0, 0).value.has_value());
  EXPECT_FALSE(At(table, 0, 1).value.has_value()) << "a zero beside a hidden total";
  EXPECT_FALSE(At(table, 0, 2).value.has_value()) << "a zero beside a hidden total";
  // Nor can a reader get those zeros back from their columns.
  for (std::size_t column = 0; column < 3; ++column) {
    EXPECT_FALSE(Recover(ColumnValues(table, column), table.column_totals[column].value))
        << "column " << column;
  }
  EXPECT_EQ(table.total.value, 93);

  // Two answers in the row: its zeros say only that nobody gave the third, and stay.
  const PublishedTable two =
      MustPublish({{"a", "b"}, {"x", "y", "z"}, {3, 2, 0, 20, 30, 40}}, kExact);
  EXPECT_EQ(At(two, 0, 2).value, 0);
}

TEST(PublishTest, AReportOverlappingAnEarlierOneHidesWhatTheirDifferenceWouldGive) {
  const std::vector<std::string> rows = {"Amsterdam", "Utrecht"};
  const std::vector<std::string> columns = {"schulden", "dreiging"};
  const CountTable january{rows, columns, {20, 30, 40, 25}};
  const CountTable february{rows, columns, {3, 12, 15, 22}};
  const CountTable january_and_february{rows, columns, {23, 42, 55, 47}};
  const CountTable nothing{rows, columns, {0, 0, 0, 0}};

  // January was published whole; so would January and February be under the threshold alone,
  // and 23 - 20 gives the 3 young people of February.
  const PublishedTable published_january = MustPublish(january, kExact);
  for (const PublishedCell& cell : published_january.cells) {
    EXPECT_EQ(cell.reason, Suppression::none);
  }
  ASSERT_EQ(Naive(23), 23);
  EXPECT_EQ(*Naive(23) - *published_january.cells[0].value, 3);

  // X = January and February, Y = January: X\Y is February, Y\X is nothing.
  const std::vector<CountTable> differences = {february, nothing};
  const PublishedTable published = MustPublish(january_and_february, kExact, differences);
  EXPECT_EQ(At(published, 0, 0).reason, Suppression::difference);
  EXPECT_EQ(At(published, 0, 1).reason, Suppression::secondary);
  EXPECT_EQ(At(published, 1, 0).reason, Suppression::secondary);
  EXPECT_EQ(At(published, 1, 1).reason, Suppression::secondary);
  EXPECT_EQ(published.row_totals[0].value, 65);  // February's row total is 15
  EXPECT_EQ(published.total.value, 167);
}

TEST(PublishTest, ADifferenceHidesATotalToo) {
  const CountTable now{{"alle"}, {"x", "y"}, {40, 50}};
  const CountTable earlier_only{{"alle"}, {"x", "y"}, {0, 0}};
  const CountTable now_only{{"alle"}, {"x", "y"}, {0, 4}};
  const std::vector<CountTable> differences = {now_only, earlier_only};
  const PublishedTable published = MustPublish(now, kExact, differences);
  EXPECT_EQ(published.cells[1].reason, Suppression::difference);
  EXPECT_EQ(published.row_totals[0].reason, Suppression::difference);
  EXPECT_EQ(published.total.reason, Suppression::difference);
}

TEST(PublishTest, ShownValuesAreRoundedHalfUpAndTotalsOnTheirOwn) {
  const PublishedTable published = MustPublish({{"a"}, {"x", "y"}, {12, 12}}, {10, 5});
  EXPECT_EQ(published.cells[0].value, 10);
  EXPECT_EQ(published.cells[1].value, 10);
  EXPECT_EQ(published.row_totals[0].value, 25);  // 24; the cells add up to 20
  EXPECT_EQ(published.total.value, 25);
}

TEST(PublishCountTest, RoundsToTheNearestMultipleHalfUp) {
  const struct {
    std::int64_t count = 0;
    std::int64_t base = 1;
    std::int64_t shown = 0;
  } cases[] = {
      {0, 5, 0},         {10, 5, 10}, {12, 5, 10},  {13, 5, 15},  {14, 5, 15}, {15, 5, 15},
      {17, 5, 15},       {18, 5, 20}, {14, 10, 10}, {15, 10, 20}, {12, 1, 12}, {1234, 100, 1200},
      {1250, 100, 1300}, {10, 3, 9},  {11, 3, 12},  {11, 25, 0},
  };
  for (const auto& c : cases) {
    const core::Result<PublishedCell> published = PublishCount(c.count, {10, c.base});
    ASSERT_TRUE(published.has_value());
    EXPECT_EQ(published->value, c.shown) << c.count << " to a multiple of " << c.base;
  }
}

TEST(PublishCountTest, HidesSmallCountsAndSmallDifferences) {
  EXPECT_EQ(PublishCount(0, {}).value(), (PublishedCell{0, Suppression::none}));
  EXPECT_EQ(PublishCount(1, {}).value(), (PublishedCell{std::nullopt, Suppression::primary}));
  EXPECT_EQ(PublishCount(9, {}).value(), (PublishedCell{std::nullopt, Suppression::primary}));
  EXPECT_EQ(PublishCount(10, {}).value(), (PublishedCell{10, Suppression::none}));
  const std::vector<std::int64_t> small_difference = {0, 4};
  EXPECT_EQ(PublishCount(42, {}, small_difference).value(),
            (PublishedCell{std::nullopt, Suppression::difference}));
  const std::vector<std::int64_t> large_differences = {0, 12};
  EXPECT_EQ(PublishCount(42, {}, large_differences).value(),
            (PublishedCell{40, Suppression::none}));
  EXPECT_EQ(PublishCount(3, {1, 1}).value(), (PublishedCell{3, Suppression::none}));
}

TEST(PublishTest, MalformedInputIsInvalidArgument) {
  const CountTable good{{"a"}, {"x", "y"}, {12, 30}};
  const auto fails = [](const core::Result<PublishedTable>& result) {
    return !result.has_value() && result.error().code == core::Errc::invalid_argument;
  };
  EXPECT_TRUE(fails(Publish({{"a"}, {"x", "y"}, {12}}, kExact)));
  EXPECT_TRUE(fails(Publish({{"a"}, {"x", "y"}, {12, -1}}, kExact)));
  EXPECT_TRUE(fails(Publish({{"a"}, {"x", "y"}, {kMaxCount + 1, 0}}, kExact)));
  EXPECT_TRUE(fails(Publish({{"a"}, {"x", "y"}, {kMaxCount, kMaxCount}}, kExact)));
  EXPECT_TRUE(fails(Publish(good, {0, 5})));
  EXPECT_TRUE(fails(Publish(good, {10, 0})));
  const std::vector<CountTable> other_rows = {{{"b"}, {"x", "y"}, {1, 2}}};
  EXPECT_TRUE(fails(Publish(good, kExact, other_rows)));
  const std::vector<CountTable> wrong_size = {{{"a"}, {"x", "y"}, {1}}};
  EXPECT_TRUE(fails(Publish(good, kExact, wrong_size)));
  const std::vector<CountTable> negative = {{{"a"}, {"x", "y"}, {1, -2}}};
  EXPECT_TRUE(fails(Publish(good, kExact, negative)));

  EXPECT_FALSE(PublishCount(-1, kExact).has_value());
  EXPECT_FALSE(PublishCount(5, {0, 5}).has_value());
  EXPECT_FALSE(PublishCount(5, {10, -5}).has_value());
  const std::vector<std::int64_t> negative_difference = {-3};
  EXPECT_FALSE(PublishCount(5, kExact, negative_difference).has_value());
}

TEST(PublishTest, AnEmptyTableHasOnlyZeroTotals) {
  const PublishedTable published = MustPublish({{}, {"x", "y"}, {}}, kExact);
  EXPECT_TRUE(published.cells.empty());
  EXPECT_EQ(published.column_totals.size(), 2U);
  EXPECT_EQ(published.column_totals[0].value, 0);
  EXPECT_EQ(published.total.value, 0);
}

// The test's own view of a table: its cells row by row, then the row totals, the column totals
// and the grand total, with the lines that add up.
struct Flat {
  std::vector<std::int64_t> counts = {};
  std::vector<std::vector<std::size_t>> lines = {};
};

Flat Flatten(const CountTable& table) {
  const std::size_t rows = table.rows.size();
  const std::size_t columns = table.columns.size();
  const std::size_t cells = rows * columns;
  Flat flat;
  flat.counts = table.cells;
  flat.counts.resize(cells + rows + columns + 1, 0);
  for (std::size_t row = 0; row < rows; ++row) {
    std::vector<std::size_t> line;
    for (std::size_t column = 0; column < columns; ++column) {
      const std::int64_t count = table.cells[row * columns + column];
      flat.counts[cells + row] += count;
      flat.counts[cells + rows + column] += count;
      flat.counts[cells + rows + columns] += count;
      line.push_back(row * columns + column);
    }
    line.push_back(cells + row);
    flat.lines.push_back(line);
  }
  for (std::size_t column = 0; column < columns; ++column) {
    std::vector<std::size_t> line;
    for (std::size_t row = 0; row < rows; ++row) line.push_back(row * columns + column);
    line.push_back(cells + rows + column);
    flat.lines.push_back(line);
  }
  std::vector<std::size_t> row_totals;
  for (std::size_t row = 0; row <= rows; ++row) row_totals.push_back(cells + row);
  row_totals.back() = cells + rows + columns;
  flat.lines.push_back(row_totals);
  std::vector<std::size_t> column_totals;
  for (std::size_t column = 0; column <= columns; ++column) {
    column_totals.push_back(cells + rows + column);
  }
  flat.lines.push_back(column_totals);
  return flat;
}

std::vector<PublishedCell> Flatten(const PublishedTable& table) {
  std::vector<PublishedCell> flat = table.cells;
  flat.insert(flat.end(), table.row_totals.begin(), table.row_totals.end());
  flat.insert(flat.end(), table.column_totals.begin(), table.column_totals.end());
  flat.push_back(table.total);
  return flat;
}

TEST(PublishTest, RandomTablesNeverShowOrGiveAwayASmallCount) {
  std::mt19937 random(20240611);
  const auto below = [&random](std::uint32_t n) { return static_cast<std::int64_t>(random() % n); };
  const auto count = [&below] {
    const std::int64_t kind = below(10);
    if (kind < 3) {
      return std::int64_t{0};
    }
    if (kind < 6) {
      return 1 + below(9);
    }
    return 10 + below(50);
  };
  int suppressed_somewhere = 0;
  for (int round = 0; round < 2000; ++round) {
    CountTable table;
    const std::int64_t rows = 1 + below(5);
    const std::int64_t columns = 1 + below(5);
    for (std::int64_t row = 0; row < rows; ++row) table.rows.push_back("r" + std::to_string(row));
    for (std::int64_t column = 0; column < columns; ++column) {
      table.columns.push_back("c" + std::to_string(column));
    }
    for (std::int64_t cell = 0; cell < rows * columns; ++cell) table.cells.push_back(count());
    const DisclosureRules rules{2 + below(11), below(2) == 0 ? 1 : 5};
    std::vector<CountTable> differences;
    if (below(3) == 0) {
      CountTable only_here = table;
      CountTable only_there = table;
      for (std::int64_t& cell : only_here.cells) cell = below(static_cast<std::uint32_t>(cell) + 1);
      for (std::int64_t& cell : only_there.cells) cell = below(4);
      differences = {only_here, only_there};
    }

    const PublishedTable published = MustPublish(table, rules, differences);
    ASSERT_EQ(published, MustPublish(table, rules, differences)) << "round " << round;
    const Flat flat = Flatten(table);
    const std::vector<PublishedCell> shown = Flatten(published);
    ASSERT_EQ(shown.size(), flat.counts.size());
    std::vector<Flat> flat_differences;
    for (const CountTable& difference : differences)
      flat_differences.push_back(Flatten(difference));

    for (const std::vector<std::size_t>& line : flat.lines) {
      int hidden = 0;
      std::int64_t hidden_cells = 0;
      for (const std::size_t member : line) {
        if (shown[member].value) continue;
        ++hidden;
        if (member != line.back()) hidden_cells += flat.counts[member];
      }
      EXPECT_NE(hidden, 1) << "round " << round;
      if (shown[line.back()].value && hidden > 0) {
        EXPECT_GE(hidden_cells, rules.threshold)
            << "round " << round << ": hidden cells beside a shown total add up to a few";
      }
    }
    for (std::size_t i = 0; i < shown.size(); ++i) {
      const std::int64_t original = flat.counts[i];
      if (!shown[i].value) {
        ++suppressed_somewhere;
        EXPECT_NE(shown[i].reason, Suppression::none);
        if (shown[i].reason == Suppression::primary) {
          EXPECT_TRUE(Small(original, rules.threshold));
        }
        continue;
      }
      EXPECT_EQ(shown[i].reason, Suppression::none);
      EXPECT_FALSE(Small(original, rules.threshold)) << "round " << round << " value " << i;
      for (const Flat& difference : flat_differences) {
        EXPECT_FALSE(Small(difference.counts[i], rules.threshold)) << "round " << round;
      }
      EXPECT_EQ(*shown[i].value % rules.rounding_base, 0);
      EXPECT_LE(2 * std::abs(*shown[i].value - original), rules.rounding_base);
    }
  }
  EXPECT_GT(suppressed_somewhere, 1000);  // the tables were not all trivially safe
}

}  // namespace
}  // namespace uitweg::insights
