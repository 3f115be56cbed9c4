#pragma once
// The life of a chat: a visitor starts it and waits in the queue, a counsellor accepts it, both
// send messages, either ends it, or it is abandoned when the visitor stays away. Checks every
// input and every permission, writes through the ConversationStore and publishes what changed
// on the Hub from the store's answers, which come in commit order: every entry, message or
// transition, is published from there once it is durable.
//
// Permissions: visitors act only on the conversation their resume token opens (callers resolve
// the token with Resume first); staff who counsel (counsellor, supervisor roles) may accept any
// waiting conversation but read, send to and end only conversations assigned to them.
//
// Threads: Send* never block and may be called on I/O threads; `done` comes later on the
// store's completion executor and must not block. Every other method blocks on the store: call
// it from a worker. All methods may be called from any thread at once.

#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "chat/campaigns.hpp"
#include "chat/entry.hpp"
#include "chat/hub.hpp"
#include "chat/presence.hpp"
#include "chat/service_hours.hpp"
#include "chat/triage.hpp"
#include "chat/wait_estimate.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "model/conversation.hpp"
#include "model/staff.hpp"
#include "store/account_store.hpp"
#include "store/change_feed.hpp"
#include "store/conversation_store.hpp"

namespace uitweg::chat {

using core::Result;

// A signed-in staff member acting in a chat.
struct Counsellor {
  std::int64_t account_id = 0;
  model::Role role = model::Role::counsellor;
  std::string display_name = {};
};

struct Started {
  model::Conversation conversation = {};
  std::string resume_token = {};  // handed to the visitor once; only its hash is stored
  std::int64_t queue_position = 0;
};

// Where a visitor came from, kept with their conversation: the language of their page ("nl",
// 2 or 3 letters a–z; empty if unknown) and the campaign code of the link they arrived by
// (kept only if it names a live campaign; see chat/campaigns.hpp).
struct Arrival {
  std::string language = {};
  std::string campaign = {};
};

// A message left while the chat is closed: the code to come back with is handed to the visitor
// once (only its hash is stored), with a resume token for the page they are on.
struct Left {
  model::Conversation conversation = {};
  std::string pick_up_code = {};
  std::string resume_token = {};
};

// Which try of which request of the visitor's page a Start or LeaveMessage is: `id` empty, or
// kRequestIdChars of A–Z, a–z, 0–9, _ and - that the page drew at random for the request;
// `number` counts the page's tries of it, from 1 to kMaxRequestTries.
struct RequestTry {
  std::string_view id = {};
  std::int64_t number = 0;
};

// A visitor back with their pick-up code: a fresh resume token of their own.
struct PickedUp {
  model::Conversation conversation = {};
  std::string resume_token = {};
};

// A message left, as the console lists it.
struct MessageLeft {
  model::Conversation conversation = {};
  std::string first_line = {};  // of the visitor's first text
};

// The answer to a send: where it landed. A duplicate is a resend of a stored message.
struct Sent {
  std::int64_t seq = 0;
  bool duplicate = false;
  core::UnixMillis created_at = 0;  // when it was stored
};
using SendDone = std::function<void(Result<Sent>)>;

// A conversation whose urgency a counsellor set, and what it was before.
struct Marked {
  model::Conversation conversation = {};
  std::int32_t was = 0;
};

inline constexpr std::size_t kMaxNicknameChars = 40;
inline constexpr std::size_t kMaxBodyChars = 4000;
inline constexpr std::size_t kMaxClientIdChars = 64;
// A request id (Start, LeaveMessage): 128 random bits in URL-safe base64.
inline constexpr std::size_t kRequestIdChars = 22;
inline constexpr std::int64_t kMaxRequestTries = 10'000;
inline constexpr std::size_t kReplayPage = 500;
inline constexpr std::size_t kHistoryPage = 200;
inline constexpr std::size_t kMaxTranscript = 10 * kReplayPage;
// How long after a message left was ended its pick-up code still reads it.
inline constexpr core::UnixMillis kPickUpAfterEnd = 14LL * 24 * 60 * 60 * 1000;
inline constexpr std::size_t kMaxMessagesLeftListed = 200;

class Conversations {
 public:
  // `max_waiting`: past this many waiting, Start is refused (0: no cap). `changes`: the doorbell
  // between nodes on a shared database, rung after every committed write; null on one node.
  Conversations(store::ConversationStore& store, store::AccountStore& accounts, Hub& hub,
                Presence& presence, const core::Clock& clock, std::size_t max_waiting,
                store::ChangeFeed* changes = nullptr);
  Conversations(const Conversations&) = delete;
  Conversations& operator=(const Conversations&) = delete;

