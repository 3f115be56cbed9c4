#include "api/outreach_json.hpp"

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>

namespace uitweg::api {
namespace {

boost::json::value OrNull(const std::optional<core::UnixMillis>& at) {
  return at ? boost::json::value(*at) : boost::json::value(nullptr);
}

boost::json::array Strings(const std::vector<std::string>& items) {
  boost::json::array out;
  for (const std::string& item : items) out.emplace_back(item);
  return out;
}

// The stored matches as the scan wrote them (app/scan_findings.hpp): the lexicon's matches, and
// the learned scorer's words marked "kind": "model_word".
void SplitMatches(const std::string& stored, boost::json::array& matches,
                  boost::json::array& model_words) {
  boost::system::error_code error;
  boost::json::value parsed = boost::json::parse(stored, error);
  if (error || !parsed.is_array()) return;
  for (boost::json::value& element : parsed.as_array()) {
    const boost::json::object* item = element.if_object();
    if (item == nullptr) continue;
    const boost::json::value* kind = item->if_contains("kind");
    if (kind != nullptr && kind->is_string() && kind->as_string() == "model_word") {
      model_words.push_back(boost::json::object{
          {"word", item->contains("text") ? item->at("text") : boost::json::value("")},
          {"weight", item->contains("weight") ? item->at("weight") : boost::json::value(0)}});
    } else {
      matches.push_back(std::move(element));
    }
  }
}

}  // namespace

const std::string& StaffNames::Of(std::int64_t account_id) {
  auto found = names_.find(account_id);
  if (found != names_.end()) return found->second;
  auto account = accounts_.FindAccount(account_id);
  return names_.emplace(account_id, account ? account->display_name : std::string()).first->second;
}

boost::json::object ScanJson(const store::Scan& scan, StaffNames& names) {
  return boost::json::object{{"id", scan.id},
                             {"source_name", scan.source_name},
                             {"status", store::ScanStatusName(scan.status)},
                             {"error", scan.error},
                             {"bytes_total", scan.bytes_total},
                             {"bytes_done", scan.bytes_done},
                             {"posts", scan.posts},
                             {"flagged", scan.flagged},
                             {"clusters", scan.clusters},
                             {"created_at", scan.created_at},
                             {"finished_at", OrNull(scan.finished_at)},
                             {"created_by_name", names.Of(scan.created_by)},
                             {"lexicon_version", scan.lexicon_version},
                             {"model_version", scan.model_version}};
}

boost::json::object FindingJson(const store::Finding& finding, std::int64_t cluster_size,
                                StaffNames& names) {
  boost::json::array matches;
  boost::json::array model_words;
  SplitMatches(finding.matches, matches, model_words);
  boost::json::value verdict = nullptr;
  if (finding.verdict) {
    verdict = boost::json::object{{"verdict", store::VerdictName(finding.verdict->verdict)},
                                  {"by_name", names.Of(finding.verdict->account_id)},
                                  {"at", finding.verdict->at}};
  }
  return boost::json::object{{"id", finding.id},
                             {"scan", finding.scan_id},
                             {"source", finding.source},
                             {"channel", finding.channel},
                             {"author", finding.author},
                             {"message_id", finding.message_id},
                             {"date_unix", finding.date_unix},
                             {"text", finding.text},
                             {"purged", finding.purged},
                             {"score", finding.score},
                             {"lexicon_score", finding.lexicon_score},
                             {"model_score", finding.model_score},
                             {"model_words", std::move(model_words)},
                             {"categories", Strings(finding.categories)},
                             {"matches", std::move(matches)},
                             {"cluster", finding.cluster},
                             {"cluster_size", cluster_size},
                             {"cluster_channels", finding.cluster_channels},
                             {"verdict", std::move(verdict)}};
}

bool ParseVerdictFilter(std::string_view name, store::VerdictFilter& filter) {
  using store::VerdictFilter;
  if (name == "every")
    filter = VerdictFilter::every;
  else if (name == "none")
    filter = VerdictFilter::none;
  else if (name == "any")
    filter = VerdictFilter::any;
  else if (name == "recruitment")
    filter = VerdictFilter::recruitment;
  else if (name == "not_recruitment")
    filter = VerdictFilter::not_recruitment;
  else if (name == "unsure")
    filter = VerdictFilter::unsure;
  else
    return false;
  return true;
}

}  // namespace uitweg::api
