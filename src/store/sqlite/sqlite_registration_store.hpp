#pragma once
// The SQLite RegistrationStore: reads from the reader pool, writes through the one writer.

#include <memory>

#include "store/registration_store.hpp"
#include "store/sqlite/connections.hpp"

namespace uitweg::store::sqlite {

class SqliteRegistrationStore final : public RegistrationStore {
 public:
  explicit SqliteRegistrationStore(std::shared_ptr<Connections> connections)
      : connections_(std::move(connections)) {}

  core::Result<std::optional<model::Registration>> FindRegistration(
      std::string_view conversation_id) override;
  core::Result<std::vector<model::Registration>> FindRegistrations(
      std::span<const std::string> conversation_ids) override;
  core::Status SaveRegistration(const model::Registration& registration) override;

 private:
  std::shared_ptr<Connections> connections_;
};

}  // namespace uitweg::store::sqlite