  // Puts the waiting conversations of the store into the hub's queue (at start-up).
  core::Status LoadQueue();

  // nickname: 0..40 characters after trimming, no control characters; subject: "self",
  // "other" or empty (self). unavailable, with a retry hint, while the queue is full;
  // failed_precondition outside the opening hours.
  // `arrival`: invalid_argument for a language that is not 2 or 3 letters a–z.
  // `request`: the page asks again with the same id, and the next number, when no answer reached
  // it: within store::kRequestRepeatWindow that finds the conversation the first try made (taken
  // by a counsellor meanwhile or not), even past a full queue or closing time, and answers it
  // with a new resume token, the one given before never having been seen. failed_precondition
  // for a try earlier than the one stored last.
  Result<Started> Start(std::string_view nickname, std::string_view subject,
                        const Arrival& arrival = {}, const RequestTry& request = {});
  // Leaves a message for the team, at any hour: a conversation of its own kind (offline) that
  // waits among the messages left, not in the live queue, until a counsellor takes it (or the
  // retention period passes: AbandonMessagesLeft); the visitor comes back to it with the pick-up
  // code (PickUp). nickname, subject and request as for Start (a repeat gets a new pick-up code
  // too, and its text is stored if the first try did not get that far); body as for a send.
  // Blocking.
  Result<Left> LeaveMessage(std::string_view nickname, std::string_view subject,
                            std::string_view body, const Arrival& arrival = {},
                            const RequestTry& request = {});
  // The visitor of a message left comes back: unauthenticated for what is not a code, an unknown
  // code, or one whose conversation ended longer than kPickUpAfterEnd ago. The resume token
  // given before stops working. Callers throttle the guesses. Blocking.
  Result<PickedUp> PickUp(std::string_view code);
  // The messages left that nobody has taken yet, oldest first, with the start of each. Blocking.
  Result<std::vector<MessageLeft>> MessagesLeft(const Counsellor& counsellor);
  // unauthenticated for an unknown token, and for one whose conversation ended longer than
  // SetResumeAfterEnd ago (it then tells nothing, as an unknown one); for a message left, than
  // kPickUpAfterEnd ago if that is longer.
  Result<model::Conversation> Resume(std::string_view resume_token);
  // How long after its conversation ends a resume token still works (default 24 hours), so
  // that a dropped visitor can still read the counsellor's last words. Before serving.
  void SetResumeAfterEnd(core::UnixMillis ms) { resume_after_end_ms_ = ms; }
  // Assesses what visitors write while they wait (chat/triage.hpp); without one, urgency stays
  // as staff set it. Before serving; `triage` must outlive this object.
  void SetTriage(const Triage* triage) { triage_ = triage; }
  // Refuses new chats while `hours` say the service is closed; without, it is always open.
  // Before serving; `hours` must outlive this object.
  void SetServiceHours(const ServiceHours* hours) { hours_ = hours; }
  // Counts chats started and held per campaign; without, nothing is counted and no campaign
  // code is kept. Before serving; `campaigns` must outlive this object.
  void SetCampaigns(Campaigns* campaigns) { campaigns_ = campaigns; }
  Result<std::vector<model::Conversation>> ActiveFor(const Counsellor& counsellor);
  // failed_precondition when someone else was quicker or it ended, or the counsellor is not
  // available; resource_exhausted when they have as many active conversations as their
  // capacity.
  Result<model::Conversation> Accept(std::string_view conversation_id,
                                     const Counsellor& counsellor);
  // A counsellor sets the urgency of a waiting conversation by hand (0 normal, 1 raised,
  // 2 urgent); triage leaves it alone from then on. invalid_argument for another value;
  // failed_precondition once it no longer waits.
  Result<Marked> Mark(std::string_view conversation_id, std::int32_t urgency,
                      const Counsellor& counsellor);
  // Accepts the most urgent conversation waiting (the next if a colleague was quicker).
  // not_found when nobody waits; otherwise as Accept.
  Result<model::Conversation> AcceptNext(const Counsellor& counsellor);
  // The counsellor it is assigned to hands the conversation back to the queue, where it waits
  // again in its old place (it waits since it started); the visitor sees one line and loses
  // nothing. `why` says for the log ("signed_out", "console_gone"). failed_precondition unless
  // it is active and assigned to them.
  Result<model::Conversation> Release(std::string_view conversation_id, std::int64_t counsellor_id,
                                      std::string_view why);
  // A counsellor sets themself available (takes new conversations), busy (keeps theirs, takes
  // no new ones: Accept is failed_precondition) or away (theirs go back to the queue, as on
  // signing out). Returns how many were released.
  Result<std::size_t> SetAvailability(const Counsellor& counsellor,
                                      model::Availability availability);
  // The counsellor's account as stored (availability, capacity). Blocking.
  Result<model::StaffAccount> AccountOf(std::int64_t account_id) {
    return accounts_.FindAccount(account_id);
  }
  // Releases every active conversation of the account, and withdraws the transfers offered to
  // it (signed out, set away, or a console gone while it held a chat); returns how many
  // conversations were released.
  Result<std::size_t> ReleaseAllOf(std::int64_t counsellor_id, std::string_view why);
  // Hands back to the queue the conversations of counsellors whose console has been gone for
  // `gone_after`: first marks the consoles connected here as seen (for the other nodes), then
  // releases what belongs to counsellors no node has seen for that long (nor accepted since).
  // Nothing is released in the first `gone_after` after this object was made: consoles
  // reconnect to a node that just started. Call it at least every quarter of `gone_after`.
  // Returns how many conversations were released.
  Result<std::size_t> ReleaseFromGoneConsoles(std::span<const std::int64_t> connected_here,
                                              core::UnixMillis gone_after);
  // The counsellor's own history: conversations assigned to them when they ended, that ended in
  // [since, until), newest first, at most kHistoryPage.
  Result<std::vector<model::Conversation>> HistoryOf(const Counsellor& counsellor,
                                                     core::UnixMillis since,
                                                     core::UnixMillis until);
  // One ended conversation of that history and every entry of it (notes included), at most
  // kMaxTranscript. not_found unless it ended in this counsellor's hands, and once its visitor
  // asked for it to be forgotten.
  struct Transcript {
    model::Conversation conversation = {};
    std::vector<Entry> entries = {};
    bool truncated = false;  // it holds more entries than kMaxTranscript: the first are read
  };
  Result<Transcript> OpenFromHistory(std::string_view conversation_id,
                                     const Counsellor& counsellor);
  // Any ended conversation in full, as OpenFromHistory, for a methodology review
  // (chat/reviews.hpp decides who may read which). not_found for an unknown one, and for one
  // its visitor asked to be forgotten (shredded soon); failed_precondition while it has not ended.
  Result<Transcript> OpenForReview(std::string_view conversation_id);
  // The conversation, if this counsellor may read it: permission_denied unless it is assigned
  // to them; not_found once it has ended if its visitor asked for it to be forgotten.
  Result<model::Conversation> OpenFor(std::string_view conversation_id,
                                      const Counsellor& counsellor);

