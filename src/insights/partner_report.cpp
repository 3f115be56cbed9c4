#include "insights/partner_report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <iterator>
#include <map>
#include <optional>
#include <set>
#include <utility>

#include "core/calendar.hpp"
#include "insights/dashboard.hpp"

namespace uitweg::insights {
namespace {

constexpr std::int64_t kDayMillis = 86'400'000;
// Runs of days one report may make known; far more than partners' reports ever join.
constexpr std::size_t kMaxDerivableRuns = 4096;

// The funnel steps a partner report shows. Home page visits are left out altogether, even for
// a partner without regions: they are campaign counters (CampaignStore), which this builder
// does not read, and which know no region.
constexpr std::array<std::string_view, 6> kFunnelSteps = {"started",
                                                          "held",
                                                          "criminal_involvement",
                                                          "exploitation_signals",
                                                          "referrals_proposed",
                                                          "referrals_completed"};

// The registration fields whose week-over-week trend a report shows.
constexpr std::array<std::string_view, 2> kTrendFields = {"topics", "crime"};

constexpr std::array<std::string_view, 12> kMonthNames = {
    "januari", "februari", "maart",     "april",   "mei",      "juni",
    "juli",    "augustus", "september", "oktober", "november", "december"};

// Local days from `first` to `last`, both included; empty when last < first.
struct DayRange {
  std::int64_t first = 0;
  std::int64_t last = -1;

