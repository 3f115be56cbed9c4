#pragma once
// How the nodes on one database tell each other what they committed: a doorbell that carries
// the ids of the conversations that changed, never their content. A node rings after it has
// committed; the others catch up by reading the store ("entries after seq N"). A doorbell can be
// missed (a lost connection, a node starting): readers poll the store slowly as well, so a lost
// ring costs latency, never a message.
//
// Thread safety: Ring may be called from any thread and never blocks. The callback runs on the
// feed's own thread, one call at a time, and must not block for long (hand work to a worker).

#include <functional>
#include <string>
#include <vector>

namespace uitweg::store {

class ChangeFeed {
 public:
  virtual ~ChangeFeed() = default;

  // Starts listening. `changed` gets the ids of conversations that another node changed, or an
  // empty list when rings may have been missed (after the feed reconnected): then anything may
  // have changed. Call once.
  virtual void Listen(std::function<void(std::vector<std::string> changed)> changed) = 0;
  // Tells the other nodes that this conversation changed. Rings are coalesced and sent from the
  // feed's thread in their own short transaction, never inside a write.
  virtual void Ring(std::string conversation_id) = 0;
};

}  // namespace uitweg::store
