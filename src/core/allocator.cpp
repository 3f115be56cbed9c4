#include "core/allocator.hpp"

#include <malloc.h>

namespace uitweg::core {

// glibc accepts both for any positive value; nothing to report.
void TuneAllocator(int max_arenas) {
  mallopt(M_MMAP_THRESHOLD, kOwnMappingBytes);
  if (max_arenas > 0) mallopt(M_ARENA_MAX, max_arenas);
}

}  // namespace uitweg::core
