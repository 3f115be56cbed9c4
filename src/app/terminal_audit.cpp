#include "app/terminal_audit.hpp"

#include <fmt/format.h>

#include <cstdio>

namespace uitweg::app {

bool RecordedFromTerminal(auth::AuditTrail& audit, std::string_view command,
                          std::string_view action, const std::string& detail,
                          std::string_view outcome) {
  const core::Status recorded = audit.Record(auth::Actor::Nobody(), action, {}, detail);
  if (!recorded) {
    fmt::print(stderr, "{}: {}, but the audit trail did not record it ({}); note it by hand\n",
               command, outcome, recorded.error().message);
  }
  return recorded.has_value();
}

}  // namespace uitweg::app
