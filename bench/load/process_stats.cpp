#include "load/process_stats.hpp"

#include <sys/resource.h>

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

namespace uitweg::load {

namespace {

// What /proc/PID/stat says of one process, in clock ticks.
struct StatFields {
  pid_t parent = 0;
  unsigned long long own_ticks = 0;       // utime + stime
  unsigned long long children_ticks = 0;  // cutime + cstime: descendants that were waited for
};

core::Result<StatFields> ReadStat(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(in, line)) return core::Fail(core::Errc::not_found, "no such process");
  // The command name may hold spaces and parentheses; the fields start after the last ')'.
  const auto close = line.rfind(')');
  if (close == std::string::npos) return core::Fail(core::Errc::internal, "unreadable /proc stat");
  std::istringstream fields(line.substr(close + 2));
  std::string field;
  StatFields out;
  // Field 3 (state) is the first after ')'; ppid is field 4, utime to cstime fields 14 to 17.
  for (int i = 3; i <= 17 && fields >> field; ++i) {
    if (i == 4) out.parent = static_cast<pid_t>(std::stol(field));
    if (i == 14 || i == 15) out.own_ticks += std::stoull(field);
    if (i == 16 || i == 17) out.children_ticks += std::stoull(field);
  }
  return out;
}

double TicksToSeconds(unsigned long long ticks) {
  return static_cast<double>(ticks) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

}  // namespace

core::Result<double> ProcessCpuSeconds(pid_t pid) {
  UITWEG_TRY_ASSIGN(const StatFields stat, ReadStat(pid));
  return TicksToSeconds(stat.own_ticks);
}

core::Result<std::vector<std::optional<double>>> ProcessTreesCpuSeconds(
    std::span<const pid_t> roots) {
  std::map<pid_t, StatFields> processes;
  std::multimap<pid_t, pid_t> children;
  std::error_code error;
  for (std::filesystem::directory_iterator it("/proc", error), end; !error && it != end;
       it.increment(error)) {
    const std::string name = it->path().filename().string();
    const bool is_process =
        std::all_of(name.begin(), name.end(), [](unsigned char c) { return std::isdigit(c) != 0; });
    if (name.empty() || !is_process) continue;
    const auto pid = static_cast<pid_t>(std::stol(name));
    if (auto stat = ReadStat(pid); stat) {
      children.emplace(stat->parent, pid);
      processes.emplace(pid, *stat);
    }
  }
  if (error) return core::Fail(core::Errc::internal, "cannot list /proc: " + error.message());
  std::set<pid_t> counted;
  std::vector<std::optional<double>> seconds;
  for (const pid_t root : roots) {
    if (!processes.contains(root)) {
      seconds.emplace_back();
      continue;
    }
    unsigned long long ticks = 0;
    std::vector<pid_t> pending{root};
    while (!pending.empty()) {
      const pid_t pid = pending.back();
      pending.pop_back();
      if (!counted.insert(pid).second) continue;
      const StatFields& stat = processes.at(pid);
      ticks += stat.own_ticks + stat.children_ticks;
      const auto [first, last] = children.equal_range(pid);
      for (auto child = first; child != last; ++child) pending.push_back(child->second);
    }
    seconds.emplace_back(TicksToSeconds(ticks));
  }
  return seconds;
}

core::Result<std::int64_t> ProcessRssKiB(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stoll(line.substr(6));
  }
  return core::Fail(core::Errc::not_found, "no VmRSS for the process");
}

namespace {

double Millis(std::uint32_t us) {
  return us == kNeverUs ? std::numeric_limits<double>::infinity() : us / 1000.0;
}

}  // namespace

Percentiles Summarise(std::vector<std::uint32_t>& samples_us) {
  Percentiles out;
  out.count = samples_us.size();
  if (samples_us.empty()) return out;
  std::sort(samples_us.begin(), samples_us.end());
  auto at = [&](double q) {
    const auto i = std::min(samples_us.size() - 1,
                            static_cast<std::size_t>(q * static_cast<double>(samples_us.size())));
    return Millis(samples_us[i]);
  };
  out.p50_ms = at(0.50);
  out.p99_ms = at(0.99);
  out.p999_ms = at(0.999);
  out.max_ms = Millis(samples_us.back());
  return out;
}

std::vector<SecondSummary> SummarisePerSecond(const std::vector<std::uint32_t>& samples_us,
                                              const std::vector<std::uint32_t>& second_of) {
  std::map<std::uint32_t, std::vector<std::uint32_t>> by_second;
  for (std::size_t i = 0; i < samples_us.size() && i < second_of.size(); ++i) {
    by_second[second_of[i]].push_back(samples_us[i]);
  }
  std::vector<SecondSummary> out;
  for (auto& [second, samples] : by_second) out.push_back({second, Summarise(samples)});
  std::sort(out.begin(), out.end(), [](const SecondSummary& a, const SecondSummary& b) {
    return a.latency.p99_ms > b.latency.p99_ms;
  });
  return out;
}

void RaiseFileLimit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
}

}  // namespace uitweg::load
