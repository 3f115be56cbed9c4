#include "store/postgres/postgres_handover_store.hpp"

#include "store/record_rows.hpp"

namespace uitweg::store::postgres {
namespace {

// $1..$8: the fields an organisation is written with (its id is the database's).
std::vector<Param> OrganisationParams(const model::Organisation& o) {
  return {o.name,          o.description,   o.region,         o.contact_person,
          o.contact_phone, o.contact_email, o.active ? 1 : 0, o.updated_at};
}

}  // namespace

core::Result<std::vector<model::Organisation>> PostgresHandoverStore::ListOrganisations() {
  return connections_->WithReader(
      [&](Connection& db) -> core::Result<std::vector<model::Organisation>> {
        UITWEG_TRY_ASSIGN(Rows rows, db.Query(std::string("SELECT ") + kOrganisationColumns +
                                              " FROM organisation ORDER BY active DESC,"
                                              " name COLLATE \"C\", id"));
        return ReadAll<model::Organisation>(rows, ReadOrganisation<Row>);
      });
}

core::Result<model::Organisation> PostgresHandoverStore::FindOrganisation(std::int64_t id) {
  return connections_->WithReader([&](Connection& db) -> core::Result<model::Organisation> {
    UITWEG_TRY_ASSIGN(Rows rows, db.Query(std::string("SELECT ") + kOrganisationColumns +
                                              " FROM organisation WHERE id = $1",
                                          {id}));
    return ReadOne<model::Organisation>(rows, ReadOrganisation<Row>, "organisation not found");
  });
}

core::Result<model::Organisation> PostgresHandoverStore::CreateOrganisation(
    const model::Organisation& o) {
  return connections_->writer().Run<model::Organisation>(
      [&](Connection& db) -> core::Result<model::Organisation> {
        const std::vector<Param> params = OrganisationParams(o);
        UITWEG_TRY_ASSIGN(Rows rows,
                          db.Query("INSERT INTO organisation (name, description, region,"
                                   " contact_person, contact_phone, contact_email, active,"
                                   " updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
                                   " RETURNING id",
                                   std::span<const Param>(params)));
        model::Organisation created = o;
        created.id = rows[0].Int(0);
        return created;
      });
}

core::Status PostgresHandoverStore::UpdateOrganisation(const model::Organisation& o) {
  return connections_->writer().Run<void>([&](Connection& db) -> core::Status {
    std::vector<Param> params = OrganisationParams(o);
    params.emplace_back(o.id);
    UITWEG_TRY_ASSIGN(Rows rows,
                      db.Query("UPDATE organisation SET name = $1, description = $2, region = $3,"
                               " contact_person = $4, contact_phone = $5, contact_email = $6,"
                               " active = $7, updated_at = $8 WHERE id = $9",
                               std::span<const Param>(params)));
    if (rows.affected() == 0) return core::Fail(core::Errc::not_found, "organisation not found");
    return {};
  });
}

core::Result<model::Referral> PostgresHandoverStore::CreateReferral(const model::Referral& r) {
  return connections_->writer().Run<model::Referral>([&](Connection& db)
                                                         -> core::Result<model::Referral> {
    auto rows = db.Query(
        "INSERT INTO referral (conversation_id, organisation_id, counsellor_id, status,"
        " details_seq, created_at, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $6,"
        " $7, $8) RETURNING id",
        {r.conversation_id, r.organisation_id, r.counsellor_id, model::ReferralStatusName(r.status),
         r.details_seq, r.created_at, r.updated_at, r.updated_by});
    if (!rows) {
      if (rows.error().code == core::Errc::not_found) {
        return core::Fail(core::Errc::not_found, "conversation, organisation or account not found");
      }
      return rows.error();
    }
    model::Referral created = r;
    created.id = (*rows)[0].Int(0);
    return created;
  });
}

core::Result<model::Referral> PostgresHandoverStore::FindReferral(std::int64_t id) {
  return connections_->WithReader([&](Connection& db) -> core::Result<model::Referral> {
    UITWEG_TRY_ASSIGN(
        Rows rows,
        db.Query(std::string("SELECT ") + kReferralColumns + " FROM referral WHERE id = $1", {id}));
    return ReadOne<model::Referral>(rows, ReadReferral<Row>, "referral not found");
  });
}

core::Result<model::Referral> PostgresHandoverStore::FindReferralOn(
    std::string_view conversation_id, std::int64_t details_seq) {
  return connections_->WithReader([&](Connection& db) -> core::Result<model::Referral> {
    UITWEG_TRY_ASSIGN(Rows rows, db.Query(std::string("SELECT ") + kReferralColumns +
                                              " FROM referral WHERE conversation_id = $1"
                                              " AND details_seq = $2",
                                          {conversation_id, details_seq}));
    return ReadOne<model::Referral>(rows, ReadReferral<Row>, "referral not found");
  });
}

core::Status PostgresHandoverStore::SetReferralStatus(std::int64_t id, model::ReferralStatus from,
                                                      model::ReferralStatus to, std::int64_t by,
                                                      core::UnixMillis at) {
  return connections_->writer().Run<void>([&](Connection& db) -> core::Status {
    auto rows = db.Query(
        "UPDATE referral SET status = $2, updated_by = $3, updated_at = $4"
        " WHERE id = $1 AND status = $5",
        {id, model::ReferralStatusName(to), by, at, model::ReferralStatusName(from)});
    if (!rows) {
      if (rows.error().code == core::Errc::not_found) {
        return core::Fail(core::Errc::not_found, "account not found");
      }
      return rows.error();
    }
    if (rows->affected() > 0) return {};
    UITWEG_TRY_ASSIGN(Rows found, db.Query("SELECT 1 FROM referral WHERE id = $1", {id}));
    if (found.empty()) return core::Fail(core::Errc::not_found, "referral not found");
    return core::Fail(core::Errc::failed_precondition, "the referral's status changed meanwhile");
  });
}

core::Result<std::vector<model::Referral>> PostgresHandoverStore::ListReferrals(
    std::int64_t counsellor_id, std::size_t limit) {
  return connections_->WithReader(
      [&](Connection& db) -> core::Result<std::vector<model::Referral>> {
        UITWEG_TRY_ASSIGN(Rows rows,
                          db.Query(std::string("SELECT ") + kReferralColumns +
                                       " FROM referral WHERE $1 = 0 OR counsellor_id = $1"
                                       " ORDER BY updated_at DESC, id DESC LIMIT $2",
                                   {counsellor_id, static_cast<std::int64_t>(limit)}));
        return ReadAll<model::Referral>(rows, ReadReferral<Row>);
      });
}

}  // namespace uitweg::store::postgres
