#pragma once
// Methodology review (docs/review.md): a supervisor draws a random sample of ended, accepted
// conversations of a period (never their own), reads each transcript beside the rubric (data,
// model/review.hpp) and scores every criterion, with an optional short comment for the
// counsellor's coaching. A sample is its supervisor's: anyone else's reads as unknown, and only
// the conversations of a sample can be opened through it. Who may review at all is
// Permission::review_conversations (supervisors); every other role is permission_denied.
//
// Thread-safe; every method blocks on the stores: call from workers.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "chat/conversations.hpp"
#include "chat/review_rules.hpp"
#include "core/clock.hpp"
#include "model/review.hpp"
#include "store/conversation_store.hpp"
#include "store/review_store.hpp"

namespace uitweg::chat {

inline constexpr std::size_t kMaxSampleSize = 50;
// Conversations a sample is drawn from at most: more than a year of a busy service holds.
inline constexpr std::size_t kMaxSampleCandidates = 200'000;
inline constexpr core::UnixMillis kMaxSamplePeriod = 366LL * 24 * 60 * 60 * 1000;
inline constexpr std::size_t kSamplesListed = 50;

struct SampleItem {
  model::Conversation conversation = {};
  std::optional<model::Review> review = {};  // nullopt: not reviewed yet
};

struct SampleProgress {
  model::ReviewSample sample = {};
  std::vector<SampleItem> items = {};  // in the order drawn
  std::size_t reviewed = 0;
};

struct ReviewDraw {
  core::UnixMillis from = 0;  // conversations that ended in [from, to)
  core::UnixMillis to = 0;
  std::size_t size = 10;  // 1..kMaxSampleSize
  bool only_unreviewed = false;
};

class Reviews {
 public:
  Reviews(model::ReviewRubric rubric, store::ReviewStore& store, Conversations& conversations,
          store::ConversationStore& conversation_store, const core::Clock& clock, RandomBelow below)
      : rubric_(std::move(rubric)),
        store_(store),
        conversations_(conversations),
        conversation_store_(conversation_store),
        clock_(clock),
        below_(std::move(below)) {}

  const model::ReviewRubric& rubric() const { return rubric_; }

  // Draws and stores a sample. invalid_argument for a size outside 1..kMaxSampleSize or a
  // period that is empty or longer than kMaxSamplePeriod; failed_precondition when no
  // conversation of the period can be reviewed. A sample may hold fewer than asked.
  core::Result<SampleProgress> Draw(const Counsellor& supervisor, const ReviewDraw& draw);
  // This supervisor's samples with their progress, newest first, at most kSamplesListed.
  core::Result<std::vector<SampleProgress>> Samples(const Counsellor& supervisor);
  // One of this supervisor's samples; not_found for anyone else's or an unknown id.
  core::Result<SampleProgress> Sample(std::string_view sample_id, const Counsellor& supervisor);

  struct Opened {
    Conversations::Transcript transcript = {};
    std::optional<model::Review> review = {};
  };
  // A conversation of one of this supervisor's samples, with its review so far. not_found when
  // the sample is not theirs or does not hold the conversation.
  core::Result<Opened> Open(std::string_view sample_id, std::string_view conversation_id,
                            const Counsellor& supervisor);
  // Scores a conversation of the supervisor's sample: every criterion (chat/review_rules.hpp),
  // and a comment (trimmed; may be empty). `based_on`, when given, is the reviewed_at of the
  // review the supervisor saw (0: none): if another supervisor has saved one since (the same
  // conversation can be in two samples), aborted, and theirs stays. Errors as Open, and
  // invalid_argument.
  core::Result<model::Review> Save(std::string_view sample_id, std::string_view conversation_id,
                                   const Counsellor& supervisor, model::ReviewScores scores,
                                   std::string_view comment,
                                   std::optional<core::UnixMillis> based_on = std::nullopt);

 private:
  core::Result<model::ReviewSample> OwnSample(std::string_view sample_id,
                                              const Counsellor& supervisor);
  core::Result<SampleProgress> Progress(model::ReviewSample sample);

  const model::ReviewRubric rubric_;
  store::ReviewStore& store_;
  Conversations& conversations_;
  store::ConversationStore& conversation_store_;
  const core::Clock& clock_;
  const RandomBelow below_;
};

}  // namespace uitweg::chat
