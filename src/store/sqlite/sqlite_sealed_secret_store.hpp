#pragma once
// The SQLite SealedSecretStore: reads from the reader pool, replacements through the one
// writer. Thread safety and errors: as SealedSecretStore.

#include <memory>

#include "store/sealed_secret_store.hpp"
#include "store/sqlite/connections.hpp"

namespace uitweg::store::sqlite {

class SqliteSealedSecretStore final : public SealedSecretStore {
 public:
  explicit SqliteSealedSecretStore(std::shared_ptr<Connections> connections)
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

}  // namespace uitweg::store::sqlite
