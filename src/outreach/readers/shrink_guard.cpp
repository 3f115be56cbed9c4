#include "outreach/readers/shrink_guard.hpp"

#include <signal.h>
#include <sys/mman.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <mutex>

namespace uitweg::outreach::readers {
namespace {

// Read by the signal handler, so plain atomics and nothing that allocates or locks.
struct Slot {
  std::atomic<bool> taken{false};
  std::atomic<std::uintptr_t> begin{0};  // 0: not watched (yet)
  std::atomic<std::uintptr_t> end{0};
  std::atomic<bool> shrunk{false};
};

Slot g_slots[ShrinkGuard::kMaxWatched];
std::uintptr_t g_page_size = 4096;
struct sigaction g_previous {};
std::once_flag g_installed;

void OnBusError(int signal, siginfo_t* info, void*) {
  const int saved_errno = errno;
  struct RestoreErrno {
    int value;
    ~RestoreErrno() { errno = value; }
  } restore{saved_errno};
  const auto at = reinterpret_cast<std::uintptr_t>(info->si_addr);
  if (info->si_code > 0) {
    for (Slot& slot : g_slots) {
      const std::uintptr_t begin = slot.begin.load(std::memory_order_acquire);
      if (begin == 0 || at < begin || at >= slot.end.load(std::memory_order_acquire)) continue;
      void* page = reinterpret_cast<void*>(at & ~(g_page_size - 1));
      if (mmap(page, g_page_size, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) ==
          MAP_FAILED) {
        break;
      }
      slot.shrunk.store(true, std::memory_order_release);
      return;  // the read is tried again and finds zeros
    }
  }
  // Not a read of a watched mapping: as if this handler had never been installed. A fault is
  // raised again by the same read on return; a signal sent by someone is raised again here.
  sigaction(signal, &g_previous, nullptr);
  if (info->si_code <= 0) raise(signal);
}

void Install() {
  g_page_size = static_cast<std::uintptr_t>(sysconf(_SC_PAGESIZE));
  struct sigaction action {};
  action.sa_sigaction = OnBusError;
  action.sa_flags = SA_SIGINFO;
  sigemptyset(&action.sa_mask);
  sigaction(SIGBUS, &action, &g_previous);
}

}  // namespace

int ShrinkGuard::Watch(const void* begin, std::size_t length) {
  std::call_once(g_installed, Install);
  for (int i = 0; i < kMaxWatched; ++i) {
    Slot& slot = g_slots[i];
    bool free = false;
    if (!slot.taken.compare_exchange_strong(free, true)) continue;
    slot.shrunk.store(false, std::memory_order_relaxed);
    const auto at = reinterpret_cast<std::uintptr_t>(begin);
    slot.end.store(at + length, std::memory_order_release);
    slot.begin.store(at, std::memory_order_release);
    return i;
  }
  return kNotWatched;
}

void ShrinkGuard::Unwatch(int slot) {
  if (slot < 0 || slot >= kMaxWatched) return;
  g_slots[slot].begin.store(0, std::memory_order_release);
  g_slots[slot].end.store(0, std::memory_order_release);
  g_slots[slot].taken.store(false, std::memory_order_release);
}

bool ShrinkGuard::Shrunk(int slot) {
  if (slot < 0 || slot >= kMaxWatched) return false;
  return g_slots[slot].shrunk.load(std::memory_order_acquire);
}

}  // namespace uitweg::outreach::readers
