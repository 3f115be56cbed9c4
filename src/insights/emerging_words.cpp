#include "insights/emerging_words.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "core/log.hpp"

namespace uitweg::insights {
namespace {

constexpr std::string_view kEmergingSetting = "insights.emerging";
// Entries read from the store at a time: a long conversation is read in pages.
constexpr std::size_t kMessagesPerRead = 1000;

core::Error Invalid(std::string_view what) {
  return core::Fail(core::Errc::invalid_argument,
                    "the stored emerging words are not readable: " + std::string(what));
}

core::Result<std::int64_t> IntField(const boost::json::object& object, std::string_view key) {
  const boost::json::value* value = object.if_contains(key);
  if (value == nullptr || !value->is_int64()) return Invalid(key);
  return value->as_int64();
}

core::Result<EmergingTerm> ParseTerm(const boost::json::value& value) {
  if (!value.is_object()) return Invalid("a term is not an object");
  const boost::json::object& object = value.as_object();
  const boost::json::value* text = object.if_contains("term");
  const boost::json::value* ratio = object.if_contains("ratio");
  if (text == nullptr || !text->is_string()) return Invalid("term");
  if (ratio == nullptr || !ratio->is_number()) return Invalid("ratio");
  EmergingTerm term;
  term.term = text->as_string();
  UITWEG_TRY_ASSIGN(term.recent, IntField(object, "recent"));
  UITWEG_TRY_ASSIGN(term.baseline, IntField(object, "baseline"));
  term.ratio = ratio->to_number<double>();
  return term;
}

}  // namespace

EmergingWindows EmergingWindowsBefore(std::int64_t today) {
  const std::int64_t recent_first = today - kEmergingRecentDays;
  return EmergingWindows{.baseline_first_day = recent_first - kEmergingBaselineDays,
                         .baseline_last_day = recent_first - 1,
                         .recent_first_day = recent_first,
                         .recent_last_day = today - 1};
}

std::string EmergingWordsJson(const EmergingWords& words) {
  boost::json::array terms;
  for (const EmergingTerm& term : words.terms) {
    terms.push_back(boost::json::object{{"term", term.term},
                                        {"recent", term.recent},
                                        {"baseline", term.baseline},
                                        {"ratio", term.ratio}});
  }
  return boost::json::serialize(
      boost::json::object{{"computed_at", words.computed_at},
                          {"baseline_first_day", words.windows.baseline_first_day},
                          {"baseline_last_day", words.windows.baseline_last_day},
                          {"recent_first_day", words.windows.recent_first_day},
                          {"recent_last_day", words.windows.recent_last_day},
                          {"recent_conversations", words.recent_conversations},
                          {"baseline_conversations", words.baseline_conversations},
                          {"min_conversations", words.min_conversations},
                          {"terms", std::move(terms)}});
}

core::Result<EmergingWords> ParseEmergingWords(std::string_view json) {
  boost::system::error_code failed;
  const boost::json::value value = boost::json::parse(json, failed);
  if (failed || !value.is_object()) return Invalid("not a JSON object");
  const boost::json::object& object = value.as_object();
  EmergingWords words;
  UITWEG_TRY_ASSIGN(words.computed_at, IntField(object, "computed_at"));
  UITWEG_TRY_ASSIGN(words.windows.baseline_first_day, IntField(object, "baseline_first_day"));
  UITWEG_TRY_ASSIGN(words.windows.baseline_last_day, IntField(object, "baseline_last_day"));
  UITWEG_TRY_ASSIGN(words.windows.recent_first_day, IntField(object, "recent_first_day"));
  UITWEG_TRY_ASSIGN(words.windows.recent_last_day, IntField(object, "recent_last_day"));
  UITWEG_TRY_ASSIGN(words.recent_conversations, IntField(object, "recent_conversations"));
  UITWEG_TRY_ASSIGN(words.baseline_conversations, IntField(object, "baseline_conversations"));
  UITWEG_TRY_ASSIGN(words.min_conversations, IntField(object, "min_conversations"));
  const boost::json::value* terms = object.if_contains("terms");
  if (terms == nullptr || !terms->is_array()) return Invalid("terms");
  for (const boost::json::value& term : terms->as_array()) {
    UITWEG_TRY_ASSIGN(EmergingTerm parsed, ParseTerm(term));
    words.terms.push_back(std::move(parsed));
  }
  return words;
}

EmergingWordsJob::EmergingWordsJob(store::ConversationStore& conversations,
                                   store::SettingStore& settings, const core::Clock& clock,
                                   DayStart day_start, EmergingOptions options)
    : conversations_(conversations),
      settings_(settings),
      clock_(clock),
      day_start_(std::move(day_start)),
      options_(options) {}

EmergingWordsJob::~EmergingWordsJob() {
  stopping_ = true;
  std::thread run;
  {
    // Joined outside mu_: the run takes mu_ to say it has finished.
    std::lock_guard lock(mu_);
    run = std::move(thread_);
  }
  if (run.joinable()) run.join();
}

bool EmergingWordsJob::Start(const EmergingWindows& windows) {
  std::lock_guard lock(mu_);
  if (running_ || stopping_) return false;
  // A finished run's thread has set running_ under mu_ and does nothing after.
  if (thread_.joinable()) thread_.join();
  running_ = true;
  thread_ = std::thread([this, windows] {
    if (core::Result<EmergingWords> ran = RunNow(windows); !ran) {
      core::Log(core::LogLevel::warn, "insights.emerging_failed",
                {{"code", core::ErrcName(ran.error().code)}});
    } else {
      core::Log(core::LogLevel::info, "insights.emerging_done",
                {{"recent_conversations", ran->recent_conversations},
                 {"baseline_conversations", ran->baseline_conversations},
                 {"terms", static_cast<std::int64_t>(ran->terms.size())}});
    }
    std::lock_guard done(mu_);
    running_ = false;
  });
  return true;
}

core::Result<bool> EmergingWordsJob::StartIfDue(std::int64_t today) {
  if (running()) return false;
  const EmergingWindows windows = EmergingWindowsBefore(today);
  UITWEG_TRY_ASSIGN(const std::optional<EmergingWords> latest, Latest());
  if (latest && latest->windows.recent_last_day >= windows.recent_last_day) return false;
  return Start(windows);
}

bool EmergingWordsJob::running() const {
  std::lock_guard lock(mu_);
  return running_;
}

core::Result<std::optional<EmergingWords>> EmergingWordsJob::Latest() const {
  UITWEG_TRY_ASSIGN(const std::optional<store::Setting> stored,
                    settings_.ReadSetting(kEmergingSetting));
  if (!stored) return std::optional<EmergingWords>();
  UITWEG_TRY_ASSIGN(EmergingWords words, ParseEmergingWords(stored->value));
  return std::optional<EmergingWords>(std::move(words));
}

core::Result<EmergingWords> EmergingWordsJob::RunNow(const EmergingWindows& windows) {
  EmergingTerms terms;
  UITWEG_TRY(
      CountWindow(Window::baseline, windows.baseline_first_day, windows.baseline_last_day, terms));
  UITWEG_TRY(CountWindow(Window::recent, windows.recent_first_day, windows.recent_last_day, terms));
  EmergingWords words{.computed_at = clock_.Now(),
                      .windows = windows,
                      .recent_conversations = terms.conversations(Window::recent),
                      .baseline_conversations = terms.conversations(Window::baseline),
                      .min_conversations = options_.min_conversations,
                      .terms = terms.Result(options_, {})};
  UITWEG_TRY(settings_.WriteSetting(kEmergingSetting, EmergingWordsJson(words), words.computed_at));
  return words;
}

core::Status EmergingWordsJob::CountWindow(Window window, std::int64_t first_day,
                                           std::int64_t last_day, EmergingTerms& terms) const {
  UITWEG_TRY_ASSIGN(
      const std::vector<std::string> ids,
      conversations_.ListStartedBetween(day_start_(first_day), day_start_(last_day + 1)));
  for (const std::string& id : ids) {
    if (stopping_) return core::Fail(core::Errc::aborted, "the server is stopping");
    core::Result<std::string> text = VisitorText(id);
    // Shredded or forgotten between the listing and the reading: nothing left to count.
    if (!text && text.error().code == core::Errc::not_found) continue;
    if (!text) return text.error();
    terms.Add(window, *text);
  }
  return {};
}

core::Result<std::string> EmergingWordsJob::VisitorText(const std::string& conversation_id) const {
  std::string text;
  std::int64_t after = 0;
  for (;;) {
    UITWEG_TRY_ASSIGN(const std::vector<model::Message> page,
                      conversations_.MessagesAfter(conversation_id, after, kMessagesPerRead));
    for (const model::Message& message : page) {
      if (message.kind == model::MessageKind::text && message.sender == model::Sender::visitor &&
          !message.body_shredded) {
        text += message.body;
        text += kMessageSeparator;
      }
    }
    if (page.size() < kMessagesPerRead) return text;
    after = page.back().seq;
  }
}

}  // namespace uitweg::insights
