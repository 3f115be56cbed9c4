#pragma once
// The team's library of canned responses. Plain CRUD; the rules for what may be stored (lengths,
// languages, tags) are the caller's (api/canned_api.cpp).
//
// Thread safety and errors as AccountStore: any thread, blocking (call from workers); not_found
// for an unknown id; unavailable/internal when the database fails.

#include <cstdint>
#include <optional>
#include <vector>

#include "core/error.hpp"
#include "model/canned_response.hpp"

namespace uitweg::store {

class CannedResponseStore {
 public:
  virtual ~CannedResponseStore() = default;

  // Every response, by title.
  virtual core::Result<std::vector<model::CannedResponse>> ListCanned() = 0;
  // Stores a new one (its id is ignored) and answers it with its id.
  virtual core::Result<model::CannedResponse> CreateCanned(const model::CannedResponse& canned) = 0;
  // Replaces the one with canned.id, if it was last changed at `based_on` when given (the
  // updated_at the editor saw): failed_precondition when a colleague changed it since.
  virtual core::Status UpdateCanned(const model::CannedResponse& canned,
                                    std::optional<core::UnixMillis> based_on) = 0;
  virtual core::Status DeleteCanned(std::int64_t id) = 0;
};

// The answer to an update over a version a colleague changed meanwhile (not aborted: a writer
// tries an aborted unit again).
inline core::Error ChangedMeanwhile() {
  return core::Fail(core::Errc::failed_precondition,
                    "a colleague changed this canned response meanwhile; load it again");
}

// Tags are stored as one text, separated by commas.
std::string JoinTags(const std::vector<std::string>& tags);
std::vector<std::string> SplitTags(std::string_view joined);

}  // namespace uitweg::store
