#include "chat/retention.hpp"

#include <future>

#include "core/log.hpp"

namespace uitweg::chat {
namespace {

constexpr std::size_t kBatch = 500;

}  // namespace

core::Result<std::int64_t> Retention::Run() {
  const std::unique_lock running(running_, std::try_to_lock);
  if (!running.owns_lock()) return std::int64_t{0};
  std::int64_t shredded = 0;
  for (;;) {
    const core::UnixMillis now = clock_.Now();
    UITWEG_TRY_ASSIGN(const std::vector<std::string> due,
                      store_.DueForShredding(now - options_.keep_ended_ms, kBatch));
    for (const std::string& id : due) {
      std::promise<core::Status> answered;
      store_.Shred(id, now, [&answered](core::Status status) { answered.set_value(status); });
      if (core::Status status = answered.get_future().get(); !status) {
        core::Log(core::LogLevel::warn, "retention.shred_failed",
                  {{"conversation", id}, {"code", core::ErrcName(status.error().code)}});
        return status.error();
      }
      ++shredded;
      if (on_shredded_) on_shredded_(id);
    }
    if (due.size() < kBatch) break;
  }
  if (shredded > 0)
    core::Log(core::LogLevel::info, "retention.shredded", {{"conversations", shredded}});
  return shredded;
}

}  // namespace uitweg::chat
