#pragma once
// Registrations after conversations (model/registration.hpp): one per conversation, its answers
// kept as rows (field, value) so that insights count them in the database. Saving replaces the
// whole registration in one transaction. What the answers may be is the caller's to check
// (chat/registration_rules.hpp).
//
// Thread safety and errors as AccountStore: any thread, blocking (call from workers); not_found
// for an unknown conversation or counsellor; unavailable/internal when the database fails.

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "model/registration.hpp"

namespace uitweg::store {

class RegistrationStore {
 public:
  virtual ~RegistrationStore() = default;

  // nullopt when none was saved.
  virtual core::Result<std::optional<model::Registration>> FindRegistration(
      std::string_view conversation_id) = 0;
  // Those of `conversation_ids` that have one, without their answers, in no particular order.
  virtual core::Result<std::vector<model::Registration>> FindRegistrations(
      std::span<const std::string> conversation_ids) = 0;
  // Creates or replaces it.
  virtual core::Status SaveRegistration(const model::Registration& registration) = 0;
};

}  // namespace uitweg::store
