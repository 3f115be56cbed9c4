#pragma once
// The three forms of `uitweg scan` results, written to a string:
//   jsonl  one object per flagged post: source, chat, author, message_id, date (ISO 8601 UTC
//          or null), score (= lexicon_score + model_score), lexicon_score, model_score (the
//          learned scorer's contribution), model_words [{word, weight}] (what moved the model
//          most), categories, matches [{term, category, text}], cluster, cluster_channels (how
//          many distinct channels the post's cluster appears in), text
//   csv    the same fields with a header row; categories joined by ';', matches as
//          "term=text" and model words as "word:weight" joined by ';'
//   table  for people: each near-duplicate cluster once, with its number of posts, its best
//          score, chat, date, categories and a snippet with the matched words marked, after
//          the model's part when there is one ("model +2.1: bankapp, 500"); a cluster seen in
//          kNetworkChannels or more channels is marked "network: N channels"
// Text that is not valid UTF-8 is written with U+FFFD in place of the bad bytes.

#include <functional>
#include <string>
#include <string_view>

#include "outreach/scan_pipeline.hpp"

namespace uitweg::app {

// A cluster spread over this many channels or more is marked as a network in the table.
inline constexpr std::size_t kNetworkChannels = 3;

enum class ScanFormat { table, jsonl, csv };

// "table", "jsonl", "csv"; false for anything else.
bool ParseScanFormat(std::string_view name, ScanFormat& out);

// Receives the output in pieces of about 64 KB, so that it never sits in memory whole.
using TextSink = std::function<void(std::string_view)>;

void WriteJsonl(const outreach::ScanReport& report, const TextSink& sink);
void WriteCsv(const outreach::ScanReport& report, const TextSink& sink);
// `color`: mark matches with ANSI bold red instead of [brackets].
void WriteTable(const outreach::ScanReport& report, bool color, const TextSink& sink);

// A window of about `width` code points of `text` around its first match, on one line, with
// every occurrence of a matched text wrapped in `open` and `close`.
std::string Snippet(const outreach::FlaggedPost& post, std::size_t width, std::string_view open,
                    std::string_view close);

}  // namespace uitweg::app
