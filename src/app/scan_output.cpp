#include "app/scan_output.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <utility>
#include <vector>

#include "core/json_text.hpp"
#include "core/utf8.hpp"
#include "outreach/readers/timestamp.hpp"

namespace uitweg::app {
namespace {

void AppendCsvField(std::string& out, std::string_view text) {
  out.push_back('"');
  core::ForEachCodePoint(text, [&](std::string_view piece) {
    if (piece == "\"") {
      out += "\"\"";
    } else {
      out.append(piece);
    }
  });
  out.push_back('"');
}

// Hands `out` to the sink once it has grown past the piece size.
void Spill(std::string& out, const TextSink& sink, bool last = false) {
  if (out.size() >= (std::size_t{64} << 10) || (last && !out.empty())) {
    sink(out);
    out.clear();
  }
}

std::string Score(double score) {
  return fmt::format("{:.2f}", score);
}

std::string Date(std::int64_t unix_seconds) {
  return unix_seconds == 0 ? std::string() : outreach::readers::FormatUtc(unix_seconds);
}

// `text` with every byte that is not valid UTF-8 replaced by U+FFFD.
std::string Repaired(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  core::ForEachCodePoint(text, [&](std::string_view piece) { out.append(piece); });
  return out;
}

std::size_t CodePoints(std::string_view text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

// A code point that a terminal acts on rather than shows: C0 and C1 controls (an escape sequence
// can set the clipboard or clear the screen) and the bidirectional overrides and isolates (which
// can hide the words matched). A post's text or a chat's name must never reach the analyst's
// terminal with one.
bool ActsOnTerminal(std::string_view piece) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(piece[i]); };
  if (piece.size() == 1) return byte(0) < 0x20 || byte(0) == 0x7F;
  if (piece.size() == 2) return byte(0) == 0xC2 && byte(1) < 0xA0;  // U+0080..U+009F
  if (piece.size() == 3 && byte(0) == 0xE2 && byte(1) == 0x80) {
    return byte(2) == 0x8E || byte(2) == 0x8F || (byte(2) >= 0xAA && byte(2) <= 0xAE);
  }
  return piece.size() == 3 && byte(0) == 0xE2 && byte(1) == 0x81 && byte(2) >= 0xA6 &&
         byte(2) <= 0xA9;
}

// `piece` as the table shows it: white space as a space, what acts on a terminal as U+FFFD.
std::string_view Shown(std::string_view piece) {
  if (piece == "\n" || piece == "\r" || piece == "\t") return " ";
  return ActsOnTerminal(piece) ? std::string_view("\uFFFD") : piece;
}

// At most `width` code points, with "…" when cut, padded with spaces to `width`.
std::string Column(std::string_view text, std::size_t width) {
  std::string clean;
  core::ForEachCodePoint(text, [&](std::string_view piece) { clean.append(Shown(piece)); });
  std::size_t count = CodePoints(clean);
  if (count > width) {
    std::size_t kept = 0;
    std::size_t i = 0;
    while (i < clean.size() && kept < width - 1) {
      ++i;
      while (i < clean.size() && (static_cast<unsigned char>(clean[i]) & 0xC0) == 0x80) ++i;
      ++kept;
    }
    clean.resize(i);
    clean += "…";
    count = width;
  }
  clean.append(width - count, ' ');
  return clean;
}

std::string Join(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (const std::string& item : items) {
    if (!out.empty()) out.append(separator);
    out.append(item);
  }
  return out;
}

std::size_t ClusterChannels(const outreach::ScanReport& report, std::uint32_t cluster) {
  return cluster >= 1 && cluster <= report.cluster_channels.size()
             ? report.cluster_channels[cluster - 1].size()
             : 0;
}

// The words that moved the learned scorer, "word:weight" (or the words alone) joined by
// `separator`.
std::string ModelWords(const outreach::Finding& finding, std::string_view separator,
                       bool weights = true) {
  std::vector<std::string> words;
  for (const outreach::ModelWord& word : finding.model_words) {
    words.push_back(weights ? word.word + ":" + Score(word.weight) : word.word);
  }
  return Join(words, separator);
}

}  // namespace

