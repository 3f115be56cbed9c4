#include "chat/catch_ups.hpp"

#include <algorithm>
#include <exception>
#include <iterator>
#include <utility>

#include "core/log.hpp"

namespace uitweg::chat {
namespace {

// Runs one step of a catch-up; what it throws becomes an error, logged like any other.
template <class Step>
auto Guarded(const Step& step) -> decltype(step()) {
  try {
    return step();
  } catch (const std::exception&) {
    return core::Fail(core::Errc::internal, "a catch-up failed unexpectedly");
  }
}

void LogFailed(const core::Error& error) {
  core::Log(core::LogLevel::warn, "cluster.catch_up_failed",
            {{"code", core::ErrcName(error.code)}});
}

}  // namespace

std::shared_ptr<CatchUps> CatchUps::Create(CatchUp catch_up, ListAll list_all, core::Post run) {
  return std::shared_ptr<CatchUps>(
      new CatchUps(std::move(catch_up), std::move(list_all), std::move(run)));
}

CatchUps::CatchUps(CatchUp catch_up, ListAll list_all, core::Post run)
    : catch_up_(std::move(catch_up)), list_all_(std::move(list_all)), run_(std::move(run)) {}

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
    // A poll due while the last one is still being read waits for it: were it to start over,
    // the last slices of a long list might never be read.
    everything = everything_ && polled_.empty();
    if (everything) everything_ = false;
    rung.reserve(pending_.size());
    for (auto it = pending_.begin(); it != pending_.end();) {
      auto pending = pending_.extract(it++);
      rung.push_back({std::move(pending.key()), pending.mapped()});
    }
  }
  if (everything) ListAllForPoll();
  if (!rung.empty()) CatchUpWith(rung);
  std::vector<store::Rung> slice;
  {
    std::lock_guard lock(mu_);
    const std::size_t take = std::min(kPollSlice, polled_.size());
    slice.assign(std::make_move_iterator(polled_.begin()),
                 std::make_move_iterator(polled_.begin() + static_cast<std::ptrdiff_t>(take)));
    polled_.erase(polled_.begin(), polled_.begin() + static_cast<std::ptrdiff_t>(take));
  }
  if (!slice.empty()) CatchUpWith(slice);
  {
    std::lock_guard lock(mu_);
    if (pending_.empty() && !everything_ && polled_.empty()) {
      running_ = false;
      return;
    }
  }
  // Posted again rather than looped, so that the executor's other tasks get their turn.
  Post();
}

void CatchUps::ListAllForPoll() {
  core::Result<std::vector<store::Rung>> listed = Guarded(list_all_);
  if (!listed) return LogFailed(listed.error());
  std::lock_guard lock(mu_);
  polled_.assign(std::make_move_iterator(listed->begin()), std::make_move_iterator(listed->end()));
}

void CatchUps::CatchUpWith(std::span<const store::Rung> rung) {
  if (core::Status caught = Guarded([&] { return catch_up_(rung); }); !caught) {
    LogFailed(caught.error());
  }
}

}  // namespace uitweg::chat
