#pragma once
// `uitweg audit verify [--data DIR] [--database URL]`: walks the whole audit trail and checks
// that every entry follows from the one before it. Exit 0 when it does; 1, naming the first
// entry that was changed, removed or put in, when it does not (or the database cannot be
// read); 2 for usage errors.

namespace uitweg::app {

int RunAuditCommand(int argc, char** argv);

}  // namespace uitweg::app
