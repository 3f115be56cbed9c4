#pragma once
// The persistence contract. store/ is the only place that speaks SQL; the SQLite and the
// PostgreSQL implementations both pass store_contract_test. Backends store nicknames, bodies
// and wrapped keys as bytes; EncryptingStore (encrypting_store.hpp) wraps any backend so that
// those bytes are sealed (encryption at rest), and passes the same contract.
//
// Thread safety: every method may be called from any thread at once. Methods block the caller
// until the work is done (writes: until committed durably), so call them from worker pools,
// never from an I/O thread; AppendMessageAsync instead answers through a callback.
//
// Errors: not_found when a named row does not exist; already_exists on a unique clash;
// failed_precondition when a state transition is not allowed; unavailable when the database
// cannot be reached; internal for anything else. Messages never carry message text or tokens.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"

namespace uitweg::store {

using core::Result;
using core::Status;
using core::UnixMillis;

enum class Role { counsellor, supervisor, analyst, admin };
std::string_view RoleName(Role role);
bool ParseRole(std::string_view text, Role& out);

struct StaffAccount {
  std::int64_t id = 0;
  std::string username;
  Role role = Role::counsellor;
  std::string display_name;
  std::string password_hash;  // argon2id, in libsodium's encoded string form
  bool disabled = false;
  UnixMillis created_at = 0;
};

struct NewStaffAccount {
  std::string username;
  Role role = Role::counsellor;
  std::string display_name;
  std::string password_hash;
  UnixMillis created_at = 0;
};

// A signed-in staff member. The cookie holds a random token; only its hash is stored.
struct StaffSession {
  std::string token_hash;
  std::int64_t account_id = 0;
  std::string csrf_token;
  UnixMillis created_at = 0;
  UnixMillis last_seen_at = 0;
};

enum class ConversationStatus { waiting, active, ended };
std::string_view ConversationStatusName(ConversationStatus status);
bool ParseConversationStatus(std::string_view text, ConversationStatus& out);

// Who the chat is about, as the visitor said when starting it.
enum class Subject { self, other };
std::string_view SubjectName(Subject subject);
bool ParseSubject(std::string_view text, Subject& out);

struct Conversation {
  std::string id;  // random, URL-safe, public
  ConversationStatus status = ConversationStatus::waiting;
  Subject subject = Subject::self;
  std::string nickname;  // may be empty
  std::optional<std::int64_t> counsellor_id;
  std::int32_t urgency = 0;  // higher first in the queue; triage sets it
  std::int64_t last_seq = 0;
  UnixMillis created_at = 0;
  std::optional<UnixMillis> accepted_at;
  std::optional<UnixMillis> ended_at;
};

struct NewConversation {
  std::string id;
  std::string resume_token_hash;  // the visitor's resume token is never stored, only its hash
  Subject subject = Subject::self;
  std::string nickname;
  std::int32_t urgency = 0;
  UnixMillis created_at = 0;
  // The conversation's data key wrapped by the master key (see encrypting_store.hpp); empty for
  // none. Stored bytes only: a backend never interprets it.
  std::string wrapped_key = {};
};

enum class Sender { visitor, counsellor, system };
std::string_view SenderName(Sender sender);
bool ParseSender(std::string_view text, Sender& out);

// What a sequenced entry in a conversation is: a text, or an event in its life.
enum class MessageKind { text, accepted, ended };
std::string_view MessageKindName(MessageKind kind);
bool ParseMessageKind(std::string_view text, MessageKind& out);

struct Message {
  std::string conversation_id;
  std::int64_t seq = 0;  // 1, 2, 3, ... per conversation, no gaps
  MessageKind kind = MessageKind::text;
  Sender sender = Sender::visitor;
  std::optional<std::int64_t> author_id;  // the staff account, for counsellor messages
  std::string client_id;                  // the sender's own id; empty for system entries
  std::string body;                       // empty for events
  UnixMillis created_at = 0;
  // true once the conversation has been shredded: the text's body is gone for good and `body`
  // is empty. Never set on events.
  bool body_shredded = false;
};

struct NewMessage {
  std::string conversation_id;
  Sender sender = Sender::visitor;  // visitor or counsellor
  std::optional<std::int64_t> author_id;
  std::string client_id;  // required, 1..64 characters
  std::string body;
  UnixMillis created_at = 0;
};

struct AppendedMessage {
  Message message;
  bool duplicate = false;  // true: (conversation, sender, client_id) was stored before; nothing new
};

// A conversation's wrapped data key (see NewConversation::wrapped_key).
struct ConversationKey {
  std::string conversation_id;
  std::string wrapped_key;
};

// The stored event that a transition appended, with the conversation as it is now.
struct Transition {
  Conversation conversation;
  Message event;
};

class Store {
 public:
  virtual ~Store() = default;

  // --- staff accounts
  virtual Result<StaffAccount> CreateAccount(const NewStaffAccount& account) = 0;
  virtual Result<StaffAccount> FindAccount(std::int64_t id) = 0;
  virtual Result<StaffAccount> FindAccountByUsername(std::string_view username) = 0;
  virtual Result<std::int64_t> CountAccounts() = 0;
  // Every account, by username.
  virtual Result<std::vector<StaffAccount>> ListAccounts() = 0;
  // not_found if there is no such account.
  virtual Status SetAccountDisabled(std::int64_t id, bool disabled) = 0;
  virtual Status SetPasswordHash(std::int64_t id, std::string_view password_hash) = 0;

