#pragma once
// GET /healthz: whether this node can serve, for load balancers and scripts.

#include <string>

#include "api/http.hpp"

namespace uitweg::api {

class Health {
 public:
  // `probe` runs a trivial query against the database; an error makes the answer 503.
  Health(std::string version, std::string database, std::function<core::Status()> probe);

  core::Result<Response> Get(const Request& request) const;

 private:
  std::string version_;
  std::string database_;
  std::function<core::Status()> probe_;
};

}  // namespace uitweg::api
