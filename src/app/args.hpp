#pragma once
// A small command-line reader for the sub-commands: `--name value`, `--name=value` and bare
// switches such as `--help`. Unknown flags, missing values and stray words are errors that
// name the flag. A command that takes positional arguments (such as file names) collects them
// instead of refusing them: every word not starting with "--" is one, and so is every word
// after a lone "--" (which lets a file name start with "--").

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace uitweg::app {

// Whether a command takes positional arguments (words that are not flags).
enum class Positionals { refused, collected };

class Args {
 public:
  // `with_value`: flags that take a value; `switches`: flags that do not. Names without "--".
  static core::Result<Args> Parse(int argc, char** argv, const std::set<std::string>& with_value,
                                  const std::set<std::string>& switches,
                                  Positionals positionals = Positionals::refused);

  bool Has(std::string_view name) const;
  std::optional<std::string> Get(std::string_view name) const;
  // The positional arguments in command-line order; empty when they are refused.
  const std::vector<std::string>& positional() const { return positional_; }

 private:
  std::map<std::string, std::string, std::less<>> values_;
  std::vector<std::string> positional_;
};

}  // namespace uitweg::app
