#include "app/user_command.hpp"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <string>

#include "app/args.hpp"
#include "app/data_folder.hpp"
#include "app/terminal_audit.hpp"
#include "auth/accounts.hpp"
#include "auth/audit_trail.hpp"
#include "auth/second_factor.hpp"
#include "auth/sessions.hpp"
#include "core/clock.hpp"
#include "crypto/password_hasher.hpp"
#include "qr/qr_code.hpp"
#include "store/postgres/postgres_database.hpp"

namespace uitweg::app {
namespace {

constexpr const char* kHelp =
    R"(Usage:
  uitweg user add --username U --role ROLE --password-stdin [options]
  uitweg user reset-2fa --username U [options]
  uitweg user disable --username U [options]
  uitweg user enable --username U [options]
  uitweg user log-name --username U [options]

add creates a staff account; the password is read as one line from stdin. Every account signs
in with a password and a code from an authenticator app: add enrols the app at once and prints
the otpauth:// URI (and, on a terminal, its QR code) and ten recovery codes, each usable once
instead of a code. reset-2fa replaces them, for a lost or new phone. disable stops an account
from signing in and from using the sessions it has; enable lets it sign in again. log-name
prints how the log names the account in failed and throttled sign-ins (a keyed hash, so that
the log holds no usernames).

Options:
  --username U         3-40 characters of a-z 0-9 . _ -
  --role ROLE          counsellor, supervisor, analyst or admin (add)
  --display-name N     the name colleagues and visitors see (add; default: the username)
  --password-stdin     read the password from stdin (add; required)
  --data DIR           data folder (default: $UITWEG_DATA or ./data)
  --database URL       a PostgreSQL database instead (default: $UITWEG_DATABASE)
  --help               show this help

The master key (UITWEG_MASTER_KEY, or master.key in the data folder) seals the TOTP secret, so
give this command the same key as the server.
)";

int Usage(const std::string& message) {
  std::fprintf(stderr, "uitweg user: %s\n(try uitweg user --help)\n", message.c_str());
  return 2;
}

int Failed(const std::string& message) {
  std::fprintf(stderr, "uitweg user: %s\n", message.c_str());
  return 1;
}

void PrintEnrolment(const auth::Enrolment& enrolment) {
  std::string spaced;
  for (std::size_t i = 0; i < enrolment.secret_base32.size(); ++i) {
    if (i > 0 && i % 4 == 0) spaced.push_back(' ');
    spaced.push_back(enrolment.secret_base32[i]);
  }
  std::printf(
      "\nAdd the account to an authenticator app: scan the QR code, open the URI on the phone,\n"
      "or type the key by hand (time-based, 6 digits, 30 seconds).\n"
      "Key: %s\n%s\n",
      spaced.c_str(), enrolment.otpauth_uri.c_str());
  if (::isatty(STDOUT_FILENO) == 1) {
    if (auto code = qr::QrCode::Encode(enrolment.otpauth_uri)) {
      std::printf("\n%s", code->TerminalText().c_str());
    }
  }
  std::printf(
      "\nRecovery codes: each signs in once instead of a code from the app. Keep them apart\n"
      "from the phone; they are not shown again.\n");
  for (const std::string& code : enrolment.recovery_codes) std::printf("  %s\n", code.c_str());
}

}  // namespace

