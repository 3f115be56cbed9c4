#include "api/lexicon_edits.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include <fmt/format.h>
#include <toml++/toml.h>

namespace uitweg::api {
namespace {

// A TOML basic string: quotes, backslashes and control characters escaped, the rest as is.
std::string Quoted(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      default:
        if (byte < 0x20 || byte == 0x7f) {
          out += fmt::format("\\u{:04X}", byte);
        } else {
          out += c;
        }
    }
  }
  out += '"';
  return out;
}

// The 1-based lines on which a table or an array-of-tables element is opened by a header.
void CollectHeaderLines(const toml::table& table, std::set<std::size_t>& lines) {
  for (auto&& [key, node] : table) {
    if (const toml::table* sub = node.as_table(); sub != nullptr && !sub->is_inline()) {
      lines.insert(sub->source().begin.line);
      CollectHeaderLines(*sub, lines);
    } else if (const toml::array* array = node.as_array()) {
      for (const toml::node& element : *array) {
        if (const toml::table* item = element.as_table(); item != nullptr && !item->is_inline()) {
          lines.insert(item->source().begin.line);
          CollectHeaderLines(*item, lines);
        }
      }
    }
  }
}

struct Line {
  std::size_t begin = 0;  // byte offsets into the text, `end` past the line break
  std::size_t end = 0;
  std::string_view text;  // without the line break
};

std::vector<Line> SplitLines(std::string_view text) {
  std::vector<Line> lines;
  std::size_t at = 0;
  while (at < text.size()) {
    const std::size_t newline = text.find('\n', at);
    const std::size_t end = newline == std::string_view::npos ? text.size() : newline + 1;
    std::string_view line =
        text.substr(at, (newline == std::string_view::npos ? end : newline) - at);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back({at, end, line});
    at = end;
  }
  return lines;
}

bool IsBlank(std::string_view line) {
  return line.find_first_not_of(" \t") == std::string_view::npos;
}

}  // namespace

core::Result<std::string> TermBlock(const TermDraft& term) {
  if (!std::isfinite(term.weight)) {
    return core::Fail(core::Errc::invalid_argument, "the weight must be a number");
  }
  std::string block = "[[term]]\n";
  block += "text = " + Quoted(term.text) + "\n";
  block += "category = " + Quoted(term.category) + "\n";
  block += fmt::format("weight = {}\n", term.weight);
  if (!term.variants.empty()) {
    block += "variants = [";
    for (std::size_t i = 0; i < term.variants.size(); ++i) {
      if (i > 0) block += ", ";
      block += Quoted(term.variants[i]);
    }
    block += "]\n";
  }
  return block;
}

core::Result<std::string> WithTerm(std::string_view toml, const TermDraft& term) {
  UITWEG_TRY_ASSIGN(const std::string block, TermBlock(term));
  std::string out(toml);
  if (!out.empty() && out.back() != '\n') out += '\n';
  if (!out.empty() && !out.ends_with("\n\n")) out += '\n';
  return out + block;
}

core::Result<std::string> WithoutTerm(std::string_view toml, std::string_view term) {
  toml::table document;
  try {
    document = toml::parse(toml);
  } catch (const toml::parse_error& e) {
    return core::Fail(core::Errc::invalid_argument,
                      fmt::format("the lexicon is not TOML: line {}: {}", e.source().begin.line,
                                  e.description()));
  }
  std::size_t header = 0;
  std::size_t last = 0;  // the block's last line that holds some of its values
  if (const toml::array* terms = document["term"].as_array()) {
    for (const toml::node& element : *terms) {
      const toml::table* item = element.as_table();
      if (item != nullptr && (*item)["text"].value<std::string_view>() == term) {
        header = item->source().begin.line;
        last = header;
        for (auto&& [key, value] : *item)
          last = std::max<std::size_t>(last, value.source().end.line);
        break;
      }
    }
  }
  if (header == 0) {
    return core::Fail(core::Errc::not_found, fmt::format("the lexicon has no term '{}'", term));
  }
  std::set<std::size_t> headers;
  CollectHeaderLines(document, headers);
  const std::vector<Line> lines = SplitLines(toml);
  const auto next = headers.upper_bound(header);
  // 0-based: the block is lines [first, last), then the blank lines up to the next one or to
  // the next table's header (`stop`).
  const std::size_t first = header - 1;
  const std::size_t stop = next == headers.end() ? lines.size() : *next - 1;
  std::size_t cut = std::min(last, stop);
  while (cut < stop && IsBlank(lines[cut].text)) ++cut;
  const std::size_t from = lines[first].begin;
  const std::size_t to = cut < lines.size() ? lines[cut].begin : toml.size();
  std::string out(toml.substr(0, from));
  out += toml.substr(to);
  return out;
}

core::Result<std::string> OneTermLexicon(const TermDraft& term) {
  UITWEG_TRY_ASSIGN(const std::string block, TermBlock(term));
  return "[lexicon]\nname = \"term test\"\n\n" + block;
}

}  // namespace uitweg::api
