#include "net/router.hpp"

#include <algorithm>
#include <stdexcept>
#include <utility>

namespace uitweg::net {
namespace {

bool IsPlaceholder(std::string_view segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

bool SegmentsMatch(const std::vector<std::string>& pattern, const std::vector<std::string>& path,
                   std::vector<std::string>* params) {
  if (pattern.size() != path.size()) return false;
  std::vector<std::string> captured;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (IsPlaceholder(pattern[i])) {
      if (path[i].empty()) return false;
      captured.push_back(path[i]);
    } else if (pattern[i] != path[i]) {
      return false;
    }
  }
  if (params != nullptr) *params = std::move(captured);
  return true;
}

}  // namespace

std::vector<std::string> SplitPath(std::string_view path) {
  std::vector<std::string> segments;
  if (!path.empty() && path.front() == '/') path.remove_prefix(1);
  for (;;) {
    std::size_t slash = path.find('/');
    segments.emplace_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return segments;
}

void Router::Add(std::string_view method, std::string_view pattern, api::Handler handler) {
  Add(method, pattern, std::move(handler), api::LargeBody{});
}

void Router::Add(std::string_view method, std::string_view pattern, api::Handler handler,
                 api::LargeBody large_body) {
  if (pattern.empty() || pattern.front() != '/') {
    throw std::invalid_argument("route pattern must start with '/': " + std::string(pattern));
  }
  std::vector<std::string> segments = SplitPath(pattern);
  for (const Route& route : routes_) {
    if (route.method == method && route.segments == segments) {
      throw std::invalid_argument("duplicate route: " + std::string(pattern));
    }
  }
  largest_body_ = std::max(largest_body_, large_body.max_bytes);
  routes_.push_back(
      Route{std::string(method), std::move(segments), std::move(handler), std::move(large_body)});
}

void Router::AddSocket(std::string_view path, api::ChannelFactory factory) {
  for (const Socket& socket : sockets_) {
    if (socket.path == path) throw std::invalid_argument("duplicate socket: " + std::string(path));
  }
  sockets_.push_back(Socket{std::string(path), std::move(factory)});
}

RouteMatch Router::Match(std::string_view method, std::string_view path) const {
  const std::vector<std::string> segments = SplitPath(path);
  RouteMatch match;
  for (const Route& route : routes_) {
    std::vector<std::string> params;
    if (!SegmentsMatch(route.segments, segments, &params)) continue;
    // HEAD is answered by the GET handler; net/ drops the body.
    if (route.method == method || (method == "HEAD" && route.method == "GET")) {
      match.outcome = MatchOutcome::found;
      match.handler = &route.handler;
      if (route.large_body.max_bytes > 0) match.large_body = &route.large_body;
      match.params = std::move(params);
      match.allowed.clear();
      return match;
    }
    match.outcome = MatchOutcome::wrong_method;
    if (!match.allowed.empty()) match.allowed += ", ";
    match.allowed += route.method;
  }
  return match;
}

const api::ChannelFactory* Router::MatchSocket(std::string_view path) const {
  for (const Socket& socket : sockets_) {
    if (socket.path == path) return &socket.factory;
  }
  return nullptr;
}

}  // namespace uitweg::net
