#include "chat/handovers.hpp"

#include <charconv>

#include "chat/text_rules.hpp"
#include "model/permissions.hpp"

namespace uitweg::chat {
namespace {

core::Error Invalid(std::string message) {
  return core::Fail(core::Errc::invalid_argument, std::move(message));
}

std::optional<std::int64_t> Number(std::string_view digits) {
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (error != std::errc() || end != digits.data() + digits.size() || value <= 0) {
    return std::nullopt;
  }
  return value;
}

// Every entry of the conversation, page after page.
core::Result<std::vector<Entry>> AllEntries(Conversations& conversations,
                                            std::string_view conversation_id) {
  std::vector<Entry> all;
  for (std::int64_t after = 0;;) {
    UITWEG_TRY_ASSIGN(auto page, conversations.Replay(conversation_id, after));
    if (page.empty()) return all;
    after = page.back().message.seq;
    for (Entry& entry : page) all.push_back(std::move(entry));
    if (page.size() < kReplayPage) return all;
  }
}

}  // namespace

std::optional<Handovers::ConsentRequest> Handovers::ParseRequest(std::string_view body) {
  const std::size_t colon = body.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  const std::optional<std::int64_t> id = Number(body.substr(0, colon));
  if (!id) return std::nullopt;
  return ConsentRequest{.organisation_id = *id, .name = std::string(body.substr(colon + 1))};
}

std::optional<Handovers::ConsentAnswer> Handovers::ParseAnswer(std::string_view body) {
  const std::size_t colon = body.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  const std::string_view answer = body.substr(0, colon);
  const std::optional<std::int64_t> seq = Number(body.substr(colon + 1));
  if (!seq || (answer != "yes" && answer != "no")) return std::nullopt;
  return ConsentAnswer{.yes = answer == "yes", .request_seq = *seq};
}

core::Status Handovers::CheckOrganisation(const model::Organisation& o) const {
  if (o.name.empty() || !FitsLine(o.name, kMaxOrganisationNameChars)) {
    return Invalid("name must be 1 to 100 characters of text");
  }
  for (const std::string* field :
       {&o.description, &o.region, &o.contact_person, &o.contact_phone, &o.contact_email}) {
    if (!FitsLine(*field, kMaxOrganisationFieldChars)) {
      return Invalid("every field is at most 200 characters of text");
    }
  }
  if (!o.contact_email.empty() && o.contact_email.find('@') == std::string::npos) {
    return Invalid("contact_email must be an e-mail address");
  }
  return {};
}

core::Result<model::Organisation> Handovers::AddOrganisation(model::Organisation organisation) {
  UITWEG_TRY(CheckOrganisation(organisation));
  organisation.updated_at = clock_.Now();
  return store_.CreateOrganisation(organisation);
}

core::Result<model::Organisation> Handovers::ChangeOrganisation(model::Organisation organisation) {
  UITWEG_TRY(CheckOrganisation(organisation));
  organisation.updated_at = clock_.Now();
  UITWEG_TRY(store_.UpdateOrganisation(organisation));
  return organisation;
}

core::Result<Sent> Handovers::AskConsent(std::string_view conversation_id,
                                         const Counsellor& counsellor, std::int64_t organisation_id,
                                         std::string_view client_id, const HubListener* origin) {
  core::Result<model::Organisation> organisation = store_.FindOrganisation(organisation_id);
  if ((!organisation && organisation.error().code == core::Errc::not_found) ||
      (organisation && !organisation->active)) {
    return core::Fail(core::Errc::not_found, "organisation not found");
  }
  if (!organisation) return organisation.error();
  return conversations_.WriteHandoverEntry(
      model::MessageKind::consent_request, conversation_id, &counsellor, client_id,
      std::to_string(organisation->id) + ":" + organisation->name, origin);
}

core::Result<Sent> Handovers::AnswerConsent(std::string_view conversation_id,
                                            std::int64_t request_seq, bool yes,
                                            std::string_view client_id, const HubListener* origin) {
  UITWEG_TRY_ASSIGN(const auto entries, AllEntries(conversations_, conversation_id));
  bool asked = false;
  for (const Entry& entry : entries) {
    const model::Message& message = entry.message;
    if (message.seq == request_seq && message.kind == model::MessageKind::consent_request) {
      asked = true;
    }
    if (message.kind == model::MessageKind::consent_answer && message.client_id != client_id) {
      if (auto answer = ParseAnswer(message.body); answer && answer->request_seq == request_seq) {
        return core::Fail(core::Errc::failed_precondition, "this question was answered already");
      }
    }
  }
  if (!asked) return Invalid("request_seq is not a consent request of this conversation");
  return conversations_.WriteHandoverEntry(
      model::MessageKind::consent_answer, conversation_id, nullptr, client_id,
      std::string(yes ? "yes:" : "no:") + std::to_string(request_seq), origin);
}

core::Result<Handovers::Referred> Handovers::Refer(
    std::string_view conversation_id, const Counsellor& counsellor, std::int64_t request_seq,
    std::string_view agreed, std::string_view contact, const HubListener* origin) {
  UITWEG_TRY_ASSIGN(const std::string clean_agreed, CleanBody(agreed));
  // Before the entries are read: whether a colleague's visitor agreed to a handover is not for
  // another counsellor to find out.
  UITWEG_TRY_ASSIGN(const model::Conversation conversation,
                    conversations_.OpenFor(conversation_id, counsellor));
  UITWEG_TRY_ASSIGN(const auto entries, AllEntries(conversations_, conversation_id));
  const std::string client_id = "referral-" + std::to_string(request_seq);
  std::optional<ConsentRequest> request;
  bool consented = false;
  bool recorded = false;
  for (const Entry& entry : entries) {
    const model::Message& message = entry.message;
    if (message.seq == request_seq && message.kind == model::MessageKind::consent_request) {
      request = ParseRequest(message.body);
    }
    if (message.kind == model::MessageKind::referral && message.client_id == client_id) {
      recorded = true;
    }
    if (message.kind == model::MessageKind::consent_answer) {
      if (auto answer = ParseAnswer(message.body); answer && answer->request_seq == request_seq) {
        consented = answer->yes;
      }
    }
  }
  if (!request || !consented) {
    return core::Fail(core::Errc::failed_precondition,
                      "the visitor has not agreed to this handover in the chat");
  }
  // A retry of one recorded in time is answered with it below, however late it comes.
  if (!recorded && conversation.ended_at &&
      clock_.Now() - *conversation.ended_at >= kReferAfterEnd) {
    return core::Fail(core::Errc::failed_precondition,
                      "a referral is recorded within a day of the end of its chat");
  }
  std::string details = "Afspraak / agreed: " + clean_agreed;
  if (!TrimSpace(contact).empty()) {
    details += "\nContact: " + std::string(TrimSpace(contact));
  }
  std::lock_guard lock(refer_mu_);
  UITWEG_TRY_ASSIGN(const Sent sealed,
                    conversations_.WriteHandoverEntry(model::MessageKind::referral, conversation_id,
                                                      &counsellor, client_id, details, origin));
  if (sealed.duplicate) {
    // Submitted twice (a double click, a retry after a lost answer): the entry is the first
    // one's, and so is the referral. A row missing after a crash between the two is made now.
    auto before = store_.FindReferralOn(conversation_id, sealed.seq);
    if (before) return Referred{.referral = std::move(*before), .before = true};
    if (before.error().code != core::Errc::not_found) return before.error();
  }
  const core::UnixMillis now = clock_.Now();
  auto made = store_.CreateReferral(model::Referral{.conversation_id = std::string(conversation_id),
                                                    .organisation_id = request->organisation_id,
                                                    .counsellor_id = counsellor.account_id,
                                                    .status = model::ReferralStatus::proposed,
                                                    .details_seq = sealed.seq,
                                                    .created_at = now,
                                                    .updated_at = now,
                                                    .updated_by = counsellor.account_id});
  if (made) return Referred{.referral = std::move(*made)};
  // The same retry on another node made it meanwhile.
  if (made.error().code != core::Errc::already_exists) return made.error();
  UITWEG_TRY_ASSIGN(model::Referral before, store_.FindReferralOn(conversation_id, sealed.seq));
  return Referred{.referral = std::move(before), .before = true};
}

core::Result<std::vector<model::Referral>> Handovers::VisibleTo(const Counsellor& counsellor) {
  const bool team = model::RoleMay(counsellor.role, model::Permission::supervise);
  return store_.ListReferrals(team ? 0 : counsellor.account_id, kMaxReferralListed);
}

core::Result<Handovers::StatusChange> Handovers::SetStatus(
    std::int64_t referral_id, const Counsellor& staff, std::optional<model::ReferralStatus> from,
    model::ReferralStatus status) {
  if (!model::RoleMay(staff.role, model::Permission::counsel)) {
    return core::Fail(core::Errc::permission_denied, "your role may not do this");
  }
  // Like the list, a counsellor follows up only the referrals they made; to anyone else but a
  // supervisor another's referral does not exist.
  UITWEG_TRY_ASSIGN(const model::Referral referral, store_.FindReferral(referral_id));
  if (referral.counsellor_id != staff.account_id &&
      !model::RoleMay(staff.role, model::Permission::supervise)) {
    return core::Fail(core::Errc::not_found, "no such referral");
  }
  // Already so (a double click, a retry, a colleague who chose the same): nothing to change.
  if (referral.status == status) return StatusChange{.referral = referral};
  const model::ReferralStatus seen = from.value_or(referral.status);
  UITWEG_TRY(store_.SetReferralStatus(referral_id, seen, status, staff.account_id, clock_.Now()));
  UITWEG_TRY_ASSIGN(model::Referral changed, store_.FindReferral(referral_id));
  return StatusChange{.referral = std::move(changed), .changed = true};
}

}  // namespace uitweg::chat
