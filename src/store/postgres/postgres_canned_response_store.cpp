#include "store/postgres/postgres_canned_response_store.hpp"

namespace uitweg::store::postgres {
namespace {

core::Result<model::CannedResponse> ReadCanned(const Row& row) {
  return model::CannedResponse{.id = row.Int(0),
                               .title = row.Text(1),
                               .body = row.Text(2),
                               .language = row.Text(3),
                               .tags = SplitTags(row.Text(4)),
                               .updated_at = row.Int(5)};
}

}  // namespace

core::Result<std::vector<model::CannedResponse>> PostgresCannedResponseStore::ListCanned() {
  return connections_->WithReader(
      [&](Connection& db) -> core::Result<std::vector<model::CannedResponse>> {
        UITWEG_TRY_ASSIGN(Rows rows, db.Query("SELECT id, title, body, language, tags, updated_at"
                                              " FROM canned_response ORDER BY title, id"));
        return ReadAll<model::CannedResponse>(rows, ReadCanned);
      });
}

core::Result<model::CannedResponse> PostgresCannedResponseStore::CreateCanned(
    const model::CannedResponse& canned) {
  return connections_->writer().Run<model::CannedResponse>(
      [&](Connection& db) -> core::Result<model::CannedResponse> {
        UITWEG_TRY_ASSIGN(
            Rows rows, db.Query("INSERT INTO canned_response (title, body, language, tags,"
                                " updated_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
                                {canned.title, canned.body, canned.language, JoinTags(canned.tags),
                                 canned.updated_at}));
        model::CannedResponse created = canned;
        created.id = rows[0].Int(0);
        return created;
      },
      "canned response");
}

core::Status PostgresCannedResponseStore::UpdateCanned(const model::CannedResponse& canned,
                                                       std::optional<core::UnixMillis> based_on) {
  return connections_->writer().Run<void>([&](Connection& db) -> core::Status {
    UITWEG_TRY_ASSIGN(Rows rows,
                      db.Query("UPDATE canned_response SET title = $2, body = $3, language = $4,"
                               " tags = $5, updated_at = $6 WHERE id = $1"
                               " AND ($7::BIGINT IS NULL OR updated_at = $7)",
                               {canned.id, canned.title, canned.body, canned.language,
                                JoinTags(canned.tags), canned.updated_at, based_on}));
    if (rows.affected() > 0) return {};
    UITWEG_TRY_ASSIGN(Rows found,
                      db.Query("SELECT 1 FROM canned_response WHERE id = $1", {canned.id}));
    return found.empty() ? core::Fail(core::Errc::not_found, "canned response not found")
                         : ChangedMeanwhile();
  });
}

core::Status PostgresCannedResponseStore::DeleteCanned(std::int64_t id) {
  return connections_->writer().Run<void>([&](Connection& db) -> core::Status {
    UITWEG_TRY_ASSIGN(Rows rows, db.Query("DELETE FROM canned_response WHERE id = $1", {id}));
    if (rows.affected() == 0) return core::Fail(core::Errc::not_found, "canned response not found");
    return {};
  });
}

}  // namespace uitweg::store::postgres
