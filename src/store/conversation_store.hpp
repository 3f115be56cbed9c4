#pragma once
// Conversations and their sequenced entries: the persistence contract of chat/. Every backend
// passes conversation_store_contract_test; EncryptingConversationStore wraps any of them so
// that content is sealed at rest and passes it too.
//
// Reads block until answered: call them from worker threads, never from an I/O thread.
//
// Writes return at once and answer through `done` once the write is durable, or has failed.
// Answers come one at a time, in the order the writes committed, on the backend's completion
// executor (never on the caller's stack, except for input refused before anything was queued,
// which may be answered before the call returns). An answer must not block: it is where entries
// are published, so every entry of a conversation is answered in seq order. Append and Create
// never block the caller, on any thread; the other writes may read first (a wrapper fetching a
// key), so call them from workers.
//
// Errors: not_found when the conversation (or the counsellor) does not exist; already_exists on
// a unique clash; failed_precondition when a state transition is not allowed; permission_denied
// when a counsellor writes to a conversation that is not assigned to them; invalid_argument for
// malformed input; unavailable when the database cannot be reached or is closing; internal for
// anything else. Messages never carry message text or tokens.

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "model/conversation.hpp"
#include "model/message.hpp"

namespace uitweg::store {

using core::Result;
using core::Status;
using core::UnixMillis;

// How a write answers: once, with its result, as described above.
template <class T>
using Done = std::function<void(Result<T>)>;

struct NewConversation {
  std::string id = {};
  std::string resume_token_hash = {};  // the visitor's resume token is never stored, only its hash
  model::Subject subject = model::Subject::self;
  std::string nickname = {};
  std::int32_t urgency = 0;
  UnixMillis created_at = 0;
  // A message left while the chat is closed (model::Conversation::offline), with the hash of its
  // pick-up code; empty for a live chat.
  bool offline = false;
  std::string pickup_code_hash = {};
  std::string language = {};  // model::Conversation::language
  std::string campaign = {};  // model::Conversation::campaign
  // The conversation's data key wrapped by the master key (see
  // encrypting_conversation_store.hpp); empty for none. Stored bytes only: a backend never
  // interprets it.
  std::string wrapped_key = {};
  // The hash of the id the visitor's page gave this request (empty: none), so that asking again
  // after an answer that never arrived finds the conversation it made: see Create. `request_try`
  // counts the page's tries of it, up from the first.
  std::string request_hash = {};
  std::int64_t request_try = 0;
};

// How long after a conversation was made a request with the same request_hash finds it again.
inline constexpr UnixMillis kRequestRepeatWindow = 5 * 60 * 1000;

struct NewMessage {
  std::string conversation_id = {};
  // text, or a staff-only note or whisper (sender counsellor, author any staff account).
  model::MessageKind kind = model::MessageKind::text;
  model::Sender sender = model::Sender::visitor;  // visitor or counsellor
  // For a counsellor: the account that writes, which must be the one the conversation is
  // assigned to.
  std::optional<std::int64_t> author_id = {};
  // For a note or whisper, if given: the counsellor the conversation must still be assigned to
  // (a whisper meant for one must not land in the chat of whoever took it over meanwhile).
  std::optional<std::int64_t> assigned_to = {};
  std::string client_id = {};  // required, 1..64 characters
  std::string body = {};
  UnixMillis created_at = 0;
};

struct Appended {
  model::Message message = {};
  bool duplicate = false;  // true: (conversation, sender, client_id) was stored before
};

// The stored event that a transition appended, with the conversation as it is now.
struct Transition {
  model::Conversation conversation = {};
  model::Message event = {};
};

// Where a read of several conversations' entries starts: after `after_seq` of `conversation_id`.
struct EntriesAfter {
  std::string conversation_id = {};
  std::int64_t after_seq = 0;
};

// A conversation's wrapped data key (see NewConversation::wrapped_key).
struct ConversationKey {
  std::string conversation_id = {};
  std::string wrapped_key = {};
};

// The two queues a waiting conversation is in: the live chat's, or the messages left while the
// chat was closed (model::Conversation::offline).
enum class WaitingIn { live_queue, messages_left };

class ConversationStore {
 public:
  virtual ~ConversationStore() = default;

