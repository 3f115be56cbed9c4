#pragma once
// Cuts a Telegram Desktop JSON export into batches of messages without parsing the messages:
// a single-chat export (the root is the chat: name, type, id, messages) or a full export
// (chats.list and left_chats.list, each a chat). A root array is taken as a list of message
// records (scrapers that write JSON arrays). Everything else in the file is skipped unparsed.
// Memory stays flat whatever the file size; the speed is that of a vectorised bracket scan.

#include <deque>
#include <string>

#include "core/error.hpp"
#include "outreach/readers/export_batch.hpp"

namespace uitweg::outreach::readers {

class InputFile;

// Chat names are appended to `chat_names`, which the batches point into. Errors (a structure
// that is not an export, a file that ends too early) name the file and the position.
core::Status CutTelegramExport(const InputFile& file, std::deque<std::string>& chat_names,
                               const BatchSink& sink);

}  // namespace uitweg::outreach::readers
