#include "app/keys_command.hpp"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <utility>

#include <fmt/format.h>

#include "app/args.hpp"
#include "app/data_folder.hpp"
#include "app/terminal_audit.hpp"
#include "auth/audit_trail.hpp"
#include "auth/master_key_rotation.hpp"
#include "core/clock.hpp"
#include "core/files.hpp"

namespace uitweg::app {
namespace {

constexpr const char* kHelp =
    R"(Usage: uitweg keys rotate|retire [--data DIR] [--database URL]

Rotates the master key that wraps every conversation's data key and seals the staff TOTP
secrets, while the servers keep running.

  rotate   With the key file (DIR/master.key): puts a new key in front of the old one, then
           re-seals everything under it. Running servers read the new key from the file at
           once; the old key stays in the file, so nothing sealed meanwhile is lost.
           With UITWEG_MASTER_KEY (several nodes): re-seals everything under the first of its
           comma-separated keys; see docs/operations.md for the order of changing it.
  retire   Re-seals what is left, checks that nothing needs the older keys any more, and then
           removes them from the key file (or says they can go from UITWEG_MASTER_KEY).

Options:
  --data DIR           data folder (default: $UITWEG_DATA or ./data)
  --database URL       a PostgreSQL database instead (default: $UITWEG_DATABASE)
  --help               show this help
)";

int Usage(const std::string& message) {
  std::fprintf(stderr, "uitweg keys: %s\n(try uitweg keys --help)\n", message.c_str());
  return 2;
}

int Failed(const std::string& message) {
  std::fprintf(stderr, "uitweg keys: %s\n", message.c_str());
  return 1;
}

bool KeysFromEnvironment() {
  const char* keys = std::getenv("UITWEG_MASTER_KEY");
  return keys != nullptr && *keys != '\0';
}

std::string Summary(const auth::ResealReport& report) {
  return fmt::format("{} conversation key(s) and {} TOTP secret(s) re-sealed",
                     report.conversation_keys, report.totp_secrets);
}

void PrintReport(const auth::ResealReport& report) {
  std::printf(
      "Re-sealed under the current master key: %lld conversation key(s), %lld TOTP "
      "secret(s); %lld already were.\n",
      static_cast<long long>(report.conversation_keys), static_cast<long long>(report.totp_secrets),
      static_cast<long long>(report.current));
  if (report.changed_meanwhile > 0) {
    std::printf("%lld changed while this ran (shredded or reset) and were left as they are.\n",
                static_cast<long long>(report.changed_meanwhile));
  }
  if (report.unopenable > 0) {
    std::printf(
        "%lld could not be opened with any key held: they were altered, or sealed under "
        "a key that is lost.\n",
        static_cast<long long>(report.unopenable));
  }
}

}  // namespace

