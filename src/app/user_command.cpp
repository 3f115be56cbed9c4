#include "app/user_command.hpp"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <string>

#include "app/args.hpp"
#include "app/data_folder.hpp"
#include "auth/accounts.hpp"
#include "core/clock.hpp"
#include "core/files.hpp"
#include "crypto/password_hasher.hpp"
#include "store/postgres/postgres_database.hpp"

namespace uitweg::app {
namespace {

constexpr const char* kHelp =
    R"(Usage: uitweg user add --username U --role ROLE --password-stdin [options]

Creates a staff account. The password is read as one line from stdin.

Options:
  --username U         3-40 characters of a-z 0-9 . _ -
  --role ROLE          counsellor, supervisor, analyst or admin
  --display-name N     the name colleagues and visitors see (default: the username)
  --data DIR           data folder (default: $UITWEG_DATA or ./data)
  --database URL       a PostgreSQL database instead (default: $UITWEG_DATABASE)
  --password-stdin     read the password from stdin (required)
  --help               show this help
)";

int Usage(const std::string& message) {
  std::fprintf(stderr, "uitweg user add: %s\n(try uitweg user add --help)\n", message.c_str());
  return 2;
}

}  // namespace

int RunUserCommand(int argc, char** argv) {
  if (argc < 1 || std::strcmp(argv[0], "add") != 0) {
    if (argc >= 1 && std::strcmp(argv[0], "--help") == 0) {
      std::fputs(kHelp, stdout);
      return 0;
    }
    return Usage("the only sub-command is 'add'");
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
  const auto role_name = args->Get("role");
  if (!username) return Usage("--username is required");
  if (!role_name) return Usage("--role is required");
  if (!args->Has("password-stdin")) return Usage("--password-stdin is required");
  model::Role role;
  if (!model::ParseRole(*role_name, role)) {
    return Usage("--role must be counsellor, supervisor, analyst or admin");
  }
  std::string password;
  if (!std::getline(std::cin, password)) return Usage("no password on stdin");
  if (!password.empty() && password.back() == '\r') password.pop_back();

  const std::string data_dir = DataFolder(args->Get("data"));
  std::string database_url;
  if (const char* from_environment = std::getenv("UITWEG_DATABASE")) {
    database_url = from_environment;
  }
  if (auto from_flag = args->Get("database")) database_url = *from_flag;
  if (!database_url.empty() && !store::IsPostgresUrl(database_url)) {
    return Usage("--database must be a postgresql:// URL");
  }
  // Accounts hold no conversation content, so the master key is not needed here.
  auto database = OpenDatabase(data_dir, database_url);
  if (!database) {
    std::fprintf(stderr, "uitweg user add: %s\n", database.error().message.c_str());
    return 1;
  }
  core::SystemClock clock;
  crypto::PasswordHasher hasher;
  auth::Accounts accounts(*database->accounts, hasher, clock);
  auto created = accounts.CreateAccount(*username, role,
                                        args->Get("display-name").value_or(*username), password);
  if (!created) {
    std::fprintf(stderr, "uitweg user add: %s\n", created.error().message.c_str());
    return 1;
  }
  std::fprintf(stdout, "Created %s (%s).\n", created->username.c_str(),
               std::string(model::RoleName(created->role)).c_str());
  return 0;
}

}  // namespace uitweg::app
