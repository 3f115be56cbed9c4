// The stored and wire names of the domain's enums, one table each.
#include <array>
#include <utility>

#include "model/conversation.hpp"
#include "model/handover.hpp"
#include "model/message.hpp"
#include "model/staff.hpp"

namespace uitweg::model {
namespace {

template <class Enum, std::size_t N>
using Names = std::array<std::pair<Enum, std::string_view>, N>;

constexpr Names<Availability, 3> kAvailabilityNames = {{{Availability::available, "available"},
                                                        {Availability::busy, "busy"},
                                                        {Availability::away, "away"}}};
constexpr Names<Role, 4> kRoleNames = {{{Role::counsellor, "counsellor"},
                                        {Role::supervisor, "supervisor"},
                                        {Role::analyst, "analyst"},
                                        {Role::admin, "admin"}}};
constexpr Names<SetupPurpose, 3> kSetupPurposeNames = {
    {{SetupPurpose::new_account, "new"},
     {SetupPurpose::password, "password"},
     {SetupPurpose::second_factor, "second_factor"}}};
constexpr Names<ConversationStatus, 3> kStatusNames = {{{ConversationStatus::waiting, "waiting"},
                                                        {ConversationStatus::active, "active"},
                                                        {ConversationStatus::ended, "ended"}}};
constexpr Names<Subject, 2> kSubjectNames = {{{Subject::self, "self"}, {Subject::other, "other"}}};
constexpr Names<EndReason, 3> kEndReasonNames = {{{EndReason::visitor, "visitor"},
                                                  {EndReason::counsellor, "counsellor"},
                                                  {EndReason::abandoned, "abandoned"}}};
constexpr Names<Sender, 3> kSenderNames = {
    {{Sender::visitor, "visitor"}, {Sender::counsellor, "counsellor"}, {Sender::system, "system"}}};
constexpr Names<MessageKind, 10> kKindNames = {{{MessageKind::text, "text"},
                                                {MessageKind::accepted, "accepted"},
                                                {MessageKind::ended, "ended"},
                                                {MessageKind::released, "released"},
                                                {MessageKind::note, "note"},
                                                {MessageKind::whisper, "whisper"},
                                                {MessageKind::transferred, "transferred"},
                                                {MessageKind::consent_request, "consent_request"},
                                                {MessageKind::consent_answer, "consent_answer"},
                                                {MessageKind::referral, "referral"}}};

constexpr Names<ReferralStatus, 4> kReferralStatusNames = {
    {{ReferralStatus::proposed, "proposed"},
     {ReferralStatus::accepted, "accepted"},
     {ReferralStatus::completed, "completed"},
     {ReferralStatus::declined, "declined"}}};

template <class Enum, std::size_t N>
std::string_view NameOf(const Names<Enum, N>& names, Enum value) {
  for (const auto& [candidate, name] : names) {
    if (candidate == value) return name;
  }
  return "unknown";
}

template <class Enum, std::size_t N>
bool Parse(const Names<Enum, N>& names, std::string_view text, Enum& out) {
  for (const auto& [candidate, name] : names) {
    if (name == text) {
      out = candidate;
      return true;
    }
  }
  return false;
}

}  // namespace

std::string_view AvailabilityName(Availability availability) {
  return NameOf(kAvailabilityNames, availability);
}
bool ParseAvailability(std::string_view text, Availability& out) {
  return Parse(kAvailabilityNames, text, out);
}

std::string_view RoleName(Role role) {
  return NameOf(kRoleNames, role);
}
bool ParseRole(std::string_view text, Role& out) {
  return Parse(kRoleNames, text, out);
}

std::string_view SetupPurposeName(SetupPurpose purpose) {
  return NameOf(kSetupPurposeNames, purpose);
}
bool ParseSetupPurpose(std::string_view text, SetupPurpose& out) {
  return Parse(kSetupPurposeNames, text, out);
}

std::string_view ConversationStatusName(ConversationStatus status) {
  return NameOf(kStatusNames, status);
}
bool ParseConversationStatus(std::string_view text, ConversationStatus& out) {
  return Parse(kStatusNames, text, out);
}

std::string_view SubjectName(Subject subject) {
  return NameOf(kSubjectNames, subject);
}
bool ParseSubject(std::string_view text, Subject& out) {
  return Parse(kSubjectNames, text, out);
}

std::string_view EndReasonName(EndReason reason) {
  return NameOf(kEndReasonNames, reason);
}
bool ParseEndReason(std::string_view text, EndReason& out) {
  return Parse(kEndReasonNames, text, out);
}

std::string_view SenderName(Sender sender) {
  return NameOf(kSenderNames, sender);
}
bool ParseSender(std::string_view text, Sender& out) {
  return Parse(kSenderNames, text, out);
}

std::string_view MessageKindName(MessageKind kind) {
  return NameOf(kKindNames, kind);
}
bool ParseMessageKind(std::string_view text, MessageKind& out) {
  return Parse(kKindNames, text, out);
}

std::string_view ReferralStatusName(ReferralStatus status) {
  return NameOf(kReferralStatusNames, status);
}
bool ParseReferralStatus(std::string_view text, ReferralStatus& out) {
  return Parse(kReferralStatusNames, text, out);
}

}  // namespace uitweg::model
