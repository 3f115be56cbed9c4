#pragma once
// Transfers as the consoles see them (docs/protocol.md, "Transfers"): lets offers that were not
// taken in time lapse, then tells every staff socket on this node the offers that concern it.
// Offers live in the database, so a colleague connected to another node sees one within a tick
// there. Blocking: call it from a worker, about every second.

#include "api/staff_sockets.hpp"
#include "chat/conversations.hpp"

namespace uitweg::api {

core::Status SyncTransferOffers(chat::Conversations& conversations, StaffSockets& sockets,
                                core::UnixMillis lapse_after);

}  // namespace uitweg::api
