#pragma once
// `uitweg retention run [--config FILE] [--data DIR] [--database URL]`: crypto-shreds, once,
// every ended conversation past the retention period of the configuration ([retention]) and
// every one whose visitor asked to be forgotten, as the server does every minute. Exit 0 done,
// 1 failed, 2 usage.

namespace uitweg::app {

int RunRetentionCommand(int argc, char** argv);

}  // namespace uitweg::app
