#include "chat/presence.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace uitweg::chat {
namespace {

core::Error Exhausted(std::string message, int retry_after_seconds) {
  core::Error error = core::Fail(core::Errc::resource_exhausted, std::move(message));
  error.retry_after_seconds = std::max(retry_after_seconds, 1);
  return error;
}

}  // namespace

Presence::Presence(PresenceLimits limits, core::UnixMillis started_at)
    : limits_(limits), started_at_(started_at) {}

core::Result<Presence::SocketId> Presence::Join(std::string_view conversation_id,
                                                core::UnixMillis now, VisitorSocket socket) {
  std::function<void(core::Error)> give_way;
  SocketId id = 0;
  {
    std::lock_guard lock(mu_);
    Visitor& visitor = visitors_[std::string(conversation_id)];
    if (limits_.sockets_per_conversation != 0 &&
        visitor.sockets.size() >= limits_.sockets_per_conversation) {
      const auto heard_at = [now](const VisitorSocket& open) {
        return open.heard_at ? open.heard_at() : now;
      };
      const auto quietest = std::min_element(
          visitor.sockets.begin(), visitor.sockets.end(),
          [&](const auto& a, const auto& b) { return heard_at(a.second) < heard_at(b.second); });
      if (quietest == visitor.sockets.end() || limits_.silent_socket_ms == 0 ||
          now - heard_at(quietest->second) < limits_.silent_socket_ms) {
        return core::Fail(core::Errc::resource_exhausted,
                          "too many open connections for this conversation; close another tab");
      }
      give_way = std::move(quietest->second.give_way);
      visitor.sockets.erase(quietest);
    }
    id = next_socket_++;
    visitor.sockets.emplace(id, std::move(socket));
    visitor.left_at.reset();
  }
  if (give_way) {
    give_way(
        core::Fail(core::Errc::resource_exhausted, "this chat was opened on a newer connection"));
  }
  return id;
}

void Presence::Leave(std::string_view conversation_id, SocketId socket, core::UnixMillis now,
                     bool keep) {
  std::lock_guard lock(mu_);
  const auto found = visitors_.find(std::string(conversation_id));
  if (found == visitors_.end() || found->second.sockets.erase(socket) == 0) return;
  if (!found->second.sockets.empty()) return;
  if (keep) {
    found->second.left_at = now;
  } else {
    visitors_.erase(found);
  }
}

std::optional<core::UnixMillis> Presence::AbsentSince(std::string_view conversation_id,
                                                      core::UnixMillis created_at) const {
  std::lock_guard lock(mu_);
  const core::UnixMillis known_from = std::max(created_at, started_at_);
  const auto found = visitors_.find(std::string(conversation_id));
  if (found == visitors_.end()) return known_from;
  if (!found->second.sockets.empty()) return std::nullopt;
  return std::max(found->second.left_at.value_or(known_from), known_from);
}

std::vector<std::string> Presence::Connected() const {
  std::lock_guard lock(mu_);
  std::vector<std::string> connected;
  for (const auto& [id, visitor] : visitors_) {
    if (!visitor.sockets.empty()) connected.push_back(id);
  }
  return connected;
}

core::Status Presence::SpendMessage(std::string_view conversation_id, bool waiting,
                                    core::UnixMillis now) {
  std::lock_guard lock(mu_);
  Visitor& visitor = visitors_[std::string(conversation_id)];
  if (waiting && limits_.messages_while_waiting != 0 &&
      visitor.sent_while_waiting >= limits_.messages_while_waiting) {
    return Exhausted("you can send more once a counsellor has joined the chat", 30);
  }
  if (limits_.messages_per_minute != 0) {
    const double capacity = static_cast<double>(limits_.messages_per_minute);
    const double per_ms = capacity / 60'000.0;
    if (!visitor.budget_started) {
      visitor.tokens = capacity;
      visitor.budget_started = true;
    } else {
      const auto elapsed =
          static_cast<double>(std::max<core::UnixMillis>(0, now - visitor.refilled_at));
      visitor.tokens = std::min(capacity, visitor.tokens + elapsed * per_ms);
    }
    visitor.refilled_at = now;
    if (visitor.tokens < 1.0) {
      const double wait_ms = (1.0 - visitor.tokens) / per_ms;
      return Exhausted("too many messages at once; wait a moment",
                       static_cast<int>(std::ceil(wait_ms / 1000.0)));
    }
    visitor.tokens -= 1.0;
  }
  if (waiting) ++visitor.sent_while_waiting;
  return {};
}

void Presence::RefundMessage(std::string_view conversation_id, bool waiting) {
  std::lock_guard lock(mu_);
  auto it = visitors_.find(std::string(conversation_id));
  if (it == visitors_.end()) return;
  Visitor& visitor = it->second;
  if (limits_.messages_per_minute != 0) {
    visitor.tokens =
        std::min(static_cast<double>(limits_.messages_per_minute), visitor.tokens + 1.0);
  }
  if (waiting && visitor.sent_while_waiting > 0) --visitor.sent_while_waiting;
}

void Presence::WaitsAfresh(Visitor& visitor, core::UnixMillis now) {
  if (visitor.sockets.empty()) visitor.left_at = now;
  visitor.sent_while_waiting = 0;
}

void Presence::Requeued(std::string_view conversation_id, core::UnixMillis now) {
  std::lock_guard lock(mu_);
  WaitsAfresh(visitors_[std::string(conversation_id)], now);
}

void Presence::RequeuedElsewhere(std::string_view conversation_id, core::UnixMillis now) {
  std::lock_guard lock(mu_);
  const auto found = visitors_.find(std::string(conversation_id));
  if (found != visitors_.end()) WaitsAfresh(found->second, now);
}

void Presence::Forget(std::string_view conversation_id) {
  std::lock_guard lock(mu_);
  const auto found = visitors_.find(std::string(conversation_id));
  if (found != visitors_.end() && found->second.sockets.empty()) visitors_.erase(found);
}

std::uint64_t Presence::Now() {
  return ++moments_;
}

void Presence::TokenReplaced(std::string_view conversation_id, std::string_view token_hash,
                             std::uint64_t read_at) {
  std::vector<std::function<void(core::Error)>> going;
  {
    std::lock_guard lock(mu_);
    const auto found = visitors_.find(std::string(conversation_id));
    if (found == visitors_.end()) return;
    auto& sockets = found->second.sockets;
    for (auto it = sockets.begin(); it != sockets.end();) {
      VisitorSocket& socket = it->second;
      if (socket.token_hash.empty() || socket.token_hash == token_hash ||
          socket.checked_at >= read_at) {
        ++it;
        continue;
      }
      if (socket.give_way) going.push_back(std::move(socket.give_way));
      it = sockets.erase(it);
    }
  }
  for (auto& give_way : going) {
    give_way(core::Fail(core::Errc::unauthenticated,
                        "this chat was picked up with its code on another device"));
  }
}

std::size_t Presence::size() const {
  std::lock_guard lock(mu_);
  return visitors_.size();
}

}  // namespace uitweg::chat
