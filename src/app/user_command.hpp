#pragma once
// `uitweg user add --username U --role R [--display-name N] [--data DIR] --password-stdin`:
// creates a staff account in the data folder's database, reading the password as one line
// from stdin (for scripts and tests). Exit code 0 on success, 1 when the account cannot be
// created (e.g. the username is taken), 2 for usage errors.

namespace uitweg::app {

int RunUserCommand(int argc, char** argv);

}  // namespace uitweg::app
