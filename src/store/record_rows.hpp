#pragma once
// Reading organisations, referrals and registrations from either backend's rows
// (store/rows.hpp's StoredRow).

#include "model/handover.hpp"
#include "model/registration.hpp"
#include "store/rows.hpp"

namespace uitweg::store {

inline constexpr const char* kOrganisationColumns =
    "id, name, description, region, contact_person, contact_phone, contact_email, active, "
    "updated_at";
inline constexpr const char* kReferralColumns =
    "id, conversation_id, organisation_id, counsellor_id, status, details_seq, created_at, "
    "updated_at, updated_by";

inline constexpr const char* kRegistrationColumns =
    "conversation_id, counsellor_id, complete, form_version, updated_at";

// Without its answers, which are rows of their own.
template <StoredRow Row>
core::Result<model::Registration> ReadRegistration(const Row& row) {
  return model::Registration{.conversation_id = row.Text(0),
                             .counsellor_id = row.Int(1),
                             .answers = {},
                             .complete = row.Int(2) != 0,
                             .form_version = row.Int(3),
                             .updated_at = row.Int(4)};
}

template <StoredRow Row>
core::Result<model::Organisation> ReadOrganisation(const Row& row) {
  return model::Organisation{.id = row.Int(0),
                             .name = row.Text(1),
                             .description = row.Text(2),
                             .region = row.Text(3),
                             .contact_person = row.Text(4),
                             .contact_phone = row.Text(5),
                             .contact_email = row.Text(6),
                             .active = row.Int(7) != 0,
                             .updated_at = row.Int(8)};
}

template <StoredRow Row>
core::Result<model::Referral> ReadReferral(const Row& row) {
  model::Referral referral{.id = row.Int(0),
                           .conversation_id = row.Text(1),
                           .organisation_id = row.Int(2),
                           .counsellor_id = row.Int(3),
                           .status = model::ReferralStatus::proposed,
                           .details_seq = row.Int(5),
                           .created_at = row.Int(6),
                           .updated_at = row.Int(7),
                           .updated_by = row.Int(8)};
  if (!model::ParseReferralStatus(row.Text(4), referral.status)) {
    return CorruptValue("referral status");
  }
  return referral;
}

}  // namespace uitweg::store
