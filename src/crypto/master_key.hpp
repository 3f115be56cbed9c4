#pragma once
// The master key that wraps every conversation's data key: 32 random bytes, either in a key
// file that Uitweg creates on first run with mode 0600, or given by the environment as base64
// (for containers and secret managers).
//
// Start-up only; not for hot paths. Errors are values: a key file that is readable by group or
// others, has the wrong size, or cannot be created is failed_precondition with a message that
// names the path (never the key).

#include <filesystem>
#include <string_view>

#include "core/error.hpp"
#include "crypto/aead.hpp"

namespace uitweg::crypto {

class MasterKey {
 public:
  // Reads the key at `path`, or, if there is no file, creates one with a fresh random key, mode
  // 0600, written and synced before returning (and its folder, if missing, with mode 0700).
  // Safe against two processes starting at once: one creates, the other reads.
  static Result<Aead> LoadOrCreate(const std::filesystem::path& path);

  // A key given as standard or URL-safe base64 of exactly 32 bytes; invalid_argument otherwise.
  static Result<Aead> FromBase64(std::string_view text);
};

}  // namespace uitweg::crypto
