#pragma once
// Expected failures as values. Every fallible operation returns Result<T>: either a T or an
// Error that carries a code (chosen as Abseil advises: malformed input is invalid_argument,
// wrong state is failed_precondition) and a message fit to show the caller. Messages never
// contain message text, tokens or secrets.
//
// A Result cannot be ignored: it is [[nodiscard]], so a call whose outcome nobody looks at
// does not compile cleanly. Where ignoring one is right, say so with `(void)`.
// UITWEG_TRY and UITWEG_TRY_ASSIGN pass an error up to the caller in one line.

#include <boost/system/result.hpp>

#include <string>
#include <string_view>

namespace uitweg::core {

enum class Errc {
  invalid_argument = 1,  // the input is malformed or out of range
  not_found,             // the thing named does not exist (or is not visible to the caller)
  already_exists,        // a unique thing exists already
  failed_precondition,   // the system is not in the state the operation needs
  permission_denied,     // authenticated, but not allowed
  unauthenticated,       // no valid credentials
  resource_exhausted,    // a limit or quota was hit; retry later
  unavailable,           // a dependency is down; retry later
  deadline_exceeded,     // it took too long
  aborted,               // it clashed with concurrent work (a deadlock, say); retry it whole
  internal,              // a bug or an unexpected failure below us
};

// The stable lowercase name used on the wire and in logs, e.g. "invalid_argument".
std::string_view ErrcName(Errc code);

struct Error {
  Errc code = Errc::internal;
  std::string message;
  // For resource_exhausted and unavailable: when trying again makes sense, in seconds (0: the
  // caller picks). HTTP answers carry it as Retry-After.
  int retry_after_seconds = 0;
};

// Throws std::runtime_error; called by Result<T>::value() on an error, which is a bug.
[[noreturn]] void throw_exception_from_error(const Error& error, const boost::source_location& loc);

template <class T>
class [[nodiscard]] Result : public boost::system::result<T, Error> {
 public:
  using boost::system::result<T, Error>::result;
};
using Status = Result<void>;

inline Error Fail(Errc code, std::string message) {
  return Error{code, std::move(message), 0};
}

}  // namespace uitweg::core

// Returns the error of `expr` (a Result or Status) from the enclosing function, which must
// return a Result or Status itself; carries on when `expr` succeeded.
#define UITWEG_TRY(expr)                                        \
  do {                                                          \
    auto&& uitweg_try_result_ = (expr);                         \
    if (!uitweg_try_result_) return uitweg_try_result_.error(); \
  } while (false)

// `UITWEG_TRY_ASSIGN(auto name, expr);` declares `name` as the value of the Result `expr`, or
// returns its error from the enclosing function.
#define UITWEG_TRY_ASSIGN(declaration, expr) \
  UITWEG_TRY_ASSIGN_IMPL(UITWEG_TRY_CONCAT(uitweg_try_, __LINE__), declaration, expr)
#define UITWEG_TRY_ASSIGN_IMPL(result, declaration, expr) \
  auto result = (expr);                                   \
  if (!result) return result.error();                     \
  declaration = std::move(*result)
#define UITWEG_TRY_CONCAT(a, b) UITWEG_TRY_CONCAT_IMPL(a, b)
#define UITWEG_TRY_CONCAT_IMPL(a, b) a##b
