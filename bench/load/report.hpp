#pragma once
// What uitweg-load prints: the detailed figures of one run, the JSON line of a run, and in
// compare mode one table with a row per server followed by their JSON lines.
// Stateless functions over RunResult; they only format and write.

#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "load/load_run.hpp"
#include "load/options.hpp"

namespace uitweg::load {

// The run's figures, a line each: setup, messages, throughput, latency, CPU, RSS.
void PrintDetails(std::FILE* out, const LoadOptions& options, const RunResult& run);

// One line of JSON with every figure of the run.
std::string JsonLine(const LoadOptions& options, const RunResult& run);

// One server of compare mode, in the order given.
struct ComparedServer {
  std::string server;
  std::optional<RunResult> run;  // empty when it could not be started or its run failed
  std::string failure;           // why, when `run` is empty
  std::string stop_note;         // how the server ended, when not with a clean stop
};

// The compare-mode table (server | p50 | p99 | p999 | RSS growth per connection | server CPU
// per 10^6 messages | acked/sent | lost | duplicated | client CPU), notes on setup failures and
// errors, then a JSON line per server that ran.
void PrintComparison(std::FILE* out, const LoadOptions& options,
                     const std::vector<ComparedServer>& servers);

}  // namespace uitweg::load
