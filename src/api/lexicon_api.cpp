#include "api/lexicon_api.hpp"

#include <map>

#include <fmt/format.h>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "api/json_fields.hpp"
#include "api/lexicon_edits.hpp"
#include "api/outreach_json.hpp"
#include "outreach/analyzer.hpp"

namespace uitweg::api {
namespace {

// The findings of this many recent scans are what a term is tried on, at most kTestFindings.
constexpr std::int64_t kTestScans = 10;
constexpr std::int64_t kTestFindings = 50'000;
constexpr std::size_t kTestExamples = 10;
constexpr std::size_t kMaxNoteBytes = 500;

core::Error Invalid(std::string message) {
  return core::Fail(core::Errc::invalid_argument, std::move(message));
}

core::Result<std::int64_t> BasedOn(const boost::json::object& body) {
  const boost::json::value* value = body.if_contains("based_on");
  if (value == nullptr || !value->is_int64() || value->as_int64() < 0) {
    return Invalid("based_on must be the version the change was made on (0: the shipped one)");
  }
  return value->as_int64();
}

core::Result<TermDraft> ReadDraft(const boost::json::object& body) {
  TermDraft draft;
  UITWEG_TRY_ASSIGN(draft.text, RequiredString(body, "text"));
  UITWEG_TRY_ASSIGN(draft.category, RequiredString(body, "category"));
  const boost::json::value* weight = body.if_contains("weight");
  if (weight == nullptr || !weight->is_number()) return Invalid("weight must be a number");
  draft.weight = weight->to_number<double>();
  if (const boost::json::value* variants = body.if_contains("variants");
      variants != nullptr && !variants->is_null()) {
    if (!variants->is_array()) return Invalid("variants must be a list of texts");
    for (const boost::json::value& variant : variants->as_array()) {
      if (!variant.is_string()) return Invalid("variants must be a list of texts");
      if (!variant.as_string().empty()) draft.variants.emplace_back(variant.as_string());
    }
  }
  return draft;
}

core::Result<std::string> Note(const boost::json::object& body) {
  UITWEG_TRY_ASSIGN(std::string note, OptionalString(body, "note"));
  if (note.size() > kMaxNoteBytes) return Invalid("the note is at most 500 bytes");
  return note;
}

core::Error Stale(std::int64_t latest) {
  return core::Fail(core::Errc::failed_precondition,
                    fmt::format("the lexicon was changed since; version {} is the latest, reload "
                                "it and make the change again",
                                latest));
}

}  // namespace

core::Result<CurrentLexicon> LatestLexicon(store::OutreachStore& store,
                                           const std::string& shipped_toml) {
  UITWEG_TRY_ASSIGN(const std::optional<store::LexiconVersion> latest,
                    store.LatestLexiconVersion());
  CurrentLexicon current;
  current.version = latest ? latest->version : 0;
  current.toml = latest ? latest->toml : shipped_toml;
  const std::string source =
      current.version == 0 ? "the shipped lexicon" : fmt::format("lexicon v{}", current.version);
  core::Result<outreach::Lexicon> parsed = outreach::Lexicon::Parse(current.toml, source);
  if (!parsed) return core::Fail(core::Errc::internal, parsed.error().message);
  current.lexicon = std::move(*parsed);
  current.label =
      current.version == 0 ? current.lexicon.version() : fmt::format("v{}", current.version);
  return current;
}

core::Result<Response> LexiconApi::Answer(const CurrentLexicon& current, unsigned status) {
  UITWEG_TRY_ASSIGN(const std::vector<store::TermStat> stats, store_.TermStats());
  std::map<std::string_view, const store::TermStat*> by_term;
  for (const store::TermStat& stat : stats) by_term.emplace(stat.term, &stat);
  boost::json::array terms;
  for (const outreach::LexiconTerm& term : current.lexicon.terms()) {
    const auto found = by_term.find(term.text);
    const store::TermStat* stat = found == by_term.end() ? nullptr : found->second;
    boost::json::array variants;
    for (const std::string& variant : term.variants) variants.emplace_back(variant);
    terms.push_back(boost::json::object{{"text", term.text},
                                        {"category", term.category},
                                        {"weight", term.weight},
                                        {"variants", std::move(variants)},
                                        {"line", term.line},
                                        {"hits", stat ? stat->hits : 0},
                                        {"recruitment", stat ? stat->recruitment : 0},
                                        {"not_recruitment", stat ? stat->not_recruitment : 0}});
  }
  return JsonResponse(status, boost::json::object{{"version", current.version},
                                                  {"toml", current.toml},
                                                  {"terms", std::move(terms)}});
}

core::Result<Response> LexiconApi::Get(const Request& request) {
  UITWEG_TRY(auth_.Check(request));
  UITWEG_TRY_ASSIGN(const CurrentLexicon current, LatestLexicon(store_, shipped_toml_));
  return Answer(current, 200);
}

core::Result<Response> LexiconApi::Versions(const Request& request) {
  UITWEG_TRY(auth_.Check(request));
  UITWEG_TRY_ASSIGN(const std::vector<store::LexiconVersion> versions,
                    store_.ListLexiconVersions());
  StaffNames names(accounts_);
  boost::json::array listed;
  for (const store::LexiconVersion& version : versions) {
    listed.push_back(boost::json::object{{"version", version.version},
                                         {"created_at", version.created_at},
                                         {"by_name", names.Of(version.created_by)},
                                         {"note", version.note}});
  }
  return JsonResponse(200, boost::json::object{{"versions", std::move(listed)}});
}

core::Result<Response> LexiconApi::AddTerm(const Request& request) {
  UITWEG_TRY_ASSIGN(const auth::Authenticated staff, auth_.CheckChange(request));
  UITWEG_TRY_ASSIGN(const boost::json::object body, ParseObject(request.body, "the body"));
  UITWEG_TRY_ASSIGN(const std::int64_t based_on, BasedOn(body));
  UITWEG_TRY_ASSIGN(const TermDraft draft, ReadDraft(body));
  UITWEG_TRY_ASSIGN(const std::string note, Note(body));
  UITWEG_TRY_ASSIGN(const CurrentLexicon current, LatestLexicon(store_, shipped_toml_));
  if (current.version != based_on) return Stale(current.version);
  UITWEG_TRY_ASSIGN(const std::string toml, WithTerm(current.toml, draft));
  return Save(staff, based_on, toml, note, fmt::format("added '{}'", draft.text), 201);
}

core::Result<Response> LexiconApi::Retire(const Request& request) {
  UITWEG_TRY_ASSIGN(const auth::Authenticated staff, auth_.CheckChange(request));
  UITWEG_TRY_ASSIGN(const boost::json::object body, ParseObject(request.body, "the body"));
  UITWEG_TRY_ASSIGN(const std::int64_t based_on, BasedOn(body));
  UITWEG_TRY_ASSIGN(const std::string term, RequiredString(body, "term"));
  UITWEG_TRY_ASSIGN(const std::string note, Note(body));
  UITWEG_TRY_ASSIGN(const CurrentLexicon current, LatestLexicon(store_, shipped_toml_));
  if (current.version != based_on) return Stale(current.version);
  UITWEG_TRY_ASSIGN(const std::string toml, WithoutTerm(current.toml, term));
  return Save(staff, based_on, toml, note, fmt::format("retired '{}'", term), 200);
}

core::Result<Response> LexiconApi::Save(const auth::Authenticated& staff, std::int64_t based_on,
                                        const std::string& toml, const std::string& note,
                                        const std::string& what, unsigned status) {
  const std::string source = fmt::format("lexicon v{}", based_on + 1);
  core::Result<outreach::Lexicon> lexicon = outreach::Lexicon::Parse(toml, source);
  if (!lexicon) return Invalid(lexicon.error().message);
  // Parsing rules out all but a regex too large to compile; a scan must not be the one to find it.
  auto compiled = outreach::Analyzer::Create(*lexicon);
  if (!compiled) return Invalid(compiled.error().message);
  UITWEG_TRY_ASSIGN(const store::LexiconVersion saved,
                    store_.SaveLexiconVersion(
                        based_on, store::LexiconVersion{.version = 0,
                                                        .toml = toml,
                                                        .created_by = staff.account.id,
                                                        .created_at = clock_.Now(),
                                                        .note = note.empty() ? what : note}));
  (void)audit_.Record(auth::Actor::Staff(staff.account), auth::audit_action::lexicon_changed, {},
                      fmt::format("v{}: {}", saved.version, what));
  CurrentLexicon current{.version = saved.version,
                         .toml = saved.toml,
                         .lexicon = std::move(*lexicon),
                         .label = fmt::format("v{}", saved.version)};
  return Answer(current, status);
}

core::Result<Response> LexiconApi::Test(const Request& request) {
  UITWEG_TRY(auth_.CheckChange(request));
  UITWEG_TRY_ASSIGN(const boost::json::object body, ParseObject(request.body, "the body"));
  UITWEG_TRY_ASSIGN(const TermDraft draft, ReadDraft(body));
  UITWEG_TRY_ASSIGN(const std::string toml, OneTermLexicon(draft));
  core::Result<outreach::Lexicon> lexicon = outreach::Lexicon::Parse(toml, "the term");
  if (!lexicon) return Invalid(lexicon.error().message);
  auto analyzer = outreach::Analyzer::Create(*lexicon);
  if (!analyzer) return Invalid(analyzer.error().message);
  const std::unique_ptr<outreach::Analyzer::Worker> worker = (*analyzer)->NewWorker();

  UITWEG_TRY_ASSIGN(const std::vector<store::Scan> scans, store_.ListScans(kTestScans));
  std::int64_t checked = 0;
  std::int64_t hits = 0;
  boost::json::array examples;
  for (const store::Scan& scan : scans) {
    store::FindingQuery query{.verdict = store::VerdictFilter::every,
                              .min_score = 0,
                              .after = 0,
                              .limit = store::OutreachStore::kMaxPage};
    for (;;) {
      UITWEG_TRY_ASSIGN(const store::FindingPage page, store_.ListFindings(scan.id, query));
      for (const store::Finding& finding : page.findings) {
        if (finding.purged || finding.text.empty() || checked >= kTestFindings) continue;
        ++checked;
        outreach::Post post;
        post.chat = finding.channel;
        post.text = finding.text;
        if ((*analyzer)->Analyze(post, *worker).matches.empty()) continue;
        ++hits;
        if (examples.size() < kTestExamples) {
          examples.push_back(boost::json::object{
              {"finding", finding.id},
              {"scan", finding.scan_id},
              {"text", finding.text},
              {"verdict", finding.verdict
                              ? boost::json::value(store::VerdictName(finding.verdict->verdict))
                              : boost::json::value(nullptr)}});
        }
      }
      if (page.findings.empty() || checked >= kTestFindings) break;
      query.after = page.findings.back().id;
    }
  }
  return JsonResponse(
      200, boost::json::object{
               {"findings_checked", checked}, {"hits", hits}, {"examples", std::move(examples)}});
}

}  // namespace uitweg::api