  // client_id: 1..64 of [A-Za-z0-9_-]; body: 1..4000 characters after trimming. A visitor's
  // messages are limited per conversation (Presence): resource_exhausted past a limit. The
  // entry is published to every follower but `origin`, the listener of the sending socket.
  void SendAsVisitor(std::string_view conversation_id, std::string_view client_id,
                     std::string_view body, const HubListener* origin, SendDone done);
  // permission_denied unless the conversation is assigned to the counsellor.
  void SendAsCounsellor(std::string_view conversation_id, const Counsellor& counsellor,
                        std::string_view client_id, std::string_view body,
                        const HubListener* origin, SendDone done);

  // A staff-only entry in an active conversation, which its visitor never receives: a `note`
  // by the counsellor it is assigned to or by a supervisor, or a `whisper` to the counsellor by
  // a supervisor. Body and client_id as for a send; permission_denied for anyone else;
  // failed_precondition unless active, and assigned to the counsellor `assigned_to` names when
  // given (the one a supervisor's watch began with), else to the one it is assigned to when
  // read: checked in the write, so that it never lands in the chat of a colleague who took it
  // over meanwhile. Blocking.
  Result<Sent> WriteForStaff(model::MessageKind kind, std::string_view conversation_id,
                             const Counsellor& author, std::string_view client_id,
                             std::string_view body, const HubListener* origin,
                             std::optional<std::int64_t> assigned_to = std::nullopt);
  // Transfers. A counsellor offers their active conversation to colleague `to`, with a note for
  // them (empty: none; else stored as a staff-only note in the conversation, which the colleague
  // reads when it opens on their desk). It stays the counsellor's until the colleague takes it;
  // an offer not taken lapses (WithdrawLapsedOffers) and it simply stays. permission_denied
  // unless it is assigned to them; not_found for an unknown colleague; failed_precondition for
  // a colleague who does not counsel, is disabled or not set available, or for oneself;
  // invalid_argument for a note a message could not be. `noted`, if given, is called once the
  // note is stored (before the offer, which may still fail): a note to audit. Blocking.
  Result<model::Conversation> OfferTransfer(std::string_view conversation_id,
                                            const Counsellor& from, std::int64_t to,
                                            std::string_view note,
                                            const std::function<void()>& noted = {});
  // The colleague takes it: one `transferred` entry, no greeting again. resource_exhausted at
  // their capacity; failed_precondition when it is not (any more) offered to them.
  Result<model::Conversation> TakeTransfer(std::string_view conversation_id, const Counsellor& to);
  // The colleague declines, or the counsellor who offered it takes the offer back.
  // permission_denied for anyone else; failed_precondition when nothing is offered.
  Result<model::Conversation> WithdrawTransfer(std::string_view conversation_id,
                                               const Counsellor& who);
  // Withdraws every offer older than `lapse_after`; returns how many.
  Result<std::size_t> WithdrawLapsedOffers(core::UnixMillis lapse_after);
  // Every offer standing (on any node), oldest first.
  Result<std::vector<model::Conversation>> Offers() { return store_.ListOffered(); }

