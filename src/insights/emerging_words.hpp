#pragma once
// The emerging-words job (docs/insights.md, "Emerging words"): what visitors wrote in the
// conversations that started in the recent window, against what they wrote in the baseline
// window before it, counted by EmergingTerms. The text is read decrypted from the conversation
// store, inside the server, and dropped as soon as its terms are counted; what the job keeps is
// only the terms that at least `min_conversations` (the suppression threshold) recent
// conversations used, with their counts, as one setting ("insights.emerging", JSON) that every
// node reads. Shredded conversations have no text left and are not read.
//
// Only the visitor's own text messages count: not the counsellor's, not notes or whispers.
// Which terms the lexicons know already is left to the reader (api/emerging_words_api.hpp):
// a term added to a lexicon drops out at once, without a new run.
//
// Thread safety: Start, running, Latest and the destructor may be called from any thread; a run
// happens on a thread of the job's own, one at a time, so that an hour of reading never holds a
// worker the chat needs. Blocking calls (Latest, RunNow) belong on workers.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "insights/emerging_terms.hpp"
#include "store/conversation_store.hpp"
#include "store/setting_store.hpp"

namespace uitweg::insights {

// Local days, first and last included.
struct EmergingWindows {
  std::int64_t baseline_first_day = 0;
  std::int64_t baseline_last_day = 0;
  std::int64_t recent_first_day = 0;
  std::int64_t recent_last_day = 0;
};

inline constexpr std::int64_t kEmergingRecentDays = 28;
inline constexpr std::int64_t kEmergingBaselineDays = 84;

// For a run on local day `today`: the recent window is the 28 days before today, the baseline
// the 84 days before those.
EmergingWindows EmergingWindowsBefore(std::int64_t today);

struct EmergingWords {
  core::UnixMillis computed_at = 0;
  EmergingWindows windows = {};
  std::int64_t recent_conversations = 0;
  std::int64_t baseline_conversations = 0;
  std::int64_t min_conversations = 0;  // the threshold the terms were kept by
  std::vector<EmergingTerm> terms = {};
};

std::string EmergingWordsJson(const EmergingWords& words);
// invalid_argument when `json` is not what EmergingWordsJson writes.
core::Result<EmergingWords> ParseEmergingWords(std::string_view json);

class EmergingWordsJob {
 public:
  // The UTC instant a local day starts (chat::StartOfLocalDate of its name).
  using DayStart = std::function<core::UnixMillis(std::int64_t day)>;

  // `options.min_conversations` is the suppression threshold; `options.limit` how many terms
  // are kept, before the reader leaves out those the lexicons know.
  EmergingWordsJob(store::ConversationStore& conversations, store::SettingStore& settings,
                   const core::Clock& clock, DayStart day_start, EmergingOptions options);
  // Stops a run in progress (between two conversations) and waits for it.
  ~EmergingWordsJob();
  EmergingWordsJob(const EmergingWordsJob&) = delete;
  EmergingWordsJob& operator=(const EmergingWordsJob&) = delete;

  // Starts a run over `windows` on the job's thread; false when one is running already. A run
  // that fails is logged (its error code, never text) and leaves the last result in place.
  bool Start(const EmergingWindows& windows);
  // Starts a run over the windows before local day `today` unless the last run (any node's) was
  // over those already or one is running: the scheduler's call, so that the terms are at most a
  // day old. True when it started one.
  core::Result<bool> StartIfDue(std::int64_t today);
  bool running() const;

  // The last run's result (any node's); nullopt when none has finished yet.
  core::Result<std::optional<EmergingWords>> Latest() const;

  // One run on the calling thread, saved as Start's is. aborted when the job is being destroyed.
  core::Result<EmergingWords> RunNow(const EmergingWindows& windows);

 private:
  // The visitor's text in one conversation, the messages joined by newlines.
  core::Result<std::string> VisitorText(const std::string& conversation_id) const;
  core::Status CountWindow(Window window, std::int64_t first_day, std::int64_t last_day,
                           EmergingTerms& terms) const;

  store::ConversationStore& conversations_;
  store::SettingStore& settings_;
  const core::Clock& clock_;
  const DayStart day_start_;
  const EmergingOptions options_;
  std::atomic<bool> stopping_ = false;
  mutable std::mutex mu_;
  bool running_ = false;  // guarded by mu_
  std::thread thread_;    // guarded by mu_; the last run's, joined before the next starts
};

}  // namespace uitweg::insights