  // --- reads
  virtual Result<model::Conversation> Find(std::string_view id) = 0;
  virtual Result<model::Conversation> FindByResumeToken(std::string_view token_hash) = 0;
  // Those of `ids` that exist, in no particular order.
  virtual Result<std::vector<model::Conversation>> FindAll(std::span<const std::string> ids) = 0;
  // The conversation a pick-up code opens; not_found for none (or once shredded).
  virtual Result<model::Conversation> FindByPickUpCode(std::string_view code_hash) = 0;
  // The conversation that holds a request_hash (Create); not_found for none.
  virtual Result<model::Conversation> FindByRequest(std::string_view request_hash) = 0;
  // The waiting conversations of one queue, most urgent first, then longest waiting first. Every
  // node reads the live queue every two seconds: the messages left, kept for the retention
  // period, are not read (and their nicknames unsealed) with it.
  virtual Result<std::vector<model::Conversation>> ListWaiting(WaitingIn queue) = 0;
  // Active conversations assigned to one counsellor, oldest first.
  virtual Result<std::vector<model::Conversation>> ListActiveFor(std::int64_t counsellor_id) = 0;
  // Ended conversations last assigned to the counsellor that ended in [since, until), most
  // recently ended first, at most `limit`; not those whose visitor asked to be forgotten.
  virtual Result<std::vector<model::Conversation>> ListEndedFor(std::int64_t counsellor_id,
                                                                UnixMillis since, UnixMillis until,
                                                                std::size_t limit) = 0;
  // Active conversations with a transfer offered, oldest offer first.
  virtual Result<std::vector<model::Conversation>> ListOffered() = 0;
  // Entries with seq > after_seq, in seq order, at most `limit` of them. not_found if the
  // conversation does not exist.
  virtual Result<std::vector<model::Message>> MessagesAfter(std::string_view id,
                                                            std::int64_t after_seq,
                                                            std::size_t limit) = 0;
  // MessagesAfter for each of `wanted` at once, in one read: the entries of each, in seq order,
  // at most `limit` of each, one conversation after the other in the order of `wanted` (one named
  // twice comes twice). A conversation that does not exist gives none; it is not an error.
  virtual Result<std::vector<model::Message>> MessagesAfterEach(
      std::span<const EntriesAfter> wanted, std::size_t limit) = 0;
  // The wrapped data key stored with the conversation, byte for byte; empty if it was created
  // without one or has been shredded.
  virtual Result<std::string> FindKey(std::string_view id) = 0;
  // Counsellors with a conversation active since before `seen_before` whose console was last
  // seen (AccountStore::MarkConsoleSeen) before `seen_before`, or never: their console is gone.
  virtual Result<std::vector<std::int64_t>> CounsellorsAway(UnixMillis seen_before) = 0;
  // Any one conversation that has a wrapped data key, so that a master key can be checked
  // against the database at start-up. not_found if no conversation has one.
  virtual Result<ConversationKey> FindAnyKey() = 0;

