#pragma once
// Reports for partners (a municipality, say) that could be published without putting any young
// person at risk: the funnel, the registrations by field and the weeks' trends, for the
// partner's regions only, every figure through disclosure control (disclosure.hpp) against the
// suppression threshold and rounding base, and against every earlier report of the same partner
// whose period overlaps (difference suppression). Rendered as CSV and as a printable Dutch HTML
// page (the browser's print-to-PDF gives the PDF).
//
// Thread safety: Build may run on several threads at once (the store is thread-safe); blocking.
// Errors: those of the store; invalid_argument for a period that ends before it starts.

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "insights/disclosure.hpp"
#include "insights/methodology.hpp"
#include "model/registration.hpp"
#include "store/insights_store.hpp"

namespace uitweg::insights {

// What an admin set up for a partner, and what it may see.
struct Partner {
  std::string name = {};                  // a–z, 0–9 and '-': the report's and the CLI's handle
  std::string label = {};                 // "Gemeente Rotterdam"
  std::vector<std::string> regions = {};  // registration "region" answers; empty: the whole service
  bool funnel = true;
  bool registrations = true;
  bool trends = true;
  // The methodology review's scores per criterion and month (methodology.hpp): the service's
  // own, whatever the regions; never per counsellor. Off unless an admin turns it on.
  bool methodology = false;
};

// Local days (days since 1970-01-01 in the service's time zone), both included.
struct ReportPeriod {
  std::int64_t first_day = 0;
  std::int64_t last_day = 0;

  bool operator==(const ReportPeriod&) const = default;
};

// One published figure with what it is.
struct ReportFigure {
  std::string id = {};
  std::string label = {};
  PublishedCell value = {};
};

// A titled table; rows and columns as in `table`.
struct ReportTable {
  std::string id = {};     // the registration field
  std::string title = {};  // its label
  PublishedTable table = {};
};

struct PartnerReport {
  Partner partner = {};
  ReportPeriod period = {};
  DisclosureRules rules = {};
  core::UnixMillis generated_at = 0;
  std::vector<ReportFigure> funnel = {};        // empty unless partner.funnel
  std::vector<ReportTable> registrations = {};  // empty unless partner.registrations
  // Per field of the trends (topics, crime): this whole week and the week before, per option;
  // columns "vorige week", "deze week". Empty unless partner.trends or without two whole weeks.
  std::vector<ReportTable> trends = {};
  std::string trend_week = {};  // the Monday of "deze week", "YYYY-MM-DD"
  // Per calendar month the period touches, counted whole; when partner.methodology.
  std::optional<PublishedMethodology> methodology = {};
};

// The moment a local day begins (the service's time zone is the caller's).
using DayStart = std::function<core::UnixMillis(std::int64_t day)>;

class PartnerReportBuilder {
 public:
  // `methodology` reads the review scores of a partner that may see them; without it that
  // section stays empty.
  PartnerReportBuilder(store::InsightsStore& store, const model::RegistrationForm& form,
                       DisclosureRules rules, DayStart day_start,
                       const MethodologyReader* methodology = nullptr)
      : store_(store),
        form_(form),
        rules_(rules),
        day_start_(std::move(day_start)),
        methodology_(methodology) {}

  // `earlier`: the periods of the reports already published for this partner; those that
  // overlap `period` (and are not equal to it) guard against subtraction. `earlier_trend_weeks`:
  // the weeks their trend tables showed (TrendWeeksOf), which guard the tables of the trend
  // fields as well, as do the weeks this report's own trend tables show.
  core::Result<PartnerReport> Build(const Partner& partner, ReportPeriod period,
                                    std::span<const ReportPeriod> earlier, core::UnixMillis now,
                                    std::span<const ReportPeriod> earlier_trend_weeks = {}) const;

 private:
  // The answers of conversations started on local days first..last, each on its day whatever
  // the offset from UTC that day (summer or winter time).
  core::Result<std::vector<store::AnswerCount>> ReadAnswersByDay(const store::InsightsFilter& base,
                                                                 std::int64_t first,
                                                                 std::int64_t last) const;

  store::InsightsStore& store_;
  const model::RegistrationForm& form_;
  DisclosureRules rules_;
  DayStart day_start_;
  const MethodologyReader* methodology_;
};

// The two weeks (the one before, then the last whole week) whose trends a report over `period`
// shows, or none when the period holds no two whole weeks.
std::vector<ReportPeriod> TrendWeeksOf(const ReportPeriod& period);

// One CSV (RFC 4180, UTF-8, comma-separated) with a header line "sectie,tabel,rij,kolom,waarde";
// a suppressed value is written "<k" (primary) or "x" (otherwise), never a number.
std::string RenderCsv(const PartnerReport& report);
// A whole HTML document in Dutch with print CSS, no script and no external resource.
std::string RenderHtml(const PartnerReport& report);

}  // namespace uitweg::insights
