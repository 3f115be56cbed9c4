#pragma once
// Keeps a mapped file that gets shorter from ending the process. Reading a mapped page past the
// new end of a file raises SIGBUS, whose default ends the whole server, chats and all, when
// someone rewrites an export in place (cp, a sync job) while a scan reads it. A watched mapping
// instead gets a page of zeros over the page that faulted, and is marked: the read goes on,
// sees zeros (the readers report what no longer parses), and Shrunk() tells the scan to say why.
// A SIGBUS anywhere else keeps its usual effect. (A read error of the disk under a watched
// mapping also raises SIGBUS; it too reads as zeros and marks the mapping.) At most kMaxWatched
// mappings are watched at once; Watch answers kNotWatched past that, and such a mapping is not
// guarded (a scan holds a file only until its last batch is read, a dozen or so at once: that
// takes more scans at once than there are).
// Thread-safe; the signal handler is installed by the first Watch.

#include <cstddef>

namespace uitweg::outreach::readers {

class ShrinkGuard {
 public:
  static constexpr int kMaxWatched = 4096;
  static constexpr int kNotWatched = -1;

  // Watches [begin, begin + length); a slot for Shrunk and Unwatch, or kNotWatched.
  static int Watch(const void* begin, std::size_t length);
  // Before the mapping is unmapped.
  static void Unwatch(int slot);
  // Whether a read of the watched mapping found its file shorter than when it was mapped.
  static bool Shrunk(int slot);
};

}  // namespace uitweg::outreach::readers