  bool empty() const { return last < first; }
  bool Contains(std::int64_t day) const { return first <= day && day <= last; }
  bool operator==(const DayRange&) const = default;
};

using DaySet = std::vector<DayRange>;  // disjoint ranges

bool Contains(const DaySet& set, std::int64_t day) {
  return std::any_of(set.begin(), set.end(),
                     [day](const DayRange& range) { return range.Contains(day); });
}

// The days of `a` that are not in `b`: up to two ranges.
DaySet Minus(const ReportPeriod& a, const ReportPeriod& b) {
  DaySet set;
  const DayRange before{a.first_day, std::min(a.last_day, b.first_day - 1)};
  const DayRange after{std::max(a.first_day, b.last_day + 1), a.last_day};
  if (!before.empty()) set.push_back(before);
  if (!after.empty()) set.push_back(after);
  return set;
}

// What a figure of this report is checked against: for an earlier report whose period overlaps
// this one (and is not equal to it), the days the two do not share; for a run of days that
// sums and differences with earlier reports give away (NewlyDerivable), that run.
struct Overlap {
  DaySet only_this;     // X\Y
  DaySet only_earlier;  // Y\X
};

std::vector<Overlap> Overlaps(const ReportPeriod& period, std::span<const ReportPeriod> earlier) {
  std::set<std::pair<std::int64_t, std::int64_t>> seen;
  std::vector<Overlap> overlaps;
  for (const ReportPeriod& other : earlier) {
    if (other == period) continue;
    if (other.last_day < period.first_day || other.first_day > period.last_day) continue;
    if (!seen.emplace(other.first_day, other.last_day).second) continue;
    overlaps.push_back({Minus(period, other), Minus(other, period)});
  }
  return overlaps;
}

// Sums and differences of published reports give away more than any two of them: January 1–10
// and 11–20 taken from January 1–21 leave the 21st. A period [f, l] joins the day boundaries f−1
// and l; the days between any two boundaries that reports join, directly or through others, can
// be worked out. This report joins two groups of boundaries (when they were not joined yet):
// every run of days between a boundary of one and one of the other becomes known with it, and
// each is checked as an earlier report's difference is. Sets of several runs that become known
// are not (docs/insights.md, "Known limits"). Runs that `overlaps` checks already are left out.
core::Result<std::vector<Overlap>> NewlyDerivable(const ReportPeriod& period,
                                                  std::span<const ReportPeriod> earlier,
                                                  const std::vector<Overlap>& overlaps) {
  std::set<std::pair<std::int64_t, std::int64_t>> checked;
  for (const Overlap& overlap : overlaps) {
    for (const DaySet& days : {overlap.only_this, overlap.only_earlier}) {
      if (days.size() == 1) checked.emplace(days.front().first, days.front().last);
    }
  }
  std::map<std::int64_t, std::int64_t> parent;
  const auto root = [&parent](std::int64_t boundary) {
    std::int64_t at = parent.try_emplace(boundary, boundary).first->first;
    while (parent[at] != at) at = parent[at] = parent[parent[at]];
    return at;
  };
  for (const ReportPeriod& other : earlier) {
    const std::int64_t a = root(other.first_day - 1);
    const std::int64_t b = root(other.last_day);
    if (a != b) parent[a] = b;
  }
  const std::int64_t start = root(period.first_day - 1);
  const std::int64_t end = root(period.last_day);
  std::vector<Overlap> derivable;
  if (start == end) return derivable;  // known already: the sum of earlier reports
  std::vector<std::int64_t> before;
  std::vector<std::int64_t> after;
  for (const auto& [boundary, unused] : parent) {
    const std::int64_t group = root(boundary);
    if (group == start) before.push_back(boundary);
    if (group == end) after.push_back(boundary);
  }
  if (before.size() * after.size() > kMaxDerivableRuns) {
    return core::Fail(core::Errc::failed_precondition,
                      "this period joins too many earlier reports of the partner to check what "
                      "they give away together; choose a period reported before, or whole months");
  }
  for (const std::int64_t a : before) {
    for (const std::int64_t b : after) {
      if (a == period.first_day - 1 && b == period.last_day) continue;  // this report itself
      const DayRange run{std::min(a, b) + 1, std::max(a, b)};
      if (checked.contains({run.first, run.last})) continue;
      derivable.push_back({{run}, {}});
    }
  }
  return derivable;
}

// What a figure over `period` is checked against, given the periods published before.
core::Result<std::vector<Overlap>> OverlapsAndDerivable(const ReportPeriod& period,
                                                        std::span<const ReportPeriod> published) {
  std::vector<Overlap> overlaps = Overlaps(period, published);
  UITWEG_TRY_ASSIGN(std::vector<Overlap> derivable, NewlyDerivable(period, published, overlaps));
  std::move(derivable.begin(), derivable.end(), std::back_inserter(overlaps));
  return overlaps;
}

std::int64_t MonthIndex(std::int64_t day) {
  const core::CivilDate civil = core::CivilFromDays(day);
  return civil.year * 12 + (civil.month - 1);
}

std::string MonthId(std::int64_t month_index) {
  const std::int64_t year = month_index >= 0 ? month_index / 12 : (month_index - 11) / 12;
  return fmt::format("{:04}-{:02}", year, month_index - year * 12 + 1);
}

// The first day of the first calendar month `period` touches and the last day of its last.
ReportPeriod WholeMonths(const ReportPeriod& period) {
  std::int64_t first = period.first_day;
  while (core::CivilFromDays(first).day != 1) --first;
  std::int64_t last = period.last_day;
  while (core::CivilFromDays(last + 1).day != 1) ++last;
  return ReportPeriod{first, last};
}

// The part of `period` in each calendar month it touches: what its month columns count.
std::vector<ReportPeriod> MonthSlices(const ReportPeriod& period) {
  std::vector<ReportPeriod> slices;
  for (std::int64_t first = period.first_day; first <= period.last_day;) {
    std::int64_t last = first;
    while (last < period.last_day && core::CivilFromDays(last + 1).day != 1) ++last;
    slices.push_back({first, last});
    first = last + 1;
  }
  return slices;
}

// "1 januari 2026"
std::string DutchDate(std::int64_t day) {
  const core::CivilDate civil = core::CivilFromDays(day);
  return fmt::format("{} {} {}", civil.day, kMonthNames[civil.month - 1], civil.year);
}

// "2026-01" as "januari 2026"; anything else as it is.
std::string ColumnLabel(const std::string& column) {
  const auto digit = [](char c) { return c >= '0' && c <= '9'; };
  const bool month_id = column.size() == 7 && column[4] == '-' &&
                        std::all_of(column.begin(), column.begin() + 4, digit) &&
                        digit(column[5]) && digit(column[6]);
  if (!month_id) return column;
  const int month = std::stoi(column.substr(5, 2));
  if (month < 1 || month > 12) return column;
  return fmt::format("{} {}", kMonthNames[static_cast<std::size_t>(month - 1)],
                     column.substr(0, 4));
}

// The Monday of the last whole week (Monday to Sunday) in the period, if the week before it
// lies in the period too.
std::optional<std::int64_t> TrendWeek(const ReportPeriod& period) {
  const std::int64_t monday = WeekStart(period.last_day) + 6 == period.last_day
                                  ? WeekStart(period.last_day)
                                  : WeekStart(period.last_day) - 7;
  if (monday - 7 < period.first_day) return std::nullopt;
  return monday;
}

}  // namespace

std::vector<ReportPeriod> TrendWeeksOf(const ReportPeriod& period) {
  const std::optional<std::int64_t> monday = TrendWeek(period);
  if (!monday) return {};
  return {ReportPeriod{*monday - 7, *monday - 1}, ReportPeriod{*monday, *monday + 6}};
}

namespace {

// The rows of a registration table: the answers it counts, with their labels; answers that
// have no row of their own count in row `rest`, if there is one.
struct Rows {
  std::vector<std::string> labels;
  std::map<std::string, std::size_t, std::less<>> index;  // by answer value
  std::optional<std::size_t> rest;
};

// A field's options. For a place: a partner's own regions, all of them, so that a row's presence
// tells nothing; for the whole service, the places answered at least `threshold` times in
// `period` by name, and one row for all other places (a row per place would name every place
// someone came from).
Rows RowsOf(const model::FormField& field, std::span<const store::AnswerCount> answers,
            const ReportPeriod& period, const Partner& partner, std::int64_t threshold) {
  Rows rows;
  if (field.type == model::FieldType::place) {
    std::set<std::string> places(partner.regions.begin(), partner.regions.end());
    if (places.empty()) {
      std::map<std::string, std::int64_t> totals;
      for (const store::AnswerCount& answer : answers) {
        if (answer.day >= period.first_day && answer.day <= period.last_day) {
          totals[answer.value] += answer.count;
        }
      }
      for (const auto& [place, total] : totals) {
        if (total >= threshold) places.insert(place);
      }
    }
    for (const std::string& place : places) {
      rows.index.emplace(place, rows.labels.size());
      rows.labels.push_back(place);
    }
    if (partner.regions.empty()) {
      rows.rest = rows.labels.size();
      rows.labels.emplace_back("Overige gemeenten");
    }
    return rows;
  }
  for (const model::FieldOption& option : field.options) {
    if (rows.index.emplace(option.id, rows.labels.size()).second) {
      rows.labels.push_back(option.label.nl);
    }
  }
  return rows;
}

// The column a local day counts in, if any.
using ColumnOf = std::function<std::optional<std::size_t>(std::int64_t day)>;

// The answers to one field on the days of `days`, by row and column; those on a day without a
// column count beyond the columns when `beyond`, else not at all.
CountTable Count(const Rows& rows, const std::vector<std::string>& columns,
                 std::span<const store::AnswerCount> answers, const DaySet& days,
                 const ColumnOf& column_of, bool beyond = false) {
  CountTable table{rows.labels, columns,
                   std::vector<std::int64_t>(rows.labels.size() * columns.size(), 0)};
  if (beyond) table.beyond_columns.assign(rows.labels.size(), 0);
  if (days.empty()) return table;
  for (const store::AnswerCount& answer : answers) {
    if (!Contains(days, answer.day)) continue;
    const auto found = rows.index.find(answer.value);
    // Without a row and a rest: an option no longer on the form.
    if (found == rows.index.end() && !rows.rest) continue;
    const std::size_t row = found == rows.index.end() ? *rows.rest : found->second;
    const std::optional<std::size_t> column = column_of(answer.day);
    if (column) {
      table.cells[row * columns.size() + *column] += answer.count;
    } else if (beyond) {
      table.beyond_columns[row] += answer.count;
    }
  }
  return table;
}

// Sets of days a table is checked against (Overlaps, NewlyDerivable), and the column each of
// their days counts in. With `totals_beyond`, their days without a column still count in the
// row totals and the grand total: an earlier report's days in months this one has no column for
// make up its totals all the same, and subtracted from them give this report's cells away.
struct Checked {
  const std::vector<Overlap>* overlaps;
  ColumnOf column_of;
  bool totals_beyond = false;
};

// One field's table over `period`, published against the sets of days of `checks`.
core::Result<ReportTable> FieldTable(const model::FormField& field,
                                     std::span<const store::AnswerCount> answers,
                                     const Partner& partner, const ReportPeriod& period,
                                     std::span<const Checked> checks,
                                     const std::vector<std::string>& columns,
                                     const ColumnOf& column_of, const DisclosureRules& rules) {
  const Rows rows = RowsOf(field, answers, period, partner, rules.threshold);
  const CountTable table =
      Count(rows, columns, answers, {{period.first_day, period.last_day}}, column_of);
  std::vector<CountTable> differences;
  for (const Checked& checked : checks) {
    for (const Overlap& overlap : *checked.overlaps) {
      differences.push_back(Count(rows, columns, answers, overlap.only_this, checked.column_of,
                                  checked.totals_beyond));
      differences.push_back(Count(rows, columns, answers, overlap.only_earlier, checked.column_of,
                                  checked.totals_beyond));
    }
  }
  UITWEG_TRY_ASSIGN(PublishedTable published, Publish(table, rules, differences));
  return ReportTable{field.id, field.label.nl, std::move(published)};
}

// The funnel steps that count one answer of a registration field: the same figure as that
// answer's row total in the field's table.
constexpr std::array<std::pair<std::string_view, std::string_view>, 2> kFunnelAnswers = {
    {{"criminal_involvement", "yes"}, {"exploitation_signals", "yes"}}};

// A funnel step of kFunnelAnswers whose row total its field's table hides is hidden too: beside
// the table's shown totals it would give the hidden cells away (secondary suppression across the
// two). `table_of` gives the field's table, published or not: a report without the tables hides
// the same, so that a later one with them cannot be set beside it.
core::Status HideFunnelStepsTheTablesHide(
    const model::RegistrationForm& form, PartnerReport& report,
    const std::function<core::Result<ReportTable>(const model::FormField&)>& table_of) {
  for (const auto& [step, answer] : kFunnelAnswers) {
    const auto figure = std::find_if(report.funnel.begin(), report.funnel.end(),
                                     [step = step](const ReportFigure& f) { return f.id == step; });
    const auto field =
        std::find_if(form.fields.begin(), form.fields.end(),
                     [step = step](const model::FormField& f) { return f.id == step; });
    if (figure == report.funnel.end() || field == form.fields.end() || !figure->value.value) {
      continue;
    }
    UITWEG_TRY_ASSIGN(const ReportTable table, table_of(*field));
    const Rows rows = RowsOf(*field, {}, report.period, report.partner, report.rules.threshold);
    const auto row = rows.index.find(answer);
    if (row == rows.index.end() || row->second >= table.table.row_totals.size()) continue;
    if (!table.table.row_totals[row->second].value) {
      figure->value = PublishedCell{std::nullopt, Suppression::secondary};
    }
  }
  return {};
}

std::int64_t StepCount(const store::FunnelCounts& counts, std::string_view step) {
  if (step == "started") return counts.started;
  if (step == "held") return counts.held;
  if (step == "criminal_involvement") return counts.criminal_involvement;
  if (step == "exploitation_signals") return counts.exploitation_signals;
  if (step == "referrals_proposed") return counts.referrals_proposed;
  if (step == "referrals_completed") return counts.referrals_completed;
  return 0;
}

// ---- Rendering ----

std::string ValueText(const PublishedCell& cell, const DisclosureRules& rules) {
  if (cell.value) return std::to_string(*cell.value);
  if (cell.reason == Suppression::primary) return fmt::format("<{}", rules.threshold);
  return "x";
}

// One CSV field: quoted (RFC 4180) when it holds a comma, quote or line break. A text that a
// spreadsheet would take for a formula (=, +, -, @, tab, carriage return first) gets a leading
// apostrophe, as OWASP advises: labels and places are typed by people.
std::string CsvField(std::string_view text) {
  std::string field;
  if (!text.empty() && std::string_view("=+-@\t\r").find(text.front()) != std::string_view::npos) {
    field += '\'';
  }
  field += text;
  if (field.find_first_of(",\"\r\n") == std::string::npos) return field;
  std::string quoted = "\"";
  for (const char c : field) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  quoted += '"';
  return quoted;
}

void CsvLine(std::string& out, std::string_view section, std::string_view table,
             std::string_view row, std::string_view column, std::string_view value) {
  out += CsvField(section);
  out += ',';
  out += CsvField(table);
  out += ',';
  out += CsvField(row);
  out += ',';
  out += CsvField(column);
  out += ',';
  out += CsvField(value);
  out += "\r\n";
}

void CsvTable(std::string& out, std::string_view section, const ReportTable& table,
              const DisclosureRules& rules) {
  const PublishedTable& t = table.table;
  for (std::size_t row = 0; row < t.rows.size(); ++row) {
    for (std::size_t column = 0; column < t.columns.size(); ++column) {
      CsvLine(out, section, table.title, t.rows[row], t.columns[column],
              ValueText(t.cells[row * t.columns.size() + column], rules));
    }
    CsvLine(out, section, table.title, t.rows[row], "totaal", ValueText(t.row_totals[row], rules));
  }
  for (std::size_t column = 0; column < t.columns.size(); ++column) {
    CsvLine(out, section, table.title, "totaal", t.columns[column],
            ValueText(t.column_totals[column], rules));
  }
  CsvLine(out, section, table.title, "totaal", "totaal", ValueText(t.total, rules));
}

std::string Escape(std::string_view text) {
  std::string escaped;
  escaped.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&': escaped += "&amp;"; break;
      case '<': escaped += "&lt;"; break;
      case '>': escaped += "&gt;"; break;
      case '"': escaped += "&quot;"; break;
      case '\'': escaped += "&#39;"; break;
      default: escaped += c;
    }
  }
  return escaped;
}

