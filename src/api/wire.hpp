#pragma once
// The JSON shapes of docs/protocol.md ("Objects" and the server's frames), built with
// Boost.JSON. Pure functions; any thread.

#include <cstdint>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "chat/conversations.hpp"
#include "chat/entry.hpp"
#include "chat/queue.hpp"
#include "core/clock.hpp"
#include "model/conversation.hpp"
#include "model/staff.hpp"

namespace uitweg::api {

boost::json::object ConversationJson(const model::Conversation& conversation);
boost::json::object MessageJson(const chat::Entry& entry);
// {"conversation_id", "nickname", "subject", "urgency", "created_at", "waiting_ms", "first_line",
//  "triage_words", "urgency_marked"}
boost::json::object QueueEntryJson(const chat::QueueEntry& entry, core::UnixMillis now);

// {"type": "error", "code", "message", "ref"?, "retry_after"?}
std::string ErrorFrame(const core::Error& error, std::string_view ref = {});
// {"type": "message", "message": Message}
std::string MessageFrame(const chat::Entry& entry);
// {"type": "ack", "conversation_id"? , "client_id", "seq", "duplicate", "created_at"}.
// `client_id` and `conversation_id` must be ones the server accepted (plain [A-Za-z0-9_-]).
std::string AckFrame(std::string_view conversation_id, std::string_view client_id,
                     const chat::Sent& sent);
// {"type": "queue", "waiting": [QueueEntry], "total"}: the window, for a console starting out.
std::string QueueSnapshotFrame(const chat::QueueSnapshot& snapshot, core::UnixMillis now);
// {"type": "queue_changes", "added", "changed", "removed", "total"}
std::string QueueChangeFrame(const chat::QueueChange& change, core::UnixMillis now);
// {"type": "queue", "queue_position"}: a visitor's new place.
// With "expected_wait_ms" (null: no estimate, "it is very busy").
std::string PositionFrame(std::int64_t position, std::optional<core::UnixMillis> expected_wait);
// {"type":"typing","conversation_id","from":"visitor"|"counsellor"}
std::string TypingSignal(std::string_view conversation_id, std::string_view from);
// {"type":"availability","availability":"available"|"busy"|"away"}: to the counsellor.
std::string AvailabilityFrameJson(model::Availability availability);
// {"type":"watched","conversation_id","by","watching"}: a supervisor started or stopped
// monitoring; for the counsellor, never for the visitor.
std::string WatchedSignal(std::string_view conversation_id, std::string_view by, bool watching);
// {"type":"presence","conversation_id","visitor":"connected"|"left","at"}: for staff.
std::string PresenceSignal(std::string_view conversation_id, bool connected, core::UnixMillis at);

// A JSON value for an optional position: a number, or null when it is 0 (not waiting).
boost::json::value PositionJson(std::int64_t position);
// A number of milliseconds, or null when there is no estimate.
boost::json::value ExpectedWaitJson(std::optional<core::UnixMillis> expected_wait);

}  // namespace uitweg::api
