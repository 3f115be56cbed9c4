#include "store/encrypting_store.hpp"

#include <algorithm>
#include <memory>
#include <utility>

#include "crypto/master_key.hpp"

namespace uitweg::store {
namespace {

// Associated data is built from length-prefixed fields under a purpose label, so that no two
// different (purpose, fields) tuples give the same bytes: a wrapped key, a nickname and a body
// can never stand in for one another.
void AppendField(std::string& out, std::string_view field) {
  out += std::to_string(field.size());
  out += ':';
  out += field;
}

std::string KeyAad(std::string_view conversation_id) {
  std::string aad = "uitweg/data-key/v1|";
  AppendField(aad, conversation_id);
  return aad;
}

std::string NicknameAad(std::string_view conversation_id) {
  std::string aad = "uitweg/nickname/v1|";
  AppendField(aad, conversation_id);
  return aad;
}

std::string BodyAad(std::string_view conversation_id, Sender sender, std::string_view client_id) {
  std::string aad = "uitweg/body/v1|";
  AppendField(aad, conversation_id);
  AppendField(aad, SenderName(sender));
  AppendField(aad, client_id);
  return aad;
}

core::Error Altered(const char* what) {
  return core::Fail(core::Errc::internal, std::string("a stored ") + what +
                                              " failed authentication; the database was altered");
}

bool IsSealedText(const Message& message) {
  return message.kind == MessageKind::text && !message.body_shredded;
}

}  // namespace

EncryptingStore::EncryptingStore(std::unique_ptr<Store> inner, crypto::Aead master_key,
                                 std::size_t key_cache_size)
    : inner_(std::move(inner)), master_key_(std::move(master_key)), keys_(key_cache_size) {}

Result<DataKey> EncryptingStore::KeyFor(std::string_view id) {
  if (auto cached = keys_.Find(id)) return std::move(*cached);
  const std::uint64_t epoch = keys_.Epoch();
  auto wrapped = inner_->FindConversationKey(id);
  if (!wrapped) return wrapped.error();
  DataKey key;
  if (!wrapped->empty()) {
    auto raw = master_key_.Open(*wrapped, KeyAad(id));
    if (!raw) {
      return core::Fail(core::Errc::failed_precondition,
                        "a conversation's data key cannot be unwrapped: the master key is not the "
                        "one it was wrapped with, or the stored key was altered");
    }
    auto aead = crypto::Aead::FromKey(*raw);
    std::fill(raw->begin(), raw->end(), '\0');
    if (!aead) return Altered("data key");
    key = std::move(*aead);
  }
  keys_.Put(id, key, epoch);
  return key;
}

Result<Conversation> EncryptingStore::Reveal(Conversation conversation) {
  auto key = KeyFor(conversation.id);
  if (!key) return key.error();
  if (!*key || conversation.nickname.empty()) {
    conversation.nickname.clear();
    return conversation;
  }
  auto nickname = (*key)->Open(conversation.nickname, NicknameAad(conversation.id));
  if (!nickname) return Altered("nickname");
  conversation.nickname = std::move(*nickname);
  return conversation;
}

Result<std::vector<Conversation>> EncryptingStore::RevealAll(
    std::vector<Conversation> conversations) {
  for (auto& conversation : conversations) {
    auto revealed = Reveal(std::move(conversation));
    if (!revealed) return revealed.error();
    conversation = std::move(*revealed);
  }
  return conversations;
}

Status EncryptingStore::RevealBody(Message& message, const DataKey& key) const {
  if (!IsSealedText(message)) return {};
  if (!key) {
    message.body.clear();
    message.body_shredded = true;
    return {};
  }
  auto body =
      key->Open(message.body, BodyAad(message.conversation_id, message.sender, message.client_id));
  if (!body) return Altered("message");
  message.body = std::move(*body);
  return {};
}

Result<StaffAccount> EncryptingStore::CreateAccount(const NewStaffAccount& account) {
  return inner_->CreateAccount(account);
}
Result<StaffAccount> EncryptingStore::FindAccount(std::int64_t id) {
  return inner_->FindAccount(id);
}
Result<StaffAccount> EncryptingStore::FindAccountByUsername(std::string_view username) {
  return inner_->FindAccountByUsername(username);
}
Result<std::int64_t> EncryptingStore::CountAccounts() {
  return inner_->CountAccounts();
}
Result<std::vector<StaffAccount>> EncryptingStore::ListAccounts() {
  return inner_->ListAccounts();
}
Status EncryptingStore::SetAccountDisabled(std::int64_t id, bool disabled) {
  return inner_->SetAccountDisabled(id, disabled);
}
Status EncryptingStore::SetPasswordHash(std::int64_t id, std::string_view password_hash) {
  return inner_->SetPasswordHash(id, password_hash);
}

Status EncryptingStore::CreateSession(const StaffSession& session) {
  return inner_->CreateSession(session);
}
Result<StaffSession> EncryptingStore::FindSession(std::string_view token_hash) {
  return inner_->FindSession(token_hash);
}
Status EncryptingStore::TouchSession(std::string_view token_hash, UnixMillis now) {
  return inner_->TouchSession(token_hash, now);
}
Status EncryptingStore::DeleteSession(std::string_view token_hash) {
  return inner_->DeleteSession(token_hash);
}

Result<Conversation> EncryptingStore::CreateConversation(const NewConversation& conversation) {
  const std::uint64_t epoch = keys_.Epoch();
  crypto::Aead key = crypto::Aead::Generate();
  NewConversation sealed = conversation;
  sealed.wrapped_key = master_key_.Seal(key.key(), KeyAad(conversation.id));
  sealed.nickname = key.Seal(conversation.nickname, NicknameAad(conversation.id));
  auto created = inner_->CreateConversation(sealed);
  if (!created) return created.error();
  keys_.Put(conversation.id, std::move(key), epoch);
  created->nickname = conversation.nickname;
  return created;
}

Result<Conversation> EncryptingStore::FindConversation(std::string_view id) {
  auto found = inner_->FindConversation(id);
  if (!found) return found.error();
  return Reveal(std::move(*found));
}

Result<Conversation> EncryptingStore::FindConversationByResumeToken(std::string_view token_hash) {
  auto found = inner_->FindConversationByResumeToken(token_hash);
  if (!found) return found.error();
  return Reveal(std::move(*found));
}

Result<std::vector<Conversation>> EncryptingStore::ListWaiting() {
  auto waiting = inner_->ListWaiting();
  if (!waiting) return waiting.error();
  return RevealAll(std::move(*waiting));
}

Result<std::vector<Conversation>> EncryptingStore::ListActiveFor(std::int64_t counsellor_id) {
  auto active = inner_->ListActiveFor(counsellor_id);
  if (!active) return active.error();
  return RevealAll(std::move(*active));
}

Status EncryptingStore::SetUrgency(std::string_view id, std::int32_t urgency) {
  return inner_->SetUrgency(id, urgency);
}

Result<std::string> EncryptingStore::FindConversationKey(std::string_view id) {
  return inner_->FindConversationKey(id);
}

Result<ConversationKey> EncryptingStore::FindAnyConversationKey() {
  return inner_->FindAnyConversationKey();
}

Status EncryptingStore::VerifyMasterKey() {
  auto any = inner_->FindAnyConversationKey();
  if (!any) {
    if (any.error().code == core::Errc::not_found) return {};
    return any.error();
  }
  auto raw = master_key_.Open(any->wrapped_key, KeyAad(any->conversation_id));
  if (raw) std::fill(raw->begin(), raw->end(), '\0');
  if (!raw) {
    return core::Fail(core::Errc::failed_precondition,
                      "the master key does not open the conversation keys in this database; it is "
                      "not the key they were wrapped with (a lost or replaced key file?)");
  }
  return {};
}

Status EncryptingStore::ShredConversation(std::string_view id) {
  auto shredded = inner_->ShredConversation(id);
  if (shredded) keys_.Erase(id);
  return shredded;
}

Result<Transition> EncryptingStore::AcceptConversation(std::string_view id,
                                                       std::int64_t counsellor_id, UnixMillis now) {
  auto accepted = inner_->AcceptConversation(id, counsellor_id, now);
  if (!accepted) return accepted.error();
  auto conversation = Reveal(std::move(accepted->conversation));
  if (!conversation) return conversation.error();
  accepted->conversation = std::move(*conversation);
  return accepted;
}

Result<Transition> EncryptingStore::EndConversation(std::string_view id, Sender ended_by,
                                                    UnixMillis now) {
  auto ended = inner_->EndConversation(id, ended_by, now);
  if (!ended) return ended.error();
  auto conversation = Reveal(std::move(ended->conversation));
  if (!conversation) return conversation.error();
  ended->conversation = std::move(*conversation);
  return ended;
}

Result<NewMessage> EncryptingStore::SealMessage(const NewMessage& message, const DataKey& key) {
  NewMessage sealed = message;
  if (key) {
    sealed.body = key->Seal(message.body,
                            BodyAad(message.conversation_id, message.sender, message.client_id));
  } else {
    // Without a key only a resend can succeed (the inner store stores nothing for an ended
    // conversation); an open conversation without a key would get plaintext, so refuse it.
    auto conversation = inner_->FindConversation(message.conversation_id);
    if (!conversation) return conversation.error();
    if (conversation->status != ConversationStatus::ended) {
      return core::Fail(core::Errc::failed_precondition,
                        "conversation has no data key; it was stored before encryption at rest");
    }
    sealed.body.clear();
  }
  return sealed;
}

Result<AppendedMessage> EncryptingStore::RevealAppended(Result<AppendedMessage> appended,
                                                        std::string body,
                                                        const DataKey& key) const {
  if (!appended) return appended.error();
  if (!appended->duplicate) {
    appended->message.body = std::move(body);
    return appended;
  }
  UITWEG_TRY(RevealBody(appended->message, key));
  return appended;
}

Result<AppendedMessage> EncryptingStore::AppendMessage(const NewMessage& message) {
  auto key = KeyFor(message.conversation_id);
  if (!key) return key.error();
  auto sealed = SealMessage(message, *key);
  if (!sealed) return sealed.error();
  return RevealAppended(inner_->AppendMessage(*sealed), message.body, *key);
}

void EncryptingStore::AppendMessageAsync(NewMessage message, AppendDone done) {
  auto key = KeyFor(message.conversation_id);
  if (!key) return done(key.error());
  auto sealed = SealMessage(message, *key);
  if (!sealed) return done(sealed.error());
  inner_->AppendMessageAsync(
      std::move(*sealed),
      [this, body = std::move(message.body), key = std::make_shared<const DataKey>(std::move(*key)),
       done = std::move(done)](Result<AppendedMessage> appended) {
        done(RevealAppended(std::move(appended), body, *key));
      });
}

Result<std::vector<Message>> EncryptingStore::MessagesAfter(std::string_view conversation_id,
                                                            std::int64_t after_seq,
                                                            std::size_t limit) {
  // The key first: if a shred lands between the two reads, the bodies read are blank already.
  auto key = KeyFor(conversation_id);
  if (!key) return key.error();
  auto messages = inner_->MessagesAfter(conversation_id, after_seq, limit);
  if (!messages) return messages.error();
  for (auto& message : *messages) {
    UITWEG_TRY(RevealBody(message, *key));
  }
  return messages;
}

Result<std::unique_ptr<Store>> EncryptAtRest(std::unique_ptr<Store> inner,
                                             std::string_view master_key_base64,
                                             const std::filesystem::path& key_file) {
  if (master_key_base64.empty() && !std::filesystem::exists(key_file)) {
    // A fresh key would be created; refuse rather than bury the data under a key that cannot
    // open it.
    auto any = inner->FindAnyConversationKey();
    if (any) {
      return core::Fail(core::Errc::failed_precondition,
                        "master key file " + key_file.string() +
                            " is missing, but the database holds conversations encrypted under a "
                            "master key; restore the key file or give the key in the environment");
    }
    if (any.error().code != core::Errc::not_found) return any.error();
  }
  auto master_key = master_key_base64.empty() ? crypto::MasterKey::LoadOrCreate(key_file)
                                              : crypto::MasterKey::FromBase64(master_key_base64);
  if (!master_key) return master_key.error();
  auto store = std::make_unique<EncryptingStore>(std::move(inner), std::move(*master_key));
  if (auto verified = store->VerifyMasterKey(); !verified) {
    const std::string source = master_key_base64.empty() ? "key file " + key_file.string()
                                                         : std::string("key from the environment");
    return core::Fail(verified.error().code, verified.error().message + " (" + source + ")");
  }
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace uitweg::store
