#include "store/encrypting_review_store.hpp"

namespace uitweg::store {

std::string ReviewCommentAad(std::string_view conversation_id) {
  // Length-prefixed under its own purpose label, as the conversation store's associated data,
  // so that a comment can never stand in for a body, a nickname or a key.
  return "uitweg/review-comment/v1|" + std::to_string(conversation_id.size()) + ":" +
         std::string(conversation_id);
}

core::Result<std::vector<std::string>> EncryptingReviewStore::ListReviewable(
    const ReviewableQuery& query) {
  return inner_->ListReviewable(query);
}

core::Status EncryptingReviewStore::CreateSample(const model::ReviewSample& sample) {
  return inner_->CreateSample(sample);
}

core::Result<std::optional<model::ReviewSample>> EncryptingReviewStore::FindSample(
    std::string_view id) {
  return inner_->FindSample(id);
}

core::Result<std::vector<model::ReviewSample>> EncryptingReviewStore::ListSamples(
    std::int64_t supervisor_id, std::size_t limit) {
  return inner_->ListSamples(supervisor_id, limit);
}

core::Status EncryptingReviewStore::SaveReview(const model::Review& review,
                                               std::optional<core::UnixMillis> replacing) {
  if (review.comment.empty()) return inner_->SaveReview(review, replacing);
  UITWEG_TRY_ASSIGN(const DataKey key, keys_.DataKeyOf(review.conversation_id));
  if (!key) return ShreddedComment();
  model::Review sealed = review;
  sealed.comment = key->Seal(review.comment, ReviewCommentAad(review.conversation_id));
  return inner_->SaveReview(sealed, replacing);
}

core::Result<std::vector<model::Review>> EncryptingReviewStore::FindReviews(
    std::span<const std::string> conversation_ids) {
  UITWEG_TRY_ASSIGN(std::vector<model::Review> reviews, inner_->FindReviews(conversation_ids));
  for (model::Review& review : reviews) {
    if (review.comment.empty()) continue;
    UITWEG_TRY_ASSIGN(const DataKey key, keys_.DataKeyOf(review.conversation_id));
    if (!key) {
      review.comment.clear();
      continue;
    }
    auto opened = key->Open(review.comment, ReviewCommentAad(review.conversation_id));
    if (!opened) {
      return core::Fail(core::Errc::internal,
                        "a stored review comment failed authentication; the database was altered");
    }
    review.comment = std::move(*opened);
  }
  return reviews;
}

core::Result<std::vector<model::Review>> EncryptingReviewStore::ListReviews(core::UnixMillis from,
                                                                            core::UnixMillis to) {
  return inner_->ListReviews(from, to);
}

}  // namespace uitweg::store
