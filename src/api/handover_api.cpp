#include "api/handover_api.hpp"

#include <limits>

#include <boost/json/array.hpp>

#include "api/json_fields.hpp"

namespace uitweg::api {
namespace {

chat::Counsellor CounsellorOf(const auth::Authenticated& staff) {
  return chat::Counsellor{staff.account.id, staff.account.role, staff.account.display_name};
}

boost::json::object OrganisationJson(const model::Organisation& o) {
  return boost::json::object{{"id", o.id},
                             {"name", o.name},
                             {"description", o.description},
                             {"region", o.region},
                             {"contact_person", o.contact_person},
                             {"contact_phone", o.contact_phone},
                             {"contact_email", o.contact_email},
                             {"active", o.active},
                             {"updated_at", o.updated_at}};
}

boost::json::object ReferralJson(const model::Referral& r) {
  return boost::json::object{{"id", r.id},
                             {"conversation_id", r.conversation_id},
                             {"organisation_id", r.organisation_id},
                             {"counsellor_id", r.counsellor_id},
                             {"status", model::ReferralStatusName(r.status)},
                             {"created_at", r.created_at},
                             {"updated_at", r.updated_at},
                             {"updated_by", r.updated_by}};
}

core::Result<model::Organisation> OrganisationFrom(std::string_view text) {
  UITWEG_TRY_ASSIGN(const boost::json::object body, ParseObject(text, "the body"));
  model::Organisation o;
  UITWEG_TRY_ASSIGN(o.name, RequiredString(body, "name"));
  UITWEG_TRY_ASSIGN(o.description, OptionalString(body, "description"));
  UITWEG_TRY_ASSIGN(o.region, OptionalString(body, "region"));
  UITWEG_TRY_ASSIGN(o.contact_person, OptionalString(body, "contact_person"));
  UITWEG_TRY_ASSIGN(o.contact_phone, OptionalString(body, "contact_phone"));
  UITWEG_TRY_ASSIGN(o.contact_email, OptionalString(body, "contact_email"));
  if (const boost::json::value* active = body.if_contains("active"); active != nullptr) {
    if (!active->is_bool()) {
      return core::Fail(core::Errc::invalid_argument, "active must be true or false");
    }
    o.active = active->as_bool();
  }
  return o;
}

Response OneOrganisation(unsigned status, const model::Organisation& o) {
  boost::json::object out;
  out["organisation"] = OrganisationJson(o);
  return JsonResponse(status, out);
}

Response OneReferral(unsigned status, const model::Referral& r) {
  boost::json::object out;
  out["referral"] = ReferralJson(r);
  return JsonResponse(status, out);
}

}  // namespace

core::Result<Response> HandoverApi::Directory(const Request& request) {
  UITWEG_TRY(auth_.Check(request));
  UITWEG_TRY_ASSIGN(const auto directory, handovers_.Directory());
  boost::json::array organisations;
  for (const model::Organisation& o : directory) organisations.push_back(OrganisationJson(o));
  boost::json::object out;
  out["organisations"] = std::move(organisations);
  return JsonResponse(200, out);
}

core::Result<Response> HandoverApi::AddOrganisation(const Request& request) {
  UITWEG_TRY_ASSIGN(const auth::Authenticated admin, auth_.CheckChange(request));
  UITWEG_TRY_ASSIGN(model::Organisation organisation, OrganisationFrom(request.body));
  UITWEG_TRY_ASSIGN(const model::Organisation added,
                    handovers_.AddOrganisation(std::move(organisation)));
  (void)audit_.Record(auth::Actor::Staff(admin.account), auth::audit_action::directory_changed, {},
                      "added " + std::to_string(added.id));
  return OneOrganisation(201, added);
}

core::Result<Response> HandoverApi::ChangeOrganisation(const Request& request) {
  UITWEG_TRY_ASSIGN(const auth::Authenticated admin, auth_.CheckChange(request));
  UITWEG_TRY_ASSIGN(const std::int64_t id, PathId(request, 0, "organisation"));
  UITWEG_TRY_ASSIGN(model::Organisation organisation, OrganisationFrom(request.body));
  organisation.id = id;
  UITWEG_TRY_ASSIGN(const model::Organisation changed,
                    handovers_.ChangeOrganisation(std::move(organisation)));
  (void)audit_.Record(auth::Actor::Staff(admin.account), auth::audit_action::directory_changed, {},
                      "changed " + std::to_string(id));
  return OneOrganisation(200, changed);
}

core::Result<Response> HandoverApi::Refer(const Request& request) {
  UITWEG_TRY_ASSIGN(const auth::Authenticated staff, auth_.CheckChange(request));
  UITWEG_TRY_ASSIGN(const boost::json::object body, ParseObject(request.body, "the body"));
  UITWEG_TRY_ASSIGN(const std::string conversation_id, RequiredString(body, "conversation_id"));
  UITWEG_TRY_ASSIGN(const std::int64_t request_seq,
                    RequiredInt(body, "request_seq", std::numeric_limits<std::int64_t>::max()));
  UITWEG_TRY_ASSIGN(const std::string agreed, RequiredString(body, "agreed"));
  UITWEG_TRY_ASSIGN(const std::string contact, OptionalString(body, "contact"));
  UITWEG_TRY_ASSIGN(const chat::Handovers::Referred referred,
                    handovers_.Refer(conversation_id, CounsellorOf(staff), request_seq, agreed,
                                     contact, nullptr));
  const model::Referral& referral = referred.referral;
  if (referred.before) return OneReferral(200, referral);
  (void)audit_.Record(auth::Actor::Staff(staff.account), auth::audit_action::referral,
                      referral.conversation_id,
                      "proposed to " + std::to_string(referral.organisation_id));
  return OneReferral(201, referral);
}

core::Result<Response> HandoverApi::Referrals(const Request& request) {
  UITWEG_TRY_ASSIGN(const auth::Authenticated staff, auth_.Check(request));
  UITWEG_TRY_ASSIGN(const auto made, handovers_.VisibleTo(CounsellorOf(staff)));
  boost::json::array referrals;
  for (const model::Referral& referral : made) referrals.push_back(ReferralJson(referral));
  boost::json::object out;
  out["referrals"] = std::move(referrals);
  return JsonResponse(200, out);
}

core::Result<Response> HandoverApi::SetStatus(const Request& request) {
  UITWEG_TRY_ASSIGN(const auth::Authenticated staff, auth_.CheckChange(request));
  UITWEG_TRY_ASSIGN(const std::int64_t id, PathId(request, 0, "referral"));
  UITWEG_TRY_ASSIGN(const boost::json::object body, ParseObject(request.body, "the body"));
  UITWEG_TRY_ASSIGN(const std::string text, RequiredString(body, "status"));
  model::ReferralStatus status{};
  if (!model::ParseReferralStatus(text, status)) {
    return core::Fail(core::Errc::invalid_argument,
                      "status must be proposed, accepted, completed or declined");
  }
  UITWEG_TRY_ASSIGN(const std::string from_text, OptionalString(body, "from"));
  std::optional<model::ReferralStatus> from;
  if (!from_text.empty()) {
    model::ReferralStatus seen{};
    if (!model::ParseReferralStatus(from_text, seen)) {
      return core::Fail(core::Errc::invalid_argument,
                        "from must be proposed, accepted, completed or declined");
    }
    from = seen;
  }
  UITWEG_TRY_ASSIGN(const chat::Handovers::StatusChange change,
                    handovers_.SetStatus(id, CounsellorOf(staff), from, status));
  if (change.changed) {
    (void)audit_.Record(auth::Actor::Staff(staff.account), auth::audit_action::referral,
                        change.referral.conversation_id, std::string("status ") + text);
  }
  return OneReferral(200, change.referral);
}

}  // namespace uitweg::api
