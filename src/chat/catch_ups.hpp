#pragma once
// Catching up with what the other nodes on one database committed (store/change_feed.hpp), one
// catch-up at a time. On a busy node rings come in faster than a catch-up reads the store: the
// ids rung while one catch-up runs wait and go together into the next, so the node reads once
// for many rings instead of once for each, and two catch-ups never read one conversation at once.
//
// The slow poll (an empty ring) is read a slice at a time: `list_all` reads the queue and names
// every conversation that matters here, and those are read kPollSlice at a time, each slice after
// the conversations rung meanwhile; a poll due before the last one is read waits for it. Read at
// once, a node's thousands of conversations kept every ring waiting behind them (a tenth of a
// second and more on a busy machine, every poll).
//
// Thread safety: Rung may be called from any thread. Catch-ups run on the executor given, one at
// a time; each holds the object (make it with Create), so a ring that comes in while a node
// shuts down finds it still there.

#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/error.hpp"
#include "core/executor.hpp"
#include "store/change_feed.hpp"

namespace uitweg::chat {

class CatchUps : public std::enable_shared_from_this<CatchUps> {
 public:
  // `catch_up` reads what changed in the conversations rung (each named once, with the larger of
  // its changes), or in everything that matters here when it gets none. It runs on `run`, where
  // blocking is allowed; should it throw, the exception is logged and later rings are caught up
  // with as usual.
  using CatchUp = std::function<core::Status(std::span<const store::Rung> rung)>;
  // What the slow poll reads: called on `run` as well; same rules as `catch_up`.
  using ListAll = std::function<core::Result<std::vector<store::Rung>>()>;
  static std::shared_ptr<CatchUps> Create(CatchUp catch_up, ListAll list_all, core::Post run);

  static constexpr std::size_t kPollSlice = 200;

  // Other nodes changed these conversations; an empty list: anything may have changed (a ring
  // may have been missed, or it is time for the slow poll).
  void Rung(std::vector<store::Rung> rung);

 private:
  CatchUps(CatchUp catch_up, ListAll list_all, core::Post run);
  void Post();
  // One catch-up of what is pending and of the poll's next slice; posts the next if more waits.
  void RunOnce();
  void CatchUpWith(std::span<const store::Rung> rung);
  // Lists what the poll is to read (nothing is left of the last poll).
  void ListAllForPoll();

  const CatchUp catch_up_;
  const ListAll list_all_;
  const core::Post run_;

  // Guarded by mu_.
  std::mutex mu_;
  std::unordered_map<std::string, store::Change> pending_;
  bool everything_ = false;
  std::deque<store::Rung> polled_;  // what the poll has yet to read
  bool running_ = false;            // a catch-up is posted or running
};

}  // namespace uitweg::chat
