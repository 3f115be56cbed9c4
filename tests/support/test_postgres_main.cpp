// uitweg-test-postgres: the PostgreSQL that a whole ctest run shares (a fixture: one test
// starts it, one stops it; tests that need it find its URL through
// $UITWEG_TEST_POSTGRES_FILE).
//
//   uitweg-test-postgres start FILE [--durable]
//                                     starts a server; writes its URL and folder to FILE
//                                     (--durable: fsync on, as for benchmarks)
//   uitweg-test-postgres stop FILE    stops the server FILE names; removes FILE

#include <fstream>
#include <iostream>
#include <string>
#include <string_view>

#include "support/postgres_server.hpp"

namespace {

int Usage() {
  std::cerr << "usage: uitweg-test-postgres start FILE [--durable] | stop FILE\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  using uitweg::support::PostgresServer;
  const bool durable = argc == 4 && std::string_view(argv[3]) == "--durable";
  if (argc != 3 && !durable) return Usage();
  const std::string_view command = argv[1];
  const std::string file = argv[2];
  if (command == "start") {
    auto started = PostgresServer::Start({.durable = durable});
    if (!started) {
      std::cerr << "uitweg-test-postgres: " << started.error().message << "\n";
      return 1;
    }
    const std::string url = (*started)->url();
    std::ofstream out(file);
    out << url << "\n" << (*started)->Release().string() << "\n";
    if (!out) {
      std::cerr << "uitweg-test-postgres: cannot write " << file << "\n";
      return 1;
    }
    std::cout << "PostgreSQL for the tests at " << url << "\n";
    return 0;
  }
  if (command == "stop") {
    std::ifstream in(file);
    std::string url;
    std::string folder;
    if (!std::getline(in, url) || !std::getline(in, folder)) {
      std::cerr << "uitweg-test-postgres: nothing to stop (" << file << ")\n";
      return 0;
    }
    in.close();
    std::remove(file.c_str());
    if (auto stopped = PostgresServer::StopAt(folder); !stopped) {
      std::cerr << "uitweg-test-postgres: " << stopped.error().message << "\n";
      return 1;
    }
    return 0;
  }
  return Usage();
}
