#pragma once
// Small readers of request lines and headers, kept apart so that they can be tested alone.

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace uitweg::net {

// The path of a request target, without query string or fragment.
std::string_view PathOf(std::string_view target);
// The query string of a request target, without '?' (and without a fragment); empty if none.
std::string_view QueryOf(std::string_view target);
// The value of one cookie in a Cookie header ("a=1; b=2"), or empty.
std::string CookieValue(std::string_view header, std::string_view name);
// Whether an Accept-Encoding header ("gzip, deflate, br;q=0.8") takes gzip: named, or "*",
// with a weight above zero.
bool AcceptsGzip(std::string_view header);
// The client a proxy in front names: the last address of the last X-Forwarded-For field (the
// one that proxy added; what came before may be the client's own invention), written the usual
// way ("2001:db8::1", "192.0.2.7"). `fields` are the values of every X-Forwarded-For field in
// order. nullopt when there is none or it is not an IP address.
std::optional<std::string> ForwardedClient(std::span<const std::string_view> fields);

}  // namespace uitweg::net