// A shown value with Dutch digit grouping ("1.250"), or what stands in for a hidden one.
std::string HtmlValue(const PublishedCell& cell, const DisclosureRules& rules) {
  if (cell.value) {
    const std::string digits = std::to_string(*cell.value);
    std::string grouped;
    for (std::size_t i = 0; i < digits.size(); ++i) {
      if (i > 0 && (digits.size() - i) % 3 == 0) grouped += '.';
      grouped += digits[i];
    }
    return grouped;
  }
  if (cell.reason == Suppression::primary) {
    return fmt::format("<abbr title=\"minder dan {0}\">&lt;{0}</abbr>", rules.threshold);
  }
  return "<abbr title=\"weggelaten\">x</abbr>";
}

void HtmlTable(std::string& out, const ReportTable& table, std::string_view row_heading,
               const DisclosureRules& rules) {
  const PublishedTable& t = table.table;
  out += "<table>\n<caption>" + Escape(table.title) +
         "</caption>\n<thead>\n<tr><th scope=\"col\">" + Escape(row_heading) + "</th>";
  for (const std::string& column : t.columns) {
    out += "<th scope=\"col\">" + Escape(ColumnLabel(column)) + "</th>";
  }
  out += "<th scope=\"col\">Totaal</th></tr>\n</thead>\n<tbody>\n";
  for (std::size_t row = 0; row < t.rows.size(); ++row) {
    out += "<tr><th scope=\"row\">" + Escape(t.rows[row]) + "</th>";
    for (std::size_t column = 0; column < t.columns.size(); ++column) {
      out += "<td>" + HtmlValue(t.cells[row * t.columns.size() + column], rules) + "</td>";
    }
    out += "<td>" + HtmlValue(t.row_totals[row], rules) + "</td></tr>\n";
  }
  out += "</tbody>\n<tfoot>\n<tr><th scope=\"row\">Totaal</th>";
  for (const PublishedCell& cell : t.column_totals)
    out += "<td>" + HtmlValue(cell, rules) + "</td>";
  out += "<td>" + HtmlValue(t.total, rules) + "</td></tr>\n</tfoot>\n</table>\n";
}

