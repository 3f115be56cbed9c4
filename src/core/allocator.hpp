#pragma once
// How the C library's malloc holds memory for a long-running server, set once at start-up.
//
// glibc gives every thread that allocates an arena of its own, up to eight per core. A server's
// pool of workers then spreads each connection's long-lived objects over 16 arenas (on two
// cores), and the short-lived buffers of requests between them keep the pages of every arena half
// full: 10,500 connections held 6.0 KiB each, of which about 2.4 KiB was only that. glibc also
// raises the size above which a block gets its own mapping each time such a block is freed, so
// after one large transient buffer the next ones land in the arenas and pin their pages.
//
// TuneAllocator caps the arenas (0 leaves glibc's own cap) and fixes the mapping size at
// 128 KiB, whatever MALLOC_ARENA_MAX or MALLOC_MMAP_THRESHOLD_ said. With four arenas and the
// fixed size the same load held 3.6 KiB a connection, with no loss of throughput; two arenas
// saved a little more but made the socket thread and the writer queue for one arena's lock
// (30 % fewer messages a second at saturation).

namespace uitweg::core {

// Blocks of at least this size get a mapping of their own, returned whole when freed.
inline constexpr int kOwnMappingBytes = 128 * 1024;

// Call before starting threads: arenas that threads made before the call stay (they count
// towards the cap).
void TuneAllocator(int max_arenas);

}  // namespace uitweg::core
