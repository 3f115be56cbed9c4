#pragma once
// Admission control for connections: at most `max_total` open at once, and at most
// `max_per_client` from one client address (by its salted key, never the address). Admit hands
// out a Ticket that holds the place until it is destroyed; a refused connection is answered with
// a clear close (net/listener) instead of being served. A limit of 0 means none.
//
// Made with Create (shared): tickets keep it alive, so a connection torn down after the server
// is not a problem. Thread safety: Admit and Ticket destruction may happen on any thread (one
// mutex).

#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/error.hpp"

namespace uitweg::net {

class Admission : public std::enable_shared_from_this<Admission> {
 public:
  class Ticket {
   public:
    Ticket(Ticket&& other) noexcept = default;
    Ticket& operator=(Ticket&&) = delete;
    ~Ticket();

   private:
    friend class Admission;
    Ticket(std::shared_ptr<Admission> admission, std::size_t client)
        : admission_(std::move(admission)), client_(client) {}
    std::shared_ptr<Admission> admission_;
    std::size_t client_;
  };

  static std::shared_ptr<Admission> Create(std::size_t max_total, std::size_t max_per_client);

  // unavailable past the total, resource_exhausted past the client's share.
  core::Result<Ticket> Admit(std::string_view client_key);
  std::size_t open() const;

 private:
  Admission(std::size_t max_total, std::size_t max_per_client)
      : max_total_(max_total), max_per_client_(max_per_client) {}
  void Release(std::size_t client);

  const std::size_t max_total_;
  const std::size_t max_per_client_;

  // Guarded by mu_. Clients by a hash of their key: a collision only shares a cap.
  mutable std::mutex mu_;
  std::size_t open_ = 0;
  std::unordered_map<std::size_t, std::size_t> per_client_;
};

}  // namespace uitweg::net
