#include "app/routes.hpp"

namespace uitweg::app {

void AddRoutes(net::Router& router, const Handlers& h) {
  router.Add("GET", "/healthz", [&h = h.health](const api::Request& r) { return h.Get(r); });

  router.Add("POST", "/api/v1/visitor/conversations",
             [&v = h.visitor](const api::Request& r) { return v.StartConversation(r); });
  router.AddSocket("/api/v1/visitor/ws",
                   [&v = h.visitor](const api::Request& r, std::weak_ptr<api::FrameSink> sink) {
                     return v.OpenSocket(r, std::move(sink));
                   });

  router.Add("GET", "/api/v1/setup", [&s = h.setup](const api::Request& r) { return s.Status(r); });
  router.Add("POST", "/api/v1/setup",
             [&s = h.setup](const api::Request& r) { return s.Create(r); });
  router.Add("POST", "/api/v1/setup/second-factor",
             [&s = h.setup](const api::Request& r) { return s.SecondFactor(r); });

  router.Add("POST", "/api/v1/staff/session",
             [&s = h.staff](const api::Request& r) { return s.SignIn(r); });
  router.Add("DELETE", "/api/v1/staff/session",
             [&s = h.staff](const api::Request& r) { return s.SignOut(r); });
  router.Add("GET", "/api/v1/staff/me", [&s = h.staff](const api::Request& r) { return s.Me(r); });
  router.Add("GET", "/api/v1/staff/sessions",
             [&s = h.staff](const api::Request& r) { return s.Sessions(r); });
  router.Add("DELETE", "/api/v1/staff/sessions/{id}",
             [&s = h.staff](const api::Request& r) { return s.EndSession(r); });
  router.AddSocket("/api/v1/staff/ws",
                   [&s = h.staff](const api::Request& r, std::weak_ptr<api::FrameSink> sink) {
                     return s.OpenSocket(r, std::move(sink));
                   });
}

}  // namespace uitweg::app
