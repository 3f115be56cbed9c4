#pragma once
// A canned response: a text that supervisors keep in the team's library and counsellors insert
// into a message (and may edit before sending).

#include <cstdint>
#include <string>
#include <vector>

#include "core/clock.hpp"

namespace uitweg::model {

inline constexpr std::size_t kMaxCannedTitleChars = 100;
inline constexpr std::size_t kMaxCannedTags = 10;

struct CannedResponse {
  std::int64_t id = 0;
  std::string title = {};
  std::string body = {};               // at most the length of a message
  std::string language = "nl";         // "nl" or "en"
  std::vector<std::string> tags = {};  // lowercase words, for search
  core::UnixMillis updated_at = 0;
};

}  // namespace uitweg::model
