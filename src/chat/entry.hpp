#pragma once
// One sequenced entry of a conversation as the chat layer hands it on: the stored message and,
// for counsellor entries, the counsellor's display name (never their username).

#include <memory>
#include <string>
#include <vector>

#include "store/store.hpp"

namespace uitweg::chat {

struct Entry {
  store::Message message;
  std::string author;  // display name for counsellor entries; empty otherwise
};

// The waiting conversations, most urgent first, then longest waiting; shared read-only.
using QueueSnapshot = std::shared_ptr<const std::vector<store::Conversation>>;

// 1-based place of a conversation in the queue, or 0 when it is not waiting.
std::int64_t PositionIn(const QueueSnapshot& queue, std::string_view conversation_id);

}  // namespace uitweg::chat
