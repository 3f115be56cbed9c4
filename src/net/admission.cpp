#include "net/admission.hpp"

namespace uitweg::net {

Admission::Ticket::~Ticket() {
  if (admission_) admission_->Release(client_);
}

std::shared_ptr<Admission> Admission::Create(std::size_t max_total, std::size_t max_per_client) {
  return std::shared_ptr<Admission>(new Admission(max_total, max_per_client));
}

core::Result<Admission::Ticket> Admission::Admit(std::string_view client_key) {
  const std::size_t client = std::hash<std::string_view>{}(client_key);
  std::lock_guard lock(mu_);
  if (max_total_ != 0 && open_ >= max_total_) {
    core::Error full = core::Fail(core::Errc::unavailable, "the server has too many connections");
    full.retry_after_seconds = 5;
    return full;
  }
  std::size_t& mine = per_client_[client];
  if (max_per_client_ != 0 && mine >= max_per_client_) {
    core::Error many =
        core::Fail(core::Errc::resource_exhausted, "too many connections from this address");
    many.retry_after_seconds = 5;
    return many;
  }
  ++mine;
  ++open_;
  return Ticket(shared_from_this(), client);
}

void Admission::Release(std::size_t client) {
  std::lock_guard lock(mu_);
  --open_;
  auto it = per_client_.find(client);
  if (it != per_client_.end() && --it->second == 0) per_client_.erase(it);
}

std::size_t Admission::open() const {
  std::lock_guard lock(mu_);
  return open_;
}

}  // namespace uitweg::net
