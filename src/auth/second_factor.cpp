#include "auth/second_factor.hpp"

#include "auth/account_rules.hpp"
#include "core/log.hpp"
#include "crypto/random.hpp"
#include "crypto/totp.hpp"

namespace uitweg::auth {
namespace {

constexpr std::size_t kRecoveryCodeLength = 10;

// Keyed with the account's TOTP secret, which the database holds only sealed: a copy of the
// database (a backup) does not let anyone try all 2^50 codes of every account offline.
std::string RecoveryCodeHash(std::string_view totp_secret, std::string_view normalised) {
  return crypto::KeyedHash(totp_secret, "recovery:" + std::string(normalised));
}

// How codes were kept before they were keyed: still accepted, so that no one is locked out; a
// new enrolment (a reset of the second factor) replaces them.
std::string UnkeyedRecoveryCodeHash(std::string_view normalised) {
  return crypto::HashToken("recovery:" + std::string(normalised));
}

bool IsBase32Lower(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '2' && c <= '7');
}

}  // namespace

std::optional<TypedCode> ParseTypedCode(std::string_view typed) {
  if (auto digits = crypto::ParseTotpCode(typed)) {
    return TypedCode{TypedCode::Kind::totp, std::move(*digits)};
  }
  std::string code;
  for (const char c : typed) {
    if (c == ' ' || c == '-') continue;
    const char lower = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    if (!IsBase32Lower(lower) || code.size() == kRecoveryCodeLength) return std::nullopt;
    code.push_back(lower);
  }
  if (code.size() != kRecoveryCodeLength) return std::nullopt;
  return TypedCode{TypedCode::Kind::recovery, std::move(code)};
}

core::Result<Enrolment> SecondFactors::Enrol(std::string_view username) const {
  UITWEG_TRY_ASSIGN(const std::string name, NormalizeUsername(username));
  return MakeEnrolment(name, crypto::NewTotpSecret());
}

core::Result<Enrolment> SecondFactors::Resume(std::string_view username,
                                              std::string_view sealed) const {
  UITWEG_TRY_ASSIGN(const std::string name, NormalizeUsername(username));
  auto secret = Unseal(name, sealed);
  if (!secret) {
    return core::Fail(core::Errc::invalid_argument, "the enrolment is not for this username");
  }
  return MakeEnrolment(name, *secret);
}

std::optional<std::int64_t> SecondFactors::Confirms(const Enrolment& enrolment,
                                                    std::string_view typed,
                                                    core::UnixMillis now) const {
  const auto code = crypto::ParseTotpCode(typed);
  auto secret = crypto::Base32Decode(enrolment.secret_base32);
  if (!code || !secret) return std::nullopt;
  return crypto::MatchTotp(*secret, *code, now);
}

Enrolment SecondFactors::MakeEnrolment(const std::string& username,
                                       const std::string& secret) const {
  Enrolment enrolment;
  enrolment.secret_base32 = crypto::Base32Encode(secret);
  enrolment.otpauth_uri = crypto::OtpauthUri(kTotpIssuer, username, secret);
  enrolment.stored.sealed_totp_secret = master_keys_.Seal(secret, TotpSecretAad(username));
  for (int i = 0; i < kRecoveryCodes; ++i) {
    // 50 random bits each: too many to guess within the sign-in throttle's limits.
    std::string code = crypto::Base32Encode(crypto::RandomBytes(7)).substr(0, kRecoveryCodeLength);
    for (char& c : code) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    enrolment.stored.recovery_code_hashes.push_back(RecoveryCodeHash(secret, code));
    enrolment.recovery_codes.push_back(code.substr(0, 5) + "-" + code.substr(5));
  }
  return enrolment;
}

core::Result<std::string> SecondFactors::Unseal(std::string_view username,
                                                std::string_view sealed) const {
  return master_keys_.Open(sealed, TotpSecretAad(username));
}

core::Result<bool> SecondFactors::Check(const model::StaffAccount& account, std::string_view typed,
                                        core::UnixMillis now) const {
  if (account.sealed_totp_secret.empty()) {
    core::Log(core::LogLevel::warn, "auth.second_factor_missing", {{"account", account.id}});
    return false;
  }
  const auto code = ParseTypedCode(typed);
  if (!code) return false;
  auto secret = Unseal(account.username, account.sealed_totp_secret);
  if (!secret) {
    core::Log(core::LogLevel::warn, "auth.second_factor_unreadable", {{"account", account.id}});
  }
  if (code->kind == TypedCode::Kind::recovery) {
    // A secret that does not open (a key file lost) leaves the codes kept unkeyed usable.
    bool used = false;
    if (secret) {
      const std::string keyed = RecoveryCodeHash(*secret, code->normalised);
      crypto::Wipe(*secret);
      UITWEG_TRY_ASSIGN(used, store_.UseRecoveryCode(account.id, keyed));
    }
    if (!used) {
      UITWEG_TRY_ASSIGN(
          used, store_.UseRecoveryCode(account.id, UnkeyedRecoveryCodeHash(code->normalised)));
    }
    if (used) core::Log(core::LogLevel::info, "auth.recovery_code_used", {{"account", account.id}});
    return used;
  }
  if (!secret) return false;
  const auto step = crypto::MatchTotp(*secret, code->normalised, now);
  crypto::Wipe(*secret);
  if (!step) return false;
  return store_.UseTotpStep(account.id, *step);
}

core::Status SecondFactors::Store(std::int64_t account_id, const Enrolment& enrolment) const {
  return store_.SetSecondFactor(account_id, enrolment.stored);
}

}  // namespace uitweg::auth
