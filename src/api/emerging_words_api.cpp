#include "api/emerging_words_api.hpp"

#include <set>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "api/json_fields.hpp"
#include "api/lexicon_api.hpp"
#include "insights/dashboard.hpp"

namespace uitweg::api {
namespace {

boost::json::object WindowsJson(const insights::EmergingWindows& windows) {
  return {{"baseline_from", insights::DayName(windows.baseline_first_day)},
          {"baseline_to", insights::DayName(windows.baseline_last_day)},
          {"recent_from", insights::DayName(windows.recent_first_day)},
          {"recent_to", insights::DayName(windows.recent_last_day)}};
}

}  // namespace

core::Result<Response> EmergingWordsApi::Get(const Request& request) {
  UITWEG_TRY(auth_.Check(request));
  // Asked before the latest result is read: a run that ends between the two reads then shows as
  // still running, and the console asks again. Read the other way round, the answer could say
  // neither "running" nor hold the run's result, and the console would stop asking.
  const bool running = job_.running();
  UITWEG_TRY_ASSIGN(const std::optional<insights::EmergingWords> latest, job_.Latest());
  UITWEG_TRY_ASSIGN(const CurrentLexicon current, LatestLexicon(outreach_, shipped_lexicon_));
  std::set<std::string> categories;
  for (const outreach::LexiconTerm& term : current.lexicon.terms()) {
    categories.insert(term.category);
  }
  boost::json::array category_list;
  for (const std::string& category : categories) category_list.emplace_back(category);
  boost::json::object answer{{"running", running},
                             {"lexicon_version", current.version},
                             {"categories", std::move(category_list)}};
  if (!latest) {
    answer["computed_at"] = nullptr;
    answer["terms"] = boost::json::array();
    return JsonResponse(200, answer);
  }

  std::lock_guard lock(mu_);
  if (compiled_version_ != current.version || !analyzer_) {
    auto compiled = outreach::Analyzer::Create(current.lexicon);
    if (!compiled) return core::Fail(core::Errc::internal, compiled.error().message);
    worker_.reset();
    analyzer_ = std::move(*compiled);
    worker_ = analyzer_->NewWorker();
    compiled_version_ = current.version;
  }
  boost::json::array terms;
  for (const insights::EmergingTerm& term : latest->terms) {
    if (terms.size() >= kMaxShown) break;
    outreach::Post post;
    post.text = term.term;
    if (outreach::MatchesATerm(analyzer_->Analyze(post, *worker_))) continue;
    if (risk_knows_(term.term)) continue;
    terms.push_back(boost::json::object{{"term", term.term},
                                        {"recent", term.recent},
                                        {"baseline", term.baseline},
                                        {"ratio", term.ratio}});
  }
  answer["computed_at"] = latest->computed_at;
  answer["windows"] = WindowsJson(latest->windows);
  answer["recent_conversations"] = latest->recent_conversations;
  answer["baseline_conversations"] = latest->baseline_conversations;
  answer["min_conversations"] = latest->min_conversations;
  answer["terms"] = std::move(terms);
  return JsonResponse(200, answer);
}

core::Result<Response> EmergingWordsApi::Run(const Request& request) {
  UITWEG_TRY_ASSIGN(const auth::Authenticated staff, auth_.CheckChange(request));
  const insights::EmergingWindows windows = insights::EmergingWindowsBefore(today_());
  if (!job_.Start(windows)) {
    return core::Fail(core::Errc::failed_precondition,
                      "a run is going on already; its terms show when it is done");
  }
  (void)audit_.Record(auth::Actor::Staff(staff.account), auth::audit_action::emerging_words_run);
  return JsonResponse(202,
                      boost::json::object{{"running", true}, {"windows", WindowsJson(windows)}});
}

}  // namespace uitweg::api
