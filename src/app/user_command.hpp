#pragma once
// `uitweg user ...`: staff accounts for an admin at the terminal and for scripts.
//   add        creates an account, reading the password as one line from stdin, and enrols
//              its second factor at once: prints the otpauth:// URI (and, on a terminal, the
//              QR code) and ten recovery codes
//   reset-2fa  replaces an account's second factor (a lost phone) and prints the new one
//   disable    stops an account from signing in and using its sessions; enable undoes it
//   log-name   how the log names the account (a keyed hash) in failed sign-ins
// Exit code 0 on success, 1 when the database refuses (e.g. the username is taken), 2 for
// usage errors.

namespace uitweg::app {

int RunUserCommand(int argc, char** argv);

}  // namespace uitweg::app
