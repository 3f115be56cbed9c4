#include "store/postgres/change_feed.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <iterator>
#include <memory>
#include <sstream>

#include "core/log.hpp"
#include "store/postgres/connection.hpp"

namespace uitweg::store::postgres {
namespace {

constexpr const char* kChannel = "uitweg_changes";
// PostgreSQL refuses payloads of 8000 bytes or more.
constexpr std::size_t kMaxPayload = 7900;
// While PostgreSQL refuses, every ring would otherwise wake a new connection attempt.
constexpr auto kReconnectInterval = std::chrono::milliseconds(1000);
// Marks an id to which only entries were appended; ids are letters, digits, '_' and '-'.
constexpr char kEntriesMark = '+';
// Starts a watch's payload; never the first letter of an id.
constexpr char kWatchMark = '!';

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
    if (id.front() == kWatchMark) return {};
    const bool entries = id.front() == kEntriesMark;
    if (entries) id.erase(0, 1);
    if (!id.empty())
      rung.push_back({std::move(id), entries ? Change::entries : Change::conversation});
  }
  return rung;
}

std::string WatchPayload(const std::string& node_id, const Watch& watch) {
  return node_id + ' ' + kWatchMark + (watch.watching ? '1' : '0') + ':' +
         std::to_string(watch.supervisor_id) + ':' + watch.conversation_id;
}

std::optional<Watch> WatchIn(const std::string& payload, const std::string& own_node_id) {
  std::istringstream words(payload);
  std::string node;
  std::string token;
  if (!(words >> node >> token) || node == own_node_id) return std::nullopt;
  // !1:42:c_abc
  if (token.size() < 6 || token[0] != kWatchMark || (token[1] != '0' && token[1] != '1') ||
      token[2] != ':') {
    return std::nullopt;
  }
  const std::size_t colon = token.find(':', 3);
  if (colon == std::string::npos || colon == 3 || colon + 1 == token.size()) return std::nullopt;
  Watch watch{.conversation_id = token.substr(colon + 1), .watching = token[1] == '1'};
  const char* first = token.data() + 3;
  const char* last = token.data() + colon;
  const auto [end, error] = std::from_chars(first, last, watch.supervisor_id);
  if (error != std::errc() || end != last) return std::nullopt;
  return watch;
}

PostgresChangeFeed::PostgresChangeFeed(std::string url, std::string node_id,
                                       std::chrono::milliseconds idle_wait)
    : url_(std::move(url)),
      node_id_(std::move(node_id)),
      idle_wait_(idle_wait),
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

void PostgresChangeFeed::RingWatch(Watch watch) {
  {
    std::lock_guard lock(mu_);
    pending_watches_.push_back(std::move(watch));
  }
  const std::uint64_t one = 1;
  (void)!write(wake_fd_, &one, sizeof one);
}

void PostgresChangeFeed::OnWatch(std::function<void(Watch)> watched) {
  watched_ = std::move(watched);
}

void PostgresChangeFeed::Loop() {
  std::unique_ptr<Connection> connection;
  std::vector<std::string> unsent;
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
    int wait_millis = static_cast<int>(idle_wait_.count());
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
      std::vector<Watch> watches;
      {
        std::lock_guard lock(mu_);
        ringing.swap(pending_);
        watches.swap(pending_watches_);
      }
      // Those a lost connection kept from going out first, before anything rung since.
      std::vector<std::string> payloads = std::move(unsent);
      unsent.clear();
      for (std::string& payload : RingPayloads(node_id_, ringing)) {
        payloads.push_back(std::move(payload));
      }
      for (const Watch& watch : watches) payloads.push_back(WatchPayload(node_id_, watch));
      bool sent_all = true;
      for (std::size_t i = 0; i < payloads.size() && sent_all; ++i) {
        auto sent = connection->Query("SELECT pg_notify($1, $2)", {kChannel, payloads[i]});
        if (sent) continue;
        // The rest is sent once connected again (the other nodes' slow poll would find them
        // only later), with this one too when the connection was what failed; one PostgreSQL
        // refused is left to that poll.
        const std::size_t from = sent.error().code == core::Errc::unavailable ? i : i + 1;
        unsent.assign(std::make_move_iterator(payloads.begin() + static_cast<std::ptrdiff_t>(from)),
                      std::make_move_iterator(payloads.end()));
        lost(sent.error());
        sent_all = false;
      }
      if (!sent_all) continue;  // to the reconnection, at its own pace
    }
    // What other nodes rang while ours went out was read with the answers, into libpq's buffer:
    // the socket does not wake poll for it, and it would wait for the next ring or timeout.
    std::vector<std::string> payloads;
    if (connection) {
      auto arrived = connection->Notifications();
      if (!arrived) {
        lost(arrived.error());
        continue;
      }
      payloads = std::move(*arrived);
    }
    if (payloads.empty()) {
      std::array<pollfd, 2> waits{{{wake_fd_, POLLIN, 0}, {-1, POLLIN, 0}}};
      if (connection) waits[1].fd = connection->Socket();
      (void)poll(waits.data(), waits.size(), std::max(wait_millis, 0));
      if (waits[0].revents & POLLIN) {
        std::uint64_t count = 0;
        (void)!read(wake_fd_, &count, sizeof count);
      }
      if (!connection) continue;
      auto arrived = connection->Notifications();
      if (!arrived) {
        lost(arrived.error());
        continue;
      }
      payloads = std::move(*arrived);
    }
    std::vector<Rung> changed;
    for (const std::string& payload : payloads) {
      if (auto watch = WatchIn(payload, node_id_)) {
        if (watched_) watched_(std::move(*watch));
        continue;
      }
      for (Rung& rung : RungIn(payload, node_id_)) changed.push_back(std::move(rung));
    }
    if (!changed.empty()) changed_(std::move(changed));
  }
}

}  // namespace uitweg::store::postgres
