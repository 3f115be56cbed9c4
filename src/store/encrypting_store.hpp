#pragma once
// Encryption at rest for conversation content: a Store that wraps another Store and hands it
// only sealed bytes (XChaCha20-Poly1305, crypto::Aead), while its own callers see plaintext.
//
//  - CreateConversation makes a random 32-byte data key for the conversation, wraps it with the
//    master key (associated data: the conversation id) and stores it with the conversation
//    (NewConversation::wrapped_key; any wrapped_key the caller set is replaced).
//  - The nickname and every text's body are sealed with the data key. A body's associated data
//    binds conversation id, sender and client_id, so a sealed body moved to another row or
//    conversation fails to open. Events carry no body and are stored as they are.
//  - Every read (FindConversation*, List*, the Transitions of Accept/End, MessagesAfter and
//    AppendMessage's duplicate) returns plaintext. Accounts and sessions pass straight through.
//  - ShredConversation (crypto-shredding) has the inner store forget the wrapped key and the
//    nickname and blank the bodies; without the key, a copy of the bodies taken earlier (a
//    backup, the database's free pages or log) can never be opened again.
//
// A conversation without a data key reads as shredded: empty nickname, texts with empty bodies
// and body_shredded set. That covers conversations shredded elsewhere and those stored before
// encryption at rest was switched on; appending to such a conversation while it is still open
// is failed_precondition, so plaintext content is never written through this class.
//
// Errors: as Store, plus failed_precondition when a data key cannot be unwrapped (the master key
// is not the one that wrapped it, or the stored key was altered), and internal when a stored
// nickname or body fails authentication (the database was altered). Messages never carry keys or
// content.
//
// Unwrapped data keys are kept in a bounded LRU cache (KeyCache); keys are never logged.
// Thread safety: as Store; every method may be called from any thread at once.

#include <filesystem>
#include <memory>
#include <string_view>

#include "crypto/aead.hpp"
#include "store/key_cache.hpp"
#include "store/store.hpp"

namespace uitweg::store {

class EncryptingStore final : public Store {
 public:
  static constexpr std::size_t kDefaultKeyCacheSize = 4096;

  // `inner` holds the sealed bytes; `master_key` wraps every conversation's data key.
  EncryptingStore(std::unique_ptr<Store> inner, crypto::Aead master_key,
                  std::size_t key_cache_size = kDefaultKeyCacheSize);

  // The store that holds the sealed bytes, e.g. for backend-specific figures.
  Store& Inner() { return *inner_; }

  // Checks at start-up that the master key is the one the stored data keys were wrapped with,
  // so that a lost or replaced key file is reported at once instead of on every read. OK when
  // no conversation has a key yet; failed_precondition otherwise, naming no key.
  Status VerifyMasterKey();

  Result<StaffAccount> CreateAccount(const NewStaffAccount& account) override;
  Result<StaffAccount> FindAccount(std::int64_t id) override;
  Result<StaffAccount> FindAccountByUsername(std::string_view username) override;
  Result<std::int64_t> CountAccounts() override;
  Result<std::vector<StaffAccount>> ListAccounts() override;
  Status SetAccountDisabled(std::int64_t id, bool disabled) override;
  Status SetPasswordHash(std::int64_t id, std::string_view password_hash) override;

  Status CreateSession(const StaffSession& session) override;
  Result<StaffSession> FindSession(std::string_view token_hash) override;
  Status TouchSession(std::string_view token_hash, UnixMillis now) override;
  Status DeleteSession(std::string_view token_hash) override;

  Result<Conversation> CreateConversation(const NewConversation& conversation) override;
  Result<Conversation> FindConversation(std::string_view id) override;
  Result<Conversation> FindConversationByResumeToken(std::string_view token_hash) override;
  Result<std::vector<Conversation>> ListWaiting() override;
  Result<std::vector<Conversation>> ListActiveFor(std::int64_t counsellor_id) override;
  Status SetUrgency(std::string_view id, std::int32_t urgency) override;
  Result<std::string> FindConversationKey(std::string_view id) override;
  Result<ConversationKey> FindAnyConversationKey() override;
  Status ShredConversation(std::string_view id) override;
  Result<Transition> AcceptConversation(std::string_view id, std::int64_t counsellor_id,
                                        UnixMillis now) override;
  Result<Transition> EndConversation(std::string_view id, Sender ended_by, UnixMillis now) override;

  Result<AppendedMessage> AppendMessage(const NewMessage& message) override;
  void AppendMessageAsync(NewMessage message, AppendDone done) override;
  Result<std::vector<Message>> MessagesAfter(std::string_view conversation_id,
                                             std::int64_t after_seq, std::size_t limit) override;

 private:
  // The data key of conversation `id`, from the cache or unwrapped from the inner store.
  Result<DataKey> KeyFor(std::string_view id);
  // Opens the nickname of a conversation read from the inner store.
  Result<Conversation> Reveal(Conversation conversation);
  Result<std::vector<Conversation>> RevealAll(std::vector<Conversation> conversations);
  // Opens the body of a text read from the inner store with its conversation's key.
  Status RevealBody(Message& message, const DataKey& key) const;
  // The message with its body sealed by `key` for the inner store (or blanked for a late
  // resend to a conversation without one).
  Result<NewMessage> SealMessage(const NewMessage& message, const DataKey& key);
  // What the inner store answered, with `body` (the plaintext sent) back in a new message or
  // the stored body opened in a duplicate.
  Result<AppendedMessage> RevealAppended(Result<AppendedMessage> appended, std::string body,
                                         const DataKey& key) const;

  std::unique_ptr<Store> inner_;
  const crypto::Aead master_key_;
  KeyCache keys_;
};

// Start-up: wraps `inner` in an EncryptingStore whose master key is `master_key_base64` (as an
// operator gives it in the environment) if that is not empty, else the key in `key_file`,
// created with mode 0600 on first run (crypto::MasterKey). Then checks the key against the
// database (VerifyMasterKey). failed_precondition if the key file is missing while the database
// holds wrapped keys (no new key is made then), or if the key does not open them;
// invalid_argument for a malformed base64 key. Errors name the key's source, never the key.
Result<std::unique_ptr<Store>> EncryptAtRest(std::unique_ptr<Store> inner,
                                             std::string_view master_key_base64,
                                             const std::filesystem::path& key_file);

}  // namespace uitweg::store
