#pragma once
// The registration form (model/registration.hpp) from its TOML definition: the one built in
// (forms/registration.toml), or an organisation's own file. Errors name the file, the line and
// what is wrong; the server does not start with a form it cannot read.

#include <string>
#include <string_view>

#include "core/error.hpp"
#include "model/registration.hpp"

namespace uitweg::app {

// The form built into the binary (forms/registration.toml).
std::string_view BuiltInRegistrationForm();

// `text` named `origin` in errors. invalid_argument for TOML that does not parse, a field or
// option without an id or labels, ids that repeat or hold other than a-z, 0-9 and _, an unknown
// type, a choice without options or a place with some.
core::Result<model::RegistrationForm> ParseRegistrationForm(std::string_view text,
                                                            std::string_view origin);
// The built-in form when `path` is empty; else the file.
core::Result<model::RegistrationForm> LoadRegistrationForm(const std::string& path);

}  // namespace uitweg::app
