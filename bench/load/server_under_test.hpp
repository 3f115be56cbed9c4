#pragma once
// A server that the load generator starts, loads and stops: uitweg through
// support::ServerProcess (fresh data directory, --server-config passed on), or one of the
// Node.js relays of bench/peers through RelayProcess. Says how to reach it and which process to
// measure; relays have no accounts, so no data directory.
//
// Thread affinity: the main thread starts, queries and stops an instance.
// Errors: Start and Stop return values that name the server.

#include <sys/types.h>

#include <memory>
#include <string>

#include "core/error.hpp"
#include "load/options.hpp"
#include "load/relay_process.hpp"
#include "load/worker.hpp"
#include "support/server_process.hpp"

namespace uitweg::load {

class ServerUnderTest {
 public:
  static core::Result<std::unique_ptr<ServerUnderTest>> Start(ServerKind kind,
                                                              const LoadOptions& options);

  ServerKind kind() const { return kind_; }
  const Target& target() const { return target_; }
  pid_t pid() const;
  // uitweg's data directory, for `uitweg user add`; empty for a relay.
  std::string data_dir() const;
  // The last `lines` lines uitweg wrote to stderr; empty for a relay (its stderr is ours).
  std::string LogTail(std::size_t lines) const;

  // SIGTERM and wait. Returns the exit code: 0 after a clean stop; a server that died during
  // the run shows here with the code it died with (128 + signal).
  core::Result<int> Stop();

 private:
  explicit ServerUnderTest(ServerKind kind) : kind_(kind) {}

  ServerKind kind_;
  Target target_;
  std::unique_ptr<support::ServerProcess> uitweg_;
  std::unique_ptr<RelayProcess> relay_;
};

// The uitweg binary the options name (--server-bin), or the one this tree builds.
std::string UitwegBinaryFor(const LoadOptions& options);

}  // namespace uitweg::load
