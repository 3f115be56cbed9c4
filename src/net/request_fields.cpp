#include "net/request_fields.hpp"

#include <cstring>

#include <arpa/inet.h>

namespace uitweg::net {

std::string_view PathOf(std::string_view target) {
  return target.substr(0, target.find_first_of("?#"));
}

std::string_view QueryOf(std::string_view target) {
  target = target.substr(0, target.find('#'));
  const std::size_t mark = target.find('?');
  if (mark == std::string_view::npos) return {};
  return target.substr(mark + 1);
}

std::string CookieValue(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    const std::size_t end = header.find(';');
    std::string_view pair = header.substr(0, end);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    if (pair.size() > name.size() && pair.substr(0, name.size()) == name &&
        pair[name.size()] == '=') {
      return std::string(pair.substr(name.size() + 1));
    }
    if (end == std::string_view::npos) break;
    header.remove_prefix(end + 1);
  }
  return {};
}

bool AcceptsGzip(std::string_view header) {
  bool star = false;
  while (!header.empty()) {
    const std::size_t end = header.find(',');
    std::string_view item = header.substr(0, end);
    header = end == std::string_view::npos ? std::string_view() : header.substr(end + 1);
    const std::size_t semicolon = item.find(';');
    std::string_view coding = item.substr(0, semicolon);
    while (!coding.empty() && coding.front() == ' ') coding.remove_prefix(1);
    while (!coding.empty() && coding.back() == ' ') coding.remove_suffix(1);
    bool refused = false;
    if (semicolon != std::string_view::npos) {
      std::string_view weight = item.substr(semicolon + 1);
      while (!weight.empty() && weight.front() == ' ') weight.remove_prefix(1);
      // q=0, q=0.0, q=0.000: refused; anything else is some preference.
      if (weight.starts_with("q=0") &&
          weight.substr(3).find_first_not_of(".0 ") == std::string_view::npos) {
        refused = true;
      }
    }
    if (coding.size() == 4 && (coding[0] | 0x20) == 'g' && (coding[1] | 0x20) == 'z' &&
        (coding[2] | 0x20) == 'i' && (coding[3] | 0x20) == 'p') {
      return !refused;
    }
    if (coding == "*") star = !refused;
  }
  return star;
}

std::optional<std::string> ForwardedClient(std::span<const std::string_view> fields) {
  if (fields.empty()) return std::nullopt;
  std::string_view last = fields.back();
  if (const std::size_t comma = last.rfind(','); comma != std::string_view::npos) {
    last.remove_prefix(comma + 1);
  }
  while (!last.empty() && (last.front() == ' ' || last.front() == '\t')) last.remove_prefix(1);
  while (!last.empty() && (last.back() == ' ' || last.back() == '\t')) last.remove_suffix(1);
  const std::string text(last);
  unsigned char bytes[sizeof(in6_addr)];
  char written[INET6_ADDRSTRLEN];
  if (inet_pton(AF_INET, text.c_str(), bytes) == 1 &&
      inet_ntop(AF_INET, bytes, written, sizeof written) != nullptr) {
    return std::string(written);
  }
  if (inet_pton(AF_INET6, text.c_str(), bytes) != 1) return std::nullopt;
  // "::ffff:192.0.2.7" is the client 192.0.2.7, as the listener names a mapped peer: one client,
  // one key for the limits.
  in6_addr v6{};
  std::memcpy(&v6, bytes, sizeof v6);
  const bool mapped = IN6_IS_ADDR_V4MAPPED(&v6);
  if (inet_ntop(mapped ? AF_INET : AF_INET6, mapped ? bytes + 12 : bytes, written,
                sizeof written) == nullptr) {
    return std::nullopt;
  }
  return std::string(written);
}

}  // namespace uitweg::net
