#include "app/scan_findings.hpp"

#include <chrono>
#include <map>
#include <set>
#include <utility>

#include <fmt/format.h>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "core/utf8.hpp"

namespace uitweg::app {
namespace {

// `text` made storable, and where each of its byte offsets (0..size) went.
struct Storable {
  std::string text;
  std::vector<std::size_t> moved;  // empty when nothing changed
  std::size_t Moved(std::size_t offset) const {
    if (moved.empty()) return std::min(offset, text.size());
    return moved[std::min(offset, moved.size() - 1)];
  }
};

Storable MakeStorable(std::string_view text) {
  Storable out;
  if (core::InvalidUtf8Offset(text) == text.size() && text.find('\0') == std::string_view::npos) {
    out.text = std::string(text);
    return out;
  }
  out.moved.reserve(text.size() + 1);
  std::size_t at = 0;
  core::ForEachCodePoint(text, [&](std::string_view piece) {
    // A replacement stands for one byte of the original; a code point for its own bytes.
    const bool replaced = piece == core::kReplacementCharacter &&
                          text.substr(at, piece.size()) != core::kReplacementCharacter;
    const std::size_t original = replaced ? 1 : piece.size();
    for (std::size_t i = 0; i < original; ++i) out.moved.push_back(out.text.size());
    out.text += piece == std::string_view("\0", 1) ? core::kReplacementCharacter : piece;
    at += original;
  });
  out.moved.push_back(out.text.size());
  return out;
}

std::string StorableText(std::string_view text) {
  return MakeStorable(text).text;
}

bool IsLexiconTerm(std::string_view term) {
  return !term.starts_with("entity:") && !term.starts_with("rule:");
}

}  // namespace

store::Finding StoredFinding(const outreach::FlaggedPost& post, std::string_view source,
                             std::int64_t cluster_channels) {
  const Storable text = MakeStorable(post.text);
  boost::json::array matches;
  std::set<std::string> terms;
  for (const outreach::Match& match : post.finding.matches) {
    const std::size_t begin = text.Moved(match.begin);
    const std::size_t end = std::max(begin, text.Moved(match.end));
    matches.push_back(boost::json::object{{"term", StorableText(match.term)},
                                          {"category", StorableText(match.category)},
                                          {"begin", begin},
                                          {"end", end},
                                          {"text", StorableText(match.matched_text)},
                                          {"weight", match.weight}});
    if (IsLexiconTerm(match.term) && !match.term.empty() &&
        match.term.find('\n') == std::string::npos) {
      terms.insert(StorableText(match.term));
    }
  }
  for (const outreach::ModelWord& word : post.finding.model_words) {
    matches.push_back(boost::json::object{
        {"kind", "model_word"}, {"text", StorableText(word.word)}, {"weight", word.weight}});
  }
  return store::Finding{.id = 0,
                        .scan_id = 0,
                        .source = StorableText(source),
                        .channel = StorableText(post.chat),
                        .author = StorableText(post.author),
                        .message_id = post.message_id,
                        .date_unix = post.date_unix,
                        .text = text.text,
                        .score = post.finding.score,
                        .lexicon_score = post.finding.lexicon_score,
                        .model_score = post.finding.model_score,
                        .categories = post.finding.categories,
                        .matches = boost::json::serialize(matches),
                        .terms = {terms.begin(), terms.end()},
                        .cluster = post.cluster,
                        .cluster_channels = cluster_channels,
                        .purged = false,
                        .verdict = {}};
}

}  // namespace uitweg::app
