#pragma once
// `uitweg serve`: loads the configuration, opens the store, wires the services and runs the
// HTTP + WebSocket server until SIGINT or SIGTERM. Returns the process exit code: 0 after a
// clean stop, 2 for bad configuration, 1 for any other start-up failure.

namespace uitweg::app {

int RunServe(int argc, char** argv);

}  // namespace uitweg::app
