#include "store/sqlite/sqlite_sealed_secret_store.hpp"

#include <string>

#include "store/sqlite/rows.hpp"

namespace uitweg::store::sqlite {

core::Result<std::vector<SealedSecret>> SqliteSealedSecretStore::ListAfter(const char* sql,
                                                                           std::string_view after,
                                                                           std::size_t limit) {
  return connections_->WithReader([&](Connection& db) -> core::Result<std::vector<SealedSecret>> {
    UITWEG_TRY_ASSIGN(auto select, db.Prepare(sql));
    select.Bind(1, after).Bind(2, static_cast<std::int64_t>(limit));
    return ReadAll<SealedSecret>(select, [](const Statement& row) {
      return SealedSecret{row.Text(0), row.Blob(1)};
    });
  });
}

core::Result<bool> SqliteSealedSecretStore::Replace(const char* sql, std::string_view owner,
                                                    std::string_view expected,
                                                    std::string_view replacement) {
  return connections_->writer().Run<bool>(
      [&](Connection& db) -> core::Result<bool> {
        UITWEG_TRY_ASSIGN(auto update, db.Prepare(sql));
        update.Bind(1, owner).BindBlob(2, expected).BindBlob(3, replacement);
        UITWEG_TRY(update.Run());
        return db.Changes() == 1;
      },
      "sealed secret");
}

core::Result<std::vector<SealedSecret>> SqliteSealedSecretStore::ConversationKeysAfter(
    std::string_view after, std::size_t limit) {
  return ListAfter(
      "SELECT id, data_key FROM conversation WHERE data_key IS NOT NULL AND id > ?1"
      " ORDER BY id LIMIT ?2",
      after, limit);
}

core::Result<bool> SqliteSealedSecretStore::ReplaceConversationKey(std::string_view id,
                                                                   std::string_view expected,
                                                                   std::string_view replacement) {
  return Replace("UPDATE conversation SET data_key = ?3 WHERE id = ?1 AND data_key = ?2", id,
                 expected, replacement);
}

core::Result<std::vector<SealedSecret>> SqliteSealedSecretStore::TotpSecretsAfter(
    std::string_view after, std::size_t limit) {
  return ListAfter(
      "SELECT username, totp_secret FROM staff_account WHERE totp_secret IS NOT NULL"
      " AND username > ?1 ORDER BY username LIMIT ?2",
      after, limit);
}

core::Result<bool> SqliteSealedSecretStore::ReplaceTotpSecret(std::string_view username,
                                                              std::string_view expected,
                                                              std::string_view replacement) {
  return Replace(
      "UPDATE staff_account SET totp_secret = ?3 WHERE username = ?1 AND totp_secret = ?2",
      username, expected, replacement);
}

}  // namespace uitweg::store::sqlite
