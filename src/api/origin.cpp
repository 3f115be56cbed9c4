#include "api/origin.hpp"

namespace uitweg::api {

bool OriginIsOwn(const Request& request) {
  return !request.host.empty() && (request.origin == "http://" + request.host ||
                                   request.origin == "https://" + request.host);
}

bool SameOrigin(const Request& request) {
  return request.origin.empty() || OriginIsOwn(request);
}

}  // namespace uitweg::api