  // --- writes
  // With a request_hash that a conversation of the same kind (live or offline) made at most
  // kRequestRepeatWindow before `created_at` holds, while it has not ended: nothing new is made;
  // that conversation answers (its id tells the caller), with the new resume token hash, and
  // pick-up code hash if one is given, in place of its own, since the visitor never got those.
  // failed_precondition when it holds those of a later request_try (a slow earlier try must not
  // take back what a later one answered). A conversation older or ended gives the
  // request_hash up and a new one is made. invalid_argument when the one that holds it is of
  // the other kind.
  virtual void Create(NewConversation conversation, Done<model::Conversation> done) = 0;
  // waiting -> active, assigned to the counsellor; appends an `accepted` event (sender system,
  // author_id the counsellor) in the same transaction. failed_precondition if it is not
  // waiting (someone else took it, or it ended). Unless it is a message left (offline), the
  // counsellor needs a live place, checked in the same transaction: failed_precondition unless
  // they are available, resource_exhausted when they hold as many live conversations as their
  // capacity; not_found for an unknown counsellor.
  virtual void Accept(std::string_view id, std::int64_t counsellor_id, UnixMillis now,
                      Done<Transition> done) = 0;
  // Release and End withdraw any transfer offered.
  // active -> waiting: the counsellor it is assigned to hands it back to the queue (signed out,
  // or their console is gone); appends a `released` event (sender system, author_id that
  // counsellor) in the same transaction. visitor_seen_at moves forward to `now`: the visitor's
  // time away counts afresh on every node. failed_precondition unless it is active and assigned
  // to `counsellor_id`.
  virtual void Release(std::string_view id, std::int64_t counsellor_id, UnixMillis now,
                       Done<Transition> done) = 0;
  // waiting|active -> ended by the visitor, or abandoned; appends an `ended` event whose sender
  // says who ended it (system for abandoned). Only a waiting conversation can be abandoned.
  // failed_precondition if it has ended already, or is no longer waiting for abandoned;
  // invalid_argument for EndReason::counsellor (EndByCounsellor).
  virtual void End(std::string_view id, model::EndReason reason, UnixMillis now,
                   Done<Transition> done) = 0;
  // active -> ended by `counsellor_id`, checked in the write itself: a colleague who took it
  // over (or the queue it went back to) a moment before keeps it. The `ended` event has sender
  // counsellor and author_id `counsellor_id`. failed_precondition unless it is active and
  // assigned to them.
  virtual void EndByCounsellor(std::string_view id, std::int64_t counsellor_id, UnixMillis now,
                               Done<Transition> done) = 0;
  // Offers an active conversation assigned to `from` to colleague `to`: it stays with `from`
  // until `to` takes it (TakeTransfer) or the offer is withdrawn. Replaces an earlier offer.
  // failed_precondition unless it is active and assigned to `from`, or when `to` is `from`;
  // not_found for an unknown colleague.
  virtual void OfferTransfer(std::string_view id, std::int64_t from, std::int64_t to,
                             UnixMillis now, Done<model::Conversation> done) = 0;
  // The colleague it was offered to takes it: assigned to them and the offer gone, with a
  // `transferred` event (sender system, author_id `to`) in the same transaction.
  // failed_precondition unless it is active and offered to `to`; `to` needs a live place, as
  // for Accept.
  virtual void TakeTransfer(std::string_view id, std::int64_t to, UnixMillis now,
                            Done<Transition> done) = 0;
  // Withdraws the offer made to `to` at `offered_at` (declined, lapsed, taken back).
  // failed_precondition when there is none: taken, withdrawn, or replaced by a newer offer,
  // which stays.
  virtual void WithdrawOffer(std::string_view id, std::int64_t to, UnixMillis offered_at,
                             Done<model::Conversation> done) = 0;
  // Assigns the next seq. Idempotent per (conversation, sender, client_id): a repeat answers
  // the stored entry with duplicate=true, also after the conversation has ended, so that a
  // late resend is still acknowledged. failed_precondition if the conversation has ended;
  // permission_denied for a counsellor it is not assigned to (waiting counts as not
  // assigned); invalid_argument for a system sender or a client_id outside 1..64 characters.
  // A note or a whisper is appended by any staff author while the conversation is active, and
  // assigned to `assigned_to` if given (failed_precondition otherwise); the caller checks who
  // may write one. A referral is
  // appended by the counsellor it is assigned to, also after it ended (a visitor who agreed may
  // leave before it is recorded), until it is shredded.
  virtual void Append(NewMessage message, Done<Appended> done) = 0;
  // Sets the urgency. With `marked_by` (a staff account), by hand: it sticks, and
  // urgency_marked_by says who. Without (triage), only raises it, and only while nobody has set
  // it by hand; otherwise nothing changes. Answers the conversation as it is afterwards.
  virtual void SetUrgency(std::string_view id, std::int32_t urgency,
                          std::optional<std::int64_t> marked_by,
                          Done<model::Conversation> done) = 0;
  // A node saw the visitor of a waiting conversation connected at `at`: visitor_seen_at moves
  // forward to it (never back). Nothing happens once the conversation no longer waits.
  // not_found for an unknown conversation.
  virtual void MarkVisitorSeen(std::string_view id, UnixMillis at, Done<void> done) = 0;
  // Crypto-shredding: forgets the conversation's wrapped data key and nickname, blanks the body
  // of every text (marking it body_shredded), replaces the resume token's hash so that the token
  // finds nothing, forgets the pick-up code's hash, and notes `now` as shredded_at. The
  // conversation and its entries (seq, kind, sender, client_id, times) remain, so sequence numbers,
  // dedup and counts still hold; so does the campaign it came with, which the insights count.
  // Answers true when this call shredded it, false when it was shredded already (by another node,
  // or `uitweg retention run`: nothing changes, so that only one of them reports it).
  // failed_precondition unless it has ended.
  virtual void Shred(std::string_view id, UnixMillis now, Done<bool> done) = 0;
  // Stores the visitor's answers to the two questions after the chat, apart from it: a row with
  // the answers and the day of `now`, no conversation id; the conversation only remembers that
  // it was answered. failed_precondition unless it has ended; already_exists when answered.
  virtual void RecordFeedback(std::string_view id, model::Feedback feedback, UnixMillis now,
                              Done<void> done) = 0;
  // Replaces the hash of the visitor's resume token: a visitor who came back with the pick-up
  // code gets a token of their own. not_found for an unknown or shredded conversation.
  virtual void SetResumeToken(std::string_view id, std::string token_hash, Done<void> done) = 0;
  // The visitor asked that the conversation be shredded as soon as it ends. not_found for an
  // unknown conversation.
  virtual void RequestForget(std::string_view id, Done<void> done) = 0;

  // The conversations that started in [from, until), not shredded and whose visitor did not ask
  // that they be forgotten, oldest first: what the emerging-words job reads
  // (insights/emerging_words.hpp).
  virtual Result<std::vector<std::string>> ListStartedBetween(UnixMillis from,
                                                              UnixMillis until) = 0;

  // Ended conversations not yet shredded that ended before `ended_before`, whose visitor asked to
  // be forgotten, or that are messages left ended unanswered (abandoned: nobody took them in the
  // retention period, chat::Conversations::AbandonMessagesLeft), oldest first, at most `limit`.
  virtual Result<std::vector<std::string>> DueForShredding(UnixMillis ended_before,
                                                           std::size_t limit) = 0;
};

}  // namespace uitweg::store
