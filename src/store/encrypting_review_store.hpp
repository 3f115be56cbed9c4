#pragma once
// Encryption at rest for review comments: a ReviewStore that wraps another and hands it the
// comment sealed with the reviewed conversation's data key (XChaCha20-Poly1305, the key
// EncryptingConversationStore keeps), the way a staff note in the conversation is sealed. The
// associated data binds the conversation id, so a sealed comment moved to another review fails
// to open. Shredding the conversation forgets its key and so the comment: it then reads as
// empty, and a new comment for it is refused (failed_precondition). An empty comment is stored
// empty. Scores, ids and times are not content and pass as they are.
//
// Errors: as ReviewStore, plus those of reading a key (EncryptingConversationStore::DataKeyOf)
// and internal when a stored comment fails authentication (the database was altered). Messages
// never carry keys or content. Thread safety: as ReviewStore.

#include <memory>

#include "store/encrypting_conversation_store.hpp"
#include "store/review_store.hpp"

namespace uitweg::store {

class EncryptingReviewStore final : public ReviewStore {
 public:
  // `keys` must outlive this store.
  EncryptingReviewStore(std::unique_ptr<ReviewStore> inner, EncryptingConversationStore& keys)
      : inner_(std::move(inner)), keys_(keys) {}

  core::Result<std::vector<std::string>> ListReviewable(const ReviewableQuery& query) override;
  core::Status CreateSample(const model::ReviewSample& sample) override;
  core::Result<std::optional<model::ReviewSample>> FindSample(std::string_view id) override;
  core::Result<std::vector<model::ReviewSample>> ListSamples(std::int64_t supervisor_id,
                                                             std::size_t limit) override;
  core::Status SaveReview(const model::Review& review,
                          std::optional<core::UnixMillis> replacing) override;
  core::Result<std::vector<model::Review>> FindReviews(
      std::span<const std::string> conversation_ids) override;
  core::Result<std::vector<model::Review>> ListReviews(core::UnixMillis from,
                                                       core::UnixMillis to) override;

 private:
  std::unique_ptr<ReviewStore> inner_;
  EncryptingConversationStore& keys_;
};

// What a review comment is bound to (the associated data of its sealing).
std::string ReviewCommentAad(std::string_view conversation_id);

}  // namespace uitweg::store
