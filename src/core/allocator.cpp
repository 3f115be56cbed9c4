#include "core/allocator.hpp"

#include <malloc.h>

namespace uitweg::core {

bool TuneAllocator(int max_arenas) {
  bool applied = mallopt(M_MMAP_THRESHOLD, kOwnMappingBytes) == 1;
  if (max_arenas > 0) applied = mallopt(M_ARENA_MAX, max_arenas) == 1 && applied;
  return applied;
}

}  // namespace uitweg::core
