#include "store/sqlite/sqlite_registration_store.hpp"

#include "store/insights_sql.hpp"
#include "store/record_rows.hpp"
#include "store/sqlite/rows.hpp"

namespace uitweg::store::sqlite {
namespace {

const std::string kSelectRegistration =
    std::string("SELECT ") + kRegistrationColumns + " FROM registration WHERE conversation_id = ?1";

}  // namespace

core::Result<std::optional<model::Registration>> SqliteRegistrationStore::FindRegistration(
    std::string_view conversation_id) {
  return connections_->WithReader(
      [&](Connection& db) -> core::Result<std::optional<model::Registration>> {
        UITWEG_TRY_ASSIGN(auto select, db.Prepare(kSelectRegistration));
        select.Bind(1, conversation_id);
        UITWEG_TRY_ASSIGN(const bool row, select.Step());
        if (!row) return std::optional<model::Registration>();
        UITWEG_TRY_ASSIGN(model::Registration found, ReadRegistration<Statement>(select));
        UITWEG_TRY_ASSIGN(auto select_answers,
                          db.Prepare("SELECT field, value FROM registration_answer"
                                     " WHERE conversation_id = ?1 ORDER BY field, rowid"));
        select_answers.Bind(1, conversation_id);
        UITWEG_TRY_ASSIGN(const auto rows, (ReadAll<std::pair<std::string, std::string>>(
                                               select_answers, [](const Statement& row) {
                                                 return std::pair(row.Text(0), row.Text(1));
                                               })));
        for (const auto& [field, value] : rows) found.answers[field].push_back(value);
        return std::optional<model::Registration>(std::move(found));
      });
}

core::Result<std::vector<model::Registration>> SqliteRegistrationStore::FindRegistrations(
    std::span<const std::string> conversation_ids) {
  return connections_->WithReader(
      [&](Connection& db) -> core::Result<std::vector<model::Registration>> {
        std::vector<model::Registration> found;
        for (const std::string& id : conversation_ids) {
          UITWEG_TRY_ASSIGN(auto select, db.Prepare(kSelectRegistration));
          select.Bind(1, id);
          UITWEG_TRY_ASSIGN(const bool row, select.Step());
          if (!row) continue;
          UITWEG_TRY_ASSIGN(model::Registration registration, ReadRegistration<Statement>(select));
          found.push_back(std::move(registration));
        }
        return found;
      });
}

core::Status SqliteRegistrationStore::SaveRegistration(const model::Registration& registration) {
  return connections_->writer().Run<void>([&](Connection& db) -> core::Status {
    UITWEG_TRY_ASSIGN(auto upsert,
                      db.Prepare("INSERT INTO registration (conversation_id, counsellor_id,"
                                 " complete, form_version, updated_at) VALUES (?1, ?2, ?3, ?4, ?5)"
                                 " ON CONFLICT (conversation_id) DO UPDATE SET"
                                 " counsellor_id = excluded.counsellor_id,"
                                 " complete = excluded.complete,"
                                 " form_version = excluded.form_version,"
                                 " updated_at = excluded.updated_at"));
    if (core::Status saved = upsert.Bind(1, registration.conversation_id)
                                 .Bind(2, registration.counsellor_id)
                                 .Bind(3, std::int64_t{registration.complete ? 1 : 0})
                                 .Bind(4, registration.form_version)
                                 .Bind(5, registration.updated_at)
                                 .Run();
        !saved) {
      if (saved.error().code == core::Errc::not_found) {
        return core::Fail(core::Errc::not_found, "conversation or counsellor not found");
      }
      return saved;
    }
    UITWEG_TRY_ASSIGN(auto clear,
                      db.Prepare("DELETE FROM registration_answer WHERE conversation_id = ?1"));
    UITWEG_TRY(clear.Bind(1, registration.conversation_id).Run());
    // With what insights count by: copies of the conversation's start and campaign, and the
    // registration's region.
    const std::string region = RegionOf(registration);
    for (const auto& [field, values] : registration.answers) {
      for (const std::string& value : values) {
        UITWEG_TRY_ASSIGN(auto insert,
                          db.Prepare("INSERT INTO registration_answer (conversation_id, field,"
                                     " value, started_at, campaign, region) SELECT ?1, ?2, ?3,"
                                     " c.created_at, c.campaign, ?4 FROM conversation AS c"
                                     " WHERE c.id = ?1"));
        UITWEG_TRY(insert.Bind(1, registration.conversation_id)
                       .Bind(2, field)
                       .Bind(3, value)
                       .Bind(4, region)
                       .Run());
      }
    }
    return {};
  });
}

}  // namespace uitweg::store::sqlite
