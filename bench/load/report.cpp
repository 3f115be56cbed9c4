#include "load/report.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>
#include <boost/json.hpp>

namespace uitweg::load {
namespace {

constexpr double kSlowSecondP99Ms = 5;

constexpr char kLegend[] =
    R"(Latency: from when a message was due to be sent (as paced by --rate; with --saturate, when
it was sent) to its receipt on the other side; a message never received is counted as
infinitely late (inf). Acks are timed from the same due time. RSS KiB/conn: (server RSS once everyone is
connected - RSS of the empty server just started) / sockets. CPU-s/10^6 msg: server CPU from
traffic start to the end of the drain per million acked messages. client CPU-s: this load
generator over the same time.
)";

// null: the messages at that rank never arrived.
boost::json::value MillisJson(double ms) {
  return std::isinf(ms) ? boost::json::value(nullptr) : boost::json::value(ms);
}

boost::json::object LatencyJson(const Percentiles& p) {
  return {{"count", p.count},
          {"p50_ms", MillisJson(p.p50_ms)},
          {"p99_ms", MillisJson(p.p99_ms)},
          {"p999_ms", MillisJson(p.p999_ms)},
          {"max_ms", MillisJson(p.max_ms)}};
}

template <class T>
boost::json::value JsonOrNull(const std::optional<T>& value) {
  return value ? boost::json::value(*value) : boost::json::value(nullptr);
}

template <class T>
std::string Maybe(const std::optional<T>& value, const char* format) {
  return value ? fmt::format(fmt::runtime(format), *value) : std::string("n/a");
}

long SlowSeconds(const RunResult& run) {
  return static_cast<long>(
      std::count_if(run.seconds.begin(), run.seconds.end(),
                    [](const SecondSummary& s) { return s.latency.p99_ms > kSlowSecondP99Ms; }));
}

std::string LoadLine(const LoadOptions& options) {
  return fmt::format("mode={}  visitors={}  counsellors={}  {}  duration={:.1f}s  threads={}",
                     options.saturate ? "saturate" : "rate", options.visitors, options.counsellors,
                     options.saturate ? fmt::format("window={}", options.window)
                                      : fmt::format("rate={:.0f}/s", options.rate),
                     options.duration_s, options.threads);
}

}  // namespace