constexpr std::string_view kStyle =
    R"(body { font-family: system-ui, sans-serif; line-height: 1.5; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; color: #000; background: #fff; }
h1 { font-size: 1.6rem; }
h2 { font-size: 1.3rem; margin-top: 2rem; }
table { border-collapse: collapse; margin: 1rem 0 1.5rem; }
caption { text-align: left; font-weight: bold; padding-bottom: 0.25rem; }
th, td { border: 1px solid #000; padding: 0.25rem 0.6rem; }
th { text-align: left; }
td { text-align: right; font-variant-numeric: tabular-nums; }
thead th, tfoot th, tfoot td { font-weight: bold; }
abbr { text-decoration: none; }
@page { margin: 2cm; }
@media print {
  body { margin: 0; max-width: none; font-size: 10pt; }
  h1, h2, caption { break-after: avoid; page-break-after: avoid; }
  table, tr { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
}
)";

}  // namespace

core::Result<std::vector<store::AnswerCount>> PartnerReportBuilder::ReadAnswersByDay(
    const store::InsightsFilter& base, std::int64_t first, std::int64_t last) const {
  const auto offset = [this](std::int64_t day) { return day * kDayMillis - day_start_(day); };
  const auto whole_day = [this](std::int64_t day) {
    return day_start_(day + 1) - day_start_(day) == kDayMillis;
  };
  std::vector<store::AnswerCount> answers;
  for (std::int64_t start = first; start <= last;) {
    // A stretch of 24-hour days with one offset, or one day on which the clocks change (23 or
    // 25 hours: no single offset puts all its hours on it, so it is read alone and every answer
    // read is its own).
    std::int64_t end = start;
    if (whole_day(start)) {
      while (end < last && whole_day(end + 1) && offset(end + 1) == offset(start)) ++end;
    }
    store::InsightsFilter filter = base;
    filter.utc_offset_millis = offset(start);
    filter.from = day_start_(start);
    filter.to = day_start_(end + 1);
    UITWEG_TRY_ASSIGN(std::vector<store::AnswerCount> stretch, store_.ReadAnswers(filter));
    for (store::AnswerCount& answer : stretch) {
      if (end == start) answer.day = start;
      answers.push_back(std::move(answer));
    }
    start = end + 1;
  }
  return answers;
}

