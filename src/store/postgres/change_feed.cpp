#include "store/postgres/change_feed.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <memory>
#include <sstream>

#include "core/log.hpp"
#include "store/postgres/connection.hpp"

namespace uitweg::store::postgres {
namespace {

constexpr const char* kChannel = "uitweg_changes";
// PostgreSQL refuses payloads of 8000 bytes or more.
constexpr std::size_t kMaxPayload = 7900;
constexpr int kWaitMillis = 1000;
// While PostgreSQL refuses, every ring would otherwise wake a new connection attempt.
constexpr auto kReconnectInterval = std::chrono::milliseconds(1000);
// Marks an id to which only entries were appended; ids are letters, digits, '_' and '-'.
constexpr char kEntriesMark = '+';

}  // namespace

std::vector<std::string> RingPayloads(const std::string& node_id,
                                      const std::map<std::string, Change>& changed) {
  std::vector<std::string> payloads;
  std::string payload = node_id;
  for (const auto& [id, change] : changed) {
    if (payload.size() + 2 + id.size() > kMaxPayload && payload.size() > node_id.size()) {
      payloads.push_back(std::move(payload));
      payload = node_id;
    }
    payload += ' ';
    if (change == Change::entries) payload += kEntriesMark;
    payload += id;
  }
  if (payload.size() > node_id.size()) payloads.push_back(std::move(payload));
  return payloads;
}

std::vector<Rung> RungIn(const std::string& payload, const std::string& own_node_id) {
  std::istringstream words(payload);
  std::string node;
  words >> node;
  std::vector<Rung> rung;
  if (node == own_node_id) return rung;
  for (std::string id; words >> id;) {
    const bool entries = id.front() == kEntriesMark;
    if (entries) id.erase(0, 1);
    if (!id.empty())
      rung.push_back({std::move(id), entries ? Change::entries : Change::conversation});
  }
  return rung;
}

PostgresChangeFeed::PostgresChangeFeed(std::string url, std::string node_id)
    : url_(std::move(url)),
      node_id_(std::move(node_id)),
      wake_fd_(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {}

PostgresChangeFeed::~PostgresChangeFeed() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  const std::uint64_t one = 1;
  (void)!write(wake_fd_, &one, sizeof one);
  if (thread_.joinable()) thread_.join();
  close(wake_fd_);
}

void PostgresChangeFeed::Listen(std::function<void(std::vector<Rung>)> changed) {
  changed_ = std::move(changed);
  thread_ = std::thread([this] { Loop(); });
}

void PostgresChangeFeed::Ring(std::string conversation_id, Change change) {
  {
    std::lock_guard lock(mu_);
    const auto [pending, added] = pending_.try_emplace(std::move(conversation_id), change);
    if (!added) {
      pending->second = std::max(pending->second, change);
      return;
    }
  }
  const std::uint64_t one = 1;
  (void)!write(wake_fd_, &one, sizeof one);
}

void PostgresChangeFeed::Loop() {
  std::unique_ptr<Connection> connection;
  bool connected_before = false;
  auto next_attempt = std::chrono::steady_clock::time_point::min();
  auto lost = [&](const core::Error& error) {
    core::Log(core::LogLevel::warn, "store.change_feed_lost",
              {{"code", core::ErrcName(error.code)}});
    connection.reset();
  };
  for (;;) {
    {
      std::lock_guard lock(mu_);
      if (stopping_) return;
    }
    int wait_millis = kWaitMillis;
    if (!connection && std::chrono::steady_clock::now() < next_attempt) {
      wait_millis = static_cast<int>(std::chrono::ceil<std::chrono::milliseconds>(
                                         next_attempt - std::chrono::steady_clock::now())
                                         .count());
    } else if (!connection) {
      next_attempt = std::chrono::steady_clock::now() + kReconnectInterval;
      auto opened = Connection::Open(url_);
      if (opened && (*opened)->Exec(std::string("LISTEN ") + kChannel)) {
        connection = std::move(*opened);
        // Whatever was rung while no one listened is unknown: report that.
        if (connected_before) changed_({});
        connected_before = true;
      }
    }
    if (connection) {
      std::map<std::string, Change> ringing;
      {
        std::lock_guard lock(mu_);
        ringing.swap(pending_);
      }
      for (const std::string& payload : RingPayloads(node_id_, ringing)) {
        if (auto sent = connection->Query("SELECT pg_notify($1, $2)", {kChannel, payload}); !sent) {
          lost(sent.error());
          break;
        }
      }
    }
    std::array<pollfd, 2> waits{{{wake_fd_, POLLIN, 0}, {-1, POLLIN, 0}}};
    if (connection) waits[1].fd = connection->Socket();
    (void)poll(waits.data(), waits.size(), std::max(wait_millis, 0));
    if (waits[0].revents & POLLIN) {
      std::uint64_t count = 0;
      (void)!read(wake_fd_, &count, sizeof count);
    }
    if (!connection) continue;
    auto payloads = connection->Notifications();
    if (!payloads) {
      lost(payloads.error());
      continue;
    }
    std::vector<Rung> changed;
    for (const std::string& payload : *payloads) {
      for (Rung& rung : RungIn(payload, node_id_)) changed.push_back(std::move(rung));
    }
    if (!changed.empty()) changed_(std::move(changed));
  }
}

}  // namespace uitweg::store::postgres
