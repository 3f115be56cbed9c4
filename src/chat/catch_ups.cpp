#include "chat/catch_ups.hpp"

#include <algorithm>
#include <exception>
#include <utility>

#include "core/log.hpp"

namespace uitweg::chat {

std::shared_ptr<CatchUps> CatchUps::Create(CatchUp catch_up, core::Post run) {
  return std::shared_ptr<CatchUps>(new CatchUps(std::move(catch_up), std::move(run)));
}

CatchUps::CatchUps(CatchUp catch_up, core::Post run)
    : catch_up_(std::move(catch_up)), run_(std::move(run)) {}

void CatchUps::Post() {
  run_([self = shared_from_this()] { self->RunOnce(); });
}

void CatchUps::Rung(std::vector<store::Rung> rung) {
  {
    std::lock_guard lock(mu_);
    if (rung.empty()) everything_ = true;
    for (store::Rung& each : rung) {
      const auto [pending, added] =
          pending_.try_emplace(std::move(each.conversation_id), each.change);
      if (!added) pending->second = std::max(pending->second, each.change);
    }
    if (running_) return;
    running_ = true;
  }
  Post();
}

void CatchUps::RunOnce() {
  bool everything = false;
  std::vector<store::Rung> rung;
  {
    std::lock_guard lock(mu_);
    everything = std::exchange(everything_, false);
    rung.reserve(pending_.size());
    for (auto it = pending_.begin(); it != pending_.end();) {
      auto pending = pending_.extract(it++);
      rung.push_back({std::move(pending.key()), pending.mapped()});
    }
  }
  // Everything is read from lists of what matters here; conversations rung besides are read as
  // well, since they may have changed after those lists were read.
  if (everything) CatchUpWith({});
  if (!rung.empty()) CatchUpWith(rung);
  {
    std::lock_guard lock(mu_);
    if (pending_.empty() && !everything_) {
      running_ = false;
      return;
    }
  }
  // Posted again rather than looped, so that the executor's other tasks get their turn.
  Post();
}

void CatchUps::CatchUpWith(std::span<const store::Rung> rung) {
  core::Status caught;
  try {
    caught = catch_up_(rung);
  } catch (const std::exception&) {
    caught = core::Fail(core::Errc::internal, "a catch-up failed unexpectedly");
  }
  if (caught) return;
  core::Log(core::LogLevel::warn, "cluster.catch_up_failed",
            {{"code", core::ErrcName(caught.error().code)}});
}

}  // namespace uitweg::chat
