#include "store/encrypting_conversation_store.hpp"

#include <algorithm>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "crypto/master_key.hpp"
#include "crypto/random.hpp"
#include "store/encrypting_review_store.hpp"

namespace uitweg::store {
namespace {

using model::Conversation;
using model::ConversationStatus;
using model::Message;
using model::MessageKind;
using model::Sender;

// Associated data is built from length-prefixed fields under a purpose label, so that no two
// different (purpose, fields) tuples give the same bytes: a wrapped key, a nickname and a body
// can never stand in for one another.
void AppendField(std::string& out, std::string_view field) {
  out += std::to_string(field.size());
  out += ':';
  out += field;
}

std::string NicknameAad(std::string_view conversation_id) {
  std::string aad = "uitweg/nickname/v1|";
  AppendField(aad, conversation_id);
  return aad;
}

// Every written entry's kind but a text's is bound too, so that a note altered into a text in
// the database fails to open instead of reaching the visitor, and a consent answer cannot pose
// as a text. (Texts keep the associated data they always had.)
std::string BodyAad(std::string_view conversation_id, Sender sender, std::string_view client_id,
                    MessageKind kind) {
  std::string aad = "uitweg/body/v1|";
  AppendField(aad, conversation_id);
  AppendField(aad, model::SenderName(sender));
  AppendField(aad, client_id);
  if (kind != MessageKind::text) AppendField(aad, model::MessageKindName(kind));
  return aad;
}

core::Error Altered(const char* what) {
  return core::Fail(core::Errc::internal, std::string("a stored ") + what +
                                              " failed authentication; the database was altered");
}

bool IsSealedText(const Message& message) {
  return model::IsWritten(message.kind) && !message.body_shredded;
}

KeyUse UseOf(const Conversation& conversation) {
  return conversation.status == ConversationStatus::ended ? KeyUse::closed : KeyUse::open;
}

// Something the database holds sealed under the master key, to try a key on: a conversation's
// data key, else a staff member's TOTP secret (staff enrol before the first chat, and retention
// may have shredded every conversation; without `secrets`, conversation keys only). nullopt when
// it holds nothing sealed.
struct SealedSample {
  std::string sealed;
  std::string aad;
  const char* what;
};
Result<std::optional<SealedSample>> FindSealed(ConversationStore& conversations,
                                               SealedSecretStore* secrets) {
  auto key = conversations.FindAnyKey();
  if (key) {
    return SealedSample{std::move(key->wrapped_key), ConversationKeyAad(key->conversation_id),
                        "conversation keys"};
  }
  if (key.error().code != core::Errc::not_found) return key.error();
  if (secrets == nullptr) return std::optional<SealedSample>();
  UITWEG_TRY_ASSIGN(auto totp, secrets->TotpSecretsAfter("", 1));
  if (totp.empty()) return std::optional<SealedSample>();
  return SealedSample{std::move(totp[0].sealed), TotpSecretAad(totp[0].owner),
                      "staff's second factors"};
}

Status CheckMasterKey(const std::optional<SealedSample>& sample,
                      const crypto::MasterKeys& master_keys) {
  if (!sample) return {};
  auto raw = master_keys.Open(sample->sealed, sample->aad);
  if (!raw) {
    return core::Fail(core::Errc::failed_precondition,
                      std::string("the master key does not open the ") + sample->what +
                          " in this database; it is not the key they were sealed with (a lost "
                          "or replaced key file?)");
  }
  crypto::Wipe(*raw);
  return {};
}

}  // namespace

std::string ConversationKeyAad(std::string_view conversation_id) {
  std::string aad = "uitweg/data-key/v1|";
  AppendField(aad, conversation_id);
  return aad;
}

EncryptingConversationStore::EncryptingConversationStore(
    std::unique_ptr<ConversationStore> inner, std::shared_ptr<const crypto::MasterKeys> master_keys,
    core::Post blocking, std::size_t key_cache_size)
    : inner_(std::move(inner)),
      master_keys_(std::move(master_keys)),
      blocking_(std::move(blocking)),
      keys_(key_cache_size) {}

EncryptingConversationStore::~EncryptingConversationStore() {
  std::unique_lock lock(tasks_->mu);
  tasks_->alive = false;
  tasks_->done.wait(lock, [this] { return tasks_->running == 0; });
}

void EncryptingConversationStore::Post(core::Task task) {
  blocking_([tasks = tasks_, task = std::move(task)] {
    {
      std::lock_guard lock(tasks->mu);
      if (!tasks->alive) return;
      ++tasks->running;
    }
    task();
    std::lock_guard lock(tasks->mu);
    if (--tasks->running == 0) tasks->done.notify_all();
  });
}

Result<DataKey> EncryptingConversationStore::KeyFor(std::string_view id, KeyUse use) {
  // Taken before the lookup, a cache hit included: a shred that erases the key between the two
  // must not see it put back.
  const std::uint64_t epoch = keys_.Epoch();
  if (auto cached = keys_.Find(id)) {
    if (use == KeyUse::open) keys_.Put(id, *cached, epoch, use);
    return std::move(*cached);
  }
  UITWEG_TRY_ASSIGN(const std::string wrapped, inner_->FindKey(id));
  DataKey key;
  if (!wrapped.empty()) {
    auto raw = master_keys_->Open(wrapped, ConversationKeyAad(id));
    if (!raw) {
      return core::Fail(core::Errc::failed_precondition,
                        "a conversation's data key cannot be unwrapped: the master key is not the "
                        "one it was wrapped with, or the stored key was altered");
    }
    auto aead = crypto::Aead::FromKey(*raw);
    crypto::Wipe(*raw);
    if (!aead) return Altered("data key");
    key = std::move(*aead);
  }
  keys_.Put(id, key, epoch, use);
  return key;
}

Result<Conversation> EncryptingConversationStore::RevealWith(Conversation conversation,
                                                             const DataKey& key) const {
  if (!key || conversation.nickname.empty()) {
    conversation.nickname.clear();
    return conversation;
  }
  auto nickname = key->Open(conversation.nickname, NicknameAad(conversation.id));
  if (!nickname) return Altered("nickname");
  conversation.nickname = std::move(*nickname);
  return conversation;
}

Result<Conversation> EncryptingConversationStore::Reveal(Conversation conversation) {
  const KeyUse use = UseOf(conversation);
  UITWEG_TRY_ASSIGN(const DataKey key, KeyFor(conversation.id, use));
  if (use == KeyUse::closed) keys_.Close(conversation.id);
  return RevealWith(std::move(conversation), key);
}

Result<std::vector<Conversation>> EncryptingConversationStore::RevealAll(
    std::vector<Conversation> list) {
  for (auto& conversation : list) {
    UITWEG_TRY_ASSIGN(conversation, Reveal(std::move(conversation)));
  }
  return list;
}

Status EncryptingConversationStore::RevealBody(Message& message, const DataKey& key) const {
  if (!IsSealedText(message)) return {};
  if (!key) {
    message.body.clear();
    message.body_shredded = true;
    return {};
  }
  auto body = key->Open(message.body, BodyAad(message.conversation_id, message.sender,
                                              message.client_id, message.kind));
  if (!body) return Altered("message");
  message.body = std::move(*body);
  return {};
}

Status EncryptingConversationStore::VerifyMasterKey() {
  UITWEG_TRY_ASSIGN(const auto sealed, FindSealed(*inner_, nullptr));
  return CheckMasterKey(sealed, *master_keys_);
}

// --- reads

Result<Conversation> EncryptingConversationStore::Find(std::string_view id) {
  UITWEG_TRY_ASSIGN(auto found, inner_->Find(id));
  return Reveal(std::move(found));
}

Result<Conversation> EncryptingConversationStore::FindByResumeToken(std::string_view token_hash) {
  UITWEG_TRY_ASSIGN(auto found, inner_->FindByResumeToken(token_hash));
  return Reveal(std::move(found));
}

Result<Conversation> EncryptingConversationStore::FindByPickUpCode(std::string_view code_hash) {
  UITWEG_TRY_ASSIGN(auto found, inner_->FindByPickUpCode(code_hash));
  return Reveal(std::move(found));
}

Result<Conversation> EncryptingConversationStore::FindByRequest(std::string_view request_hash) {
  UITWEG_TRY_ASSIGN(auto found, inner_->FindByRequest(request_hash));
  return Reveal(std::move(found));
}

Result<std::vector<Conversation>> EncryptingConversationStore::FindAll(
    std::span<const std::string> ids) {
  UITWEG_TRY_ASSIGN(auto found, inner_->FindAll(ids));
  return RevealAll(std::move(found));
}

Result<std::vector<Conversation>> EncryptingConversationStore::ListWaiting(WaitingIn queue) {
  UITWEG_TRY_ASSIGN(auto waiting, inner_->ListWaiting(queue));
  return RevealAll(std::move(waiting));
}

Result<std::vector<Conversation>> EncryptingConversationStore::ListActiveFor(
    std::int64_t counsellor_id) {
  UITWEG_TRY_ASSIGN(auto active, inner_->ListActiveFor(counsellor_id));
  return RevealAll(std::move(active));
}

Result<std::vector<Conversation>> EncryptingConversationStore::ListEndedFor(
    std::int64_t counsellor_id, UnixMillis since, UnixMillis until, std::size_t limit) {
  UITWEG_TRY_ASSIGN(auto ended, inner_->ListEndedFor(counsellor_id, since, until, limit));
  return RevealAll(std::move(ended));
}

Result<std::vector<Message>> EncryptingConversationStore::MessagesAfter(std::string_view id,
                                                                        std::int64_t after_seq,
                                                                        std::size_t limit) {
  // The key first: if a shred lands between the two reads, the bodies read are blank already.
  UITWEG_TRY_ASSIGN(const DataKey key, KeyFor(id));
  UITWEG_TRY_ASSIGN(auto messages, inner_->MessagesAfter(id, after_seq, limit));
  for (auto& message : messages) {
    UITWEG_TRY(RevealBody(message, key));
    if (message.kind == MessageKind::ended) keys_.Close(id);
  }
  return messages;
}

Result<std::vector<Message>> EncryptingConversationStore::MessagesAfterEach(
    std::span<const EntriesAfter> wanted, std::size_t limit) {
  // The keys first, as in MessagesAfter; a conversation without one does not exist.
  std::unordered_map<std::string_view, DataKey> keys;
  std::vector<EntriesAfter> found;
  for (const EntriesAfter& each : wanted) {
    auto key = KeyFor(each.conversation_id);
    if (!key && key.error().code == core::Errc::not_found) continue;
    if (!key) return key.error();
    keys.emplace(each.conversation_id, std::move(*key));
    found.push_back(each);
  }
  UITWEG_TRY_ASSIGN(auto messages, inner_->MessagesAfterEach(found, limit));
  for (auto& message : messages) {
    UITWEG_TRY(RevealBody(message, keys.at(message.conversation_id)));
    if (message.kind == MessageKind::ended) keys_.Close(message.conversation_id);
  }
  return messages;
}

Result<std::string> EncryptingConversationStore::FindKey(std::string_view id) {
  return inner_->FindKey(id);
}

Result<ConversationKey> EncryptingConversationStore::FindAnyKey() {
  return inner_->FindAnyKey();
}

// --- writes

Result<std::vector<std::int64_t>> EncryptingConversationStore::CounsellorsAway(
    UnixMillis seen_before) {
  return inner_->CounsellorsAway(seen_before);
}

void EncryptingConversationStore::Create(NewConversation conversation, Done<Conversation> done) {
  const std::uint64_t epoch = keys_.Epoch();
  crypto::Aead key = crypto::Aead::Generate();
  std::string nickname = std::move(conversation.nickname);
  conversation.wrapped_key = master_keys_->Seal(key.key(), ConversationKeyAad(conversation.id));
  conversation.nickname = key.Seal(nickname, NicknameAad(conversation.id));
  keys_.Put(conversation.id, key, epoch, KeyUse::open);
  std::string id = conversation.id;
  inner_->Create(std::move(conversation), [this, id = std::move(id), nickname = std::move(nickname),
                                           done = std::move(done)](Result<Conversation> created) {
    // Not made, or a repeated request answered an earlier conversation with a key of its own:
    // the new key is nobody's.
    if (!created || created->id != id) keys_.Erase(id);
    if (created) created->nickname = nickname;
    done(std::move(created));
  });
}

Done<Transition> EncryptingConversationStore::RevealTransition(DataKey key, Done<Transition> done) {
  return [this, key = std::move(key), done = std::move(done)](Result<Transition> transition) {
    if (!transition) return done(transition.error());
    if (transition->conversation.status == ConversationStatus::ended) {
      keys_.Close(transition->conversation.id);
    }
    auto conversation = RevealWith(std::move(transition->conversation), key);
    if (!conversation) return done(conversation.error());
    transition->conversation = std::move(*conversation);
    done(std::move(transition));
  };
}

Done<Conversation> EncryptingConversationStore::RevealConversation(DataKey key,
                                                                   Done<Conversation> done) {
  return [this, key = std::move(key), done = std::move(done)](Result<Conversation> changed) {
    if (!changed) return done(changed.error());
    done(RevealWith(std::move(*changed), key));
  };
}

void EncryptingConversationStore::Accept(std::string_view id, std::int64_t counsellor_id,
                                         UnixMillis now, Done<Transition> done) {
  auto key = KeyFor(id);
  if (!key) return done(key.error());
  inner_->Accept(id, counsellor_id, now, RevealTransition(std::move(*key), std::move(done)));
}

void EncryptingConversationStore::Release(std::string_view id, std::int64_t counsellor_id,
                                          UnixMillis now, Done<Transition> done) {
  auto key = KeyFor(id);
  if (!key) return done(key.error());
  inner_->Release(id, counsellor_id, now, RevealTransition(std::move(*key), std::move(done)));
}

void EncryptingConversationStore::End(std::string_view id, model::EndReason reason, UnixMillis now,
                                      Done<Transition> done) {
  auto key = KeyBeforeTheEnd(id);
  if (!key) return done(key.error());
  inner_->End(id, reason, now, RevealTransition(std::move(*key), std::move(done)));
}

void EncryptingConversationStore::EndByCounsellor(std::string_view id, std::int64_t counsellor_id,
                                                  UnixMillis now, Done<Transition> done) {
  auto key = KeyBeforeTheEnd(id);
  if (!key) return done(key.error());
  inner_->EndByCounsellor(id, counsellor_id, now,
                          RevealTransition(std::move(*key), std::move(done)));
}

Result<DataKey> EncryptingConversationStore::KeyBeforeTheEnd(std::string_view id) {
  auto key = KeyFor(id);
  if (!key) return key;
  // What was sent before the end and still waits for the key goes first: else the end would
  // refuse it (a visitor's last words, resent after a reconnect just before their `end`).
  std::lock_guard lock(pending_mu_);
  AppendWaiting(std::string(id), key);
  return key;
}

void EncryptingConversationStore::MarkVisitorSeen(std::string_view id, UnixMillis at,
                                                  Done<void> done) {
  inner_->MarkVisitorSeen(id, at, std::move(done));
}

void EncryptingConversationStore::SetUrgency(std::string_view id, std::int32_t urgency,
                                             std::optional<std::int64_t> marked_by,
                                             Done<Conversation> done) {
  auto key = KeyFor(id);
  if (!key) return done(key.error());
  inner_->SetUrgency(id, urgency, marked_by, RevealConversation(std::move(*key), std::move(done)));
}

void EncryptingConversationStore::Shred(std::string_view id, UnixMillis now, Done<bool> done) {
  inner_->Shred(id, now,
                [this, id = std::string(id), done = std::move(done)](Result<bool> shredded) {
                  if (shredded) keys_.Erase(id);
                  done(std::move(shredded));
                });
}

void EncryptingConversationStore::SetResumeToken(std::string_view id, std::string token_hash,
                                                 Done<void> done) {
  inner_->SetResumeToken(id, std::move(token_hash), std::move(done));
}

void EncryptingConversationStore::OfferTransfer(std::string_view id, std::int64_t from,
                                                std::int64_t to, UnixMillis now,
                                                Done<Conversation> done) {
  auto key = KeyFor(id);
  if (!key) return done(key.error());
  inner_->OfferTransfer(id, from, to, now, RevealConversation(std::move(*key), std::move(done)));
}

void EncryptingConversationStore::TakeTransfer(std::string_view id, std::int64_t to, UnixMillis now,
                                               Done<Transition> done) {
  auto key = KeyFor(id);
  if (!key) return done(key.error());
  inner_->TakeTransfer(id, to, now, RevealTransition(std::move(*key), std::move(done)));
}

void EncryptingConversationStore::WithdrawOffer(std::string_view id, std::int64_t to,
                                                UnixMillis offered_at, Done<Conversation> done) {
  auto key = KeyFor(id);
  if (!key) return done(key.error());
  inner_->WithdrawOffer(id, to, offered_at, RevealConversation(std::move(*key), std::move(done)));
}

Result<std::vector<Conversation>> EncryptingConversationStore::ListOffered() {
  UITWEG_TRY_ASSIGN(auto offered, inner_->ListOffered());
  return RevealAll(std::move(offered));
}

void EncryptingConversationStore::RequestForget(std::string_view id, Done<void> done) {
  inner_->RequestForget(id, std::move(done));
}

void EncryptingConversationStore::RecordFeedback(std::string_view id, model::Feedback feedback,
                                                 UnixMillis now, Done<void> done) {
  inner_->RecordFeedback(id, std::move(feedback), now, std::move(done));
}

Result<std::vector<std::string>> EncryptingConversationStore::ListStartedBetween(UnixMillis from,
                                                                                 UnixMillis until) {
  return inner_->ListStartedBetween(from, until);
}

Result<std::vector<std::string>> EncryptingConversationStore::DueForShredding(
    UnixMillis ended_before, std::size_t limit) {
  return inner_->DueForShredding(ended_before, limit);
}

void EncryptingConversationStore::Append(NewMessage message, Done<Appended> done) {
  const std::string& id = message.conversation_id;
  std::optional<DataKey> key;
  {
    std::lock_guard lock(pending_mu_);
    if (auto waiting = pending_.find(id); waiting != pending_.end()) {
      waiting->second.emplace_back(std::move(message), std::move(done));
      return;
    }
    key = keys_.Find(id);
    if (!key) {
      std::string waiting_for = id;
      pending_[waiting_for].emplace_back(std::move(message), std::move(done));
      Post([this, id = std::move(waiting_for)] { AppendPending(id); });
      return;
    }
  }
  SealAndAppend(std::move(message), *key, std::move(done));
}

void EncryptingConversationStore::AppendPending(const std::string& id) {
  auto key = KeyFor(id);
  // Under the lock, so that an append arriving now that the key is cached cannot overtake the
  // ones that waited for it. The inner Append only queues.
  std::lock_guard lock(pending_mu_);
  AppendWaiting(id, key);
}

void EncryptingConversationStore::AppendWaiting(const std::string& id, const Result<DataKey>& key) {
  auto waiting = pending_.extract(id);
  if (waiting.empty()) return;  // an End with the key went first
  for (auto& [message, done] : waiting.mapped()) {
    if (!key) {
      done(key.error());
    } else {
      SealAndAppend(std::move(message), *key, std::move(done));
    }
  }
}

void EncryptingConversationStore::SealAndAppend(NewMessage message, const DataKey& key,
                                                Done<Appended> done) {
  if (!key) return AppendWithoutKey(std::move(message), std::move(done));
  std::string body = std::move(message.body);
  message.body = key->Seal(
      body, BodyAad(message.conversation_id, message.sender, message.client_id, message.kind));
  inner_->Append(std::move(message), [this, key, body = std::move(body),
                                      done = std::move(done)](Result<Appended> appended) mutable {
    if (!appended) return done(appended.error());
    if (!appended->duplicate) {
      appended->message.body = std::move(body);
    } else if (Status opened = RevealBody(appended->message, key); !opened) {
      return done(opened.error());
    }
    done(std::move(appended));
  });
}

void EncryptingConversationStore::AppendWithoutKey(NewMessage message, Done<Appended> done) {
  // Only a resend to an ended conversation can succeed without a key, and it needs no body. An
  // open conversation without a key would get plaintext, which the inner store must never see;
  // nor may a referral, which is written after the end too, be stored without its text.
  // Rare (shredded conversations, ones stored before encryption at rest), so the status is read
  // on the blocking executor.
  Post([this, message = std::move(message), done = std::move(done)]() mutable {
    auto conversation = inner_->Find(message.conversation_id);
    if (!conversation) return done(conversation.error());
    if (conversation->status != ConversationStatus::ended ||
        message.kind == model::MessageKind::referral) {
      return done(core::Fail(core::Errc::failed_precondition,
                             "conversation has no data key; it was stored before encryption at "
                             "rest"));
    }
    message.body.clear();
    inner_->Append(std::move(message), [done = std::move(done)](Result<Appended> appended) {
      if (appended && model::IsWritten(appended->message.kind)) {
        appended->message.body.clear();
        appended->message.body_shredded = true;
      }
      done(std::move(appended));
    });
  });
}

Result<std::shared_ptr<crypto::MasterKeys>> EncryptAtRest(Database& database,
                                                          std::string_view master_key_base64,
                                                          const std::filesystem::path& key_file,
                                                          core::Post blocking) {
  if (master_key_base64.empty() && !std::filesystem::exists(key_file)) {
    // Nodes that share a database must share the key; one that made its own would seal what
    // the others cannot open.
    if (database.changes) {
      return core::Fail(core::Errc::failed_precondition,
                        "a database that several nodes share needs the same master key on "
                        "every node: give it in UITWEG_MASTER_KEY (make one with "
                        "`head -c 32 /dev/urandom | base64`) or put the same key file at " +
                            key_file.string());
    }
    // A fresh key would be created; refuse rather than bury the data under a key that cannot
    // open it.
    UITWEG_TRY_ASSIGN(const auto sealed,
                      FindSealed(*database.conversations, database.sealed.get()));
    if (sealed) {
      return core::Fail(core::Errc::failed_precondition,
                        "master key file " + key_file.string() + " is missing, but the database " +
                            "holds " + sealed->what +
                            " sealed under a master key; restore the key file or give the key in "
                            "the environment");
    }
  }
  std::shared_ptr<crypto::MasterKeys> master_keys;
  if (master_key_base64.empty()) {
    UITWEG_TRY_ASSIGN(master_keys, crypto::MasterKeys::FollowFile(key_file));
  } else {
    UITWEG_TRY_ASSIGN(auto keys, crypto::MasterKey::ListFromBase64(master_key_base64));
    UITWEG_TRY_ASSIGN(master_keys, crypto::MasterKeys::Fixed(std::move(keys)));
  }
  UITWEG_TRY_ASSIGN(const auto sealed, FindSealed(*database.conversations, database.sealed.get()));
  if (Status verified = CheckMasterKey(sealed, *master_keys); !verified) {
    const std::string source = master_key_base64.empty() ? "key file " + key_file.string()
                                                         : std::string("key from the environment");
    return core::Fail(verified.error().code, verified.error().message + " (" + source + ")");
  }
  auto encrypting = std::make_unique<EncryptingConversationStore>(std::move(database.conversations),
                                                                  master_keys, std::move(blocking));
  EncryptingConversationStore& keys = *encrypting;
  database.conversations = std::move(encrypting);
  database.reviews = std::make_unique<EncryptingReviewStore>(std::move(database.reviews), keys);
  return master_keys;
}

}  // namespace uitweg::store
