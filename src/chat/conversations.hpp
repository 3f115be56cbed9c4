#pragma once
// The life of a chat: a visitor starts it and waits in the queue, a counsellor accepts it,
// both send messages, either ends it. Checks every input and every permission, writes through
// the Store and announces what changed on the Hub (after the write is durable).
//
// Permissions: visitors act only on the conversation their resume token opens (callers resolve
// the token with Resume first); staff who counsel (counsellor, supervisor roles) may accept any
// waiting conversation but read, send to and end only conversations assigned to them.
//
// Thread safety: all methods may be called from any thread at once; they block on the store,
// so call them from worker threads.

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "chat/entry.hpp"
#include "chat/hub.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "store/store.hpp"

namespace uitweg::chat {

using core::Result;

// A signed-in staff member acting in a chat.
struct Counsellor {
  std::int64_t account_id = 0;
  store::Role role = store::Role::counsellor;
  std::string display_name;
};

struct Started {
  store::Conversation conversation;
  std::string resume_token;    // handed to the visitor once; only its hash is stored
  std::int64_t queue_position = 0;
};

struct Sent {
  Entry entry;
  bool duplicate = false;
};

inline constexpr std::size_t kMaxNicknameChars = 40;
inline constexpr std::size_t kMaxBodyChars = 4000;
inline constexpr std::size_t kMaxClientIdChars = 64;
inline constexpr std::size_t kReplayPage = 500;

class Conversations {
 public:
  Conversations(store::Store& store, Hub& hub, const core::Clock& clock);
  // Waits until every asynchronous send has been answered (their answers publish on the hub).
  ~Conversations();
  Conversations(const Conversations&) = delete;
  Conversations& operator=(const Conversations&) = delete;

  // nickname: 0..40 characters after trimming, no control characters; subject: "self",
  // "other" or empty (self).
  Result<Started> Start(std::string_view nickname, std::string_view subject);
  // unauthenticated for an unknown token.
  Result<store::Conversation> Resume(std::string_view resume_token);
  Result<QueueSnapshot> Waiting();
  // Starts forwarding queue snapshots to `listener` and returns the current one; every
  // snapshot the listener is given afterwards is newer than it.
  Result<QueueSnapshot> WatchQueue(std::weak_ptr<HubListener> listener);
  Result<std::vector<store::Conversation>> ActiveFor(const Counsellor& counsellor);

  // failed_precondition when someone else was quicker or it ended.
  Result<store::Conversation> Accept(std::string_view conversation_id, const Counsellor& counsellor);
  // The conversation, if this counsellor may read it.
  Result<store::Conversation> OpenFor(std::string_view conversation_id, const Counsellor& counsellor);

  // client_id: 1..64 of [A-Za-z0-9_-]; body: 1..4000 characters after trimming. Blocks until
  // the message is durable and published.
  Result<Sent> SendAsVisitor(std::string_view conversation_id, std::string_view client_id,
                             std::string_view body);
  Result<Sent> SendAsCounsellor(std::string_view conversation_id, const Counsellor& counsellor,
                                std::string_view client_id, std::string_view body);

  // The same without waiting for the commit: `done` gets the result once the message is durable
  // and published on the hub, possibly on the store's writer thread (see
  // Store::AppendMessageAsync), so it must not block nor write to the store. Sends by one
  // thread are sequenced and answered in the order of the calls; a rejected input is answered
  // at once. SendAsCounsellorAsync checks the assignment before it returns (a store read).
  using SendDone = std::function<void(Result<Sent>)>;
  void SendAsVisitorAsync(std::string_view conversation_id, std::string_view client_id,
                          std::string_view body, SendDone done);
  void SendAsCounsellorAsync(std::string_view conversation_id, const Counsellor& counsellor,
                             std::string_view client_id, std::string_view body, SendDone done);

  Result<store::Conversation> EndAsVisitor(std::string_view conversation_id);
  Result<store::Conversation> EndAsCounsellor(std::string_view conversation_id,
                                              const Counsellor& counsellor);

  // Entries after `after_seq`, at most kReplayPage. invalid_argument when after_seq is negative
  // or beyond the conversation's last seq.
  Result<std::vector<Entry>> Replay(std::string_view conversation_id, std::int64_t after_seq);

  static bool CanCounsel(store::Role role);

 private:
  Result<store::Conversation> CheckAssigned(std::string_view conversation_id,
                                            const Counsellor& counsellor);
  void Send(store::NewMessage message, std::string author, SendDone done);
  // Reads the queue and publishes it; serialised so that listeners see snapshots in order.
  Result<QueueSnapshot> PublishQueue();
  void PublishTransition(const store::Transition& transition, std::string author);
  std::string AuthorName(const store::Message& message);

  store::Store& store_;
  Hub& hub_;
  const core::Clock& clock_;

  std::mutex queue_mu_;  // held while reading and publishing a queue snapshot

  // Guarded by sends_mu_: asynchronous sends handed to the store and not yet answered.
  std::mutex sends_mu_;
  std::condition_variable sends_answered_;
  std::size_t sends_in_flight_ = 0;

  // Guarded by names_mu_: display names of counsellors, by account id.
  std::mutex names_mu_;
  std::unordered_map<std::int64_t, std::string> names_;
};

// Validation, exposed for the API layer's early checks and for tests.
core::Status CheckClientId(std::string_view client_id);
// The trimmed body, or invalid_argument.
Result<std::string> CleanBody(std::string_view body);
Result<std::string> CleanNickname(std::string_view nickname);

}  // namespace uitweg::chat
