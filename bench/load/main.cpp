// uitweg-load: connects visitors and counsellors to a uitweg server over WebSockets, lets
// messages flow both ways at a set rate (or as fast as acks return) and reports delivery
// latency, throughput, and the server's CPU and memory cost. With --compare it does the same,
// one after the other, to uitweg and to the ws and Socket.IO relays of bench/peers, and prints
// one table. Never a pass/fail test.

#include <signal.h>

#include <cstdio>
#include <iostream>
#include <memory>

#include "load/load_run.hpp"
#include "load/options.hpp"
#include "load/report.hpp"
#include "load/server_under_test.hpp"

namespace {

using namespace uitweg;

// Stops the server. A server that did not stop cleanly (it died during the run, most likely) is
// reported on stderr with the tail of its log; returns that note, or "" after a clean stop.
std::string StopAndSay(load::ServerUnderTest& server) {
  auto stopped = server.Stop();
  std::string note;
  if (!stopped) {
    note = stopped.error().message;
  } else if (*stopped != 0) {
    note = "the server exited with code " + std::to_string(*stopped) +
           " (not a clean stop; it may have died during the run)";
  }
  if (note.empty()) return note;
  std::cerr << "uitweg-load: " << load::ServerName(server.kind()) << ": " << note << "\n";
  if (const std::string tail = server.LogTail(20); !tail.empty()) {
    std::cerr << "  its last log lines:\n" << tail;
  }
  return note;
}

// One run against the uitweg server named by --url, or one this program starts.
int RunSingle(const load::LoadOptions& options) {
  std::unique_ptr<load::ServerUnderTest> started;
  load::RunTarget server;
  server.name = std::string(load::ServerName(load::ServerKind::uitweg));
  server.binary = load::UitwegBinaryFor(options);
  if (options.url.empty()) {
    auto start = load::ServerUnderTest::Start(load::ServerKind::uitweg, options);
    if (!start) {
      std::cerr << "uitweg-load: could not start the server: " << start.error().message << "\n";
      return 1;
    }
    started = std::move(*start);
    server.target = started->target();
    server.pid = started->pid();
    server.data_dir = started->data_dir();
  } else {
    server.target.host = boost::asio::ip::make_address_v4(options.host);
    server.target.port = options.port;
    server.target.origin = "http://" + options.host + ":" + std::to_string(options.port);
    server.pid = options.server_pid;
    server.data_dir = options.data_dir;
  }
  auto run = load::RunLoad(options, server);
  if (!run) {
    std::cerr << "uitweg-load: " << run.error().message << "\n";
    return 1;
  }
  load::PrintDetails(stdout, options, *run);
  std::printf("%s\n", load::JsonLine(options, *run).c_str());
  std::fflush(stdout);
  if (started) StopAndSay(*started);
  return 0;
}

// Each server of --compare in turn: start, measure the empty server, load, stop. Details of each
// run go to stderr as it ends; the table and JSON lines to stdout at the end.
int RunCompare(const load::LoadOptions& options) {
  std::vector<load::ComparedServer> compared;
  for (const load::ServerKind kind : options.compare) {
    load::ComparedServer entry;
    entry.server = std::string(load::ServerName(kind));
    std::cerr << "== " << entry.server << " ==\n";
    auto started = load::ServerUnderTest::Start(kind, options);
    if (!started) {
      entry.failure = "could not start: " + started.error().message;
      std::cerr << "uitweg-load: " << entry.failure << "\n";
      compared.push_back(std::move(entry));
      continue;
    }
    load::RunTarget server{entry.server, (*started)->target(), (*started)->pid(),
                           (*started)->data_dir(), load::UitwegBinaryFor(options)};
    auto run = load::RunLoad(options, server);
    if (run) {
      load::PrintDetails(stderr, options, *run);
      entry.run = std::move(*run);
    } else {
      entry.failure = run.error().message;
      std::cerr << "uitweg-load: " << entry.server << ": " << entry.failure << "\n";
    }
    entry.stop_note = StopAndSay(**started);
    compared.push_back(std::move(entry));
  }
  load::PrintComparison(stdout, options, compared);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  auto options = uitweg::load::ParseOptions(argc, argv);
  if (!options) {
    const bool help = options.error().code == uitweg::core::Errc::failed_precondition;
    (help ? std::cout : std::cerr)
        << options.error().message << (help ? "" : "\n\n" + uitweg::load::Usage());
    return help ? 0 : 2;
  }
  uitweg::load::RaiseFileLimit();
  signal(SIGPIPE, SIG_IGN);
  return options->compare.empty() ? RunSingle(*options) : RunCompare(*options);
}