void PrintDetails(std::FILE* out, const LoadOptions& options, const RunResult& run) {
  fmt::print(out,
             "uitweg-load  server={}  mode={}  visitors={}  counsellors={}  {}  duration={:.1f}s  "
             "threads={}\n",
             run.server, options.saturate ? "saturate" : "rate", options.visitors,
             options.counsellors,
             options.saturate ? fmt::format("window={}", options.window)
                              : fmt::format("rate={:.0f}/s", options.rate),
             run.traffic_s, options.threads);
  fmt::print(out, "  {:<24} {} ready of {} in {:.1f} s, {} failed{}\n", "setup", run.ready,
             options.visitors, run.setup_s, run.setup_failed,
             run.first_failure.empty() ? "" : " (first: " + run.first_failure + ")");
  fmt::print(out,
             "  {:<24} sent {}  acked {}  delivered {}  lost {}  duplicated {}  duplicate acks {}  "
             "error frames {}  dropped sockets {}\n",
             "messages", run.sent, run.acked, run.delivered, run.lost, run.duplicated,
             run.duplicate_acks, run.error_frames, run.dropped);
  fmt::print(out,
             "  {:<24} {:.0f} msg/s acknowledged, {:.0f} msg/s delivered; drain took {:.1f} s\n",
             "throughput", run.acked_per_s, run.delivered_per_s, run.drain_s);
  fmt::print(out, "  {:<24} p50 {:.2f} ms  p99 {:.2f} ms  p999 {:.2f} ms  max {:.2f} ms  (n={})\n",
             "delivery latency", run.delivery.p50_ms, run.delivery.p99_ms, run.delivery.p999_ms,
             run.delivery.max_ms, run.delivery.count);
  for (const auto& [name, ack] : {std::pair{"ack latency, visitor", run.visitor_ack},
                                  std::pair{"ack latency, counsellor", run.counsellor_ack}}) {
    fmt::print(out, "  {:<24} p50 {:.2f} ms  p99 {:.2f} ms  p999 {:.2f} ms  max {:.2f} ms\n", name,
               ack.p50_ms, ack.p99_ms, ack.p999_ms, ack.max_ms);
  }
  fmt::print(out, "  {:<24} {} of {} seconds had a delivery p99 over {} ms", "slow seconds",
             SlowSeconds(run), run.seconds.size(), kSlowSecondP99Ms);
  for (std::size_t i = 0;
       i < run.seconds.size() && i < 3 && run.seconds[i].latency.p99_ms > kSlowSecondP99Ms; ++i) {
    fmt::print(out, "{} second {}: p99 {:.1f} ms", i == 0 ? "; worst" : ",", run.seconds[i].second,
               run.seconds[i].latency.p99_ms);
  }
  fmt::print(out, "\n");
  fmt::print(
      out,
      "  {:<24} {} s over the window and drain, {} s per million messages (client used {:.2f} s)\n",
      "server cpu", Maybe(run.server_cpu_s, "{:.2f}"), Maybe(run.ServerCpuPerMillion(), "{:.1f}"),
      run.client_cpu_s);
  if (!run.cost_cpu_s.empty()) {
    auto part = [&](const std::optional<double>& cpu_s) {
      return fmt::format("{} s ({} s per million messages)", Maybe(cpu_s, "{:.2f}"),
                         Maybe(cpu_s ? run.PerMillion(*cpu_s) : std::nullopt, "{:.1f}"));
    };
    std::string parts;
    for (const auto& [label, cpu_s] : run.cost_cpu_s) parts += label + " " + part(cpu_s) + ", ";
    fmt::print(out, "  {:<24} {}all {}\n", "cpu by part", parts, part(run.CostCpuSum()));
  }
  const std::optional<double> rss_mib =
      run.rss_connected_kib
          ? std::optional<double>(static_cast<double>(*run.rss_connected_kib) / 1024)
          : std::nullopt;
  fmt::print(out,
             "  {:<24} {} MiB with {} connections: {} KiB per connection ({} KiB above the empty "
             "server)\n",
             "server rss", Maybe(rss_mib, "{:.1f}"), run.connections,
             Maybe(run.RssPerConnectionKib(), "{:.1f}"),
             Maybe(run.RssGrowthPerConnectionKib(), "{:.1f}"));
  if (run.sign_ins) {
    fmt::print(out,
               "  {:<24} {} started, {} signed in, {} failed; answered in p50 {:.1f} ms  p99 "
               "{:.1f} ms  max {:.1f} ms\n",
               "staff sign-ins", run.sign_ins->started, run.sign_ins->succeeded,
               run.sign_ins->failed, run.sign_ins->latency.p50_ms, run.sign_ins->latency.p99_ms,
               run.sign_ins->latency.max_ms);
  }
  if (!run.first_error_frame.empty())
    fmt::print(out, "  first error frame: {}\n", run.first_error_frame);
}

std::string JsonLine(const LoadOptions& options, const RunResult& run) {
  boost::json::object line{
      {"bench", "uitweg-load"},
      {"server", run.server},
      {"mode", options.saturate ? "saturate" : "rate"},
      {"visitors", options.visitors},
      {"counsellors", options.counsellors},
      {"ready", run.ready},
      {"setup_failed", run.setup_failed},
      {"setup_s", run.setup_s},
      {"target_rate",
       options.saturate ? boost::json::value(nullptr) : boost::json::value(options.rate)},
      {"window", options.window},
      {"duration_s", run.traffic_s},
      {"sent", run.sent},
      {"acked", run.acked},
      {"delivered", run.delivered},
      {"lost", run.lost},
      {"duplicated", run.duplicated},
      {"duplicate_acks", run.duplicate_acks},
      {"error_frames", run.error_frames},
      {"dropped_sockets", run.dropped},
      {"drain_s", run.drain_s},
      {"delivered_per_s", run.delivered_per_s},
      {"acked_per_s", run.acked_per_s},
      {"delivery_latency", LatencyJson(run.delivery)},
      {"visitor_ack_latency", LatencyJson(run.visitor_ack)},
      {"counsellor_ack_latency", LatencyJson(run.counsellor_ack)},
      {"seconds_measured", run.seconds.size()},
      {"seconds_with_p99_over_5ms", SlowSeconds(run)},
      {"worst_second_p99_ms", run.seconds.empty() ? 0.0 : run.seconds.front().latency.p99_ms},
      {"server_cpu_s", JsonOrNull(run.server_cpu_s)},
      {"server_cpu_s_per_million", JsonOrNull(run.ServerCpuPerMillion())},
      {"client_cpu_s", run.client_cpu_s},
      {"server_rss_empty_kib", JsonOrNull(run.rss_empty_kib)},
      {"server_rss_kib", JsonOrNull(run.rss_connected_kib)},
      {"server_rss_kib_per_connection", JsonOrNull(run.RssPerConnectionKib())},
      {"server_rss_kib_per_connection_above_idle", JsonOrNull(run.RssGrowthPerConnectionKib())},
      {"connections", run.connections},
  };
  if (!run.cost_cpu_s.empty()) {
    boost::json::object parts;
    for (const auto& [label, cpu_s] : run.cost_cpu_s) {
      parts[label] = boost::json::object{
          {"cpu_s", JsonOrNull(cpu_s)},
          {"cpu_s_per_million", JsonOrNull(cpu_s ? run.PerMillion(*cpu_s) : std::nullopt)}};
    }
    line["cpu_by_part"] = std::move(parts);
  }
  if (run.sign_ins) {
    line["sign_ins"] = boost::json::object{{"started", run.sign_ins->started},
                                           {"succeeded", run.sign_ins->succeeded},
                                           {"failed", run.sign_ins->failed},
                                           {"latency", LatencyJson(run.sign_ins->latency)}};
  }
  return boost::json::serialize(line);
}

