#include "store/rows.hpp"

#include <string>

namespace uitweg::store {

core::Error CorruptValue(const char* what) {
  return core::Fail(core::Errc::internal, std::string("unknown value in stored ") + what);
}

}  // namespace uitweg::store
