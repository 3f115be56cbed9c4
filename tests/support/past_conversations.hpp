#pragma once
// For tests of what the server learns from the past (the emerging words): conversations that
// started days ago, written into a data folder's SQLite database and sealed with its master key,
// as the server would have written them then. Each is ended at once, so that a server that is
// running (or starts later) never sees them in its queue; a running server's other caches do not
// hold them either, which is what these tests want.

#include <filesystem>
#include <string>

#include "core/error.hpp"

namespace uitweg::support {

// `count` conversations, started `days_ago` days before now (a second apart), in each of which
// the visitor wrote `text` and nobody else wrote anything. Errors as opening the store does.
core::Status AddPastConversations(const std::filesystem::path& data_dir, int count, int days_ago,
                                  const std::string& text);

}  // namespace uitweg::support
