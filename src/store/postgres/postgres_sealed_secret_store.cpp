#include "store/postgres/postgres_sealed_secret_store.hpp"

#include <string>

namespace uitweg::store::postgres {

core::Result<std::vector<SealedSecret>> PostgresSealedSecretStore::ListAfter(const char* sql,
                                                                             std::string_view after,
                                                                             std::size_t limit) {
  return connections_->WithReader([&](Connection& db) -> core::Result<std::vector<SealedSecret>> {
    UITWEG_TRY_ASSIGN(Rows rows, db.Query(sql, {after, static_cast<std::int64_t>(limit)}));
    return ReadAll<SealedSecret>(rows, [](const Row& row) -> core::Result<SealedSecret> {
      return SealedSecret{row.Text(0), row.Blob(1)};
    });
  });
}

core::Result<bool> PostgresSealedSecretStore::Replace(const char* sql, std::string_view owner,
                                                      std::string_view expected,
                                                      std::string_view replacement) {
  return connections_->writer().Run<bool>(
      [&](Connection& db) -> core::Result<bool> {
        UITWEG_TRY_ASSIGN(
            Rows rows, db.Query(sql, {owner, Param::Bytes(expected), Param::Bytes(replacement)}));
        return rows.affected() == 1;
      },
      "sealed secret");
}

core::Result<std::vector<SealedSecret>> PostgresSealedSecretStore::ConversationKeysAfter(
    std::string_view after, std::size_t limit) {
  return ListAfter(
      "SELECT id, data_key FROM conversation WHERE data_key IS NOT NULL AND id > $1"
      " ORDER BY id LIMIT $2",
      after, limit);
}

core::Result<bool> PostgresSealedSecretStore::ReplaceConversationKey(std::string_view id,
                                                                     std::string_view expected,
                                                                     std::string_view replacement) {
  return Replace("UPDATE conversation SET data_key = $3 WHERE id = $1 AND data_key = $2", id,
                 expected, replacement);
}

core::Result<std::vector<SealedSecret>> PostgresSealedSecretStore::TotpSecretsAfter(
    std::string_view after, std::size_t limit) {
  return ListAfter(
      "SELECT username, totp_secret FROM staff_account WHERE totp_secret IS NOT NULL"
      " AND username > $1 ORDER BY username LIMIT $2",
      after, limit);
}

core::Result<bool> PostgresSealedSecretStore::ReplaceTotpSecret(std::string_view username,
                                                                std::string_view expected,
                                                                std::string_view replacement) {
  return Replace(
      "UPDATE staff_account SET totp_secret = $3 WHERE username = $1 AND totp_secret = $2",
      username, expected, replacement);
}

}  // namespace uitweg::store::postgres