core::Result<PartnerReport> PartnerReportBuilder::Build(
    const Partner& partner, ReportPeriod period, std::span<const ReportPeriod> earlier,
    core::UnixMillis now, std::span<const ReportPeriod> earlier_trend_weeks) const {
  if (period.last_day < period.first_day) {
    return core::Fail(core::Errc::invalid_argument, "the period ends before it starts");
  }
  for (const ReportPeriod& other : earlier) {
    if (other.last_day < other.first_day) {
      return core::Fail(core::Errc::invalid_argument, "an earlier period ends before it starts");
    }
  }
  PartnerReport report;
  report.partner = partner;
  report.period = period;
  report.rules = rules_;
  report.generated_at = now;
  UITWEG_TRY_ASSIGN(const std::vector<Overlap> overlaps, OverlapsAndDerivable(period, earlier));
  // The trend fields (topics, crime) are published per week as well, in trend tables. Their
  // month tables are checked against the weeks earlier reports showed, too. Each week this report
  // shows is checked as a period published after the weeks before it, again after this report's
  // period too, and again after its month columns as well (each set joins ends the others do
  // not, and ends joined already leave a run unchecked), so that a month column less its weeks, or
  // an earlier report less a week, gives nothing away. Each is checked both with and without the
  // earlier weeks: a period counted as published already leaves what it joins unchecked, so
  // assuming a week was shown must not check less. A report whose weeks join more runs than can be
  // checked goes without its trend tables rather than not at all.
  std::vector<ReportPeriod> own_weeks =
      partner.trends ? TrendWeeksOf(period) : std::vector<ReportPeriod>{};
  std::vector<Overlap> trend_overlaps;
  std::vector<std::vector<Overlap>> week_overlaps;
  if (partner.registrations || partner.trends) {
    std::vector<ReportPeriod> reports(earlier.begin(), earlier.end());
    std::vector<ReportPeriod> with_weeks = reports;
    with_weeks.insert(with_weeks.end(), earlier_trend_weeks.begin(), earlier_trend_weeks.end());
    // What `shown` makes known on top of the earlier reports (with and without their weeks)
    // and of each list in `also`.
    const auto every_way = [&](const ReportPeriod& shown,
                               std::initializer_list<const std::vector<ReportPeriod>*> also)
        -> core::Result<std::vector<Overlap>> {
      std::vector<Overlap> checks;
      for (const std::vector<ReportPeriod>* base : {&reports, &with_weeks}) {
        for (const std::vector<ReportPeriod>* more : also) {
          std::vector<ReportPeriod> published = *base;
          published.insert(published.end(), more->begin(), more->end());
          UITWEG_TRY_ASSIGN(std::vector<Overlap> found, OverlapsAndDerivable(shown, published));
          std::move(found.begin(), found.end(), std::back_inserter(checks));
        }
      }
      return checks;
    };
    const std::vector<ReportPeriod> nothing;
    UITWEG_TRY_ASSIGN(trend_overlaps, every_way(period, {&nothing}));
    std::vector<ReportPeriod> weeks_before;
    std::vector<ReportPeriod> period_and_weeks_before = {period};
    std::vector<ReportPeriod> months_and_weeks_before = MonthSlices(period);
    months_and_weeks_before.push_back(period);
    for (const ReportPeriod& week : own_weeks) {
      auto checks =
          every_way(week, {&weeks_before, &period_and_weeks_before, &months_and_weeks_before});
      if (!checks && checks.error().code == core::Errc::failed_precondition) {
        week_overlaps.clear();
        own_weeks.clear();
        break;
      }
      if (!checks) return checks.error();
      week_overlaps.push_back(std::move(*checks));
      weeks_before.push_back(week);
      period_and_weeks_before.push_back(week);
      months_and_weeks_before.push_back(week);
    }
  }
  const auto overlaps_of = [&](std::string_view field) -> const std::vector<Overlap>& {
    return std::find(kTrendFields.begin(), kTrendFields.end(), field) != kTrendFields.end()
               ? trend_overlaps
               : overlaps;
  };

  // The store's local day is (started_at + offset) / 86,400,000 with one offset per read; the
  // funnel reads instants and needs none, answers are read per stretch of one offset
  // (ReadAnswersByDay).
  store::InsightsFilter base;
  base.utc_offset_millis = period.last_day * kDayMillis - day_start_(period.last_day);
  base.campaign = std::nullopt;
  base.regions = partner.regions;
  base.include_offline = false;
  const auto filter_for = [&](std::int64_t first, std::int64_t last) {
    store::InsightsFilter filter = base;
    filter.from = day_start_(first);
    filter.to = day_start_(last + 1);
    return filter;
  };

  if (partner.funnel) {
    const auto read = [&](const DaySet& days) -> core::Result<store::FunnelCounts> {
      store::FunnelCounts total;
      for (const DayRange& range : days) {
        UITWEG_TRY_ASSIGN(const std::vector<store::CampaignFunnel> rows,
                          store_.ReadFunnel(filter_for(range.first, range.last)));
        for (const store::CampaignFunnel& row : rows) total += row.counts;
      }
      return total;
    };
    UITWEG_TRY_ASSIGN(const store::FunnelCounts counts,
                      read({{period.first_day, period.last_day}}));
    std::vector<store::FunnelCounts> differences;
    for (const Overlap& overlap : overlaps) {
      UITWEG_TRY_ASSIGN(store::FunnelCounts only_this, read(overlap.only_this));
      UITWEG_TRY_ASSIGN(store::FunnelCounts only_earlier, read(overlap.only_earlier));
      differences.push_back(only_this);
      differences.push_back(only_earlier);
    }
    for (const std::string_view step : kFunnelSteps) {
      std::vector<std::int64_t> step_differences;
      for (const store::FunnelCounts& difference : differences) {
        step_differences.push_back(StepCount(difference, step));
      }
      UITWEG_TRY_ASSIGN(PublishedCell cell,
                        PublishCount(StepCount(counts, step), rules_, step_differences));
      report.funnel.push_back({std::string(step), FunnelStepLabel(step), cell});
    }
  }

  if (partner.registrations || partner.trends || partner.funnel) {
    // One read over every day this period and the sets it is checked against span; every set
    // of days is counted from it.
    std::int64_t first = period.first_day;
    std::int64_t last = period.last_day;
    std::vector<const std::vector<Overlap>*> all_overlaps = {&overlaps, &trend_overlaps};
    for (const std::vector<Overlap>& checks : week_overlaps) all_overlaps.push_back(&checks);
    for (const std::vector<Overlap>* checked : all_overlaps) {
      for (const Overlap& overlap : *checked) {
        for (const DaySet& days : {overlap.only_this, overlap.only_earlier}) {
          for (const DayRange& range : days) {
            first = std::min(first, range.first);
            last = std::max(last, range.last);
          }
        }
      }
    }
    UITWEG_TRY_ASSIGN(const std::vector<store::AnswerCount> answers,
                      ReadAnswersByDay(base, first, last));
    std::map<std::string, std::vector<store::AnswerCount>, std::less<>> by_field;
    for (const store::AnswerCount& answer : answers) by_field[answer.field].push_back(answer);
    const auto answers_of =
        [&by_field](std::string_view field) -> std::span<const store::AnswerCount> {
      const auto found = by_field.find(field);
      if (found == by_field.end()) return {};
      return found->second;
    };

    // The calendar months the period touches, one column each.
    const std::int64_t first_month = MonthIndex(period.first_day);
    const std::int64_t last_month = MonthIndex(period.last_day);
    std::vector<std::string> months;
    for (std::int64_t month = first_month; month <= last_month; ++month) {
      months.push_back(MonthId(month));
    }
    std::map<std::int64_t, std::optional<std::size_t>> month_of_day;
    const ColumnOf month_of = [&](std::int64_t day) -> std::optional<std::size_t> {
      const auto [found, inserted] = month_of_day.emplace(day, std::nullopt);
      if (inserted) {
        const std::int64_t month = MonthIndex(day);
        if (month >= first_month && month <= last_month) {
          found->second = static_cast<std::size_t>(month - first_month);
        }
      }
      return found->second;
    };
    const auto month_table = [&](const model::FormField& field) {
      const Checked checks[] = {{&overlaps_of(field.id), month_of, true}};
      return FieldTable(field, answers_of(field.id), partner, period, checks, months, month_of,
                        rules_);
    };

    if (partner.registrations) {
      for (const model::FormField& field : form_.fields) {
        UITWEG_TRY_ASSIGN(ReportTable table, month_table(field));
        report.registrations.push_back(std::move(table));
      }
    }

    if (!own_weeks.empty()) {
      report.trend_week = DayName(own_weeks[1].first_day);
      const std::vector<std::string> columns = {"vorige week", "deze week"};
      const ColumnOf week_of = [&](std::int64_t day) -> std::optional<std::size_t> {
        for (std::size_t week = 0; week < own_weeks.size(); ++week) {
          if (own_weeks[week].first_day <= day && day <= own_weeks[week].last_day) return week;
        }
        return std::nullopt;
      };
      // What a week is checked against as a period of its own counts wholly in its column.
      std::vector<Checked> checks = {{&trend_overlaps, week_of}};
      for (std::size_t week = 0; week < week_overlaps.size(); ++week) {
        checks.push_back({&week_overlaps[week], [week](std::int64_t) { return week; }});
      }
      for (const std::string_view id : kTrendFields) {
        const auto field = std::find_if(form_.fields.begin(), form_.fields.end(),
                                        [&](const model::FormField& f) { return f.id == id; });
        if (field == form_.fields.end()) continue;
        UITWEG_TRY_ASSIGN(ReportTable table, FieldTable(*field, answers_of(id), partner, period,
                                                        checks, columns, week_of, rules_));
        report.trends.push_back(std::move(table));
      }
    }

    if (partner.funnel) {
      UITWEG_TRY(HideFunnelStepsTheTablesHide(
          form_, report, [&](const model::FormField& field) -> core::Result<ReportTable> {
            const auto published =
                std::find_if(report.registrations.begin(), report.registrations.end(),
                             [&](const ReportTable& table) { return table.id == field.id; });
            if (published != report.registrations.end()) return *published;
            return month_table(field);
          }));
    }
  }

  if (partner.methodology && methodology_ != nullptr) {
    // Each month counted whole, and each review on its own local day (whatever the offset from
    // UTC), so that two reports whose periods overlap show a month alike and leave nothing to
    // subtract.
    const ReportPeriod months = WholeMonths(period);
    UITWEG_TRY_ASSIGN(const Methodology figures, methodology_->Read(MethodologyQuery{
                                                     .first_day = months.first_day,
                                                     .last_day = months.last_day,
                                                     .utc_offset_millis = base.utc_offset_millis,
                                                     .kind = ReviewPeriod::month,
                                                     .day_start = day_start_}));
    UITWEG_TRY_ASSIGN(report.methodology, PublishMethodology(figures, rules_));
  }
  return report;
}

