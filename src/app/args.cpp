#include "app/args.hpp"

namespace uitweg::app {

core::Result<Args> Args::Parse(int argc, char** argv, const std::set<std::string>& with_value,
                               const std::set<std::string>& switches, Positionals positionals) {
  Args args;
  bool flags_ended = false;
  for (int i = 0; i < argc; ++i) {
    std::string_view word = argv[i];
    if (!flags_ended && word == "--") {
      flags_ended = true;
      continue;
    }
    if (flags_ended || !word.starts_with("--")) {
      if (positionals == Positionals::refused) {
        // A URL may carry a password (an option forgotten before a database's): not echoed.
        const std::size_t scheme = word.find("://");
        const std::string shown = scheme == std::string_view::npos
                                      ? std::string(word)
                                      : std::string(word.substr(0, scheme + 3)) + "…";
        return core::Fail(core::Errc::invalid_argument, "unexpected argument '" + shown + "'");
      }
      args.positional_.emplace_back(word);
      continue;
    }
    word.remove_prefix(2);
    std::string name(word.substr(0, word.find('=')));
    std::optional<std::string> value;
    if (word.find('=') != std::string_view::npos) {
      value = std::string(word.substr(word.find('=') + 1));
    }
    if (switches.contains(name)) {
      if (value) return core::Fail(core::Errc::invalid_argument, "--" + name + " takes no value");
      args.values_[name] = "";
      continue;
    }
    if (!with_value.contains(name)) {
      return core::Fail(core::Errc::invalid_argument, "unknown option --" + name);
    }
    if (!value) {
      if (i + 1 >= argc) {
        return core::Fail(core::Errc::invalid_argument, "--" + name + " needs a value");
      }
      value = argv[++i];
    }
    args.values_[name] = *value;
  }
  return args;
}

bool Args::Has(std::string_view name) const {
  return values_.find(name) != values_.end();
}

std::optional<std::string> Args::Get(std::string_view name) const {
  auto it = values_.find(name);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

}  // namespace uitweg::app
