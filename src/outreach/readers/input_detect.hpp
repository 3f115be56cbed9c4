#pragma once
// Tells the kind of an export from its first bytes, not its name.
//   '[' or a '{' whose object spans more than the first line  -> telegram_json
//   a first line that is a whole JSON object                   -> json_lines, unless it has
//                                                                 messages/chats/left_chats
//   a first line that is a CSV header with a text column       -> csv
//   anything else                                              -> plain_text

#include <optional>
#include <string_view>

#include "outreach/readers/csv_reader.hpp"
#include "outreach/readers/export_batch.hpp"

namespace uitweg::outreach::readers {

struct DetectedInput {
  InputKind kind = InputKind::plain_text;
  std::optional<CsvLayout> csv;  // for csv
};

// `bytes` must be followed by kInputPadding readable bytes (as InputFile guarantees).
DetectedInput DetectInput(std::string_view bytes);

}  // namespace uitweg::outreach::readers
