#include "chat/retention.hpp"

#include <future>

#include "core/log.hpp"

namespace uitweg::chat {
namespace {

constexpr std::size_t kBatch = 500;

}  // namespace

core::Status Retention::Tell(const std::string& id) {
  if (!on_shredded_) return {};
  core::Status recorded = on_shredded_(id);
  if (!recorded) {
    core::Log(core::LogLevel::error, "retention.audit_failed",
              {{"conversation", id}, {"code", core::ErrcName(recorded.error().code)}});
  }
  return recorded;
}

core::Result<std::int64_t> Retention::Run() {
  const std::unique_lock running(running_, std::try_to_lock);
  if (!running.owns_lock()) return std::int64_t{0};
  while (!unrecorded_.empty()) {
    UITWEG_TRY(Tell(unrecorded_.front()));
    unrecorded_.erase(unrecorded_.begin());
  }
  std::int64_t shredded = 0;
  for (;;) {
    const core::UnixMillis now = clock_.Now();
    UITWEG_TRY_ASSIGN(const std::vector<std::string> due,
                      store_.DueForShredding(now - options_.keep_ended_ms, kBatch));
    for (const std::string& id : due) {
      std::promise<core::Result<bool>> answered;
      store_.Shred(id, now,
                   [&answered](core::Result<bool> done) { answered.set_value(std::move(done)); });
      const core::Result<bool> shred = answered.get_future().get();
      if (!shred) {
        core::Log(core::LogLevel::warn, "retention.shred_failed",
                  {{"conversation", id}, {"code", core::ErrcName(shred.error().code)}});
        return shred.error();
      }
      if (!*shred) continue;
      ++shredded;
      if (core::Status told = Tell(id); !told) {
        unrecorded_.push_back(id);
        return told.error();
      }
    }
    if (due.size() < kBatch) break;
  }
  if (shredded > 0)
    core::Log(core::LogLevel::info, "retention.shredded", {{"conversations", shredded}});
  return shredded;
}

}  // namespace uitweg::chat