int RunKeysCommand(int argc, char** argv) {
  if (argc < 1 || std::strcmp(argv[0], "--help") == 0) {
    std::fputs(kHelp, argc < 1 ? stderr : stdout);
    return argc < 1 ? 2 : 0;
  }
  const std::string verb = argv[0];
  if (verb != "rotate" && verb != "retire") return Usage("expected 'rotate' or 'retire'");
  core::Result<Args> args = Args::Parse(argc - 1, argv + 1, {"data", "database"}, {"help"});
  if (!args) return Usage(args.error().message);
  if (args->Has("help")) {
    std::fputs(kHelp, stdout);
    return 0;
  }
  const std::filesystem::path data_dir = DataFolder(args->Get("data"));
  const core::Result<std::string> database_url = DatabaseUrl(args->Get("database"));
  if (!database_url) return Usage(database_url.error().message);
  if (core::Status found = RequireExistingDatabase(data_dir, *database_url); !found) {
    return Failed(found.error().message);
  }
  auto opened = OpenDataFolder(data_dir, *database_url, {}, [](core::Task task) { task(); });
  if (!opened) return Failed(opened.error().message);
  const std::filesystem::path key_file = data_dir / "master.key";
  const bool from_environment = KeysFromEnvironment();
  crypto::MasterKeys& keys = *opened->master_keys;
  core::SystemClock clock;
  auth::AuditTrail audit(*opened->database.audit, clock, "terminal@" + auth::HostName());

  if (!from_environment && opened->database.changes) {
    return Usage(
        "a database that several nodes share takes its master keys from UITWEG_MASTER_KEY on "
        "every node; a key file rotated here would leave the other nodes unable to read");
  }
  // Two of these at once could each write the key file from what it read before the other's
  // write, and drop a key that data is still sealed under.
  std::optional<core::FileLock> held_alone;
  if (!from_environment) {
    auto locked = core::FileLock::TryAcquire(data_dir / "master.key.lock");
    if (!locked && locked.error().code == core::Errc::failed_precondition) {
      return Failed("another `uitweg keys` is running on this data folder; run this once it ends");
    }
    if (!locked) return Failed(locked.error().message);
    held_alone.emplace(std::move(*locked));
  }
  if (verb == "rotate") {
    if (from_environment) {
      if (keys.size() < 2) {
        return Usage(
            "UITWEG_MASTER_KEY holds one key. Make a new one (head -c 32 /dev/urandom | base64); "
            "give every node UITWEG_MASTER_KEY=OLD,NEW and restart them one by one, so that "
            "every node opens what the new key seals; then NEW,OLD on every node, again one by "
            "one; then run this again with NEW,OLD");
      }
    } else {
      auto held = crypto::MasterKey::LoadOrCreate(key_file);
      if (!held) return Failed(held.error().message);
      if (held->size() >= crypto::MasterKey::kMaxKeys) {
        return Failed("the key file holds 16 keys already: run `uitweg keys retire` first");
      }
      held->insert(held->begin(), crypto::Aead::Generate());
      if (auto replaced = crypto::MasterKey::Replace(key_file, *held); !replaced) {
        return Failed(replaced.error().message);
      }
    }
    auto report = auth::ResealUnderCurrentKey(*opened->database.sealed, keys);
    if (!report) {
      (void)RecordedFromTerminal(
          audit, "uitweg keys", auth::audit_action::key_rotated,
          "the new key is in use; re-sealing failed: " + report.error().message,
          "the new key is in use but re-sealing failed");
      return Failed(report.error().message);
    }
    PrintReport(*report);
    if (!RecordedFromTerminal(audit, "uitweg keys", auth::audit_action::key_rotated,
                              Summary(*report)))
      return 1;
    std::printf(from_environment
                    ? "Once every node runs with the new key first, `uitweg keys retire` checks "
                      "that the older keys can go.\n"
                    : "A new master key is in use. The previous one stays in the key file until "
                      "`uitweg keys retire` removes it. Backups made before now can be read with "
                      "the previous key only: keep a copy of this key file (apart from them) "
                      "before you retire it.\n");
    return 0;
  }

  auto report = auth::ResealUnderCurrentKey(*opened->database.sealed, keys);
  if (!report) return Failed(report.error().message);
  PrintReport(*report);
  auto older = auth::CountSealedByOlderKeys(*opened->database.sealed, keys);
  if (!older) return Failed(older.error().message);
  if (*older > 0) {
    return Failed(fmt::format(
        "{} value(s) are still sealed under an older key (a node still seals with it?); the "
        "older keys stay. Run `uitweg keys retire` again in a moment",
        *older));
  }
  if (keys.size() == 1) {
    std::printf("There is one master key only: nothing to retire.\n");
    return 0;
  }
  if (from_environment) {
    std::printf(
        "Nothing needs the older keys any more: remove them from UITWEG_MASTER_KEY on "
        "every node (keep only the first) and restart the nodes one by one.\n");
  } else {
    if (auto replaced = crypto::MasterKey::Replace(key_file, {keys.Current()}); !replaced) {
      return Failed(replaced.error().message);
    }
    std::printf("The older master key(s) are removed from %s.\n", key_file.c_str());
  }
  // In the environment the keys go when the operator removes them: the trail says what was
  // checked, not that they are gone.
  return RecordedFromTerminal(
             audit, "uitweg keys", auth::audit_action::key_retired,
             Summary(*report) + (from_environment
                                     ? "; nothing needs the older keys: to be removed from "
                                       "UITWEG_MASTER_KEY on every node"
                                     : "; the older keys are removed from the key file"))
             ? 0
             : 1;
}

}  // namespace uitweg::app
