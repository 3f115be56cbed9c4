#pragma once
// One sequenced entry of a conversation as the chat layer hands it on: the stored message and,
// for counsellor entries, the counsellor's display name (never their username). And the shared,
// immutable bytes that carry an event to sockets: built once, sent to every receiver.

#include <memory>
#include <string>

#include "model/message.hpp"

namespace uitweg::chat {

struct Entry {
  model::Message message;
  std::string author = {};  // display name for counsellor entries; empty otherwise
};

using Frame = std::shared_ptr<const std::string>;

}  // namespace uitweg::chat