void PrintComparison(std::FILE* out, const LoadOptions& options,
                     const std::vector<ComparedServer>& servers) {
  const std::vector<std::string> header{"server",       "p50 ms",         "p99 ms",     "p999 ms",
                                        "RSS KiB/conn", "CPU-s/10^6 msg", "acked/sent", "lost",
                                        "duplicated",   "client CPU-s"};
  std::vector<std::vector<std::string>> rows;
  for (const ComparedServer& s : servers) {
    if (!s.run) {
      std::vector<std::string> row(header.size(), "n/a");
      row[0] = s.server;
      rows.push_back(std::move(row));
      continue;
    }
    const RunResult& r = *s.run;
    // Nothing delivered: no latency to show.
    const bool timed = r.delivery.count > 0;
    auto ms = [timed](double value) {
      return timed ? fmt::format("{:.2f}", value) : std::string("n/a");
    };
    rows.push_back({r.server, ms(r.delivery.p50_ms), ms(r.delivery.p99_ms), ms(r.delivery.p999_ms),
                    Maybe(r.RssGrowthPerConnectionKib(), "{:.1f}"),
                    Maybe(r.ServerCpuPerMillion(), "{:.1f}"), fmt::format("{}/{}", r.acked, r.sent),
                    std::to_string(r.lost), std::to_string(r.duplicated),
                    fmt::format("{:.2f}", r.client_cpu_s)});
  }
  std::vector<std::size_t> width(header.size());
  for (std::size_t c = 0; c < header.size(); ++c) {
    width[c] = header[c].size();
    for (const auto& row : rows) width[c] = std::max(width[c], row[c].size());
  }
  auto print_row = [&](const std::vector<std::string>& row) {
    for (std::size_t c = 0; c < row.size(); ++c) {
      // The name left-aligned, the figures right-aligned.
      if (c == 0) {
        fmt::print(out, "| {:<{}} ", row[c], width[c]);
      } else {
        fmt::print(out, "| {:>{}} ", row[c], width[c]);
      }
    }
    fmt::print(out, "|\n");
  };

  fmt::print(out, "\nuitweg-load compare  {}\n\n", LoadLine(options));
  print_row(header);
  for (std::size_t c = 0; c < header.size(); ++c) {
    fmt::print(out, "|{}{}", std::string(width[c] + 1, '-'), c == 0 ? "-" : ":");
  }
  fmt::print(out, "|\n");
  for (const auto& row : rows) print_row(row);
  fmt::print(out, "\n{}", kLegend);
  for (const ComparedServer& s : servers) {
    if (!s.stop_note.empty()) fmt::print(out, "note: {}: {}\n", s.server, s.stop_note);
    if (!s.run) {
      fmt::print(out, "note: {}: {}\n", s.server, s.failure);
      continue;
    }
    const RunResult& r = *s.run;
    if (r.ready < options.visitors) {
      fmt::print(out, "note: {}: {} of {} visitors ready, {} failed{}\n", r.server, r.ready,
                 options.visitors, r.setup_failed,
                 r.first_failure.empty() ? "" : " (first: " + r.first_failure + ")");
    }
    if (r.error_frames > 0) {
      fmt::print(out, "note: {}: {} error frames (first: {})\n", r.server, r.error_frames,
                 r.first_error_frame);
    }
    if (r.dropped > 0)
      fmt::print(out, "note: {}: the server closed {} sockets\n", r.server, r.dropped);
  }
  fmt::print(out, "\n");
  for (const ComparedServer& s : servers) {
    if (s.run) fmt::print(out, "{}\n", JsonLine(options, *s.run));
  }
  std::fflush(out);
}

}  // namespace uitweg::load
