#pragma once
// For tests that sign one account in several times: each TOTP step is accepted once and only
// in rising order, so a second sign-in within 30 seconds needs another code. Next hands out the
// codes of the current and the next step as long as one is later than the last handed out, then
// the recovery codes, so a test never waits for the clock. (Not the previous step's, although
// the server's window takes it: a new step may begin before the server checks the code.)

#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "core/clock.hpp"
#include "crypto/totp.hpp"

namespace uitweg::auth::testing {

class SignInCodes {
 public:
  SignInCodes() = default;
  SignInCodes(std::string secret, std::vector<std::string> recovery_codes)
      : secret_(std::move(secret)), recovery_codes_(std::move(recovery_codes)) {}

  std::string Next(core::UnixMillis now) {
    const std::int64_t current = crypto::TotpStep(now);
    for (std::int64_t step = current; step <= current + 1; ++step) {
      if (step > last_step_) {
        last_step_ = step;
        return crypto::TotpCode(secret_, step);
      }
    }
    if (next_recovery_ < recovery_codes_.size()) return recovery_codes_[next_recovery_++];
    return crypto::TotpCode(secret_, current + 1);
  }

  const std::string& secret() const { return secret_; }

 private:
  std::string secret_;
  std::vector<std::string> recovery_codes_;
  std::int64_t last_step_ = std::numeric_limits<std::int64_t>::min();
  std::size_t next_recovery_ = 0;
};

}  // namespace uitweg::auth::testing
