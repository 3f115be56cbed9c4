#pragma once
// `uitweg keys rotate|retire [--data DIR] [--database URL]`: rotates the master key while
// servers keep running (auth/master_key_rotation.hpp). With the key file, `rotate` puts a new
// key in front of the old ones and re-seals everything under it, and `retire` drops the older
// keys once nothing needs them; running servers pick up both from the file. With keys in
// UITWEG_MASTER_KEY the operator changes the environment of every node (docs/operations.md),
// and these re-seal and check. Exit 0 done, 1 failed (or older keys still needed), 2 usage.

namespace uitweg::app {

int RunKeysCommand(int argc, char** argv);

}  // namespace uitweg::app
