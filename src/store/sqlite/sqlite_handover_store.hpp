#pragma once
// The SQLite HandoverStore: reads from the reader pool, writes through the one writer.

#include <memory>

#include "store/handover_store.hpp"
#include "store/sqlite/connections.hpp"

namespace uitweg::store::sqlite {

class SqliteHandoverStore final : public HandoverStore {
 public:
  explicit SqliteHandoverStore(std::shared_ptr<Connections> connections)
      : connections_(std::move(connections)) {}

  core::Result<std::vector<model::Organisation>> ListOrganisations() override;
  core::Result<model::Organisation> FindOrganisation(std::int64_t id) override;
  core::Result<model::Organisation> CreateOrganisation(const model::Organisation& o) override;
  core::Status UpdateOrganisation(const model::Organisation& o) override;
  core::Result<model::Referral> CreateReferral(const model::Referral& referral) override;
  core::Result<model::Referral> FindReferral(std::int64_t id) override;
  core::Result<model::Referral> FindReferralOn(std::string_view conversation_id,
                                               std::int64_t details_seq) override;
  core::Status SetReferralStatus(std::int64_t id, model::ReferralStatus from,
                                 model::ReferralStatus to, std::int64_t by,
                                 core::UnixMillis at) override;
  core::Result<std::vector<model::Referral>> ListReferrals(std::int64_t counsellor_id,
                                                           std::size_t limit) override;

 private:
  std::shared_ptr<Connections> connections_;
};

}  // namespace uitweg::store::sqlite
