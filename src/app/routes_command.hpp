#pragma once
// `uitweg routes`: prints every HTTP route and staff socket frame type with who may use it,
// one JSON object per line, from the same tables the server enforces (routes.hpp,
// api/frames.hpp). For operators reviewing access, and for the access test, which walks it.

namespace uitweg::app {

int RunRoutesCommand(int argc, char** argv);

}  // namespace uitweg::app