bool ParseScanFormat(std::string_view name, ScanFormat& out) {
  if (name == "table") {
    out = ScanFormat::table;
  } else if (name == "jsonl") {
    out = ScanFormat::jsonl;
  } else if (name == "csv") {
    out = ScanFormat::csv;
  } else {
    return false;
  }
  return true;
}

void WriteJsonl(const outreach::ScanReport& report, const TextSink& sink) {
  std::string out;
  for (const outreach::FlaggedPost& post : report.flagged) {
    out += "{\"source\":";
    core::AppendJsonString(out, post.source);
    out += ",\"chat\":";
    core::AppendJsonString(out, post.chat);
    out += ",\"author\":";
    core::AppendJsonString(out, post.author);
    out += fmt::format(",\"message_id\":{},\"date\":", post.message_id);
    if (post.date_unix == 0) {
      out += "null";
    } else {
      core::AppendJsonString(out, outreach::readers::FormatUtc(post.date_unix));
    }
    out += fmt::format(",\"score\":{},\"lexicon_score\":{},\"model_score\":{},\"model_words\":[",
                       Score(post.finding.score), Score(post.finding.lexicon_score),
                       Score(post.finding.model_score));
    for (std::size_t i = 0; i < post.finding.model_words.size(); ++i) {
      if (i > 0) out.push_back(',');
      out += "{\"word\":";
      core::AppendJsonString(out, post.finding.model_words[i].word);
      out += fmt::format(",\"weight\":{}}}", Score(post.finding.model_words[i].weight));
    }
    out += "],\"categories\":[";
    for (std::size_t i = 0; i < post.finding.categories.size(); ++i) {
      if (i > 0) out.push_back(',');
      core::AppendJsonString(out, post.finding.categories[i]);
    }
    out += "],\"matches\":[";
    for (std::size_t i = 0; i < post.finding.matches.size(); ++i) {
      const outreach::Match& match = post.finding.matches[i];
      if (i > 0) out.push_back(',');
      out += "{\"term\":";
      core::AppendJsonString(out, match.term);
      out += ",\"category\":";
      core::AppendJsonString(out, match.category);
      out += ",\"text\":";
      core::AppendJsonString(out, match.matched_text);
      out += "}";
    }
    out += fmt::format("],\"cluster\":{},\"cluster_channels\":{},\"text\":", post.cluster,
                       ClusterChannels(report, post.cluster));
    core::AppendJsonString(out, post.text);
    out += "}\n";
    Spill(out, sink);
  }
  Spill(out, sink, true);
}

void WriteCsv(const outreach::ScanReport& report, const TextSink& sink) {
  std::string out =
      "source,chat,author,message_id,date,score,lexicon_score,model_score,model_words,categories,"
      "matches,cluster,cluster_channels,text\n";
  for (const outreach::FlaggedPost& post : report.flagged) {
    AppendCsvField(out, post.source);
    out.push_back(',');
    AppendCsvField(out, post.chat);
    out.push_back(',');
    AppendCsvField(out, post.author);
    out += fmt::format(",{},{},{},{},{},", post.message_id, Date(post.date_unix),
                       Score(post.finding.score), Score(post.finding.lexicon_score),
                       Score(post.finding.model_score));
    AppendCsvField(out, ModelWords(post.finding, ";"));
    out.push_back(',');
    AppendCsvField(out, Join(post.finding.categories, ";"));
    out.push_back(',');
    std::vector<std::string> matches;
    for (const outreach::Match& match : post.finding.matches) {
      matches.push_back(match.term + "=" + match.matched_text);
    }
    AppendCsvField(out, Join(matches, ";"));
    out += fmt::format(",{},{},", post.cluster, ClusterChannels(report, post.cluster));
    AppendCsvField(out, post.text);
    out.push_back('\n');
    Spill(out, sink);
  }
  Spill(out, sink, true);
}

