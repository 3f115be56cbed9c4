// Fuzzes the configuration file parser (app/config.hpp): any text is either applied or refused
// with a message naming the file, and an applied configuration stays within the bounds the
// server relies on.
#include <string_view>

#include "app/config.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace uitweg;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  app::Config config;
  const core::Status applied = app::ApplyToml(text, "fuzz.toml", config);
  if (!applied) {
    if (applied.error().message.find("fuzz.toml") == std::string::npos) __builtin_trap();
    return 0;
  }
  if (config.io_threads < 1 || config.io_threads > 64) __builtin_trap();
  fuzz::Keep(config.host.size() + config.data_dir.size());
  return 0;
}
