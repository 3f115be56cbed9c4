#include "load/process_stats.hpp"

#include <sys/resource.h>

#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

namespace uitweg::load {

core::Result<double> ProcessCpuSeconds(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(in, line)) return core::Fail(core::Errc::not_found, "no such process");
  // The command name may hold spaces and parentheses; the fields start after the last ')'.
  const auto close = line.rfind(')');
  if (close == std::string::npos) return core::Fail(core::Errc::internal, "unreadable /proc stat");
  std::istringstream fields(line.substr(close + 2));
  std::string field;
  unsigned long long utime = 0, stime = 0;
  // Field 3 (state) is the first after ')'; utime and stime are fields 14 and 15.
  for (int i = 3; i <= 15 && fields >> field; ++i) {
    if (i == 14) utime = std::stoull(field);
    if (i == 15) stime = std::stoull(field);
  }
  return static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

core::Result<std::int64_t> ProcessRssKiB(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stoll(line.substr(6));
  }
  return core::Fail(core::Errc::not_found, "no VmRSS for the process");
}

Percentiles Summarise(std::vector<std::uint32_t>& samples_us) {
  Percentiles out;
  out.count = samples_us.size();
  if (samples_us.empty()) return out;
  std::sort(samples_us.begin(), samples_us.end());
  auto at = [&](double q) {
    const auto i = std::min(samples_us.size() - 1,
                            static_cast<std::size_t>(q * static_cast<double>(samples_us.size())));
    return samples_us[i] / 1000.0;
  };
  out.p50_ms = at(0.50);
  out.p99_ms = at(0.99);
  out.p999_ms = at(0.999);
  out.max_ms = samples_us.back() / 1000.0;
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
