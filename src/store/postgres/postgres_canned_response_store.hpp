#pragma once
// The PostgreSQL CannedResponseStore: reads from the reader pool, writes through the one writer.

#include <memory>

#include "store/canned_response_store.hpp"
#include "store/postgres/connections.hpp"

namespace uitweg::store::postgres {

class PostgresCannedResponseStore final : public CannedResponseStore {
 public:
  explicit PostgresCannedResponseStore(std::shared_ptr<Connections> connections)
      : connections_(std::move(connections)) {}

  core::Result<std::vector<model::CannedResponse>> ListCanned() override;
  core::Result<model::CannedResponse> CreateCanned(const model::CannedResponse& canned) override;
  core::Status UpdateCanned(const model::CannedResponse& canned,
                            std::optional<core::UnixMillis> based_on) override;
  core::Status DeleteCanned(std::int64_t id) override;

 private:
  std::shared_ptr<Connections> connections_;
};

}  // namespace uitweg::store::postgres
