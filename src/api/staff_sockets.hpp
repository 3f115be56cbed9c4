#pragma once
// The staff sockets open on this node, by the session that opened them, so that a session that
// ends closes its sockets at once: signed out or ended from the staff member's session list on
// this node (CloseSession), or found gone by the sweep (Sweep: timed out, the account disabled
// or its role changed, signed out on another node or from the command line).
//
// Thread-safe. Holds the channels weakly; a channel removes itself when its socket closes.

#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/clock.hpp"
#include "core/executor.hpp"
#include "model/conversation.hpp"

namespace uitweg::api {

class StaffChannel;

// A transfer offered, as the consoles of both colleagues show it.
struct OfferView {
  model::Conversation conversation = {};  // its counsellor_id offers it to offered_to
  std::string from_name = {};
  std::string to_name = {};
  core::UnixMillis lapses_at = 0;
};

class StaffSockets {
 public:
  void Add(const std::string& session_hash, const std::shared_ptr<StaffChannel>& channel);
  void Remove(const StaffChannel* channel);

  // Closes every socket of the session, each with an error frame saying `why`.
  void CloseSession(std::string_view session_hash, std::string_view why);

  // Has every open socket check its session on `blocking` (without keeping it alive); those
  // whose session has ended close.
  void Sweep(const core::Post& blocking);
  // The same for the sockets of one account, now, on the calling thread (blocking): after an
  // admin changed its role or disabled it, so that its consoles here close before the answer.
  void CheckAccountNow(std::int64_t account_id);

  // Tells every socket here the offers that concern its account (each says only what changed).
  void SyncOffers(const std::vector<OfferView>& offers);

  std::size_t size() const;
  // The accounts whose role takes chats with a socket open here, each once: a colleague whose
  // role changed (or an analyst) does not keep the chats assigned to their account from going
  // back to the queue when they are gone, nor makes the service look staffed.
  std::vector<std::int64_t> ConnectedAccounts() const;

 private:
  struct Open {
    std::string session_hash;
    std::weak_ptr<StaffChannel> channel;
  };
  std::vector<std::shared_ptr<StaffChannel>> Live(std::string_view session_hash = {}) const;

  mutable std::mutex mu_;
  std::unordered_map<const StaffChannel*, Open> open_;
};

}  // namespace uitweg::api
