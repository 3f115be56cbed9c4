#pragma once
// What an operator changes at the terminal goes into the audit trail, like what staff change in
// the console; a change the trail did not record is said, not hidden.

#include <string>
#include <string_view>

#include "auth/audit_trail.hpp"

namespace uitweg::app {

// Records `action` with `detail` for nobody in particular (who typed it, the trail cannot know).
// When that fails, says on standard error, as `command` ("uitweg user"), that `outcome` ("done")
// happened but is not in the trail, and that the operator should note it by hand. Answers
// whether it was recorded.
bool RecordedFromTerminal(auth::AuditTrail& audit, std::string_view command,
                          std::string_view action, const std::string& detail,
                          std::string_view outcome = "done");

}  // namespace uitweg::app
