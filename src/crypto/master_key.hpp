#pragma once
// The master keys that wrap every conversation's data key and seal staff TOTP secrets: a
// keyring whose current key seals everything new, while older keys still open what they sealed
// until `uitweg keys rotate` has re-sealed it under the current one and `uitweg keys retire`
// has dropped them.
//
// The keys live either in a key file that Uitweg creates on first run with one random key
// (32 bytes per key, current first; mode 0600), or in the environment as base64 (for
// containers and secret managers; several keys separated by commas, current first).
//
// MasterKeys that follow a key file reread it when it has changed (another process rotated the
// keys): before sealing, and when none of the keys held opens a value. So a running server
// takes up a rotation without a restart.
//
// Errors are values: a key file that is readable by group or others, is not a whole number of
// keys, or cannot be created is failed_precondition with a message that names the path (never a
// key); a malformed base64 key is invalid_argument. Thread safety: MasterKeys may be used from
// any thread at once; the MasterKey functions are for start-up and the command line.

#include <sys/stat.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "crypto/aead.hpp"

namespace uitweg::crypto {

class MasterKey {
 public:
  static constexpr std::size_t kMaxKeys = 16;

  // The keys at `path`, current first; or, if there is no file, a new file with one fresh
  // random key, mode 0600, written and synced before returning (and its folder, if missing,
  // with mode 0700). Safe against two processes starting at once: one creates, the other reads.
  static Result<std::vector<Aead>> LoadOrCreate(const std::filesystem::path& path);
  // Replaces the key file with `keys` (1..kMaxKeys, current first): written to a private
  // temporary file, synced, then renamed over it, so a reader sees the old keys or the new.
  static core::Status Replace(const std::filesystem::path& path, const std::vector<Aead>& keys);

  // A key given as standard or URL-safe base64 of exactly 32 bytes.
  static Result<Aead> FromBase64(std::string_view text);
  // Keys separated by commas (spaces around them ignored), current first.
  static Result<std::vector<Aead>> ListFromBase64(std::string_view text);
};

class MasterKeys {
 public:
  // Keys that never change (given in the environment); at least one.
  static Result<std::shared_ptr<MasterKeys>> Fixed(std::vector<Aead> keys);
  // The keys of the file at `path` (MasterKey::LoadOrCreate), reread when it changes.
  static Result<std::shared_ptr<MasterKeys>> FollowFile(const std::filesystem::path& path);

  // Seals with the current key.
  std::string Seal(std::string_view plaintext, std::string_view associated_data) const;
  // Opens with whichever key sealed it; invalid_argument if none does (see Aead::Open).
  Result<std::string> Open(std::string_view sealed, std::string_view associated_data) const;
  // Whether the current key sealed it (then re-sealing is not needed).
  bool SealedByCurrent(std::string_view sealed, std::string_view associated_data) const;
  // The current key, for deriving keys of other purposes from it.
  Aead Current() const;
  // How many keys are held now (after rereading a followed file that changed).
  std::size_t size() const;

 private:
  struct FileStamp {
    std::uint64_t device = 0, inode = 0, size = 0;
    std::int64_t modified_ns = 0;
    bool operator==(const FileStamp&) const = default;
  };
  struct Ring {
    std::vector<Aead> keys;
    FileStamp stamp;
  };

  MasterKeys(std::shared_ptr<const Ring> ring, std::filesystem::path path)
      : ring_(std::move(ring)), path_(std::move(path)) {}
  static FileStamp StampOf(const struct ::stat& info);
  // The ring as it is now: rereads a followed file whose stamp changed (a failed reread keeps
  // the keys held, is logged once per change, and is tried again next time).
  std::shared_ptr<const Ring> Fresh() const;
  std::shared_ptr<const Ring> Held() const;

  mutable std::mutex mu_;
  mutable std::shared_ptr<const Ring> ring_;  // guarded by mu_
  mutable FileStamp unreadable_;              // guarded by mu_: the change last found unreadable
  const std::filesystem::path path_;          // empty: fixed keys
};

}  // namespace uitweg::crypto
