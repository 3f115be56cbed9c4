#include "chat/reviews.hpp"

#include <algorithm>
#include <map>

#include "crypto/random.hpp"
#include "model/permissions.hpp"

namespace uitweg::chat {
namespace {

core::Status MayReview(const Counsellor& supervisor) {
  if (!model::RoleMay(supervisor.role, model::Permission::review_conversations)) {
    return core::Fail(core::Errc::permission_denied, "your role does not review conversations");
  }
  return {};
}

core::Error UnknownSample() {
  return core::Fail(core::Errc::not_found, "no such sample");
}

}  // namespace

core::Result<SampleProgress> Reviews::Draw(const Counsellor& supervisor, const ReviewDraw& draw) {
  UITWEG_TRY(MayReview(supervisor));
  if (draw.size < 1 || draw.size > kMaxSampleSize) {
    return core::Fail(core::Errc::invalid_argument,
                      "a sample holds 1 to " + std::to_string(kMaxSampleSize) + " conversations");
  }
  if (draw.to <= draw.from || draw.to - draw.from > kMaxSamplePeriod) {
    return core::Fail(core::Errc::invalid_argument,
                      "the period ends after it starts and spans at most a year");
  }
  UITWEG_TRY_ASSIGN(
      std::vector<std::string> candidates,
      store_.ListReviewable(store::ReviewableQuery{.from = draw.from,
                                                   .to = draw.to,
                                                   .reviewer_id = supervisor.account_id,
                                                   .only_unreviewed = draw.only_unreviewed,
                                                   .limit = kMaxSampleCandidates}));
  if (candidates.empty()) {
    return core::Fail(core::Errc::failed_precondition,
                      "no conversation of that period is left to review");
  }
  model::ReviewSample sample{.id = crypto::RandomId("rs_"),
                             .supervisor_id = supervisor.account_id,
                             .from = draw.from,
                             .to = draw.to,
                             .only_unreviewed = draw.only_unreviewed,
                             .candidates = static_cast<std::int64_t>(candidates.size()),
                             .created_at = clock_.Now()};
  sample.conversation_ids = DrawAtRandom(std::move(candidates), draw.size, below_);
  UITWEG_TRY(store_.CreateSample(sample));
  return Progress(std::move(sample));
}

core::Result<std::vector<SampleProgress>> Reviews::Samples(const Counsellor& supervisor) {
  UITWEG_TRY(MayReview(supervisor));
  UITWEG_TRY_ASSIGN(auto samples, store_.ListSamples(supervisor.account_id, kSamplesListed));
  std::vector<SampleProgress> listed;
  for (model::ReviewSample& sample : samples) {
    UITWEG_TRY_ASSIGN(SampleProgress progress, Progress(std::move(sample)));
    listed.push_back(std::move(progress));
  }
  return listed;
}

core::Result<SampleProgress> Reviews::Sample(std::string_view sample_id,
                                             const Counsellor& supervisor) {
  UITWEG_TRY_ASSIGN(model::ReviewSample sample, OwnSample(sample_id, supervisor));
  return Progress(std::move(sample));
}

core::Result<Reviews::Opened> Reviews::Open(std::string_view sample_id,
                                            std::string_view conversation_id,
                                            const Counsellor& supervisor) {
  UITWEG_TRY_ASSIGN(const model::ReviewSample sample, OwnSample(sample_id, supervisor));
  const auto& ids = sample.conversation_ids;
  if (std::find(ids.begin(), ids.end(), conversation_id) == ids.end()) {
    return core::Fail(core::Errc::not_found, "no such conversation in this sample");
  }
  Opened opened;
  UITWEG_TRY_ASSIGN(opened.transcript, conversations_.OpenForReview(conversation_id));
  const std::string one[] = {std::string(conversation_id)};
  UITWEG_TRY_ASSIGN(auto reviews, store_.FindReviews(one));
  if (!reviews.empty()) opened.review = std::move(reviews.front());
  return opened;
}

core::Result<model::Review> Reviews::Save(std::string_view sample_id,
                                          std::string_view conversation_id,
                                          const Counsellor& supervisor, model::ReviewScores scores,
                                          std::string_view comment,
                                          std::optional<core::UnixMillis> based_on) {
  UITWEG_TRY_ASSIGN(const model::ReviewSample sample, OwnSample(sample_id, supervisor));
  const auto& ids = sample.conversation_ids;
  if (std::find(ids.begin(), ids.end(), conversation_id) == ids.end()) {
    return core::Fail(core::Errc::not_found, "no such conversation in this sample");
  }
  UITWEG_TRY(CheckScores(rubric_, scores));
  UITWEG_TRY_ASSIGN(std::string cleaned, CleanComment(comment));
  const std::string one[] = {std::string(conversation_id)};
  model::Review review{.conversation_id = std::string(conversation_id),
                       .sample_id = sample.id,
                       .reviewer_id = supervisor.account_id,
                       .rubric_version = rubric_.version,
                       .scores = std::move(scores),
                       .comment = std::move(cleaned),
                       .ended_at = 0,
                       .reviewed_at = clock_.Now()};
  UITWEG_TRY(store_.SaveReview(review, based_on));
  UITWEG_TRY_ASSIGN(auto saved, store_.FindReviews(one));
  if (saved.empty()) return core::Fail(core::Errc::internal, "a saved review was not found");
  return std::move(saved.front());
}

core::Result<model::ReviewSample> Reviews::OwnSample(std::string_view sample_id,
                                                     const Counsellor& supervisor) {
  UITWEG_TRY(MayReview(supervisor));
  UITWEG_TRY_ASSIGN(auto sample, store_.FindSample(sample_id));
  if (!sample || sample->supervisor_id != supervisor.account_id) return UnknownSample();
  return std::move(*sample);
}

core::Result<SampleProgress> Reviews::Progress(model::ReviewSample sample) {
  SampleProgress progress;
  UITWEG_TRY_ASSIGN(const auto conversations, conversation_store_.FindAll(sample.conversation_ids));
  UITWEG_TRY_ASSIGN(auto reviews, store_.FindReviews(sample.conversation_ids));
  std::map<std::string, model::Conversation, std::less<>> by_id;
  for (const model::Conversation& conversation : conversations) {
    by_id[conversation.id] = conversation;
  }
  std::map<std::string, model::Review, std::less<>> reviewed;
  for (model::Review& review : reviews) reviewed[review.conversation_id] = std::move(review);
  for (const std::string& id : sample.conversation_ids) {
    SampleItem item;
    if (auto found = by_id.find(id); found != by_id.end()) item.conversation = found->second;
    if (auto found = reviewed.find(id); found != reviewed.end()) {
      item.review = std::move(found->second);
      ++progress.reviewed;
    }
    progress.items.push_back(std::move(item));
  }
  progress.sample = std::move(sample);
  return progress;
}

}  // namespace uitweg::chat
