#include "chat/catch_ups.hpp"

#include <utility>

#include "core/log.hpp"

namespace uitweg::chat {

CatchUps::CatchUps(CatchUp catch_up, core::Post run)
    : catch_up_(std::move(catch_up)), run_(std::move(run)) {}

void CatchUps::Rung(std::vector<std::string> conversation_ids) {
  {
    std::lock_guard lock(mu_);
    if (conversation_ids.empty()) everything_ = true;
    for (std::string& id : conversation_ids) pending_.insert(std::move(id));
    if (running_) return;
    running_ = true;
  }
  run_([this] { RunOnce(); });
}

void CatchUps::RunOnce() {
  bool everything = false;
  std::vector<std::string> ids;
  {
    std::lock_guard lock(mu_);
    everything = std::exchange(everything_, false);
    ids.reserve(pending_.size());
    for (auto it = pending_.begin(); it != pending_.end();) {
      ids.push_back(std::move(pending_.extract(it++).value()));
    }
  }
  const auto log_failure = [](const core::Status& caught) {
    if (caught) return;
    core::Log(core::LogLevel::warn, "cluster.catch_up_failed",
              {{"code", core::ErrcName(caught.error().code)}});
  };
  // Everything is read from lists of what matters here; ids rung besides are read as well,
  // since they may have changed after those lists were read.
  if (everything) log_failure(catch_up_({}));
  if (!ids.empty()) log_failure(catch_up_(ids));
  {
    std::lock_guard lock(mu_);
    if (pending_.empty() && !everything_) {
      running_ = false;
      return;
    }
  }
  // Posted again rather than looped, so that the executor's other tasks get their turn.
  run_([this] { RunOnce(); });
}

}  // namespace uitweg::chat
