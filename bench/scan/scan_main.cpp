// uitweg-scan: the scan command on its own, for benchmarks and development. The delivered
// command is `uitweg scan`; both call RunScanCommand.
#include "app/scan_command.hpp"

int main(int argc, char** argv) {
  return uitweg::app::RunScanCommand(argc, argv);
}
