#pragma once
// What the posts a scan flagged become in the review console's store: findings, and flagged posts
// per category and ISO week of their dates.
//
// A finding's texts are made storable (each byte that is not UTF-8, and each NUL, becomes
// U+FFFD), and its matches keep byte offsets into the text as stored. The matches are one JSON
// array (store::Finding::matches): the lexicon's, each {"term", "category", "begin", "end",
// "text", "weight"}, then the learned scorer's words, each {"kind": "model_word", "text",
// "weight"}, so that the retention purge blanks those words with the texts.
//
// Pure functions; thread-safe.

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "outreach/scan_pipeline.hpp"
#include "store/outreach_store.hpp"

namespace uitweg::app {

// `source`: what the finding calls its file; `cluster_channels`: in how many channels the post's
// near-duplicate cluster appears.
store::Finding StoredFinding(const outreach::FlaggedPost& post, std::string_view source,
                             std::int64_t cluster_channels);

}  // namespace uitweg::app
