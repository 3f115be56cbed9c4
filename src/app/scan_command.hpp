#pragma once
// `uitweg scan FILE... [--lexicon FILE] [--format table|jsonl|csv] [--min-score N]
//  [--threads N] [--help]`: finds recruitment posts in exported channel histories and prints
// them highest score first (scan_output.hpp describes the formats). argv[0] is "scan".
// Results go to stdout, problems to stderr, a progress line to stderr when it is a terminal.
// Exit status: 0 success, 1 when some input file failed (the others are still scanned),
// 2 for usage errors and a lexicon that cannot be loaded.

namespace uitweg::app {

int RunScanCommand(int argc, char** argv);

}  // namespace uitweg::app