std::string MeanText(const PublishedMean& mean, const DisclosureRules& rules) {
  if (mean.value) return fmt::format("{:.1f}", *mean.value);
  if (mean.reason == Suppression::primary) return fmt::format("<{}", rules.threshold);
  return "-";
}

std::string RenderCsv(const PartnerReport& report) {
  std::string out;
  CsvLine(out, "sectie", "tabel", "rij", "kolom", "waarde");
  for (const ReportFigure& figure : report.funnel) {
    CsvLine(out, "trechter", "", figure.label, "", ValueText(figure.value, report.rules));
  }
  for (const ReportTable& table : report.registrations) {
    CsvTable(out, "registraties", table, report.rules);
  }
  for (const ReportTable& table : report.trends) CsvTable(out, "trends", table, report.rules);
  if (report.methodology) {
    const PublishedMethodology& m = *report.methodology;
    for (std::size_t p = 0; p < m.periods.size(); ++p) {
      CsvLine(out, "methodiek", "beoordeeld", "gesprekken", m.periods[p],
              ValueText(m.reviewed[p], report.rules));
    }
    for (std::size_t c = 0; c < m.criteria.size(); ++c) {
      for (std::size_t p = 0; p < m.periods.size(); ++p) {
        CsvLine(out, "methodiek", "gemiddelde score", m.criteria[c], m.periods[p],
                MeanText(m.means[c * m.periods.size() + p], report.rules));
      }
    }
  }
  return out;
}

