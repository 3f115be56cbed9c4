#pragma once
// The list of common and breached passwords shipped in common_passwords.txt (embedded in the
// binary at build time), and the check that account_rules.hpp makes against it.
//
// Thread-safe; the list is parsed once, on first use.

#include <string_view>

namespace uitweg::auth {

// The text of common_passwords.txt.
std::string_view CommonPasswordsText();

// Whether `password` is on the list, or is a word of the list dressed up the way people do:
// any case, with digits and symbols before or after it ("Welkom2025!", "123dragon").
bool IsCommonPassword(std::string_view password);

}  // namespace uitweg::auth
