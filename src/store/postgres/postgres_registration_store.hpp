#pragma once
// The PostgreSQL RegistrationStore.

#include <memory>

#include "store/postgres/connections.hpp"
#include "store/registration_store.hpp"

namespace uitweg::store::postgres {

class PostgresRegistrationStore final : public RegistrationStore {
 public:
  explicit PostgresRegistrationStore(std::shared_ptr<Connections> connections)
      : connections_(std::move(connections)) {}

  core::Result<std::optional<model::Registration>> FindRegistration(
      std::string_view conversation_id) override;
  core::Result<std::vector<model::Registration>> FindRegistrations(
      std::span<const std::string> conversation_ids) override;
  core::Status SaveRegistration(const model::Registration& registration) override;

 private:
  std::shared_ptr<Connections> connections_;
};

}  // namespace uitweg::store::postgres
