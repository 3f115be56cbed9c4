#pragma once
// What this server knows about visitors right now, per conversation: how many sockets they have
// open, since when they have had none, and how many messages they may still send. It decides
// three rules:
//  - a visitor has at most `sockets_per_conversation` sockets on one conversation (a visitor has
//    one or two tabs, not two hundred). Past it, the socket heard from least recently gives way
//    to the new one if nothing came from it for `silent_socket_ms`: a phone that lost its network
//    leaves sockets the server cannot yet tell from live ones (the page pings every 15 s), and a
//    visitor whose network comes and goes must not be shut out of their own chat until those
//    time out;
//  - a waiting conversation whose visitor has had no socket for `abandon_after` leaves the
//    queue (Absent says since when; a visitor who comes back in time keeps their place);
//  - a visitor sends at most `messages_per_minute` (a bucket that refills evenly, holding at
//    most that many), and at most `messages_while_waiting` before a counsellor accepts.
// A limit of 0 means no limit. Nothing here is stored: after a restart, everyone counts as
// having left when the server started.
//
// Thread safety: every method may be called from any thread at once (one mutex).

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"

namespace uitweg::chat {

struct PresenceLimits {
  std::size_t sockets_per_conversation = 4;
  core::UnixMillis silent_socket_ms = 20'000;  // 0: a socket never gives way
  core::UnixMillis abandon_after_ms = 10 * 60 * 1000;
  std::int64_t messages_per_minute = 30;
  std::int64_t messages_while_waiting = 20;
};

// One visitor socket as Presence sees it. heard_at is called with Presence's lock held, so it
// must not call back into it; give_way is called after, on the thread of the Join (or
// TokenReplaced) that takes the place. Unset, the socket counts as heard now and never gives way.
struct VisitorSocket {
  std::function<core::UnixMillis()> heard_at = {};     // when a frame last came from it
  std::function<void(core::Error why)> give_way = {};  // closes it, telling why
  std::string token_hash = {};   // of the resume token it was opened with; empty: never checked
  std::uint64_t checked_at = 0;  // Presence::Now() before the store was asked whether it holds
};

class Presence {
 public:
  using SocketId = std::uint64_t;

  Presence(PresenceLimits limits, core::UnixMillis started_at);

  const PresenceLimits& limits() const { return limits_; }

  // A visitor socket opened on the conversation: its id, for Leave. Past the socket limit, the
  // socket heard from least recently gives way (its give_way is called and it counts no more)
  // if it has been silent for silent_socket_ms; else resource_exhausted.
  core::Result<SocketId> Join(std::string_view conversation_id, core::UnixMillis now,
                              VisitorSocket socket = {});
  // One of its sockets closed (nothing if it had given way). `keep`: remember when (the
  // conversation is still waiting).
  void Leave(std::string_view conversation_id, SocketId socket, core::UnixMillis now, bool keep);
  // Since when the visitor of a conversation created at `created_at` has had no socket;
  // nullopt while one is open.
  std::optional<core::UnixMillis> AbsentSince(std::string_view conversation_id,
                                              core::UnixMillis created_at) const;
  // Counts one message from the visitor; resource_exhausted (with a retry hint) when over a
  // limit, and then it does not count.
  core::Status SpendMessage(std::string_view conversation_id, bool waiting, core::UnixMillis now);
  // Gives back what SpendMessage counted (with the same `waiting`) for a message that turned out
  // to be stored already.
  void RefundMessage(std::string_view conversation_id, bool waiting);
  // The conversations whose visitor has a socket open here.
  std::vector<std::string> Connected() const;
  // The conversation waits in the queue again (its counsellor left): a visitor with no socket
  // open counts as away from now, and may send messages_while_waiting again.
  void Requeued(std::string_view conversation_id, core::UnixMillis now);
  // As Requeued, for a conversation another node handed back: only if its visitor was here.
  void RequeuedElsewhere(std::string_view conversation_id, core::UnixMillis now);
  // The conversation ended: forget it unless a socket is still open.
  void Forget(std::string_view conversation_id);
  // A moment later than every moment it gave before: taken before a read of the store, it tells
  // which of two reads may have seen the other's writes (milliseconds would tie).
  std::uint64_t Now();
  // The store, read after `read_at` (Now()), holds `token_hash` as the conversation's resume
  // token (its visitor picked it up with the code, here or on another node): its sockets opened
  // with another token, checked before that read, give way (unauthenticated), so a tab left open
  // on a shared computer stops showing the answers. One checked since may hold a newer token.
  void TokenReplaced(std::string_view conversation_id, std::string_view token_hash,
                     std::uint64_t read_at);

  std::size_t size() const;

 private:
  struct Visitor {
    std::map<SocketId, VisitorSocket> sockets;
    std::optional<core::UnixMillis> left_at;
    double tokens = 0;
    core::UnixMillis refilled_at = 0;
    std::int64_t sent_while_waiting = 0;
    bool budget_started = false;
  };
  // Back in the queue: away from now unless connected, and its messages while waiting anew.
  static void WaitsAfresh(Visitor& visitor, core::UnixMillis now);

  const PresenceLimits limits_;
  const core::UnixMillis started_at_;

  // Guarded by mu_.
  mutable std::mutex mu_;
  std::unordered_map<std::string, Visitor> visitors_;
  SocketId next_socket_ = 1;
  std::atomic<std::uint64_t> moments_{0};
};

}  // namespace uitweg::chat
