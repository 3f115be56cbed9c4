#include "api/review_api.hpp"

#include <fmt/format.h>

#include <boost/json/array.hpp>

#include "api/json_fields.hpp"
#include "api/wire.hpp"
#include "chat/opening_hours.hpp"
#include "insights/dashboard.hpp"

namespace uitweg::api {
namespace {

constexpr std::int64_t kDayMillis = 24LL * 60 * 60 * 1000;
constexpr std::int64_t kMaxFigureDays = 731;
constexpr int kDefaultFigureDays = 365;

chat::Counsellor StaffOf(const auth::Authenticated& staff) {
  return chat::Counsellor{staff.account.id, staff.account.role, staff.account.display_name};
}

boost::json::object LabelJson(const model::LabelText& label) {
  return boost::json::object{{"nl", label.nl}, {"en", label.en}};
}

boost::json::object ReviewJson(const model::Review& review) {
  boost::json::object scores;
  for (const auto& [criterion, score] : review.scores) {
    scores[criterion] = score ? boost::json::value(*score) : boost::json::value(nullptr);
  }
  return boost::json::object{{"conversation_id", review.conversation_id},
                             {"sample_id", review.sample_id},
                             {"rubric_version", review.rubric_version},
                             {"scores", std::move(scores)},
                             {"comment", review.comment},
                             {"reviewed_at", review.reviewed_at}};
}

boost::json::object SampleJson(const chat::SampleProgress& progress) {
  const model::ReviewSample& sample = progress.sample;
  boost::json::array items;
  for (const chat::SampleItem& item : progress.items) {
    items.push_back(boost::json::object{{"conversation", ConversationJson(item.conversation)},
                                        {"reviewed", item.review.has_value()}});
  }
  return boost::json::object{{"id", sample.id},
                             {"from", sample.from},
                             {"to", sample.to},
                             {"only_unreviewed", sample.only_unreviewed},
                             {"candidates", sample.candidates},
                             {"created_at", sample.created_at},
                             {"size", progress.items.size()},
                             {"reviewed", progress.reviewed},
                             {"items", std::move(items)}};
}

core::Result<model::ReviewScores> ScoresFrom(const boost::json::object& body) {
  const auto bad = [] {
    return core::Fail(
        core::Errc::invalid_argument,
        "scores maps each criterion id to a whole number, or null for not applicable");
  };
  const boost::json::value* scores = body.if_contains("scores");
  if (scores == nullptr || !scores->is_object()) return bad();
  if (scores->as_object().size() > 64) return bad();
  model::ReviewScores parsed;
  for (const auto& [criterion, score] : scores->as_object()) {
    if (score.is_null()) {
      parsed[std::string(criterion)] = std::nullopt;
    } else if (score.is_int64()) {
      parsed[std::string(criterion)] = score.as_int64();
    } else {
      return bad();
    }
  }
  return parsed;
}

// The local day number of a moment, as the insights count days.
std::int64_t DayOf(core::UnixMillis at) {
  return (at + chat::UtcOffsetMillis(at)) / kDayMillis;
}

}  // namespace

boost::json::object ReviewRubricJson(const model::ReviewRubric& rubric) {
  boost::json::array criteria;
  for (const model::RubricCriterion& criterion : rubric.criteria) {
    boost::json::array levels;
    for (const model::RubricLevel& level : criterion.levels) {
      levels.push_back(
          boost::json::object{{"score", level.score}, {"label", LabelJson(level.label)}});
    }
    criteria.push_back(boost::json::object{{"id", criterion.id},
                                           {"label", LabelJson(criterion.label)},
                                           {"good", LabelJson(criterion.good)},
                                           {"levels", std::move(levels)},
                                           {"not_applicable", criterion.not_applicable}});
  }
  return boost::json::object{{"version", rubric.version}, {"criteria", std::move(criteria)}};
}

core::Result<Response> ReviewApi::Rubric(const Request& request) {
  UITWEG_TRY(auth_.Check(request));
  return JsonResponse(200, boost::json::object{{"rubric", ReviewRubricJson(reviews_.rubric())}});
}

core::Result<Response> ReviewApi::Samples(const Request& request) {
  UITWEG_TRY_ASSIGN(const auth::Authenticated staff, auth_.Check(request));
  UITWEG_TRY_ASSIGN(const auto samples, reviews_.Samples(StaffOf(staff)));
  boost::json::array listed;
  for (const chat::SampleProgress& sample : samples) listed.push_back(SampleJson(sample));
  return JsonResponse(200, boost::json::object{{"samples", std::move(listed)}});
}

core::Result<Response> ReviewApi::Draw(const Request& request) {
  UITWEG_TRY_ASSIGN(const auth::Authenticated staff, auth_.CheckChange(request));
  UITWEG_TRY_ASSIGN(const boost::json::object body, ParseObject(request.body, "the body"));
  UITWEG_TRY_ASSIGN(const std::string from, RequiredString(body, "from"));
  UITWEG_TRY_ASSIGN(const std::string to, RequiredString(body, "to"));
  UITWEG_TRY(CheckPeriod(from, to));
  UITWEG_TRY_ASSIGN(const std::int64_t size,
                    RequiredInt(body, "size", static_cast<std::int64_t>(chat::kMaxSampleSize)));
  const boost::json::value* only = body.if_contains("only_unreviewed");
  if (only != nullptr && !only->is_bool()) {
    return core::Fail(core::Errc::invalid_argument, "only_unreviewed must be true or false");
  }
  const core::UnixMillis until =
      chat::StartOfLocalDate(insights::DayName(DayOf(chat::StartOfLocalDate(to)) + 1));
  UITWEG_TRY_ASSIGN(
      const chat::SampleProgress sample,
      reviews_.Draw(StaffOf(staff),
                    chat::ReviewDraw{.from = chat::StartOfLocalDate(from),
                                     .to = until,
                                     .size = static_cast<std::size_t>(size),
                                     .only_unreviewed = only != nullptr && only->as_bool()}));
  (void)audit_.Record(auth::Actor::Staff(staff.account), auth::audit_action::review_sample_drawn,
                      {},
                      fmt::format("{} {}..{} {} of {}", sample.sample.id, from, to,
                                  sample.items.size(), sample.sample.candidates));
  return JsonResponse(201, boost::json::object{{"sample", SampleJson(sample)}});
}

core::Result<Response> ReviewApi::Sample(const Request& request) {
  UITWEG_TRY_ASSIGN(const auth::Authenticated staff, auth_.Check(request));
  UITWEG_TRY_ASSIGN(const chat::SampleProgress sample,
                    reviews_.Sample(request.params.at(0), StaffOf(staff)));
  return JsonResponse(200, boost::json::object{{"sample", SampleJson(sample)}});
}

core::Result<Response> ReviewApi::Open(const Request& request) {
  UITWEG_TRY_ASSIGN(const auth::Authenticated staff, auth_.Check(request));
  UITWEG_TRY_ASSIGN(const chat::Reviews::Opened opened,
                    reviews_.Open(request.params.at(0), request.params.at(1), StaffOf(staff)));
  // Reading a colleague's transcript is recorded before it is answered, as a history read is.
  UITWEG_TRY(audit_.Record(auth::Actor::Staff(staff.account), auth::audit_action::review_read,
                           opened.transcript.conversation.id, request.params.at(0)));
  boost::json::array entries;
  for (const chat::Entry& entry : opened.transcript.entries) entries.push_back(MessageJson(entry));
  boost::json::object out;
  out["conversation"] = ConversationJson(opened.transcript.conversation);
  out["messages"] = std::move(entries);
  out["truncated"] = opened.transcript.truncated;
  out["review"] =
      opened.review ? boost::json::value(ReviewJson(*opened.review)) : boost::json::value(nullptr);
  return JsonResponse(200, out);
}

core::Result<Response> ReviewApi::Save(const Request& request) {
  UITWEG_TRY_ASSIGN(const auth::Authenticated staff, auth_.CheckChange(request));
  UITWEG_TRY_ASSIGN(const boost::json::object body, ParseObject(request.body, "the body"));
  UITWEG_TRY_ASSIGN(model::ReviewScores scores, ScoresFrom(body));
  UITWEG_TRY_ASSIGN(const std::string comment, OptionalString(body, "comment"));
  // The review the supervisor saw: its reviewed_at, or null for none.
  std::optional<core::UnixMillis> based_on;
  if (const boost::json::value* seen = body.if_contains("based_on"); seen != nullptr) {
    if (seen->is_null()) {
      based_on = 0;
    } else if (seen->is_int64() && seen->as_int64() > 0) {
      based_on = seen->as_int64();
    } else {
      return core::Fail(core::Errc::invalid_argument,
                        "based_on is the reviewed_at of the review seen, or null");
    }
  }
  UITWEG_TRY_ASSIGN(const model::Review saved,
                    reviews_.Save(request.params.at(0), request.params.at(1), StaffOf(staff),
                                  std::move(scores), comment, based_on));
  (void)audit_.Record(auth::Actor::Staff(staff.account), auth::audit_action::review_saved,
                      saved.conversation_id, saved.sample_id);
  return JsonResponse(200, boost::json::object{{"review", ReviewJson(saved)}});
}

core::Result<Response> ReviewApi::Methodology(const Request& request) {
  UITWEG_TRY(auth_.Check(request));
  UITWEG_TRY_ASSIGN(const auto params, QueryParams(request.query, {"from", "to", "period"}));
  UITWEG_TRY_ASSIGN(const LocalPeriod dates,
                    PeriodParams(params, clock_.Now(), kDefaultFigureDays));
  const std::string period = QueryParam(params, "period").value_or("month");
  if (period != "month" && period != "week") {
    return core::Fail(core::Errc::invalid_argument, "period is month or week");
  }
  const core::UnixMillis last_start = chat::StartOfLocalDate(dates.to);
  const insights::MethodologyQuery query{
      .first_day = DayOf(chat::StartOfLocalDate(dates.from)),
      .last_day = DayOf(last_start),
      .utc_offset_millis = chat::UtcOffsetMillis(last_start),
      .kind = period == "week" ? insights::ReviewPeriod::week : insights::ReviewPeriod::month,
      // Each review on the local day it ended, on either side of a clock change in the range.
      .day_start = [](std::int64_t day) { return chat::StartOfLocalDate(insights::DayName(day)); }};
  if (query.last_day - query.first_day + 1 > kMaxFigureDays) {
    return core::Fail(core::Errc::invalid_argument, "a period is at most two years");
  }
  UITWEG_TRY_ASSIGN(const insights::Methodology figures, figures_.Read(query));
  boost::json::array periods;
  for (const insights::MethodologyPeriod& each : figures.periods) {
    boost::json::array criteria;
    for (const insights::CriterionFigures& criterion : each.criteria) {
      boost::json::array levels;
      for (const insights::LevelCount& level : criterion.levels) {
        levels.push_back(boost::json::object{
            {"score", level.score}, {"label", level.label}, {"count", level.count}});
      }
      criteria.push_back(boost::json::object{
          {"id", criterion.id},
          {"label", criterion.label},
          {"scored", criterion.scored},
          {"not_applicable", criterion.not_applicable},
          {"mean", criterion.mean ? boost::json::value(*criterion.mean) : nullptr},
          {"levels", std::move(levels)}});
    }
    periods.push_back(boost::json::object{
        {"period", each.period}, {"reviewed", each.reviewed}, {"criteria", std::move(criteria)}});
  }
  return JsonResponse(200, boost::json::object{{"from", dates.from},
                                               {"to", dates.to},
                                               {"period", period},
                                               {"rubric", ReviewRubricJson(reviews_.rubric())},
                                               {"periods", std::move(periods)}});
}

}  // namespace uitweg::api
