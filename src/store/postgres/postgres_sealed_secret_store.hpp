#pragma once
// The PostgreSQL SealedSecretStore: reads on a reader connection, replacements through the
// writer. Thread safety and errors: as SealedSecretStore.

#include <memory>

#include "store/postgres/connections.hpp"
#include "store/sealed_secret_store.hpp"

namespace uitweg::store::postgres {

class PostgresSealedSecretStore final : public SealedSecretStore {
 public:
  explicit PostgresSealedSecretStore(std::shared_ptr<Connections> connections)
      : connections_(std::move(connections)) {}

  core::Result<std::vector<SealedSecret>> ConversationKeysAfter(std::string_view after,
                                                                std::size_t limit) override;
  core::Result<bool> ReplaceConversationKey(std::string_view id, std::string_view expected,
                                            std::string_view replacement) override;
  core::Result<std::vector<SealedSecret>> TotpSecretsAfter(std::string_view after,
                                                           std::size_t limit) override;
  core::Result<bool> ReplaceTotpSecret(std::string_view username, std::string_view expected,
                                       std::string_view replacement) override;

 private:
  core::Result<std::vector<SealedSecret>> ListAfter(const char* sql, std::string_view after,
                                                    std::size_t limit);
  core::Result<bool> Replace(const char* sql, std::string_view owner, std::string_view expected,
                             std::string_view replacement);

  std::shared_ptr<Connections> connections_;
};

}  // namespace uitweg::store::postgres
