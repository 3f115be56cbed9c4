#pragma once
// Registrations after conversations (docs/protocol.md, "Registration"): the form as data, and
// the registration of a conversation that ended in the caller's hands, read and saved (as a
// draft to finish later, or complete), each save audited as `registration_saved`.
// routes.hpp checks the roles.

#include <boost/json/object.hpp>

#include "api/http.hpp"
#include "api/staff_auth.hpp"
#include "auth/audit_trail.hpp"
#include "chat/registrations.hpp"

namespace uitweg::api {

boost::json::object RegistrationFormJson(const model::RegistrationForm& form);

class RegistrationApi {
 public:
  RegistrationApi(StaffAuth& auth, chat::Registrations& registrations, auth::AuditTrail& audit)
      : auth_(auth), registrations_(registrations), audit_(audit) {}

  core::Result<Response> Form(const Request& request);  // GET /api/v1/registration-form
  core::Result<Response> Read(const Request& request);  // GET /api/v1/registrations/{id}
  core::Result<Response> Save(const Request& request);  // POST /api/v1/registrations/{id}

 private:
  StaffAuth& auth_;
  chat::Registrations& registrations_;
  auth::AuditTrail& audit_;
};

}  // namespace uitweg::api
