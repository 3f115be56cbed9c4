#pragma once
// Expected failures as values. Every fallible operation returns Result<T>: either a T or an
// Error that carries a code (chosen as Abseil advises: malformed input is invalid_argument,
// wrong state is failed_precondition) and a message fit to show the caller. Messages never
// contain message text, tokens or secrets.

#include <boost/system/result.hpp>

#include <string>
#include <string_view>

namespace uitweg::core {

enum class Errc {
  invalid_argument = 1,   // the input is malformed or out of range
  not_found,              // the thing named does not exist (or is not visible to the caller)
  already_exists,         // a unique thing exists already
  failed_precondition,    // the system is not in the state the operation needs
  permission_denied,      // authenticated, but not allowed
  unauthenticated,        // no valid credentials
  resource_exhausted,     // a limit or quota was hit; retry later
  unavailable,            // a dependency is down; retry later
  deadline_exceeded,      // it took too long
  internal,               // a bug or an unexpected failure below us
};

// The stable lowercase name used on the wire and in logs, e.g. "invalid_argument".
std::string_view ErrcName(Errc code);

struct Error {
  Errc code = Errc::internal;
  std::string message;
};

// Throws std::runtime_error; called by Result<T>::value() on an error, which is a bug.
[[noreturn]] void throw_exception_from_error(const Error& error,
                                             const boost::source_location& loc);

template <class T>
using Result = boost::system::result<T, Error>;
using Status = Result<void>;

inline Error Fail(Errc code, std::string message) { return Error{code, std::move(message)}; }

}  // namespace uitweg::core
