#pragma once
// The SQLite ReviewStore: reads from the reader pool, writes through the one writer.

#include <memory>

#include "store/review_store.hpp"
#include "store/sqlite/connections.hpp"

namespace uitweg::store::sqlite {

class SqliteReviewStore final : public ReviewStore {
 public:
  explicit SqliteReviewStore(std::shared_ptr<Connections> connections)
      : connections_(std::move(connections)) {}

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
  std::shared_ptr<Connections> connections_;
};

}  // namespace uitweg::store::sqlite
