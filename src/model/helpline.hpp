#pragma once
// Another line a visitor can turn to (besides 112, which every page names): shown on the home
// page and after a chat, as the organisation configures them.

#include <string>

namespace uitweg::model {

struct Helpline {
  std::string name = {};     // "De Kindertelefoon"
  std::string contact = {};  // "0800-0432", or an address to go to
  std::string when = {};     // "elke dag 11:00–21:00"; may be empty
};

}  // namespace uitweg::model