std::string Snippet(const outreach::FlaggedPost& post, std::size_t width, std::string_view open,
                    std::string_view close) {
  const std::string text = Repaired(post.text);
  std::vector<std::pair<std::size_t, std::size_t>> spans;
  for (const outreach::Match& match : post.finding.matches) {
    const std::string needle = Repaired(match.matched_text);
    if (needle.empty()) continue;
    for (std::size_t at = text.find(needle); at != std::string::npos;
         at = text.find(needle, at + needle.size())) {
      spans.emplace_back(at, at + needle.size());
    }
  }
  std::sort(spans.begin(), spans.end());
  std::vector<std::pair<std::size_t, std::size_t>> merged;
  for (const auto& span : spans) {
    if (!merged.empty() && span.first <= merged.back().second) {
      merged.back().second = std::max(merged.back().second, span.second);
    } else {
      merged.push_back(span);
    }
  }
  auto is_start = [&](std::size_t i) {
    return i >= text.size() || (static_cast<unsigned char>(text[i]) & 0xC0) != 0x80;
  };
  // Begin a few words before the first match.
  std::size_t begin = merged.empty() ? 0 : merged.front().first;
  for (std::size_t back = 0; begin > 0 && back < width / 4;) {
    --begin;
    if (is_start(begin)) ++back;
  }
  std::string out;
  if (begin > 0) out += "…";
  std::size_t shown = 0;
  std::size_t next_span = 0;
  bool inside = false;
  bool last_space = false;
  std::size_t i = begin;
  while (i < text.size() && shown < width) {
    while (next_span < merged.size() && merged[next_span].second <= i) {
      if (inside) out.append(close);
      inside = false;
      ++next_span;
    }
    if (!inside && next_span < merged.size() && merged[next_span].first == i) {
      out.append(open);
      inside = true;
    }
    std::size_t end = i + 1;
    while (!is_start(end)) ++end;
    const char c = text[i];
    if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
      if (!last_space) {
        out.push_back(' ');
        ++shown;
      }
      last_space = true;
    } else {
      out.append(Shown(std::string_view(text).substr(i, end - i)));
      ++shown;
      last_space = false;
    }
    i = end;
  }
  if (inside) out.append(close);
  if (i < text.size()) out += "…";
  return out;
}

void WriteTable(const outreach::ScanReport& report, bool color, const TextSink& sink) {
  std::string out;
  const std::string_view open = color ? "\x1b[1;31m" : "[";
  const std::string_view close = color ? "\x1b[0m" : "]";
  std::vector<std::size_t> count(report.clusters + 1, 0);
  for (const outreach::FlaggedPost& post : report.flagged) ++count[post.cluster];
  out += fmt::format("{:>4}  {:>6}  {:>5}  {}  {}  {}  {}\n", "#", "score", "posts",
                     Column("date", 16), Column("chat", 24), Column("categories", 28), "text");
  std::vector<bool> shown(report.clusters + 1, false);
  for (const outreach::FlaggedPost& post : report.flagged) {
    if (shown[post.cluster]) continue;
    shown[post.cluster] = true;
    const std::string date = Date(post.date_unix);
    const std::size_t channels = ClusterChannels(report, post.cluster);
    const std::string network =
        channels >= kNetworkChannels ? fmt::format("network: {} channels  ", channels) : "";
    const std::string model = post.finding.model_score == 0
                                  ? ""
                                  : fmt::format("model {:+.1f}: {}  ", post.finding.model_score,
                                                ModelWords(post.finding, ", ", false));
    out += fmt::format("{:>4}  {:>6}  {:>5}  {}  {}  {}  {}\n", post.cluster,
                       Score(post.finding.score), count[post.cluster],
                       Column(date.empty() ? "-" : date.substr(0, 16), 16),
                       Column(post.chat.empty() ? "-" : post.chat, 24),
                       Column(Join(post.finding.categories, ","), 28),
                       network + model + Snippet(post, 100, open, close));
    Spill(out, sink);
  }
  out += fmt::format("\n{} flagged posts in {} clusters; {} posts in {:.1f} MB read\n",
                     report.flagged.size(), report.clusters, report.posts,
                     static_cast<double>(report.bytes) / 1e6);
  Spill(out, sink, true);
}

}  // namespace uitweg::app