  // A handover entry of an active conversation (chat/handovers.hpp composes the body): a
  // consent_request or the sealed referral details by `counsellor`, the counsellor it is
  // assigned to; a consent_answer by its visitor (`counsellor` null). As a send otherwise.
  // Blocking.
  Result<Sent> WriteHandoverEntry(model::MessageKind kind, std::string_view conversation_id,
                                  const Counsellor* counsellor, std::string_view client_id,
                                  std::string_view body, const HubListener* origin);

  // A supervisor reads and follows a live conversation silently. permission_denied unless
  // their role supervises; failed_precondition unless it is active, or when it is their own.
  Result<model::Conversation> OpenToMonitor(std::string_view conversation_id,
                                            const Counsellor& supervisor);

  Result<model::Conversation> EndAsVisitor(std::string_view conversation_id);
  // The visitor of an ended conversation (resume token as for Resume) answers the two
  // questions: helped "yes"/"somewhat"/"no", would_return "yes"/"maybe"/"no", each optional but
  // not both. Stored apart from the conversation (ConversationStore::RecordFeedback); once.
  // invalid_argument for other answers; failed_precondition before the end; already_exists.
  core::Status GiveFeedback(std::string_view resume_token, const model::Feedback& feedback);
  // The visitor asks that the conversation be shredded as soon as it ends (chat/retention.hpp
  // does it).
  core::Status ForgetWhenEnded(std::string_view conversation_id);
  Result<model::Conversation> EndAsCounsellor(std::string_view conversation_id,
                                              const Counsellor& counsellor);
  // A visitor's socket joined `conversation` here. With several nodes, a waiting one is marked
  // seen in the store at once: the node the visitor came from abandons by that mark, and this
  // node's own sweep (AbandonAbsent) may be up to a quarter of the abandon time away.
  void NoteVisitorConnected(const model::Conversation& conversation);
  // Ends every waiting conversation whose visitor has had no socket for the abandon time
  // (Presence); returns how many. With several nodes (a change feed), first marks in the store
  // the visitors connected here, and abandons only those whom no node has seen for that time;
  // call it at least every quarter of the abandon time.
  Result<std::size_t> AbandonAbsent();
  // Ends, as abandoned, every message left that has waited untaken and untouched since before
  // `left_before` (the retention period ago; since its last entry: the visitor's latest text, or
  // a hand-back after an answer), which makes it due for
  // shredding at once (ConversationStore::DueForShredding): what nobody answered is kept no
  // longer than what was. Returns how many. Blocking.
  Result<std::size_t> AbandonMessagesLeft(core::UnixMillis left_before);