std::string RenderHtml(const PartnerReport& report) {
  const Partner& partner = report.partner;
  const DisclosureRules& rules = report.rules;
  const std::string title = "Uitweg — rapportage voor " + partner.label;
  const std::string period =
      report.period.first_day == report.period.last_day
          ? DutchDate(report.period.first_day)
          : DutchDate(report.period.first_day) + " t/m " + DutchDate(report.period.last_day);
  const std::int64_t generated_day = report.generated_at >= 0
                                         ? report.generated_at / kDayMillis
                                         : (report.generated_at - kDayMillis + 1) / kDayMillis;

  std::string out;
  out += "<!DOCTYPE html>\n<html lang=\"nl\">\n<head>\n<meta charset=\"utf-8\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += "<title>" + Escape(title) + "</title>\n<style>\n";
  out += kStyle;
  out += "</style>\n</head>\n<body>\n<main>\n";
  out += "<h1>" + Escape(title) + "</h1>\n";
  out += "<p>Periode: " + Escape(period) + "<br>\nGemaakt op " + Escape(DutchDate(generated_day)) +
         "<br>\n";
  if (partner.regions.empty()) {
    out += "Gebied: de hele dienst</p>\n";
  } else {
    std::string regions;
    for (const std::string& region : partner.regions) {
      if (!regions.empty()) regions += ", ";
      regions += region;
    }
    out +=
        (partner.regions.size() == 1 ? "Gemeente: " : "Gemeenten: ") + Escape(regions) + "</p>\n";
  }

  out += "<section aria-labelledby=\"over\">\n<h2 id=\"over\">Over deze cijfers</h2>\n";
  out += "<p>De cijfers gaan over de chats die in deze periode begonnen";
  out += partner.regions.empty() ? "" : " en waarbij de gemeente is geregistreerd";
  out +=
      "; offline berichten tellen niet mee. Niemand mag uit deze cijfers te herkennen zijn. "
      "Daarom:</p>\n<ul>\n";
  out += fmt::format("<li>Aantallen onder de {0} worden niet getoond; daar staat &lt;{0}.</li>\n",
                     rules.threshold);
  out +=
      "<li>Aanvullende cellen worden weggelaten (daar staat x), zodat een verborgen aantal "
      "niet terug te rekenen is uit de andere getallen of uit een eerdere rapportage.</li>\n";
  if (rules.rounding_base > 1) {
    out += fmt::format(
        "<li>Alle aantallen zijn afgerond op veelvouden van {}. Daardoor tellen de getallen niet "
        "altijd op tot het totaal.</li>\n",
        rules.rounding_base);
  } else {
    out += "<li>De aantallen zijn niet afgerond.</li>\n";
  }
  out += "<li>Bij een vraag met meer antwoorden telt een gesprek mee bij elk antwoord.</li>\n";
  out += "</ul>\n</section>\n";

  if (partner.funnel) {
    out +=
        "<section aria-labelledby=\"trechter\">\n<h2 id=\"trechter\">Van chat tot "
        "doorverwijzing</h2>\n";
    out +=
        "<table>\n<caption>Trechter</caption>\n<thead>\n<tr><th scope=\"col\">Stap</th>"
        "<th scope=\"col\">Aantal</th></tr>\n</thead>\n<tbody>\n";
    for (const ReportFigure& figure : report.funnel) {
      out += "<tr><th scope=\"row\">" + Escape(figure.label) + "</th><td>" +
             HtmlValue(figure.value, rules) + "</td></tr>\n";
    }
    out += "</tbody>\n</table>\n</section>\n";
  }

  if (partner.registrations) {
    out +=
        "<section aria-labelledby=\"registraties\">\n<h2 id=\"registraties\">Registraties "
        "per maand</h2>\n";
    out +=
        "<p>Wat hulpverleners na elk gesprek registreerden, per maand waarin het gesprek "
        "begon.</p>\n";
    for (const ReportTable& table : report.registrations) {
      HtmlTable(out, table, "Antwoord", rules);
    }
    out += "</section>\n";
  }

  if (partner.trends) {
    out += "<section aria-labelledby=\"trends\">\n<h2 id=\"trends\">Trends</h2>\n";
    if (report.trends.empty() || report.trend_week.empty()) {
      out += "<p>Deze periode bevat geen twee hele weken: er zijn geen trends.</p>\n";
    } else {
      const std::optional<std::int64_t> monday = TrendWeek(report.period);
      if (monday && DayName(*monday) == report.trend_week) {
        out += "<p>Deze week is de week van maandag " + Escape(DutchDate(*monday)) +
               " t/m zondag " + Escape(DutchDate(*monday + 6)) +
               "; vorige week is de week daarvoor.</p>\n";
      } else {
        out += "<p>Deze week is de week die begint op " + Escape(report.trend_week) +
               "; vorige week is de week daarvoor.</p>\n";
      }
      for (const ReportTable& table : report.trends) HtmlTable(out, table, "Antwoord", rules);
    }
    out += "</section>\n";
  }

  if (partner.methodology) {
    out +=
        "<section aria-labelledby=\"methodiek\">\n<h2 id=\"methodiek\">Kwaliteit van de "
        "gesprekken</h2>\n";
    if (!report.methodology || report.methodology->periods.empty()) {
      out += "<p>Er zijn geen scores.</p>\n";
    } else {
      const PublishedMethodology& m = *report.methodology;
      out += fmt::format(
          "<p>Leidinggevenden beoordelen elke maand een willekeurige steekproef van beëindigde "
          "gesprekken van de hele dienst met een vaste beoordelingslijst. Hieronder de "
          "gemiddelde score per onderdeel, per hele kalendermaand waarin het gesprek eindigde. "
          "Een maand met minder dan {} beoordeelde gesprekken toont geen scores.</p>\n",
          rules.threshold);
      out += "<table>\n<caption>Gemiddelde score per onderdeel</caption>\n<thead>\n<tr>";
      out += "<th scope=\"col\">Onderdeel</th>";
      for (const std::string& period : m.periods) {
        out += "<th scope=\"col\">" + Escape(ColumnLabel(period)) + "</th>";
      }
      out += "</tr>\n</thead>\n<tbody>\n<tr><th scope=\"row\">Beoordeelde gesprekken</th>";
      for (const PublishedCell& reviewed : m.reviewed) {
        out += "<td>" + HtmlValue(reviewed, rules) + "</td>";
      }
      out += "</tr>\n";
      for (std::size_t c = 0; c < m.criteria.size(); ++c) {
        out += "<tr><th scope=\"row\">" + Escape(m.criteria[c]) + "</th>";
        for (std::size_t p = 0; p < m.periods.size(); ++p) {
          out += "<td>" + Escape(MeanText(m.means[c * m.periods.size() + p], rules)) + "</td>";
        }
        out += "</tr>\n";
      }
      out += "</tbody>\n</table>\n";
    }
    out += "</section>\n";
  }

  out += "</main>\n</body>\n</html>\n";
  return out;
}

}  // namespace uitweg::insights