int RunUserCommand(int argc, char** argv) {
  if (argc < 1 || std::strcmp(argv[0], "--help") == 0) {
    std::fputs(kHelp, stdout);
    return argc < 1 ? 2 : 0;
  }
  const std::string command = argv[0];
  if (command != "add" && command != "reset-2fa" && command != "disable" && command != "enable" &&
      command != "log-name") {
    return Usage("unknown sub-command '" + command + "'");
  }
  core::Result<Args> args =
      Args::Parse(argc - 1, argv + 1, {"username", "role", "display-name", "data", "database"},
                  {"password-stdin", "help"});
  if (!args) return Usage(args.error().message);
  if (args->Has("help")) {
    std::fputs(kHelp, stdout);
    return 0;
  }
  const auto username = args->Get("username");
  if (!username) return Usage("--username is required");
  model::Role role = model::Role::counsellor;
  std::string password;
  if (command == "add") {
    const auto role_name = args->Get("role");
    if (!role_name) return Usage("--role is required");
    if (!model::ParseRole(*role_name, role)) {
      return Usage("--role must be counsellor, supervisor, analyst or admin");
    }
    if (!args->Has("password-stdin")) return Usage("--password-stdin is required");
    if (!std::getline(std::cin, password)) return Usage("no password on stdin");
    if (!password.empty() && password.back() == '\r') password.pop_back();
  }

  const std::string data_dir = DataFolder(args->Get("data"));
  const core::Result<std::string> database_url = DatabaseUrl(args->Get("database"));
  if (!database_url) return Usage(database_url.error().message);
  // Only an account added to a new deployment may make its database; anything else on a
  // mistyped folder would "succeed" on a new, empty one (and a new master key beside it).
  if (core::Status found = RequireExistingDatabase(data_dir, *database_url); !found) {
    if (command != "add") return Failed(found.error().message);
    std::fprintf(stderr, "uitweg user: no database at %s yet: making a new one there.\n",
                 DatabasePath(data_dir).c_str());
  }
  auto opened = OpenDataFolder(data_dir, *database_url, {}, [](core::Task task) { task(); });
  if (!opened) return Failed(opened.error().message);
  store::AccountStore& store = *opened->database.accounts;
  auth::SecondFactors factors(store, *opened->master_keys);
  core::SystemClock clock;
  // Changes made at the terminal are audited too; who typed them, the trail cannot know.
  auth::AuditTrail audit(*opened->database.audit, clock, "terminal@" + auth::HostName());

  if (command == "add") {
    crypto::PasswordHasher hasher;
    auth::Accounts accounts(store, hasher, clock);
    auto enrolment = factors.Enrol(*username);
    if (!enrolment) return Failed(enrolment.error().message);
    auto created = accounts.CreateAccount(
        *username, role, args->Get("display-name").value_or(*username), password, *enrolment);
    if (!created) return Failed(created.error().message);
    const bool recorded =
        RecordedFromTerminal(audit, "uitweg user", auth::audit_action::account_created,
                             "account " + std::to_string(created->id) + " as " +
                                 std::string(model::RoleName(created->role)));
    std::printf("Created %s (%s).\n", created->username.c_str(),
                std::string(model::RoleName(created->role)).c_str());
    PrintEnrolment(*enrolment);
    return recorded ? 0 : 1;
  }

  if (command == "log-name") {
    std::printf(
        "%s\n",
        auth::AccountLogName(auth::LogKeyFrom(opened->master_keys->Current()), *username).c_str());
    return 0;
  }
  auto account = store.FindAccountByUsername(*username);
  if (!account) return Failed("no account " + *username);
  if (command == "reset-2fa") {
    auto enrolment = factors.Enrol(account->username);
    if (!enrolment) return Failed(enrolment.error().message);
    if (auto stored = factors.Store(account->id, *enrolment); !stored) {
      return Failed(stored.error().message);
    }
    if (auto ended = auth::EndEverySession(store, account->id); !ended) {
      return Failed(ended.error().message);
    }
    const bool recorded =
        RecordedFromTerminal(audit, "uitweg user", auth::audit_action::second_factor_reset,
                             "account " + std::to_string(account->id));
    std::printf("New second factor for %s; the old app entry and recovery codes no longer work.\n",
                account->username.c_str());
    PrintEnrolment(*enrolment);
    return recorded ? 0 : 1;
  }
  const bool disable = command == "disable";
  // Sessions from before a disable end while it still holds (none can begin meanwhile): should
  // that fail, the account stays disabled rather than let an old cookie back in.
  if (!disable) {
    if (auto ended = auth::EndEverySession(store, account->id); !ended) {
      return Failed(ended.error().message);
    }
  }
  if (auto changed = store.SetAccountDisabled(account->id, disable); !changed) {
    return Failed(changed.error().message);
  }
  const bool recorded = RecordedFromTerminal(
      audit, "uitweg user",
      disable ? auth::audit_action::account_disabled : auth::audit_action::account_enabled,
      "account " + std::to_string(account->id));
  std::printf("%s %s.\n", disable ? "Disabled" : "Enabled", account->username.c_str());
  return recorded ? 0 : 1;
}

}  // namespace uitweg::app
