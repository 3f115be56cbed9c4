#pragma once
// One post (a message in a channel export, a line of a text file) as the readers hand it to the
// Analyzer. A Post borrows `source` and `chat` from the reader, which keeps them alive for as
// long as the post is in use; `text` and `entities` are owned.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace uitweg::outreach {

// A Telegram text entity: `type` is the exporter's name ("link", "phone", "bank_card",
// "mention", "hashtag", "text_link", ...), `text` the entity's visible text.
struct Entity {
  std::string type;
  std::string text;
};

struct Post {
  std::string_view source;      // the file it came from
  std::string_view chat;        // chat name; may be empty
  std::int64_t message_id = 0;  // 0 = unknown (the line number for text and CSV input)
  std::int64_t date_unix = 0;   // seconds UTC; 0 = unknown
  std::string text;             // the post's full text as in the source (entity texts inlined)
  std::string author;           // who posted it, as the export names them; may be empty
  std::vector<Entity> entities;
};

}  // namespace uitweg::outreach