  // How long a visitor at 1-based `position` may expect to wait (chat/wait_estimate.hpp);
  // nullopt when there is no estimate (very busy, or nobody has been taken lately).
  std::optional<core::UnixMillis> ExpectedWait(std::int64_t position) const {
    return wait_estimate_.ExpectedWait(position, clock_.Now());
  }

  // Whether the conversation's visitor has a socket open, or since when they have had none;
  // nullopt when this node cannot tell (on several nodes another may hold their socket).
  struct VisitorPresence {
    bool connected = false;
    core::UnixMillis since = 0;  // when they left; 0 while connected
  };
  std::optional<VisitorPresence> VisitorPresenceOf(const model::Conversation& conversation) const;

  // Entries after `after_seq`, at most kReplayPage. invalid_argument when after_seq is negative
  // or beyond the conversation's last seq.
  Result<std::vector<Entry>> Replay(std::string_view conversation_id, std::int64_t after_seq);
  // Whether the conversation went from one counsellor to another (`released`, `transferred`)
  // after seq `after` and up to `until`. Blocking.
  Result<bool> HandedOverBetween(std::string_view conversation_id, std::int64_t after,
                                 std::int64_t until);

  // --- several nodes on one database
  // Brings this node in line with conversations another node changed: the queue, and the
  // entries of those that sockets here follow, published as if committed here (a socket's feed
  // drops what it has already). A conversation to which only entries were appended is not read
  // unless it waits here or a socket here follows it. Blocks on the store: call it from a worker.
  core::Status CatchUp(std::span<const store::Rung> rung);
  // The slow poll behind the doorbell: reads the whole queue, and names what CatchUp must then
  // read again: every conversation followed here, and those waiting here that the store no
  // longer lists as waiting.
  core::Result<std::vector<store::Rung>> ListForPoll();
  // A supervisor here began or stopped watching: the other nodes tell the staff following it
  // there (store::Watch). Nothing without several nodes.
  void RingWatch(std::string conversation_id, std::int64_t supervisor_id, bool watching);

  static bool CanCounsel(model::Role role);

