#pragma once
// What the kernel says about another process: CPU time (utime + stime from /proc/PID/stat) and
// resident memory (VmRSS from /proc/PID/status). Linux only. And our own file limit.

#include <sys/types.h>

#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <vector>

#include "core/error.hpp"

namespace uitweg::load {

core::Result<double> ProcessCpuSeconds(pid_t pid);
// CPU time of each root process and everything under it, from one reading of /proc: its own,
// that of its live descendants, and that of the descendants that ended and were waited for
// (cutime, cstime), so that a database server's backends count, also those that ended in between.
// A process under an earlier root counts there only. Nothing for a root that is not running. A
// process that ends while /proc is read may be missed or counted twice (read live, then again in
// its parent's cutime): rare for long-lived processes such as servers and their backends.
core::Result<std::vector<std::optional<double>>> ProcessTreesCpuSeconds(
    std::span<const pid_t> roots);
// Before a run: lets this process open as many sockets as its hard limit allows.
void RaiseFileLimit();
core::Result<std::int64_t> ProcessRssKiB(pid_t pid);

// A latency sample for a message that never arrived; summarised as infinity.
constexpr std::uint32_t kNeverUs = std::numeric_limits<std::uint32_t>::max();

// Latency summary in milliseconds; sorts `samples_us`.
struct Percentiles {
  std::size_t count = 0;
  double p50_ms = 0;
  double p99_ms = 0;
  double p999_ms = 0;
  double max_ms = 0;
};
Percentiles Summarise(std::vector<std::uint32_t>& samples_us);

// Latency per second of sending, to tell steady slowness from stalls.
struct SecondSummary {
  std::uint32_t second = 0;
  Percentiles latency;
};
// `second_of[i]` is when sample i was sent. Sorted by p99, slowest first.
std::vector<SecondSummary> SummarisePerSecond(const std::vector<std::uint32_t>& samples_us,
                                              const std::vector<std::uint32_t>& second_of);

}  // namespace uitweg::load
