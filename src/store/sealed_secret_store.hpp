#pragma once
// What is sealed under the master keys, for re-sealing it under a new one (`uitweg keys
// rotate`): every conversation's wrapped data key and every staff account's TOTP secret, listed
// in pages and replaced one at a time. A replacement takes effect only if the stored value is
// still the one read, so a conversation shredded or a second factor reset meanwhile is left as
// it is. The store never interprets the bytes.
//
// Thread safety and errors as AccountStore: any thread, blocking (call from workers or the
// command line); unavailable/internal when the database fails.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace uitweg::store {

// What a sealed TOTP secret is bound to (the associated data of its sealing).
inline std::string TotpSecretAad(std::string_view username) {
  return "staff_totp:" + std::string(username);
}

struct SealedSecret {
  std::string owner = {};   // the conversation id, or the staff username
  std::string sealed = {};  // the bytes as stored
};

class SealedSecretStore {
 public:
  virtual ~SealedSecretStore() = default;

  // Conversations that still have a data key, with id > `after`, in id order, at most `limit`.
  virtual core::Result<std::vector<SealedSecret>> ConversationKeysAfter(std::string_view after,
                                                                        std::size_t limit) = 0;
  // false when the key is no longer `expected` (or the conversation is gone).
  virtual core::Result<bool> ReplaceConversationKey(std::string_view id, std::string_view expected,
                                                    std::string_view replacement) = 0;
  // Staff accounts with a TOTP secret, username > `after`, in username order, at most `limit`.
  virtual core::Result<std::vector<SealedSecret>> TotpSecretsAfter(std::string_view after,
                                                                   std::size_t limit) = 0;
  // false when the secret is no longer `expected` (reset or removed meanwhile).
  virtual core::Result<bool> ReplaceTotpSecret(std::string_view username, std::string_view expected,
                                               std::string_view replacement) = 0;
};

}  // namespace uitweg::store
