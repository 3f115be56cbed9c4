#pragma once
// Encryption at rest for conversation content: a ConversationStore that wraps another and hands
// it only sealed bytes (XChaCha20-Poly1305, crypto::Aead), while its own callers see plaintext.
// Accounts and sessions hold no content and are not wrapped.
//
//  - Create makes a random 32-byte data key for the conversation, wraps it with the master key
//    (associated data: the conversation id) and stores it with the conversation
//    (NewConversation::wrapped_key; any wrapped_key the caller set is replaced).
//    A repeated request (see ConversationStore::Create) is answered with the nickname it gave,
//    which its page repeats: the earlier conversation's is sealed with a key that only a read
//    would bring, and an answer must not block.
//  - The nickname and every text's body are sealed with the data key. A body's associated data
//    binds conversation id, sender and client_id, so a sealed body moved to another row or
//    conversation fails to open. Events carry no body and are stored as they are.
//  - Every read and every answer returns plaintext.
//  - Shred (crypto-shredding) has the inner store forget the wrapped key and the nickname and
//    blank the bodies; without the key, a copy of the bodies taken earlier (a backup, the
//    database's free pages or log) can never be opened again.
//
// A conversation without a data key reads as shredded: empty nickname, texts with empty bodies
// and body_shredded set. That covers conversations shredded elsewhere and those stored before
// encryption at rest was switched on; appending to such a conversation while it is still open is
// failed_precondition, so plaintext content is never written through this class.
//
// Keys are unwrapped once and cached (KeyCache); an open conversation's key stays cached until it
// ends, or goes unused for ten minutes (another node may have shredded it), so that Append
// finds it without a read. Append never blocks: when a key is not cached,
// the read runs on the `blocking` executor, and later appends to the same conversation wait
// behind it, so that a conversation's appends keep their order. The other writes read a missing
// key on the calling thread (call them from workers). Keys are never logged.
//
// Errors: as ConversationStore, plus failed_precondition when a data key cannot be unwrapped
// (the master key is not the one that wrapped it, or the stored key was altered), and internal
// when a stored nickname or body fails authentication (the database was altered). Messages never
// carry keys or content. Thread safety: as ConversationStore.

#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/executor.hpp"
#include "crypto/aead.hpp"
#include "crypto/master_key.hpp"
#include "store/conversation_store.hpp"
#include "store/database.hpp"
#include "store/key_cache.hpp"

namespace uitweg::store {

class EncryptingConversationStore final : public ConversationStore {
 public:
  static constexpr std::size_t kDefaultKeyCacheSize = 4096;

  // `inner` holds the sealed bytes; `master_keys` wrap every conversation's data key (the
  // current one wraps new keys; any of them unwraps); `blocking` runs the key reads that Append
  // must not wait for (a worker pool).
  EncryptingConversationStore(std::unique_ptr<ConversationStore> inner,
                              std::shared_ptr<const crypto::MasterKeys> master_keys,
                              core::Post blocking,
                              std::size_t key_cache_size = kDefaultKeyCacheSize);
  // Waits for the key reads it posted to `blocking` that are running (they use it); those not
  // started yet find it gone when they start, and do nothing.
  ~EncryptingConversationStore() override;

  // Checks at start-up that the master key is the one the stored data keys were wrapped with,
  // so that a lost or replaced key file is reported at once instead of on every read. OK when
  // no conversation has a key yet; failed_precondition otherwise, naming no key.
  Status VerifyMasterKey();

  // Drops the cached keys unused for ten minutes (KeyCache::DropIdle); the server calls it every
  // minute, so that a quiet node does not keep keys that another node shredded.
  void DropIdleKeys() { keys_.DropIdle(); }

  Result<model::Conversation> Find(std::string_view id) override;
  Result<model::Conversation> FindByResumeToken(std::string_view token_hash) override;
  Result<model::Conversation> FindByPickUpCode(std::string_view code_hash) override;
  Result<model::Conversation> FindByRequest(std::string_view request_hash) override;
  Result<std::vector<model::Conversation>> FindAll(std::span<const std::string> ids) override;
  Result<std::vector<model::Conversation>> ListWaiting(WaitingIn queue) override;
  Result<std::vector<model::Conversation>> ListActiveFor(std::int64_t counsellor_id) override;
  Result<std::vector<model::Conversation>> ListEndedFor(std::int64_t counsellor_id,
                                                        UnixMillis since, UnixMillis until,
                                                        std::size_t limit) override;
  Result<std::vector<model::Message>> MessagesAfter(std::string_view id, std::int64_t after_seq,
                                                    std::size_t limit) override;
  Result<std::vector<model::Message>> MessagesAfterEach(std::span<const EntriesAfter> wanted,
                                                        std::size_t limit) override;
  Result<std::string> FindKey(std::string_view id) override;
  Result<ConversationKey> FindAnyKey() override;
  Result<std::vector<std::int64_t>> CounsellorsAway(UnixMillis seen_before) override;

