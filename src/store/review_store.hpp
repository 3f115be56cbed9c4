#pragma once
// Methodology review (model/review.hpp): the samples supervisors draw and one review per
// conversation, its scores kept as rows (criterion, score) so that aggregates read them plainly.
// What a review may hold is the caller's to check (chat/reviews.hpp). The comment is content: a
// plain backend keeps it as given; EncryptingReviewStore (encrypting_review_store.hpp) seals it
// with the conversation's data key before it gets here. Shredding the conversation blanks it in
// either case (ConversationStore::Shred): a node that still holds the forgotten key in memory
// must find nothing to open.
//
// Thread safety and errors as AccountStore: any thread, blocking (call from workers); not_found
// for an unknown conversation, sample or account; unavailable/internal when the database fails.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "model/review.hpp"

namespace uitweg::store {

// Which conversations a sample may be drawn from.
struct ReviewableQuery {
  core::UnixMillis from = 0;  // ended in [from, to)
  core::UnixMillis to = 0;
  std::int64_t reviewer_id = 0;  // whose own conversations are left out
  bool only_unreviewed = false;  // leave out conversations that have a review
  std::size_t limit = 0;
};

// The error a comment on a shredded conversation gets, from the store or from its encryption.
inline core::Error ShreddedComment() {
  return core::Fail(core::Errc::failed_precondition,
                    "the conversation was shredded; its review can keep no comment");
}

// The error a save over a review other than the one it names gets.
inline core::Error ReplacedMeanwhile() {
  return core::Fail(core::Errc::aborted,
                    "a colleague reviewed this conversation meanwhile; open it again to see "
                    "their review");
}

class ReviewStore {
 public:
  virtual ~ReviewStore() = default;

  // The ids of conversations that ended in the period after a counsellor accepted them, not in
  // the reviewer's hands, not shredded and not to be forgotten (the visitor asked), ordered by
  // id, at most `limit`.
  virtual core::Result<std::vector<std::string>> ListReviewable(const ReviewableQuery& query) = 0;
  // Stores a new sample with its conversations in their order.
  virtual core::Status CreateSample(const model::ReviewSample& sample) = 0;
  // nullopt for an unknown id.
  virtual core::Result<std::optional<model::ReviewSample>> FindSample(std::string_view id) = 0;
  // The samples `supervisor_id` drew, newest first, at most `limit`.
  virtual core::Result<std::vector<model::ReviewSample>> ListSamples(std::int64_t supervisor_id,
                                                                     std::size_t limit) = 0;
  // Creates or replaces the review of its conversation, its scores whole. ended_at is taken from
  // the conversation, whatever the caller set. failed_precondition (ShreddedComment) for a
  // comment on a shredded conversation. `replacing`: only over the review saved at that time
  // (0: only while there is none), aborted when another was saved meanwhile, decided in the same
  // statement as the write (two supervisors saving at once cannot both pass); nullopt: over
  // whatever there is.
  virtual core::Status SaveReview(const model::Review& review,
                                  std::optional<core::UnixMillis> replacing) = 0;
  core::Status SaveReview(const model::Review& review) { return SaveReview(review, std::nullopt); }
  // The reviews of those of `conversation_ids` that have one, with scores and comment, in no
  // particular order.
  virtual core::Result<std::vector<model::Review>> FindReviews(
      std::span<const std::string> conversation_ids) = 0;
  // The reviews of conversations that ended in [from, to), with their scores and without their
  // comments (an aggregate never reads one), in no particular order.
  virtual core::Result<std::vector<model::Review>> ListReviews(core::UnixMillis from,
                                                               core::UnixMillis to) = 0;
};

}  // namespace uitweg::store
