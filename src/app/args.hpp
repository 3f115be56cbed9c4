#pragma once
// A small command-line reader for the sub-commands: `--name value`, `--name=value` and bare
// switches such as `--help`. Unknown flags, missing values and stray words are errors that
// name the flag.

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace uitweg::app {

class Args {
 public:
  // `with_value`: flags that take a value; `switches`: flags that do not. Names without "--".
  static core::Result<Args> Parse(int argc, char** argv, const std::set<std::string>& with_value,
                                  const std::set<std::string>& switches);

  bool Has(std::string_view name) const;
  std::optional<std::string> Get(std::string_view name) const;

 private:
  std::map<std::string, std::string, std::less<>> values_;
};

}  // namespace uitweg::app
