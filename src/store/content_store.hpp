#pragma once
// The versions of the visitor's information pages that admins wrote in the console. A page
// (slug and language) has versions 1, 2, 3, …; the newest is shown, and restoring an earlier one
// adds it again as the newest, so the history only grows. A page without versions shows the
// text that ships with the binary (content/library.hpp).
//
// Thread safety and errors as AccountStore: any thread, blocking (call from workers);
// unavailable/internal when the database fails.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"

namespace uitweg::store {

struct ContentVersion {
  std::string slug = {};
  std::string language = {};
  std::int64_t version = 0;
  std::string body = {};  // Markdown; empty in ListContentVersions
  std::int64_t author_id = 0;
  core::UnixMillis created_at = 0;
};

class ContentStore {
 public:
  virtual ~ContentStore() = default;

  // Adds the next version. `based_on` is the version the editor started from (0: the built-in
  // text); failed_precondition when someone saved another version since, which changes nothing.
  virtual core::Result<ContentVersion> AddContentVersion(
      std::string_view slug, std::string_view language, std::string_view body,
      std::int64_t based_on, std::int64_t author_id, core::UnixMillis now) = 0;
  // nullopt when the page has no such version (version 0 asks for the newest).
  virtual core::Result<std::optional<ContentVersion>> ReadContentVersion(std::string_view slug,
                                                                         std::string_view language,
                                                                         std::int64_t version) = 0;
  // The newest version of every page that has one, with bodies.
  virtual core::Result<std::vector<ContentVersion>> NewestContentVersions() = 0;
  // Every version of one page, newest first, without bodies.
  virtual core::Result<std::vector<ContentVersion>> ListContentVersions(
      std::string_view slug, std::string_view language) = 0;
};

}  // namespace uitweg::store
