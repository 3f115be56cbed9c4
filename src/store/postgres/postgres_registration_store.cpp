#include "store/postgres/postgres_registration_store.hpp"

#include "store/insights_sql.hpp"
#include "store/record_rows.hpp"

namespace uitweg::store::postgres {

core::Result<std::optional<model::Registration>> PostgresRegistrationStore::FindRegistration(
    std::string_view conversation_id) {
  return connections_->WithReader(
      [&](Connection& db) -> core::Result<std::optional<model::Registration>> {
        UITWEG_TRY_ASSIGN(Rows rows, db.Query(std::string("SELECT ") + kRegistrationColumns +
                                                  " FROM registration WHERE conversation_id = $1",
                                              {conversation_id}));
        if (rows.empty()) return std::optional<model::Registration>();
        UITWEG_TRY_ASSIGN(model::Registration found, ReadRegistration<Row>(rows[0]));
        UITWEG_TRY_ASSIGN(Rows answers, db.Query("SELECT field, value FROM registration_answer"
                                                 " WHERE conversation_id = $1"
                                                 " ORDER BY field, ctid",
                                                 {conversation_id}));
        for (int i = 0; i < answers.size(); ++i) {
          found.answers[answers[i].Text(0)].push_back(answers[i].Text(1));
        }
        return std::optional<model::Registration>(std::move(found));
      });
}

core::Result<std::vector<model::Registration>> PostgresRegistrationStore::FindRegistrations(
    std::span<const std::string> conversation_ids) {
  return connections_->WithReader(
      [&](Connection& db) -> core::Result<std::vector<model::Registration>> {
        UITWEG_TRY_ASSIGN(Rows rows,
                          db.Query(std::string("SELECT ") + kRegistrationColumns +
                                       " FROM registration WHERE conversation_id = ANY($1::text[])",
                                   {TextArray(conversation_ids)}));
        return ReadAll<model::Registration>(rows, ReadRegistration<Row>);
      });
}

core::Status PostgresRegistrationStore::SaveRegistration(const model::Registration& registration) {
  return connections_->writer().Run<void>([&](Connection& db) -> core::Status {
    auto saved = db.Query(
        "INSERT INTO registration (conversation_id, counsellor_id, complete, form_version,"
        " updated_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (conversation_id) DO UPDATE SET"
        " counsellor_id = excluded.counsellor_id, complete = excluded.complete,"
        " form_version = excluded.form_version, updated_at = excluded.updated_at",
        {registration.conversation_id, registration.counsellor_id, registration.complete ? 1 : 0,
         registration.form_version, registration.updated_at});
    if (!saved) {
      if (saved.error().code == core::Errc::not_found) {
        return core::Fail(core::Errc::not_found, "conversation or counsellor not found");
      }
      return saved.error();
    }
    UITWEG_TRY(db.Query("DELETE FROM registration_answer WHERE conversation_id = $1",
                        {registration.conversation_id}));
    // With what insights count by: copies of the conversation's start and campaign, and the
    // registration's region.
    const std::string region = RegionOf(registration);
    for (const auto& [field, values] : registration.answers) {
      for (const std::string& value : values) {
        UITWEG_TRY(db.Query(
            "INSERT INTO registration_answer (conversation_id, field, value, started_at, campaign,"
            " region) SELECT $1, $2, $3, c.created_at, c.campaign, $4 FROM conversation AS c"
            " WHERE c.id = $1",
            {registration.conversation_id, field, value, region}));
      }
    }
    return {};
  });
}

}  // namespace uitweg::store::postgres
