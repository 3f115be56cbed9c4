#pragma once
// A conversation between one visitor and the counsellors who take it: its life (waiting in the
// queue, active with a counsellor, ended) and what the visitor said about it when starting.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.hpp"

namespace uitweg::model {

enum class ConversationStatus { waiting, active, ended };
std::string_view ConversationStatusName(ConversationStatus status);
bool ParseConversationStatus(std::string_view text, ConversationStatus& out);

// Who the chat is about, as the visitor said when starting it.
enum class Subject { self, other };
std::string_view SubjectName(Subject subject);
bool ParseSubject(std::string_view text, Subject& out);

// Why a conversation ended: the visitor or the counsellor ended it, or the visitor left the
// queue without a socket for longer than the service waits (abandoned).
enum class EndReason { visitor, counsellor, abandoned };
std::string_view EndReasonName(EndReason reason);
bool ParseEndReason(std::string_view text, EndReason& out);

// How urgent a waiting conversation is: triage raises it from what the visitor writes, a
// counsellor may set it by hand.
inline constexpr std::int32_t kUrgencyNormal = 0;
inline constexpr std::int32_t kUrgencyRaised = 1;
inline constexpr std::int32_t kUrgencyUrgent = 2;

// What a visitor answered to the two questions after a chat, kept apart from it: the answers
// carry no conversation id and only the day. Each is empty when not answered.
struct Feedback {
  std::string helped = {};        // "yes", "somewhat" or "no"
  std::string would_return = {};  // "yes", "maybe" or "no"
};

struct Conversation {
  std::string id = {};  // random, URL-safe, public
  ConversationStatus status = ConversationStatus::waiting;
  Subject subject = Subject::self;
  std::string nickname = {};  // may be empty
  std::optional<std::int64_t> counsellor_id = {};
  std::int32_t urgency = kUrgencyNormal;  // higher first in the queue; triage sets it
  // The staff member who set the urgency by hand; from then on triage leaves it alone.
  std::optional<std::int64_t> urgency_marked_by = {};
  std::int64_t last_seq = 0;
  core::UnixMillis created_at = 0;
  std::optional<core::UnixMillis> accepted_at = {};
  std::optional<core::UnixMillis> ended_at = {};
  std::optional<EndReason> end_reason = {};  // set once ended
  // When a node that shares the database last saw the visitor connected while waiting (several
  // nodes only; see ConversationStore::MarkVisitorSeen).
  std::optional<core::UnixMillis> visitor_seen_at = {};
  // A message left while the chat was closed (or nobody was free): it waits in a queue of its
  // own, not the live one, and its visitor comes back to it with a pick-up code.
  bool offline = false;
  // A transfer offered to this colleague and not yet taken (ConversationStore::OfferTransfer);
  // the conversation stays with its counsellor meanwhile.
  std::optional<std::int64_t> offered_to = {};
  std::optional<core::UnixMillis> offered_at = {};
  // The language of the visitor's page when starting ("nl", "en", "ar"; empty if unknown) and
  // the campaign code they arrived with (empty for none): shown to the counsellor, counted.
  std::string language = {};
  std::string campaign = {};
  // The hash of the visitor's resume token; a pick-up with the code replaces it, and sockets
  // opened with the old one go.
  std::string resume_token_hash = {};
  // Its visitor asked for it to be forgotten (ConversationStore::RequestForget): the next
  // retention run shreds it; neither its counsellor's history nor a review opens it meanwhile.
  bool forget_requested = false;
};

}  // namespace uitweg::model