  void Create(NewConversation conversation, Done<model::Conversation> done) override;
  void Accept(std::string_view id, std::int64_t counsellor_id, UnixMillis now,
              Done<Transition> done) override;
  void Release(std::string_view id, std::int64_t counsellor_id, UnixMillis now,
               Done<Transition> done) override;
  void End(std::string_view id, model::EndReason reason, UnixMillis now,
           Done<Transition> done) override;
  void EndByCounsellor(std::string_view id, std::int64_t counsellor_id, UnixMillis now,
                       Done<Transition> done) override;
  void Append(NewMessage message, Done<Appended> done) override;
  void SetUrgency(std::string_view id, std::int32_t urgency, std::optional<std::int64_t> marked_by,
                  Done<model::Conversation> done) override;
  void MarkVisitorSeen(std::string_view id, UnixMillis at, Done<void> done) override;
  void Shred(std::string_view id, UnixMillis now, Done<bool> done) override;
  void RequestForget(std::string_view id, Done<void> done) override;
  void OfferTransfer(std::string_view id, std::int64_t from, std::int64_t to, UnixMillis now,
                     Done<model::Conversation> done) override;
  void TakeTransfer(std::string_view id, std::int64_t to, UnixMillis now,
                    Done<Transition> done) override;
  void WithdrawOffer(std::string_view id, std::int64_t to, UnixMillis offered_at,
                     Done<model::Conversation> done) override;
  Result<std::vector<model::Conversation>> ListOffered() override;
  void SetResumeToken(std::string_view id, std::string token_hash, Done<void> done) override;
  void RecordFeedback(std::string_view id, model::Feedback feedback, UnixMillis now,
                      Done<void> done) override;
  Result<std::vector<std::string>> ListStartedBetween(UnixMillis from, UnixMillis until) override;
  Result<std::vector<std::string>> DueForShredding(UnixMillis ended_before,
                                                   std::size_t limit) override;

  // The data key of conversation `id` (nullopt: it has none, it was shredded), for what is
  // sealed with it outside this store: review comments (encrypting_review_store.hpp). Blocks on
  // a cache miss; errors as the reads.
  Result<DataKey> DataKeyOf(std::string_view id) { return KeyFor(id); }

 private:
  using PendingAppend = std::pair<NewMessage, Done<Appended>>;

  // The data key of conversation `id`, from the cache or unwrapped from the inner store
  // (blocking), cached as open or closed by `use`.
  Result<DataKey> KeyFor(std::string_view id, KeyUse use = KeyUse::closed);
  // Caches the key of a conversation just read as open or closed by its status.
  Result<model::Conversation> Reveal(model::Conversation conversation);
  Result<model::Conversation> RevealWith(model::Conversation conversation,
                                         const DataKey& key) const;
  Result<std::vector<model::Conversation>> RevealAll(std::vector<model::Conversation> list);
  // Opens the body of a text read from the inner store with its conversation's key.
  Status RevealBody(model::Message& message, const DataKey& key) const;
  // Seals the body and hands the message to the inner store; answers the plaintext.
  void SealAndAppend(NewMessage message, const DataKey& key, Done<Appended> done);
  // For a conversation without a data key (shredded, or stored before encryption at rest).
  void AppendWithoutKey(NewMessage message, Done<Appended> done);
  // On the blocking executor: reads the key of `id`, then appends whatever waited for it.
  void AppendPending(const std::string& id);
  // Hands the appends that waited for the key of `id` to the inner store, in order (or answers
  // them with the key's error). The caller holds pending_mu_.
  void AppendWaiting(const std::string& id, const Result<DataKey>& key);
  // The key of conversation `id` about to end, after what still waited for it was appended.
  Result<DataKey> KeyBeforeTheEnd(std::string_view id);
  // Runs `task` on `blocking_` while this store is alive (the destructor waits for it if it is
  // running, and it is skipped if it starts after).
  void Post(core::Task task);
  // Wraps `done` so that it answers a transition with its conversation revealed.
  Done<Transition> RevealTransition(DataKey key, Done<Transition> done);
  Done<model::Conversation> RevealConversation(DataKey key, Done<model::Conversation> done);

  std::unique_ptr<ConversationStore> inner_;
  const std::shared_ptr<const crypto::MasterKeys> master_keys_;
  const core::Post blocking_;
  KeyCache keys_;

  // Guarded by pending_mu_: appends waiting for their conversation's key, in arrival order.
  std::mutex pending_mu_;
  std::unordered_map<std::string, std::vector<PendingAppend>> pending_;

  // Shared with the tasks posted: whether the store is alive, and how many of them run. A task
  // queued on an executor that never runs it again (one joined at shutdown) must not keep the
  // destructor waiting.
  struct Tasks {
    std::mutex mu;
    std::condition_variable done;
    bool alive = true;
    std::size_t running = 0;
  };
  const std::shared_ptr<Tasks> tasks_ = std::make_shared<Tasks>();
};

// What a conversation's wrapped data key is bound to (the associated data of its sealing).
std::string ConversationKeyAad(std::string_view conversation_id);

// Start-up: replaces `database.conversations` by an EncryptingConversationStore over it whose
// master keys are `master_key_base64` (as an operator gives them in the environment: base64,
// separated by commas, current first) if that is not empty, else the keys in `key_file`, created
// with one key, mode 0600, on first run and followed as it changes (crypto::MasterKeys). Then
// checks the keys against the database (VerifyMasterKey). failed_precondition if the key
// file is missing while the database holds wrapped keys, or is shared by several nodes (Database::
// changes; no new key is made then, as every node needs the same one), or if the key
// does not open them; invalid_argument for a malformed base64 key. Errors name the key's source,
// never the key. `blocking` as for the constructor. Also wraps `database.reviews` in an
// EncryptingReviewStore over the conversations' keys. Returns the master keys, which also seal
// the few secrets kept outside conversations (staff TOTP secrets).
Result<std::shared_ptr<crypto::MasterKeys>> EncryptAtRest(Database& database,
                                                          std::string_view master_key_base64,
                                                          const std::filesystem::path& key_file,
                                                          core::Post blocking);

}  // namespace uitweg::store
