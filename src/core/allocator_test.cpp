#include "core/allocator.hpp"

#include <gtest/gtest.h>
#include <malloc.h>

#include <cstdio>
#include <cstdlib>
#include <latch>
#include <string>
#include <thread>
#include <vector>

namespace uitweg::core {
namespace {

// Each case runs in a fresh process (a death test, "threadsafe" style re-runs the binary for it
// alone), since arenas once made stay for the life of a process.

void* volatile sink;  // keeps the compiler from dropping a malloc and its free

int ArenasAfterThreadsAllocate(int threads) {
  std::latch all_hold(threads);
  std::latch done(1);
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&] {
      void* volatile held = std::malloc(64);
      all_hold.count_down();
      done.wait();
      std::free(held);
    });
  }
  all_hold.wait();
  char* text = nullptr;
  std::size_t size = 0;
  FILE* out = open_memstream(&text, &size);
  malloc_info(0, out);
  std::fclose(out);
  done.count_down();
  for (std::thread& thread : pool) thread.join();
  const std::string info(text, size);
  std::free(text);
  int heaps = 0;
  for (std::size_t at = info.find("<heap nr="); at != std::string::npos;
       at = info.find("<heap nr=", at + 1)) {
    ++heaps;
  }
  return heaps;
}

// After a 1 MiB block is freed, does a 256 KiB block still get a mapping of its own?
bool MidSizeBlockIsMappedAfterALargeOne() {
  const std::size_t mapped_before = mallinfo2().hblks;
  sink = std::malloc(1 << 20);
  std::free(sink);
  sink = std::malloc(256 << 10);
  const bool mapped = mallinfo2().hblks == mapped_before + 1;
  std::free(sink);
  return mapped;
}

void ExitWith(bool ok, const std::string& what) {
  std::fprintf(stderr, "%s\n", what.c_str());
  std::_Exit(ok ? 0 : 1);
}

// Exits 0 when eight threads that allocate at once share at most two arenas, or, when
// `capped_at_two` is false, when they make more; says how many on stderr either way.
void ExitIfEightThreadsMake(bool capped_at_two) {
  const int arenas = ArenasAfterThreadsAllocate(8);
  ExitWith((arenas <= 2) == capped_at_two, "arenas: " + std::to_string(arenas));
}

class AllocatorDeathTest : public testing::Test {
 protected:
  AllocatorDeathTest() { GTEST_FLAG_SET(death_test_style, "threadsafe"); }
};

TEST_F(AllocatorDeathTest, ThreadsShareTheCappedArenas) {
  EXPECT_EXIT(
      {
        TuneAllocator(2);
        ExitIfEightThreadsMake(true);
      },
      testing::ExitedWithCode(0), "arenas: [12]\n");
}

TEST_F(AllocatorDeathTest, UntunedThreadsEachMakeAnArena) {
  EXPECT_EXIT(ExitIfEightThreadsMake(false), testing::ExitedWithCode(0), "arenas:");
}

TEST_F(AllocatorDeathTest, ZeroLeavesTheArenasUncapped) {
  EXPECT_EXIT(
      {
        TuneAllocator(0);
        ExitIfEightThreadsMake(false);
      },
      testing::ExitedWithCode(0), "arenas:");
}

TEST_F(AllocatorDeathTest, LargeBlocksKeepTheirOwnMappingAfterALargerOneIsFreed) {
  EXPECT_EXIT(
      {
        TuneAllocator(0);
        ExitWith(MidSizeBlockIsMappedAfterALargeOne(), "checked");
      },
      testing::ExitedWithCode(0), "checked");
}

TEST_F(AllocatorDeathTest, UntunedLargeBlocksMoveIntoTheHeapAfterALargerOneIsFreed) {
  EXPECT_EXIT(ExitWith(!MidSizeBlockIsMappedAfterALargeOne(), "checked"),
              testing::ExitedWithCode(0), "checked");
}

}  // namespace
}  // namespace uitweg::core
