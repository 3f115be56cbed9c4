#include "api/health.hpp"

#include <utility>

#include <boost/json.hpp>

namespace uitweg::api {

Health::Health(std::string version, std::string database, std::function<core::Status()> probe)
    : version_(std::move(version)), database_(std::move(database)), probe_(std::move(probe)) {}

core::Result<Response> Health::Get(const Request&) const {
  if (core::Status status = probe_(); !status) {
    return core::Fail(core::Errc::unavailable, "the database does not answer");
  }
  boost::json::object body;
  body["status"] = "ok";
  body["version"] = version_;
  body["database"] = database_;
  return Response{200, boost::json::serialize(body), {}};
}

}  // namespace uitweg::api
