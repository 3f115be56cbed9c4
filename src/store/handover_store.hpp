#pragma once
// The directory of receiving organisations and the referrals made to them
// (model/handover.hpp). Plain records; who may change what, and what a referral must rest on
// (the visitor's consent), is the caller's (chat/handovers.hpp).
//
// Thread safety and errors as AccountStore: any thread, blocking (call from workers); not_found
// for an unknown organisation, referral, conversation or account; unavailable/internal when the
// database fails.

#include <cstdint>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "model/handover.hpp"

namespace uitweg::store {

class HandoverStore {
 public:
  virtual ~HandoverStore() = default;

  // Every organisation, active ones first, by name.
  virtual core::Result<std::vector<model::Organisation>> ListOrganisations() = 0;
  virtual core::Result<model::Organisation> FindOrganisation(std::int64_t id) = 0;
  // Stores a new one (its id is ignored) and answers it with its id.
  virtual core::Result<model::Organisation> CreateOrganisation(const model::Organisation& o) = 0;
  // Replaces the one with o.id.
  virtual core::Status UpdateOrganisation(const model::Organisation& o) = 0;

  // Stores a new referral (its id is ignored) and answers it with its id; already_exists when
  // one rests on the same entry (conversation_id, details_seq) already.
  virtual core::Result<model::Referral> CreateReferral(const model::Referral& referral) = 0;
  virtual core::Result<model::Referral> FindReferral(std::int64_t id) = 0;
  // The referral that rests on entry `details_seq` of the conversation.
  virtual core::Result<model::Referral> FindReferralOn(std::string_view conversation_id,
                                                       std::int64_t details_seq) = 0;
  // From `from` to `to`: failed_precondition when its status is no longer `from` (a colleague
  // changed it meanwhile); not_found for an unknown referral or account `by`.
  virtual core::Status SetReferralStatus(std::int64_t id, model::ReferralStatus from,
                                         model::ReferralStatus to, std::int64_t by,
                                         core::UnixMillis at) = 0;
  // Referrals made by one counsellor (0: by anyone), most recently changed first, at most
  // `limit`.
  virtual core::Result<std::vector<model::Referral>> ListReferrals(std::int64_t counsellor_id,
                                                                   std::size_t limit) = 0;
};

}  // namespace uitweg::store
