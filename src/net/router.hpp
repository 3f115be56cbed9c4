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
  const api::Handler* handler = nullptr;       // when found
  const api::LargeBody* large_body = nullptr;  // when found and the route takes large bodies
  std::vector<std::string> params;             // captured {placeholders}, in order
  std::string allowed;                         // for wrong_method: "GET, POST"
};

class Router {
 public:
  // Pattern segments in braces match one non-empty segment. Throws std::invalid_argument on
  // a pattern that does not start with '/' or on a duplicate (a start-up bug).
  void Add(std::string_view method, std::string_view pattern, api::Handler handler);
  // A route whose requests may carry bodies up to `large_body.max_bytes` (api/http.hpp).
  void Add(std::string_view method, std::string_view pattern, api::Handler handler,
           api::LargeBody large_body);
  void AddSocket(std::string_view path, api::ChannelFactory factory);

  RouteMatch Match(std::string_view method, std::string_view path) const;
  // The largest body any route takes (0 when none takes large ones).
  std::size_t LargestBody() const { return largest_body_; }
  // nullptr when no socket lives at this path.
  const api::ChannelFactory* MatchSocket(std::string_view path) const;

 private:
  struct Route {
    std::string method;
    std::vector<std::string> segments;
    api::Handler handler;
    api::LargeBody large_body;
  };
  struct Socket {
    std::string path;
    api::ChannelFactory factory;
  };
  std::vector<Route> routes_;
  std::vector<Socket> sockets_;
  std::size_t largest_body_ = 0;
};

// "/a/b/" -> {"a", "b", ""}; "/" -> {""}.
std::vector<std::string> SplitPath(std::string_view path);

}  // namespace uitweg::net