  // --- staff sessions
  // not_found if the account does not exist.
  virtual Status CreateSession(const StaffSession& session) = 0;
  virtual Result<StaffSession> FindSession(std::string_view token_hash) = 0;
  // Moves last_seen_at forward to `now` (never back). not_found if there is no such session.
  virtual Status TouchSession(std::string_view token_hash, UnixMillis now) = 0;
  // not_found if there was no such session.
  virtual Status DeleteSession(std::string_view token_hash) = 0;

  // --- conversations
  virtual Result<Conversation> CreateConversation(const NewConversation& conversation) = 0;
  virtual Result<Conversation> FindConversation(std::string_view id) = 0;
  virtual Result<Conversation> FindConversationByResumeToken(std::string_view token_hash) = 0;
  // Waiting conversations, most urgent first, then longest waiting first.
  virtual Result<std::vector<Conversation>> ListWaiting() = 0;
  // Active conversations assigned to one counsellor, oldest first.
  virtual Result<std::vector<Conversation>> ListActiveFor(std::int64_t counsellor_id) = 0;
  virtual Status SetUrgency(std::string_view id, std::int32_t urgency) = 0;
  // The wrapped data key stored with the conversation, byte for byte; empty if it was created
  // without one or has been shredded. not_found if the conversation does not exist.
  virtual Result<std::string> FindConversationKey(std::string_view id) = 0;
  // Any one conversation that has a wrapped data key, so that a master key can be checked
  // against the database at start-up. not_found if no conversation has one.
  virtual Result<ConversationKey> FindAnyConversationKey() = 0;
  // Crypto-shredding: forgets the conversation's wrapped data key and nickname, and blanks the
  // body of every text, marking it body_shredded. The conversation and its entries (seq,
  // kind, sender, client_id, times) remain, so sequence numbers, dedup and counts still hold;
  // MessagesAfter returns the texts with empty bodies. Idempotent.
  // failed_precondition unless the conversation has ended (nothing may be appended after it is
  // shredded); not_found if it does not exist.
  virtual Status ShredConversation(std::string_view id) = 0;

  // waiting -> active, assigned to the counsellor; appends an `accepted` event (sender system,
  // author_id the counsellor) in the same transaction. failed_precondition if the conversation
  // is not waiting (someone else took it); not_found if it or the counsellor does not exist.
  virtual Result<Transition> AcceptConversation(std::string_view id, std::int64_t counsellor_id,
                                                UnixMillis now) = 0;
  // waiting|active -> ended; appends an `ended` event (sender says who ended it; author_id is
  // the assigned counsellor when the counsellor ended it).
  // failed_precondition if it has ended already.
  virtual Result<Transition> EndConversation(std::string_view id, Sender ended_by,
                                             UnixMillis now) = 0;

  // --- messages
  // Assigns the next seq and commits durably before returning. Idempotent per
  // (conversation, sender, client_id): a repeat returns the stored message with duplicate=true
  // (also after the conversation has ended, so a late resend is still acknowledged).
  // failed_precondition if the conversation has ended; not_found if it does not exist;
  // invalid_argument for a system sender or a client_id outside 1..64 characters.
  virtual Result<AppendedMessage> AppendMessage(const NewMessage& message) = 0;
  // AppendMessage without waiting: returns at once and hands `done` the same result once the
  // message is durable (or has failed), on a thread of the store's choosing, so that no thread
  // waits per message. Appends made by one thread are sequenced and answered in the order of
  // the calls; a rejected input may be answered at once, before AppendMessageAsync returns.
  // `done` must not block nor call the store's writes. The default runs AppendMessage on the
  // calling thread (a blocking call), so callers must still not use it on an I/O thread.
  using AppendDone = std::function<void(Result<AppendedMessage>)>;
  virtual void AppendMessageAsync(NewMessage message, AppendDone done);
  // Entries with seq > after_seq, in seq order, at most `limit` of them. not_found if the
  // conversation does not exist.
  virtual Result<std::vector<Message>> MessagesAfter(std::string_view conversation_id,
                                                     std::int64_t after_seq,
                                                     std::size_t limit) = 0;
};

struct SqliteOptions {
  std::string path;              // database file; created with its folder if missing
  std::size_t reader_count = 4;  // read connections in WAL mode
  std::size_t max_batch = 512;   // writes folded into one group commit at most
  // After a commit of several writes, the writer waits up to this long for their callers to
  // queue their next writes, so that batches stay full instead of alternating small and
  // large. Never applies after a single write, so a lone caller pays nothing.
  std::size_t commit_linger_micros = 300;
};

// Opens (creating if needed) and migrates the database. Fails with failed_precondition if the
// schema is newer than this binary knows.
Result<std::unique_ptr<Store>> OpenSqliteStore(const SqliteOptions& options);

}  // namespace uitweg::store
