#include "store/sqlite/sqlite_review_store.hpp"

#include "store/sqlite/rows.hpp"

namespace uitweg::store::sqlite {
namespace {

constexpr const char* kSampleColumns =
    "id, supervisor_id, period_from, period_to, only_unreviewed, candidates, created_at";
constexpr const char* kReviewColumns =
    "conversation_id, sample_id, reviewer_id, rubric_version, comment, ended_at, reviewed_at";

model::ReviewSample ReadSample(const Statement& row) {
  return model::ReviewSample{.id = row.Text(0),
                             .supervisor_id = row.Int(1),
                             .from = row.Int(2),
                             .to = row.Int(3),
                             .only_unreviewed = row.Int(4) != 0,
                             .candidates = row.Int(5),
                             .created_at = row.Int(6)};
}

model::Review ReadReview(const Statement& row) {
  return model::Review{.conversation_id = row.Text(0),
                       .sample_id = row.Text(1),
                       .reviewer_id = row.Int(2),
                       .rubric_version = row.Int(3),
                       .comment = row.Blob(4),
                       .ended_at = row.Int(5),
                       .reviewed_at = row.Int(6)};
}

core::Status ReadItems(Connection& db, model::ReviewSample& sample) {
  UITWEG_TRY_ASSIGN(auto select, db.Prepare("SELECT conversation_id FROM review_sample_item"
                                            " WHERE sample_id = ?1 ORDER BY position"));
  select.Bind(1, sample.id);
  UITWEG_TRY_ASSIGN(sample.conversation_ids,
                    ReadAll<std::string>(select, [](const Statement& row) -> Result<std::string> {
                      return row.Text(0);
                    }));
  return {};
}

core::Status ReadScores(Connection& db, model::Review& review) {
  UITWEG_TRY_ASSIGN(auto select, db.Prepare("SELECT criterion, score FROM review_score"
                                            " WHERE conversation_id = ?1"));
  select.Bind(1, review.conversation_id);
  for (;;) {
    UITWEG_TRY_ASSIGN(const bool row, select.Step());
    if (!row) return {};
    review.scores[select.Text(0)] = select.OptionalInt(1);
  }
}

}  // namespace

core::Result<std::vector<std::string>> SqliteReviewStore::ListReviewable(
    const ReviewableQuery& query) {
  return connections_->WithReader([&](Connection& db) -> core::Result<std::vector<std::string>> {
    UITWEG_TRY_ASSIGN(
        auto select,
        db.Prepare(
            "SELECT c.id FROM conversation AS c WHERE c.status = 'ended'"
            " AND c.accepted_at IS NOT NULL AND c.ended_at >= ?1 AND c.ended_at < ?2"
            " AND c.shredded_at IS NULL AND c.forget_requested = 0 AND c.counsellor_id IS NOT NULL"
            " AND c.counsellor_id <> ?3 AND (?4 = 0 OR NOT EXISTS"
            " (SELECT 1 FROM review AS r WHERE r.conversation_id = c.id))"
            " ORDER BY c.id LIMIT ?5"));
    select.Bind(1, query.from)
        .Bind(2, query.to)
        .Bind(3, query.reviewer_id)
        .Bind(4, std::int64_t{query.only_unreviewed ? 1 : 0})
        .Bind(5, static_cast<std::int64_t>(query.limit));
    return ReadAll<std::string>(
        select, [](const Statement& row) -> Result<std::string> { return row.Text(0); });
  });
}

core::Status SqliteReviewStore::CreateSample(const model::ReviewSample& sample) {
  return connections_->writer().Run<void>([&](Connection& db) -> core::Status {
    UITWEG_TRY_ASSIGN(auto insert,
                      db.Prepare(std::string("INSERT INTO review_sample (") + kSampleColumns +
                                 ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"));
    UITWEG_TRY(insert.Bind(1, sample.id)
                   .Bind(2, sample.supervisor_id)
                   .Bind(3, sample.from)
                   .Bind(4, sample.to)
                   .Bind(5, std::int64_t{sample.only_unreviewed ? 1 : 0})
                   .Bind(6, sample.candidates)
                   .Bind(7, sample.created_at)
                   .Run());
    std::int64_t position = 0;
    for (const std::string& conversation_id : sample.conversation_ids) {
      UITWEG_TRY_ASSIGN(auto item, db.Prepare("INSERT INTO review_sample_item (sample_id,"
                                              " position, conversation_id) VALUES (?1, ?2, ?3)"));
      UITWEG_TRY(item.Bind(1, sample.id).Bind(2, position++).Bind(3, conversation_id).Run());
    }
    return {};
  });
}

core::Result<std::optional<model::ReviewSample>> SqliteReviewStore::FindSample(
    std::string_view id) {
  return connections_->WithReader(
      [&](Connection& db) -> core::Result<std::optional<model::ReviewSample>> {
        UITWEG_TRY_ASSIGN(auto select, db.Prepare(std::string("SELECT ") + kSampleColumns +
                                                  " FROM review_sample WHERE id = ?1"));
        select.Bind(1, id);
        UITWEG_TRY_ASSIGN(const bool row, select.Step());
        if (!row) return std::optional<model::ReviewSample>();
        model::ReviewSample sample = ReadSample(select);
        UITWEG_TRY(ReadItems(db, sample));
        return std::optional<model::ReviewSample>(std::move(sample));
      });
}

core::Result<std::vector<model::ReviewSample>> SqliteReviewStore::ListSamples(
    std::int64_t supervisor_id, std::size_t limit) {
  return connections_->WithReader(
      [&](Connection& db) -> core::Result<std::vector<model::ReviewSample>> {
        UITWEG_TRY_ASSIGN(auto select, db.Prepare(std::string("SELECT ") + kSampleColumns +
                                                  " FROM review_sample WHERE supervisor_id = ?1"
                                                  " ORDER BY created_at DESC, id DESC LIMIT ?2"));
        select.Bind(1, supervisor_id).Bind(2, static_cast<std::int64_t>(limit));
        UITWEG_TRY_ASSIGN(auto samples,
                          ReadAll<model::ReviewSample>(
                              select, [](const Statement& row) -> Result<model::ReviewSample> {
                                return ReadSample(row);
                              }));
        for (model::ReviewSample& sample : samples) UITWEG_TRY(ReadItems(db, sample));
        return samples;
      });
}

core::Status SqliteReviewStore::SaveReview(const model::Review& review,
                                           std::optional<core::UnixMillis> replacing) {
  // Whether it was written: false when the review it names was replaced meanwhile (an error
  // code of aborted would have the writer run the unit again).
  UITWEG_TRY_ASSIGN(const bool written, connections_->writer().Run<bool>([&](Connection& db)
                                                                             -> core::Result<bool> {
    UITWEG_TRY_ASSIGN(
        auto upsert,
        db.Prepare("INSERT INTO review (conversation_id, sample_id, reviewer_id, rubric_version,"
                   " comment, ended_at, reviewed_at) SELECT ?1, ?2, ?3, ?4, ?5, c.ended_at, ?6"
                   " FROM conversation AS c WHERE c.id = ?1 AND c.ended_at IS NOT NULL"
                   " AND (c.shredded_at IS NULL OR ?7 = 0) ON CONFLICT (conversation_id) DO UPDATE "
                   "SET sample_id = excluded.sample_id,"
                   " reviewer_id = excluded.reviewer_id,"
                   " rubric_version = excluded.rubric_version, comment = excluded.comment,"
                   " reviewed_at = excluded.reviewed_at WHERE ?8 < 0 OR review.reviewed_at = ?8"));
    core::Status saved = upsert.Bind(1, review.conversation_id)
                             .Bind(2, review.sample_id)
                             .Bind(3, review.reviewer_id)
                             .Bind(4, review.rubric_version)
                             .BindBlob(5, review.comment)
                             .Bind(6, review.reviewed_at)
                             .Bind(7, review.comment.empty() ? 0 : 1)
                             .Bind(8, replacing.value_or(-1))
                             .Run();
    if (!saved) {
      if (saved.error().code == core::Errc::not_found) {
        return core::Fail(core::Errc::not_found, "conversation, sample or reviewer not found");
      }
      return saved.error();
    }
    if (db.Changes() == 0) {
      UITWEG_TRY_ASSIGN(auto shredded, db.Prepare("SELECT 1 FROM conversation WHERE id = ?1"
                                                  " AND shredded_at IS NOT NULL"));
      shredded.Bind(1, review.conversation_id);
      UITWEG_TRY_ASSIGN(const bool was_shredded, shredded.Step());
      if (was_shredded && !review.comment.empty()) return ShreddedComment();
      UITWEG_TRY_ASSIGN(auto reviewed,
                        db.Prepare("SELECT 1 FROM review WHERE conversation_id = ?1"));
      reviewed.Bind(1, review.conversation_id);
      UITWEG_TRY_ASSIGN(const bool has_review, reviewed.Step());
      if (has_review) return false;
      return core::Fail(core::Errc::not_found, "no such ended conversation");
    }
    UITWEG_TRY_ASSIGN(auto clear,
                      db.Prepare("DELETE FROM review_score WHERE conversation_id = ?1"));
    UITWEG_TRY(clear.Bind(1, review.conversation_id).Run());
    for (const auto& [criterion, score] : review.scores) {
      UITWEG_TRY_ASSIGN(auto insert, db.Prepare("INSERT INTO review_score (conversation_id,"
                                                " criterion, score) VALUES (?1, ?2, ?3)"));
      UITWEG_TRY(insert.Bind(1, review.conversation_id).Bind(2, criterion).Bind(3, score).Run());
    }
    return true;
  }));
  if (!written) return ReplacedMeanwhile();
  return {};
}

core::Result<std::vector<model::Review>> SqliteReviewStore::FindReviews(
    std::span<const std::string> conversation_ids) {
  return connections_->WithReader([&](Connection& db) -> core::Result<std::vector<model::Review>> {
    std::vector<model::Review> found;
    for (const std::string& id : conversation_ids) {
      UITWEG_TRY_ASSIGN(auto select, db.Prepare(std::string("SELECT ") + kReviewColumns +
                                                " FROM review WHERE conversation_id = ?1"));
      select.Bind(1, id);
      UITWEG_TRY_ASSIGN(const bool row, select.Step());
      if (!row) continue;
      model::Review review = ReadReview(select);
      UITWEG_TRY(ReadScores(db, review));
      found.push_back(std::move(review));
    }
    return found;
  });
}

core::Result<std::vector<model::Review>> SqliteReviewStore::ListReviews(core::UnixMillis from,
                                                                        core::UnixMillis to) {
  return connections_->WithReader([&](Connection& db) -> core::Result<std::vector<model::Review>> {
    UITWEG_TRY_ASSIGN(auto select,
                      db.Prepare(std::string("SELECT ") + kReviewColumns +
                                 " FROM review WHERE ended_at >= ?1 AND ended_at < ?2"));
    select.Bind(1, from).Bind(2, to);
    UITWEG_TRY_ASSIGN(auto reviews, ReadAll<model::Review>(
                                        select, [](const Statement& row) -> Result<model::Review> {
                                          model::Review review = ReadReview(row);
                                          review.comment.clear();
                                          return review;
                                        }));
    for (model::Review& review : reviews) UITWEG_TRY(ReadScores(db, review));
    return reviews;
  });
}

}  // namespace uitweg::store::sqlite
