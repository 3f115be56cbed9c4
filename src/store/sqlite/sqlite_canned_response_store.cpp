#include "store/sqlite/sqlite_canned_response_store.hpp"

#include "store/sqlite/rows.hpp"

namespace uitweg::store::sqlite {

core::Result<std::vector<model::CannedResponse>> SqliteCannedResponseStore::ListCanned() {
  return connections_->WithReader(
      [&](Connection& db) -> core::Result<std::vector<model::CannedResponse>> {
        UITWEG_TRY_ASSIGN(auto select,
                          db.Prepare("SELECT id, title, body, language, tags, updated_at"
                                     " FROM canned_response ORDER BY title, id"));
        return ReadAll<model::CannedResponse>(select, [](const Statement& row) {
          return model::CannedResponse{.id = row.Int(0),
                                       .title = row.Text(1),
                                       .body = row.Text(2),
                                       .language = row.Text(3),
                                       .tags = SplitTags(row.Text(4)),
                                       .updated_at = row.Int(5)};
        });
      });
}

core::Result<model::CannedResponse> SqliteCannedResponseStore::CreateCanned(
    const model::CannedResponse& canned) {
  return connections_->writer().Run<model::CannedResponse>(
      [&](Connection& db) -> core::Result<model::CannedResponse> {
        UITWEG_TRY_ASSIGN(auto insert,
                          db.Prepare("INSERT INTO canned_response (title, body, language, tags,"
                                     " updated_at) VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id"));
        insert.Bind(1, canned.title)
            .Bind(2, canned.body)
            .Bind(3, canned.language)
            .Bind(4, JoinTags(canned.tags))
            .Bind(5, canned.updated_at);
        UITWEG_TRY_ASSIGN(const bool row, insert.Step());
        if (!row) return core::Fail(core::Errc::internal, "no id for the canned response");
        model::CannedResponse created = canned;
        created.id = insert.Int(0);
        UITWEG_TRY(insert.Run());
        return created;
      },
      "canned response");
}

core::Status SqliteCannedResponseStore::UpdateCanned(const model::CannedResponse& canned,
                                                     std::optional<core::UnixMillis> based_on) {
  return connections_->writer().Run<void>([&](Connection& db) -> core::Status {
    UITWEG_TRY_ASSIGN(auto update,
                      db.Prepare("UPDATE canned_response SET title = ?2, body = ?3, language = ?4,"
                                 " tags = ?5, updated_at = ?6 WHERE id = ?1"
                                 " AND (?7 IS NULL OR updated_at = ?7)"));
    UITWEG_TRY(update.Bind(1, canned.id)
                   .Bind(2, canned.title)
                   .Bind(3, canned.body)
                   .Bind(4, canned.language)
                   .Bind(5, JoinTags(canned.tags))
                   .Bind(6, canned.updated_at)
                   .Bind(7, based_on)
                   .Run());
    if (db.Changes() > 0) return {};
    UITWEG_TRY_ASSIGN(auto exists, db.Prepare("SELECT 1 FROM canned_response WHERE id = ?1"));
    exists.Bind(1, canned.id);
    UITWEG_TRY_ASSIGN(const bool found, exists.Step());
    return found ? ChangedMeanwhile()
                 : core::Fail(core::Errc::not_found, "canned response not found");
  });
}

core::Status SqliteCannedResponseStore::DeleteCanned(std::int64_t id) {
  return connections_->writer().Run<void>([&](Connection& db) -> core::Status {
    UITWEG_TRY_ASSIGN(auto remove, db.Prepare("DELETE FROM canned_response WHERE id = ?1"));
    UITWEG_TRY(remove.Bind(1, id).Run());
    if (db.Changes() == 0) return core::Fail(core::Errc::not_found, "canned response not found");
    return {};
  });
}

}  // namespace uitweg::store::sqlite
