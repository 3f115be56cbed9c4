#pragma once
// The JSON shapes of docs/protocol.md ("Objects" and the server's frames), built with
// Boost.JSON. Pure functions; any thread.

#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "chat/entry.hpp"
#include "core/clock.hpp"
#include "store/store.hpp"

namespace uitweg::api {

boost::json::object ConversationJson(const store::Conversation& conversation);
boost::json::object MessageJson(const chat::Entry& entry);
// {"conversation_id", "nickname", "subject", "urgency", "created_at", "waiting_ms"}
boost::json::object QueueEntryJson(const store::Conversation& conversation, core::UnixMillis now);

// {"type": "error", "code", "message", "ref"?}
std::string ErrorFrame(const core::Error& error, std::string_view ref = {});
// {"type": "message", "message": Message}
std::string MessageFrame(const chat::Entry& entry);

// A JSON value for an optional position: a number, or null when it is 0 (not waiting).
boost::json::value PositionJson(std::int64_t position);

}  // namespace uitweg::api
