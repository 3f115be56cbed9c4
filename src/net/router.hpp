#pragma once
// The table of API routes: a method and a path pattern ("/api/v1/x/{id}") to a handler, and
// a path to a WebSocket channel factory. Filled once at start-up by the composition root, then
// read-only, so any thread may call Match at once.

#include <string>
#include <string_view>
#include <vector>

#include "api/channel.hpp"
#include "api/http.hpp"

namespace uitweg::net {

enum class MatchOutcome { found, no_path, wrong_method };

struct RouteMatch {
  MatchOutcome outcome = MatchOutcome::no_path;
  const api::Handler* handler = nullptr;  // when found
  std::vector<std::string> params;        // captured {placeholders}, in order
  std::string allowed;                    // for wrong_method: "GET, POST"
};

class Router {
 public:
  // Pattern segments in braces match one non-empty segment. Throws std::invalid_argument on
  // a pattern that does not start with '/' or on a duplicate (a start-up bug).
  void Add(std::string_view method, std::string_view pattern, api::Handler handler);
  void AddSocket(std::string_view path, api::ChannelFactory factory);

  RouteMatch Match(std::string_view method, std::string_view path) const;
  // nullptr when no socket lives at this path.
  const api::ChannelFactory* MatchSocket(std::string_view path) const;

 private:
  struct Route {
    std::string method;
    std::vector<std::string> segments;
    api::Handler handler;
  };
  struct Socket {
    std::string path;
    api::ChannelFactory factory;
  };
  std::vector<Route> routes_;
  std::vector<Socket> sockets_;
};

// "/a/b/" -> {"a", "b", ""}; "/" -> {""}.
std::vector<std::string> SplitPath(std::string_view path);

}  // namespace uitweg::net
