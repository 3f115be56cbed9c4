#include "auth/master_key_rotation.hpp"

#include <algorithm>
#include <functional>
#include <string>

#include "auth/second_factor.hpp"
#include "crypto/random.hpp"
#include "store/encrypting_conversation_store.hpp"

namespace uitweg::auth {
namespace {

constexpr std::size_t kPage = 500;

// The two kinds of sealed value: how to list them, bind them and replace them.
struct SealedKind {
  std::function<core::Result<std::vector<store::SealedSecret>>(std::string_view, std::size_t)> list;
  std::function<std::string(std::string_view owner)> associated_data;
  std::function<core::Result<bool>(std::string_view, std::string_view, std::string_view)> replace;
  std::int64_t ResealReport::*resealed;
};

std::vector<SealedKind> Kinds(store::SealedSecretStore& store) {
  return {
      SealedKind{
          [&store](std::string_view after, std::size_t limit) {
            return store.ConversationKeysAfter(after, limit);
          },
          [](std::string_view id) { return store::ConversationKeyAad(id); },
          [&store](std::string_view id, std::string_view expected, std::string_view replacement) {
            return store.ReplaceConversationKey(id, expected, replacement);
          },
          &ResealReport::conversation_keys},
      SealedKind{[&store](std::string_view after, std::size_t limit) {
                   return store.TotpSecretsAfter(after, limit);
                 },
                 [](std::string_view username) { return TotpSecretAad(username); },
                 [&store](std::string_view username, std::string_view expected,
                          std::string_view replacement) {
                   return store.ReplaceTotpSecret(username, expected, replacement);
                 },
                 &ResealReport::totp_secrets},
  };
}

// Calls `visit` for every sealed value of `kind`, page by page.
core::Status ForEach(const SealedKind& kind,
                     const std::function<core::Status(const store::SealedSecret&)>& visit) {
  std::string after;
  for (;;) {
    UITWEG_TRY_ASSIGN(const std::vector<store::SealedSecret> page, kind.list(after, kPage));
    for (const store::SealedSecret& secret : page) UITWEG_TRY(visit(secret));
    if (page.size() < kPage) return {};
    after = page.back().owner;
  }
}

}  // namespace

core::Result<ResealReport> ResealUnderCurrentKey(store::SealedSecretStore& store,
                                                 const crypto::MasterKeys& keys) {
  ResealReport report;
  for (const SealedKind& kind : Kinds(store)) {
    UITWEG_TRY(ForEach(kind, [&](const store::SealedSecret& secret) -> core::Status {
      const std::string aad = kind.associated_data(secret.owner);
      if (keys.SealedByCurrent(secret.sealed, aad)) {
        ++report.current;
        return {};
      }
      auto opened = keys.Open(secret.sealed, aad);
      if (!opened) {
        ++report.unopenable;
        return {};
      }
      const std::string resealed = keys.Seal(*opened, aad);
      crypto::Wipe(*opened);
      UITWEG_TRY_ASSIGN(const bool replaced, kind.replace(secret.owner, secret.sealed, resealed));
      ++(replaced ? report.*kind.resealed : report.changed_meanwhile);
      return {};
    }));
  }
  return report;
}

core::Result<std::int64_t> CountSealedByOlderKeys(store::SealedSecretStore& store,
                                                  const crypto::MasterKeys& keys) {
  std::int64_t older = 0;
  for (const SealedKind& kind : Kinds(store)) {
    UITWEG_TRY(ForEach(kind, [&](const store::SealedSecret& secret) -> core::Status {
      const std::string aad = kind.associated_data(secret.owner);
      if (!keys.SealedByCurrent(secret.sealed, aad) && keys.Open(secret.sealed, aad)) ++older;
      return {};
    }));
  }
  return older;
}

}  // namespace uitweg::auth