 private:
  // Withdraws every offer standing for which `which` holds; `why` goes to the log.
  Result<std::size_t> WithdrawOffers(
      const std::function<bool(const model::Conversation& offered)>& which, std::string_view why);
  // Every entry of an ended conversation, at most kMaxTranscript; not_found once its visitor
  // asked for it to be forgotten.
  Result<Transcript> ReadTranscript(model::Conversation conversation);
  // resource_exhausted when the counsellor is at their capacity.
  core::Status CheckCapacity(const Counsellor& counsellor);
  Result<model::Conversation> CheckAssigned(std::string_view conversation_id,
                                            const Counsellor& counsellor);
  // `spent_while_waiting`: for a visitor's message, what Presence::SpendMessage was told, so that
  // a resend of a stored message can be given back.
  void Send(store::NewMessage message, std::string author, const HubListener* origin, SendDone done,
            std::optional<bool> spent_while_waiting = std::nullopt);
  // Ends the conversation and publishes the `ended` entry. `by`: for EndReason::counsellor, the
  // counsellor it must still be with (their name goes with the entry); null otherwise.
  Result<model::Conversation> End(std::string_view conversation_id, model::EndReason reason,
                                  const Counsellor* by);
  Result<model::Conversation> EndInStore(std::string_view conversation_id, model::EndReason reason,
                                         const Counsellor* by);
  Result<Arrival> Kept(const Arrival& arrival);
  void CountFor(CampaignMetric metric, std::string_view campaign);
  std::string AuthorName(const model::Message& message);
  Assessment Assess(std::string_view text) const;
  // Notes a visitor's text in the queue (first line, triage) and stores a higher urgency if
  // triage asks for one. Does not block.
  void NoteVisitorText(const std::string& conversation_id, std::string_view text);
  // For a conversation waiting here: notes the visitor's texts stored since those already
  // noted (written on another node, or before a restart). A failure is logged: only the
  // preview and triage are missing. Blocking.
  void ReadVisitorTexts(const model::Conversation& conversation);
  // Tells the other nodes (if any) that the conversation changed, or only that entries were
  // appended to it.
  void Ring(const std::string& conversation_id);
  void RingEntries(const std::string& conversation_id);
  // Whether a live chat that a Start with this request hash may find again was made. Blocking.
  bool StartMade(const std::string& request_hash);
  // The place in the queue of a conversation a repeated Start found (0 once it no longer waits).
  std::int64_t PlaceOfRepeated(const model::Conversation& conversation);
  // A repeated request gave the conversation a new resume token.
  void TokenReissued(const model::Conversation& conversation);
  // The queue here follows what the store read says of `stored` (Hub::MatchStored).
  QueueMatch MatchQueue(const model::Conversation& stored, bool waiting);
  // Brings the queue and presence here in line with `stored`; returns the seq after which its
  // entries are to be published here, or nullopt when no socket here lacks any.
  // `read_at`: Presence::Now() before `stored` was read.
  std::optional<std::int64_t> Reflect(const model::Conversation& stored, std::uint64_t read_at);

  store::ConversationStore& store_;
  store::AccountStore& accounts_;
  Hub& hub_;
  Presence& presence_;
  const core::Clock& clock_;
  const std::size_t max_waiting_;
  // Starts past the queue cap check whose conversation is not in the queue yet: counted with
  // the waiting, so that starts at once cannot pass the cap together. Guarded by admission_mu_.
  std::mutex admission_mu_;
  std::size_t starting_ = 0;
  core::UnixMillis resume_after_end_ms_ = 24 * 60 * 60 * 1000;
  const Triage* triage_ = nullptr;
  const ServiceHours* hours_ = nullptr;
  Campaigns* campaigns_ = nullptr;
  WaitEstimate wait_estimate_;
  const core::UnixMillis started_at_;
  store::ChangeFeed* const changes_;

  // Guarded by names_mu_: display names of counsellors, by account id.
  std::mutex names_mu_;
  std::unordered_map<std::int64_t, std::string> names_;
};

// Validation, exposed for the API layer's early checks and for tests.
core::Status CheckClientId(std::string_view client_id);
// The trimmed body, or invalid_argument.
Result<std::string> CleanBody(std::string_view body);
Result<std::string> CleanNickname(std::string_view nickname);

}  // namespace uitweg::chat
