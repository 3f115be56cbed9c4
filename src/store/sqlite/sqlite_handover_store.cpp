#include "store/sqlite/sqlite_handover_store.hpp"

#include "store/record_rows.hpp"
#include "store/sqlite/rows.hpp"

namespace uitweg::store::sqlite {
namespace {

core::Status NotFoundIfMissing(core::Status status, const char* what) {
  if (!status && status.error().code == core::Errc::not_found) {
    return core::Fail(core::Errc::not_found, what);
  }
  return status;
}

Statement& BindOrganisation(Statement& statement, const model::Organisation& o) {
  return statement.Bind(2, o.name)
      .Bind(3, o.description)
      .Bind(4, o.region)
      .Bind(5, o.contact_person)
      .Bind(6, o.contact_phone)
      .Bind(7, o.contact_email)
      .Bind(8, std::int64_t{o.active ? 1 : 0})
      .Bind(9, o.updated_at);
}

}  // namespace

core::Result<std::vector<model::Organisation>> SqliteHandoverStore::ListOrganisations() {
  return connections_->WithReader(
      [&](Connection& db) -> core::Result<std::vector<model::Organisation>> {
        UITWEG_TRY_ASSIGN(auto select,
                          db.Prepare(std::string("SELECT ") + kOrganisationColumns +
                                     " FROM organisation ORDER BY active DESC, name, id"));
        return ReadAll<model::Organisation>(select, ReadOrganisation<Statement>);
      });
}

core::Result<model::Organisation> SqliteHandoverStore::FindOrganisation(std::int64_t id) {
  return connections_->WithReader([&](Connection& db) -> core::Result<model::Organisation> {
    UITWEG_TRY_ASSIGN(auto select, db.Prepare(std::string("SELECT ") + kOrganisationColumns +
                                              " FROM organisation WHERE id = ?1"));
    select.Bind(1, id);
    return ReadOne<model::Organisation>(select, ReadOrganisation<Statement>,
                                        "organisation not found");
  });
}

core::Result<model::Organisation> SqliteHandoverStore::CreateOrganisation(
    const model::Organisation& o) {
  return connections_->writer().Run<model::Organisation>(
      [&](Connection& db) -> core::Result<model::Organisation> {
        UITWEG_TRY_ASSIGN(auto insert,
                          db.Prepare("INSERT INTO organisation (name, description, region,"
                                     " contact_person, contact_phone, contact_email, active,"
                                     " updated_at) VALUES (?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
                                     " RETURNING id"));
        BindOrganisation(insert, o);
        UITWEG_TRY_ASSIGN(const bool row, insert.Step());
        if (!row) return core::Fail(core::Errc::internal, "no id for the organisation");
        model::Organisation created = o;
        created.id = insert.Int(0);
        UITWEG_TRY(insert.Run());
        return created;
      });
}

core::Status SqliteHandoverStore::UpdateOrganisation(const model::Organisation& o) {
  return connections_->writer().Run<void>([&](Connection& db) -> core::Status {
    UITWEG_TRY_ASSIGN(auto update,
                      db.Prepare("UPDATE organisation SET name = ?2, description = ?3,"
                                 " region = ?4, contact_person = ?5, contact_phone = ?6,"
                                 " contact_email = ?7, active = ?8, updated_at = ?9"
                                 " WHERE id = ?1"));
    update.Bind(1, o.id);
    UITWEG_TRY(BindOrganisation(update, o).Run());
    if (db.Changes() == 0) return core::Fail(core::Errc::not_found, "organisation not found");
    return {};
  });
}

core::Result<model::Referral> SqliteHandoverStore::CreateReferral(const model::Referral& r) {
  return connections_->writer().Run<model::Referral>(
      [&](Connection& db) -> core::Result<model::Referral> {
        UITWEG_TRY_ASSIGN(auto insert,
                          db.Prepare("INSERT INTO referral (conversation_id, organisation_id,"
                                     " counsellor_id, status, details_seq, created_at, updated_at,"
                                     " updated_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
                                     " RETURNING id"));
        insert.Bind(1, r.conversation_id)
            .Bind(2, r.organisation_id)
            .Bind(3, r.counsellor_id)
            .Bind(4, model::ReferralStatusName(r.status))
            .Bind(5, r.details_seq)
            .Bind(6, r.created_at)
            .Bind(7, r.updated_at)
            .Bind(8, r.updated_by);
        auto row = insert.Step();
        if (!row) {
          return NotFoundIfMissing(row.error(), "conversation, organisation or account not found")
              .error();
        }
        if (!*row) return core::Fail(core::Errc::internal, "no id for the referral");
        model::Referral created = r;
        created.id = insert.Int(0);
        UITWEG_TRY(insert.Run());
        return created;
      });
}

core::Result<model::Referral> SqliteHandoverStore::FindReferral(std::int64_t id) {
  return connections_->WithReader([&](Connection& db) -> core::Result<model::Referral> {
    UITWEG_TRY_ASSIGN(auto select, db.Prepare(std::string("SELECT ") + kReferralColumns +
                                              " FROM referral WHERE id = ?1"));
    select.Bind(1, id);
    return ReadOne<model::Referral>(select, ReadReferral<Statement>, "referral not found");
  });
}

core::Result<model::Referral> SqliteHandoverStore::FindReferralOn(std::string_view conversation_id,
                                                                  std::int64_t details_seq) {
  return connections_->WithReader([&](Connection& db) -> core::Result<model::Referral> {
    UITWEG_TRY_ASSIGN(auto select,
                      db.Prepare(std::string("SELECT ") + kReferralColumns +
                                 " FROM referral WHERE conversation_id = ?1 AND details_seq = ?2"));
    select.Bind(1, conversation_id).Bind(2, details_seq);
    return ReadOne<model::Referral>(select, ReadReferral<Statement>, "referral not found");
  });
}

core::Status SqliteHandoverStore::SetReferralStatus(std::int64_t id, model::ReferralStatus from,
                                                    model::ReferralStatus to, std::int64_t by,
                                                    core::UnixMillis at) {
  return connections_->writer().Run<void>([&](Connection& db) -> core::Status {
    UITWEG_TRY_ASSIGN(auto update, db.Prepare("UPDATE referral SET status = ?2, updated_by = ?3,"
                                              " updated_at = ?4 WHERE id = ?1 AND status = ?5"));
    UITWEG_TRY(NotFoundIfMissing(update.Bind(1, id)
                                     .Bind(2, model::ReferralStatusName(to))
                                     .Bind(3, by)
                                     .Bind(4, at)
                                     .Bind(5, model::ReferralStatusName(from))
                                     .Run(),
                                 "account not found"));
    if (db.Changes() > 0) return {};
    UITWEG_TRY_ASSIGN(auto exists, db.Prepare("SELECT 1 FROM referral WHERE id = ?1"));
    exists.Bind(1, id);
    UITWEG_TRY_ASSIGN(const bool found, exists.Step());
    if (!found) return core::Fail(core::Errc::not_found, "referral not found");
    return core::Fail(core::Errc::failed_precondition, "the referral's status changed meanwhile");
  });
}

core::Result<std::vector<model::Referral>> SqliteHandoverStore::ListReferrals(
    std::int64_t counsellor_id, std::size_t limit) {
  return connections_->WithReader(
      [&](Connection& db) -> core::Result<std::vector<model::Referral>> {
        UITWEG_TRY_ASSIGN(auto select,
                          db.Prepare(std::string("SELECT ") + kReferralColumns +
                                     " FROM referral WHERE ?1 = 0 OR counsellor_id = ?1"
                                     " ORDER BY updated_at DESC, id DESC LIMIT ?2"));
        select.Bind(1, counsellor_id).Bind(2, static_cast<std::int64_t>(limit));
        return ReadAll<model::Referral>(select, ReadReferral<Statement>);
      });
}

}  // namespace uitweg::store::sqlite
