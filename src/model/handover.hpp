#pragma once
// Handover to offline help: the directory of receiving organisations and their regional contact
// persons (kept by admins), and referrals a counsellor records once the visitor agreed in the
// chat. A referral holds no content itself: what was agreed and the contact details the visitor
// chose to give are a sealed, staff-only entry of the conversation (MessageKind::referral), at
// details_seq.

#include <cstdint>
#include <string>
#include <string_view>

#include "core/clock.hpp"

namespace uitweg::model {

struct Organisation {
  std::int64_t id = 0;
  std::string name = {};
  std::string description = {};     // what they do, for the counsellor choosing
  std::string region = {};          // municipality or region served; may be empty
  std::string contact_person = {};  // the regional contact person
  std::string contact_phone = {};
  std::string contact_email = {};
  bool active = true;  // an inactive one is kept for the referrals made to it
  core::UnixMillis updated_at = 0;
};

enum class ReferralStatus { proposed, accepted, completed, declined };
std::string_view ReferralStatusName(ReferralStatus status);
bool ParseReferralStatus(std::string_view text, ReferralStatus& out);

struct Referral {
  std::int64_t id = 0;
  std::string conversation_id = {};
  std::int64_t organisation_id = 0;
  std::int64_t counsellor_id = 0;  // who made it
  ReferralStatus status = ReferralStatus::proposed;
  std::int64_t details_seq = 0;  // the conversation's `referral` entry
  core::UnixMillis created_at = 0;
  core::UnixMillis updated_at = 0;
  std::int64_t updated_by = 0;
};

}  // namespace uitweg::model
