#pragma once
// The doorbell between nodes on one PostgreSQL database (store/change_feed.hpp), on
// LISTEN/NOTIFY. Its own thread holds one connection that listens on the channel
// `uitweg_changes` and sends this node's rings: a ring is `pg_notify` in its own short
// transaction, with the node's id and the conversation ids that changed (ids only; never
// content, which a NOTIFY payload would carry to every listener). Rings waiting together go out
// in as few notifications as fit PostgreSQL's 8000-byte payload. A node skips its own rings.
// A watch (ids and a flag) goes in a notification of its own, after the rings before it.
//
// When the connection breaks the feed reconnects (at most every second) and then reports an
// empty list: rings may have been missed meanwhile. Its own rings and watches that a lost
// connection kept from going out are sent once it is connected again, before newer ones.
//
// Thread safety: as ChangeFeed. Destruction stops the thread; rings not yet sent are dropped
// (the other nodes' polls find what they announced).

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "store/change_feed.hpp"

namespace uitweg::store::postgres {

class PostgresChangeFeed final : public ChangeFeed {
 public:
  // `node_id`: how this node signs its rings (letters and digits). `idle_wait`: how long the
  // thread sleeps when nothing is rung or heard; a ring or a notification wakes it sooner.
  PostgresChangeFeed(std::string url, std::string node_id,
                     std::chrono::milliseconds idle_wait = std::chrono::seconds(1));
  ~PostgresChangeFeed() override;
  PostgresChangeFeed(const PostgresChangeFeed&) = delete;
  PostgresChangeFeed& operator=(const PostgresChangeFeed&) = delete;

  void Listen(std::function<void(std::vector<Rung>)> changed) override;
  void Ring(std::string conversation_id, Change change) override;
  void RingWatch(Watch watch) override;
  void OnWatch(std::function<void(Watch)> watched) override;

 private:
  void Loop();

  const std::string url_;
  const std::string node_id_;
  const std::chrono::milliseconds idle_wait_;
  std::function<void(std::vector<Rung>)> changed_;
  std::function<void(Watch)> watched_;
  int wake_fd_ = -1;  // an eventfd: a ring is waiting, or the feed stops

  // Guarded by mu_.
  std::mutex mu_;
  std::map<std::string, Change> pending_;
  std::vector<Watch> pending_watches_;
  bool stopping_ = false;

  std::thread thread_;
};

// The payloads that announce `changed` from `node_id`, each within PostgreSQL's limit: the node,
// then the ids, each marked '+' when only entries were appended to it.
std::vector<std::string> RingPayloads(const std::string& node_id,
                                      const std::map<std::string, Change>& changed);
// The conversations rung in a payload, unless it came from `own_node_id` (then none).
std::vector<Rung> RungIn(const std::string& payload, const std::string& own_node_id);
// A watch goes in a payload of its own: the node, then '!', 1 or 0 (watching or not), the
// supervisor's account id and the conversation id, separated by ':'.
std::string WatchPayload(const std::string& node_id, const Watch& watch);
// The watch a payload carries, unless it came from `own_node_id` or carries none.
std::optional<Watch> WatchIn(const std::string& payload, const std::string& own_node_id);

}  // namespace uitweg::store::postgres
