#pragma once
// How the nodes on one database tell each other what they committed: a doorbell that carries
// the ids of the conversations that changed, never their content. A node rings after it has
// committed; the others catch up by reading the store ("entries after seq N"). A doorbell can be
// missed (a lost connection, a node starting): readers poll the store slowly as well, so a lost
// ring costs latency, never a message.
//
// A ring says what changed: only entries (a message appended, which is most rings) or anything
// about the conversation. A node that follows none of a conversation's entries can then leave a
// ring of entries unread.
//
// Thread safety: Ring may be called from any thread and never blocks. The callback runs on the
// feed's own thread, one call at a time, and must not block for long (hand work to a worker).

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace uitweg::store {

enum class Change : std::uint8_t {
  entries,       // entries were appended, and nothing else about the conversation changed
  conversation,  // anything may have changed: its state, its place in the queue, its entries
};

// One conversation rung. Rings of one conversation coalesce into the larger change.
struct Rung {
  std::string conversation_id = {};
  Change change = Change::conversation;

  friend bool operator==(const Rung&, const Rung&) = default;
};

// A supervisor began or stopped watching a conversation, so that the staff following it on the
// other nodes are told as they would be on the supervisor's node. A signal, as typing is: never
// stored, lost with a missed ring (every watch is in the audit trail).
struct Watch {
  std::string conversation_id = {};
  std::int64_t supervisor_id = 0;
  bool watching = false;

  friend bool operator==(const Watch&, const Watch&) = default;
};

class ChangeFeed {
 public:
  virtual ~ChangeFeed() = default;

  // Starts listening. `changed` gets the conversations that another node changed, or an empty
  // list when rings may have been missed (after the feed reconnected): then anything may
  // have changed. Call once.
  virtual void Listen(std::function<void(std::vector<Rung> changed)> changed) = 0;
  // Tells the other nodes what changed in this conversation. Rings are coalesced and sent from
  // the feed's thread in their own short transaction, never inside a write.
  virtual void Ring(std::string conversation_id, Change change) = 0;
  // Tells the other nodes of a watch begun or ended here; watches go out in their order.
  virtual void RingWatch(Watch watch) = 0;
  // `watched` gets the watches rung by the other nodes, on the feed's thread, in the order they
  // were rung. Call once, before Listen.
  virtual void OnWatch(std::function<void(Watch watch)> watched) = 0;
};

}  // namespace uitweg::store
