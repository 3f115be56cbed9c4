#pragma once
// The review console's objects on the wire (docs/protocol.md, "Outreach"): scans, findings,
// lexicon versions, and the names of the staff who made them. The store keeps account ids;
// StaffNames looks each up once per answer.

#include <cstdint>
#include <map>
#include <string>

#include <boost/json/object.hpp>

#include "store/account_store.hpp"
#include "store/outreach_store.hpp"

namespace uitweg::api {

// Display names of accounts, each read once; "" for an account that is gone. Not thread-safe:
// one per request.
class StaffNames {
 public:
  explicit StaffNames(store::AccountStore& accounts) : accounts_(accounts) {}
  const std::string& Of(std::int64_t account_id);

 private:
  store::AccountStore& accounts_;
  std::map<std::int64_t, std::string> names_;
};

boost::json::object ScanJson(const store::Scan& scan, StaffNames& names);
// `cluster_size`: how many findings its near-duplicate cluster has.
boost::json::object FindingJson(const store::Finding& finding, std::int64_t cluster_size,
                                StaffNames& names);

// "recruitment", "not_recruitment", ... as a query's verdict= names them; false for others.
bool ParseVerdictFilter(std::string_view name, store::VerdictFilter& filter);

}  // namespace uitweg::api
