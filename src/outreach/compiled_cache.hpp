#pragma once
// Compiled lexicons kept on disk. Compiling a lexicon of a thousand terms into Hyperscan's
// database takes about 0.2 s, which every scan waits for before it reads a byte (as long as
// scanning 70 MB); a lexicon changes far less often than scans run. The Analyzer asks for the
// database compiled from exactly its patterns, on this CPU, with this Hyperscan, and stores what
// it had to compile.
//
// One file per key in `folder` (created, owner only, when first stored to), named by a BLAKE2b
// hash of the key and holding a BLAKE2b checksum of its bytes: a file cut short or altered is
// not used, and the caller compiles again and replaces it. Whoever may write the folder decides
// what the scanner runs, so it belongs to the user or the server that scans: a file is loaded
// only from a folder and as a file (not a link) that no other user may write. Beyond `keep` files
// the least recently used go. Storing is best effort: a folder that cannot be written costs only
// the compile. Thread- and process-safe: a file is written under a name of its own and renamed.

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace uitweg::outreach {

class CompiledCache {
 public:
  static constexpr std::size_t kDefaultKeep = 16;

  explicit CompiledCache(std::filesystem::path folder, std::size_t keep = kDefaultKeep);

  // The bytes stored under `key`, when a whole and unaltered file holds them; marks the file as
  // just used.
  std::optional<std::string> Load(std::string_view key) const;
  void Store(std::string_view key, std::string_view bytes) const;

  const std::filesystem::path& folder() const { return folder_; }

 private:
  std::filesystem::path PathOf(std::string_view key) const;
  void RemoveLeastRecentlyUsed() const;

  std::filesystem::path folder_;
  std::size_t keep_;
};

// Where `uitweg scan` keeps compiled lexicons: $XDG_CACHE_HOME/uitweg/lexicons, else
// $HOME/.cache/uitweg/lexicons; empty when neither is set.
std::filesystem::path DefaultCompiledCacheFolder();

}  // namespace uitweg::outreach
