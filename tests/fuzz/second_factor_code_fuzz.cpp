// Fuzzes the parsers of what a person types at sign-in (auth/second_factor.hpp: a TOTP code or
// a recovery code) and of base32 keys (crypto/totp.hpp). A code recognised must be in its
// normal form, and base32 must round-trip.
#include <string_view>

#include "auth/second_factor.hpp"
#include "crypto/totp.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace uitweg;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto code = auth::ParseTypedCode(text)) {
    const std::string& normal = code->normalised;
    if (code->kind == auth::TypedCode::Kind::totp) {
      if (normal.size() != 6 || normal.find_first_not_of("0123456789") != std::string::npos) {
        __builtin_trap();
      }
      if (crypto::MatchTotp("12345678901234567890", normal, 0).value_or(0) > 1) __builtin_trap();
    } else if (normal.size() != 10 ||
               normal.find_first_not_of("abcdefghijklmnopqrstuvwxyz234567") != std::string::npos) {
      __builtin_trap();
    }
  }
  if (auto bytes = crypto::Base32Decode(text)) {
    auto again = crypto::Base32Decode(crypto::Base32Encode(*bytes));
    if (!again || *again != *bytes) __builtin_trap();
  }
  fuzz::Keep(size);
  return 0;
}
