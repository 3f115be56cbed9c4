#include "store/postgres/postgres_review_store.hpp"

#include <map>

namespace uitweg::store::postgres {
namespace {

constexpr const char* kSampleColumns =
    "id, supervisor_id, period_from, period_to, only_unreviewed, candidates, created_at";
constexpr const char* kReviewColumns =
    "conversation_id, sample_id, reviewer_id, rubric_version, comment, ended_at, reviewed_at";

Result<model::ReviewSample> ReadSample(const Row& row) {
  return model::ReviewSample{.id = row.Text(0),
                             .supervisor_id = row.Int(1),
                             .from = row.Int(2),
                             .to = row.Int(3),
                             .only_unreviewed = row.Int(4) != 0,
                             .candidates = row.Int(5),
                             .created_at = row.Int(6)};
}

Result<model::Review> ReadReview(const Row& row) {
  return model::Review{.conversation_id = row.Text(0),
                       .sample_id = row.Text(1),
                       .reviewer_id = row.Int(2),
                       .rubric_version = row.Int(3),
                       .comment = row.Blob(4),
                       .ended_at = row.Int(5),
                       .reviewed_at = row.Int(6)};
}

core::Status ReadItems(Connection& db, model::ReviewSample& sample) {
  UITWEG_TRY_ASSIGN(Rows rows, db.Query("SELECT conversation_id FROM review_sample_item"
                                        " WHERE sample_id = $1 ORDER BY position",
                                        {sample.id}));
  for (int i = 0; i < rows.size(); ++i) sample.conversation_ids.push_back(rows[i].Text(0));
  return {};
}

// The scores of every review in `reviews`, read in one query.
core::Status ReadScores(Connection& db, std::vector<model::Review>& reviews) {
  if (reviews.empty()) return {};
  std::vector<std::string> ids;
  for (const model::Review& review : reviews) ids.push_back(review.conversation_id);
  UITWEG_TRY_ASSIGN(Rows rows, db.Query("SELECT conversation_id, criterion, score FROM review_score"
                                        " WHERE conversation_id = ANY($1::text[])",
                                        {TextArray(ids)}));
  std::map<std::string, model::ReviewScores, std::less<>> scores;
  for (int i = 0; i < rows.size(); ++i) {
    scores[rows[i].Text(0)][rows[i].Text(1)] = rows[i].OptionalInt(2);
  }
  for (model::Review& review : reviews) {
    if (auto found = scores.find(review.conversation_id); found != scores.end()) {
      review.scores = std::move(found->second);
    }
  }
  return {};
}

}  // namespace

core::Result<std::vector<std::string>> PostgresReviewStore::ListReviewable(
    const ReviewableQuery& query) {
  return connections_->WithReader([&](Connection& db) -> core::Result<std::vector<std::string>> {
    UITWEG_TRY_ASSIGN(
        Rows rows,
        db.Query(
            "SELECT c.id FROM conversation AS c WHERE c.status = 'ended'"
            " AND c.accepted_at IS NOT NULL AND c.ended_at >= $1 AND c.ended_at < $2"
            " AND c.shredded_at IS NULL AND c.forget_requested = 0 AND c.counsellor_id IS NOT NULL"
            " AND c.counsellor_id <> $3 AND ($4 = 0 OR NOT EXISTS"
            " (SELECT 1 FROM review AS r WHERE r.conversation_id = c.id))"
            " ORDER BY c.id COLLATE \"C\" LIMIT $5",
            {query.from, query.to, query.reviewer_id, std::int64_t{query.only_unreviewed ? 1 : 0},
             static_cast<std::int64_t>(query.limit)}));
    std::vector<std::string> ids;
    for (int i = 0; i < rows.size(); ++i) ids.push_back(rows[i].Text(0));
    return ids;
  });
}

core::Status PostgresReviewStore::CreateSample(const model::ReviewSample& sample) {
  return connections_->writer().Run<void>([&](Connection& db) -> core::Status {
    UITWEG_TRY(db.Query(
        std::string("INSERT INTO review_sample (") + kSampleColumns +
            ") VALUES ($1, $2, $3, $4, $5, $6, $7)",
        {sample.id, sample.supervisor_id, sample.from, sample.to,
         std::int64_t{sample.only_unreviewed ? 1 : 0}, sample.candidates, sample.created_at}));
    std::int64_t position = 0;
    for (const std::string& conversation_id : sample.conversation_ids) {
      UITWEG_TRY(
          db.Query("INSERT INTO review_sample_item (sample_id, position, conversation_id)"
                   " VALUES ($1, $2, $3)",
                   {sample.id, position++, conversation_id}));
    }
    return {};
  });
}

core::Result<std::optional<model::ReviewSample>> PostgresReviewStore::FindSample(
    std::string_view id) {
  return connections_->WithReader(
      [&](Connection& db) -> core::Result<std::optional<model::ReviewSample>> {
        UITWEG_TRY_ASSIGN(Rows rows, db.Query(std::string("SELECT ") + kSampleColumns +
                                                  " FROM review_sample WHERE id = $1",
                                              {id}));
        if (rows.empty()) return std::optional<model::ReviewSample>();
        UITWEG_TRY_ASSIGN(model::ReviewSample sample, ReadSample(rows[0]));
        UITWEG_TRY(ReadItems(db, sample));
        return std::optional<model::ReviewSample>(std::move(sample));
      });
}

core::Result<std::vector<model::ReviewSample>> PostgresReviewStore::ListSamples(
    std::int64_t supervisor_id, std::size_t limit) {
  return connections_->WithReader(
      [&](Connection& db) -> core::Result<std::vector<model::ReviewSample>> {
        UITWEG_TRY_ASSIGN(Rows rows,
                          db.Query(std::string("SELECT ") + kSampleColumns +
                                       " FROM review_sample WHERE supervisor_id = $1"
                                       " ORDER BY created_at DESC, id COLLATE \"C\" DESC LIMIT $2",
                                   {supervisor_id, static_cast<std::int64_t>(limit)}));
        UITWEG_TRY_ASSIGN(auto samples, ReadAll<model::ReviewSample>(rows, ReadSample));
        for (model::ReviewSample& sample : samples) UITWEG_TRY(ReadItems(db, sample));
        return samples;
      });
}

core::Status PostgresReviewStore::SaveReview(const model::Review& review,
                                             std::optional<core::UnixMillis> replacing) {
  // Whether it was written: false when the review it names was replaced meanwhile (an error
  // code of aborted would have the writer run the unit again).
  UITWEG_TRY_ASSIGN(
      const bool written,
      connections_->writer().Run<bool>(
          [&](Connection& db) -> core::Result<bool> {
            // Waits for a shred of the conversation that is under way (another node, or `retention
            // run`), so that the statement below sees it: it blanks the comment this would write.
            // Not while the writer lets units do without waiting: then the unit is set aside and
            // tried again.
            UITWEG_TRY(db.Query(db.WaitsForLocks()
                                    ? "SELECT 1 FROM conversation WHERE id = $1 FOR SHARE"
                                    : "SELECT 1 FROM conversation WHERE id = $1 FOR SHARE NOWAIT",
                                {review.conversation_id}));
            auto saved = db.Query(
                "INSERT INTO review (conversation_id, sample_id, reviewer_id, rubric_version, "
                "comment,"
                " ended_at, reviewed_at) SELECT $1, $2, $3, $4, $5, c.ended_at, $6 FROM "
                "conversation "
                "AS c"
                " WHERE c.id = $1 AND c.ended_at IS NOT NULL AND (c.shredded_at IS NULL OR $7 = 0)"
                " ON CONFLICT (conversation_id) DO UPDATE SET"
                " sample_id = excluded.sample_id, reviewer_id = excluded.reviewer_id,"
                " rubric_version = excluded.rubric_version, comment = excluded.comment,"
                " reviewed_at = excluded.reviewed_at"
                " WHERE $8::bigint < 0 OR review.reviewed_at = $8::bigint",
                {review.conversation_id, review.sample_id, review.reviewer_id,
                 review.rubric_version, Param::Bytes(review.comment), review.reviewed_at,
                 std::int64_t{review.comment.empty() ? 0 : 1}, replacing.value_or(-1)});
            if (!saved) {
              if (saved.error().code == core::Errc::not_found) {
                return core::Fail(core::Errc::not_found,
                                  "conversation, sample or reviewer not found");
              }
              return saved.error();
            }
            if (saved->affected() == 0) {
              UITWEG_TRY_ASSIGN(Rows shredded, db.Query("SELECT 1 FROM conversation WHERE id = $1"
                                                        " AND shredded_at IS NOT NULL",
                                                        {review.conversation_id}));
              if (shredded.size() > 0 && !review.comment.empty()) return ShreddedComment();
              UITWEG_TRY_ASSIGN(Rows reviewed,
                                db.Query("SELECT 1 FROM review WHERE conversation_id = $1",
                                         {review.conversation_id}));
              if (reviewed.size() > 0) return false;
              return core::Fail(core::Errc::not_found, "no such ended conversation");
            }
            UITWEG_TRY(db.Query("DELETE FROM review_score WHERE conversation_id = $1",
                                {review.conversation_id}));
            for (const auto& [criterion, score] : review.scores) {
              UITWEG_TRY(
                  db.Query("INSERT INTO review_score (conversation_id, criterion, score)"
                           " VALUES ($1, $2, $3)",
                           {review.conversation_id, criterion, score}));
            }
            return true;
          },
          review.conversation_id));
  if (!written) return ReplacedMeanwhile();
  return {};
}

core::Result<std::vector<model::Review>> PostgresReviewStore::FindReviews(
    std::span<const std::string> conversation_ids) {
  return connections_->WithReader([&](Connection& db) -> core::Result<std::vector<model::Review>> {
    UITWEG_TRY_ASSIGN(Rows rows,
                      db.Query(std::string("SELECT ") + kReviewColumns +
                                   " FROM review WHERE conversation_id = ANY($1::text[])",
                               {TextArray(conversation_ids)}));
    UITWEG_TRY_ASSIGN(auto reviews, ReadAll<model::Review>(rows, ReadReview));
    UITWEG_TRY(ReadScores(db, reviews));
    return reviews;
  });
}

core::Result<std::vector<model::Review>> PostgresReviewStore::ListReviews(core::UnixMillis from,
                                                                          core::UnixMillis to) {
  return connections_->WithReader([&](Connection& db) -> core::Result<std::vector<model::Review>> {
    UITWEG_TRY_ASSIGN(Rows rows, db.Query(std::string("SELECT ") + kReviewColumns +
                                              " FROM review WHERE ended_at >= $1 AND ended_at < $2",
                                          {from, to}));
    UITWEG_TRY_ASSIGN(auto reviews, ReadAll<model::Review>(rows, ReadReview));
    for (model::Review& review : reviews) review.comment.clear();
    UITWEG_TRY(ReadScores(db, reviews));
    return reviews;
  });
}

}  // namespace uitweg::store::postgres
