#pragma once
// How long conversations are kept: an ended conversation is crypto-shredded (its key, nickname
// and texts forgotten, store/conversation_store.hpp Shred) `keep_ended_ms` after it ended, or
// as soon as it has ended when its visitor asked to be forgotten. What remains are ids, times
// and counts, which insights may use; never content.
//
// Run shreds what is due and tells `on_shredded` each id it shredded (for the audit trail): once,
// also when several nodes (or `uitweg retention run`) shred at the same time. The server runs it
// now and then (app/serve_command.cpp); `uitweg retention run` runs it once. Blocking; call from
// a worker. The store and clock must outlive this object.

#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "store/conversation_store.hpp"

namespace uitweg::chat {

inline constexpr core::UnixMillis kDay = 24 * 60 * 60 * 1000;

struct RetentionOptions {
  core::UnixMillis keep_ended_ms = 90 * kDay;
  // How often the server runs it: a visitor who asked to be forgotten waits at most this long
  // after the end.
  core::UnixMillis run_every_ms = 60'000;
};

class Retention {
 public:
  Retention(store::ConversationStore& store, const core::Clock& clock, RetentionOptions options,
            std::function<core::Status(const std::string& conversation_id)> on_shredded = {})
      : store_(store), clock_(clock), options_(options), on_shredded_(std::move(on_shredded)) {}

  // Shreds every conversation due now; returns how many this run shredded. Stops at the first
  // failure, also of `on_shredded`: a trail that cannot record a deletion stops the deleting; the
  // one shredded is logged (`retention.audit_failed`) and told again first at the next run of
  // this object (lost if the process stops meanwhile). Returns 0 at once while another run is in
  // progress.
  core::Result<std::int64_t> Run();

 private:
  // on_shredded_, logging a failure.
  core::Status Tell(const std::string& id);

  store::ConversationStore& store_;
  const core::Clock& clock_;
  const RetentionOptions options_;
  const std::function<core::Status(const std::string&)> on_shredded_;
  // Held by the run in progress: a run that starts while another is still going (the timer posts
  // one every run_every_seconds, whatever the last one's length) returns at once, so that no
  // conversation is shredded, and reported, twice.
  std::mutex running_;
  // Shredded, and not yet recorded by `on_shredded`. Guarded by running_.
  std::vector<std::string> unrecorded_;
};

}  // namespace uitweg::chat
