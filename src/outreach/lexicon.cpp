#include "outreach/lexicon.hpp"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <map>
#include <set>
#include <sstream>
#include <system_error>

#include "outreach/analyzer_patterns.hpp"
#include "outreach/normaliser.hpp"

namespace uitweg::outreach {
namespace {

constexpr double kMaxWeight = 100;

// Collects what the checks need while one lexicon is read; every error names source and line.
class Reader {
 public:
  explicit Reader(std::string_view source) : source_(source) {}

  core::Error At(int line, std::string_view what) const {
    return core::Fail(core::Errc::invalid_argument, fmt::format("{}:{}: {}", source_, line, what));
  }

  static int Line(const toml::node& node) { return static_cast<int>(node.source().begin.line); }

  core::Status CheckKeys(const toml::table& table, std::initializer_list<std::string_view> allowed,
                         std::string_view where) const {
    for (auto&& [key, node] : table) {
      bool known = false;
      for (std::string_view name : allowed) known = known || key.str() == name;
      if (!known) {
        const int line =
            key.source().begin.line != 0 ? static_cast<int>(key.source().begin.line) : Line(node);
        return At(line, fmt::format("unknown key \"{}\" in {}", key.str(), where));
      }
    }
    return {};
  }

  // A string value; `required` makes absence an error (at `line`).
  core::Result<std::string> String(const toml::table& table, std::string_view key, int line,
                                   bool required) const {
    const toml::node* node = table.get(key);
    if (node == nullptr) {
      if (required) return At(line, fmt::format("missing \"{}\"", key));
      return std::string();
    }
    if (!node->is_string()) return At(Line(*node), fmt::format("\"{}\" must be a string", key));
    return std::string(node->as_string()->get());
  }

  core::Result<std::vector<std::string>> Strings(const toml::table& table,
                                                 std::string_view key) const {
    std::vector<std::string> values;
    const toml::node* node = table.get(key);
    if (node == nullptr) return values;
    const toml::array* array = node->as_array();
    if (array == nullptr) {
      return At(Line(*node), fmt::format("\"{}\" must be an array of strings", key));
    }
    for (const toml::node& item : *array) {
      if (!item.is_string()) {
        return At(Line(item), fmt::format("\"{}\" must be an array of strings", key));
      }
      values.emplace_back(item.as_string()->get());
    }
    return values;
  }

  // A weight or boost: a finite number, not zero, at most kMaxWeight either way.
  core::Result<double> Weight(const toml::table& table, std::string_view key, int line) const {
    const toml::node* node = table.get(key);
    if (node == nullptr) return At(line, fmt::format("missing \"{}\"", key));
    const std::optional<double> value = node->value<double>();
    if (!node->is_number() || !value || !std::isfinite(*value) || *value == 0 ||
        std::fabs(*value) > kMaxWeight) {
      return At(Line(*node), fmt::format("\"{}\" must be a non-zero number from -{} to {}", key,
                                         kMaxWeight, kMaxWeight));
    }
    return *value;
  }

  core::Status Category(const std::string& category, int line) const {
    if (category.empty()) return At(line, "empty \"category\"");
    for (const char c : category) {
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
        return At(line, fmt::format("category \"{}\" may only have a-z, 0-9 and '_'", category));
      }
    }
    return {};
  }

  // Registers one spelling of a term after normalisation; rejects empty and duplicate forms.
  core::Status Spelling(const std::string& spelling, int line) {
    std::string normalised = Normalise(spelling);
    if (normalised.empty() || normalised == " ") {
      return At(line, fmt::format("term \"{}\" is empty after normalisation", spelling));
    }
    const auto [it, inserted] = spellings_.emplace(std::move(normalised), line);
    if (!inserted) {
      return At(line,
                fmt::format("term \"{}\" duplicates (after normalisation) the term at line {}",
                            spelling, it->second));
    }
    return {};
  }

 private:
  std::string_view source_;
  std::map<std::string, int, std::less<>> spellings_;
};

core::Result<LexiconTerm> ReadTerm(Reader& reader, const toml::table& table, int line) {
  if (auto status = reader.CheckKeys(
          table,
          {"text", "category", "weight", "variants", "regex", "prefix", "exact", "notes", "source"},
          "[[term]]");
      !status) {
    return status.error();
  }
  LexiconTerm term;
  term.line = line;
  auto text = reader.String(table, "text", line, true);
  if (!text) return text.error();
  term.text = std::move(*text);
  UITWEG_TRY(reader.Spelling(term.text, line));
  auto category = reader.String(table, "category", line, true);
  if (!category) return category.error();
  term.category = std::move(*category);
  UITWEG_TRY(reader.Category(term.category, line));
  auto weight = reader.Weight(table, "weight", line);
  if (!weight) return weight.error();
  term.weight = *weight;
  auto variants = reader.Strings(table, "variants");
  if (!variants) return variants.error();
  term.variants = std::move(*variants);
  for (std::size_t k = 0; k < term.variants.size(); ++k) {
    const int variant_line = Reader::Line(*table.get("variants")->as_array()->get(k));
    UITWEG_TRY(reader.Spelling(term.variants[k], variant_line));
  }
  auto regex = reader.String(table, "regex", line, false);
  if (!regex) return regex.error();
  term.regex = std::move(*regex);
  if (table.get("regex") != nullptr) {
    const int regex_line = Reader::Line(*table.get("regex"));
    if (term.regex.empty()) return reader.At(regex_line, "empty \"regex\"");
    if (auto status = patterns::CheckRegex(term.regex); !status) {
      return reader.At(regex_line, fmt::format("bad regex for term \"{}\": {}", term.text,
                                               status.error().message));
    }
  }
  if (const toml::node* prefix = table.get("prefix")) {
    if (!prefix->is_boolean())
      return reader.At(Reader::Line(*prefix), "\"prefix\" must be true or false");
    term.prefix = prefix->as_boolean()->get();
  }
  if (const toml::node* exact = table.get("exact")) {
    if (!exact->is_boolean())
      return reader.At(Reader::Line(*exact), "\"exact\" must be true or false");
    term.exact = exact->as_boolean()->get();
  }
  auto notes = reader.String(table, "notes", line, false);
  if (!notes) return notes.error();
  term.notes = std::move(*notes);
  auto source = reader.String(table, "source", line, false);
  if (!source) return source.error();
  term.source = std::move(*source);
  return term;
}

core::Result<LexiconRule> ReadRule(const Reader& reader, const toml::table& table, int line) {
  if (auto status = reader.CheckKeys(
          table, {"name", "all_categories", "any_terms", "boost", "notes"}, "[[rule]]");
      !status) {
    return status.error();
  }
  LexiconRule rule;
  rule.line = line;
  auto name = reader.String(table, "name", line, true);
  if (!name) return name.error();
  if (name->empty()) return reader.At(line, "empty rule \"name\"");
  rule.name = std::move(*name);
  auto categories = reader.Strings(table, "all_categories");
  if (!categories) return categories.error();
  if (categories->empty()) {
    return reader.At(line, fmt::format("rule \"{}\" needs \"all_categories\"", rule.name));
  }
  rule.all_categories = std::move(*categories);
  auto any_terms = reader.Strings(table, "any_terms");
  if (!any_terms) return any_terms.error();
  rule.any_terms = std::move(*any_terms);
  auto boost = reader.Weight(table, "boost", line);
  if (!boost) return boost.error();
  rule.boost = *boost;
  return rule;
}

}  // namespace

core::Result<Lexicon> Lexicon::Parse(std::string_view toml_text, std::string_view source_name) {
  Reader reader(source_name);
  toml::table root;
  try {
    root = toml::parse(toml_text, source_name);
  } catch (const toml::parse_error& error) {
    return reader.At(static_cast<int>(error.source().begin.line), error.description());
  }
  if (auto status = reader.CheckKeys(root, {"lexicon", "term", "rule", "signals"}, "the lexicon");
      !status) {
    return status.error();
  }

  Lexicon lexicon;
  lexicon.source_name_ = std::string(source_name);

  if (const toml::node* node = root.get("lexicon")) {
    const toml::table* table = node->as_table();
    if (table == nullptr) return reader.At(Reader::Line(*node), "[lexicon] must be a table");
    const int line = Reader::Line(*node);
    if (auto status = reader.CheckKeys(*table,
                                       {"name", "version", "language", "description", "min_score",
                                        "rule_min_category_score", "sources"},
                                       "[lexicon]");
        !status) {
      return status.error();
    }
    auto name = reader.String(*table, "name", line, false);
    if (!name) return name.error();
    lexicon.name_ = std::move(*name);
    auto version = reader.String(*table, "version", line, false);
    if (!version) return version.error();
    lexicon.version_ = std::move(*version);
    auto language = reader.String(*table, "language", line, false);
    if (!language) return language.error();
    lexicon.language_ = std::move(*language);
    UITWEG_TRY(reader.String(*table, "description", line, false));
    UITWEG_TRY(reader.Strings(*table, "sources"));
    if (table->get("min_score") != nullptr) {
      auto min_score = reader.Weight(*table, "min_score", line);
      if (!min_score) return min_score.error();
      if (*min_score < 0) {
        return reader.At(Reader::Line(*table->get("min_score")), "\"min_score\" must be positive");
      }
      lexicon.min_score_ = *min_score;
    }
    if (const toml::node* node = table->get("rule_min_category_score")) {
      const std::optional<double> value = node->value<double>();
      if (!node->is_number() || !value || !std::isfinite(*value) || *value < 0 ||
          *value > kMaxWeight) {
        return reader.At(
            Reader::Line(*node),
            fmt::format("\"rule_min_category_score\" must be a number from 0 to {}", kMaxWeight));
      }
      lexicon.rule_min_category_score_ = *value;
    }
  }

  std::set<std::string, std::less<>> categories;
  const toml::node* terms = root.get("term");
  if (terms == nullptr || !terms->is_array_of_tables() || terms->as_array()->empty()) {
    return reader.At(terms != nullptr ? Reader::Line(*terms) : 1,
                     "the lexicon needs at least one [[term]]");
  }
  for (const toml::node& node : *terms->as_array()) {
    auto term = ReadTerm(reader, *node.as_table(), Reader::Line(node));
    if (!term) return term.error();
    categories.insert(term->category);
    lexicon.terms_.push_back(std::move(*term));
  }

  if (const toml::node* node = root.get("signals")) {
    const toml::table* table = node->as_table();
    if (table == nullptr) return reader.At(Reader::Line(*node), "[signals] must be a table");
    for (auto&& [key, value] : *table) {
      const int line = Reader::Line(value);
      const toml::table* signal_table = value.as_table();
      if (signal_table == nullptr) {
        return reader.At(
            line, fmt::format("signal \"{}\" must be a table with category and weight", key.str()));
      }
      if (auto status = reader.CheckKeys(*signal_table, {"category", "weight"}, "a signal");
          !status) {
        return status.error();
      }
      LexiconSignal signal;
      signal.entity_type = std::string(key.str());
      signal.line = line;
      auto category = reader.String(*signal_table, "category", line, true);
      if (!category) return category.error();
      signal.category = std::move(*category);
      UITWEG_TRY(reader.Category(signal.category, line));
      auto weight = reader.Weight(*signal_table, "weight", line);
      if (!weight) return weight.error();
      signal.weight = *weight;
      categories.insert(signal.category);
      lexicon.signals_.push_back(std::move(signal));
    }
  }

  if (const toml::node* rules = root.get("rule")) {
    if (!rules->is_array_of_tables()) {
      return reader.At(Reader::Line(*rules), "\"rule\" must be written as [[rule]] tables");
    }
    std::map<std::string, int, std::less<>> names;
    std::set<std::string_view> term_texts;
    for (const LexiconTerm& term : lexicon.terms_) term_texts.insert(term.text);
    for (const toml::node& node : *rules->as_array()) {
      const int line = Reader::Line(node);
      auto rule = ReadRule(reader, *node.as_table(), line);
      if (!rule) return rule.error();
      if (const auto [it, inserted] = names.emplace(rule->name, line); !inserted) {
        return reader.At(
            line, fmt::format("rule \"{}\" is already defined at line {}", rule->name, it->second));
      }
      for (const std::string& category : rule->all_categories) {
        if (!categories.contains(category)) {
          return reader.At(line, fmt::format("rule \"{}\": no term or signal has category \"{}\"",
                                             rule->name, category));
        }
      }
      for (const std::string& text : rule->any_terms) {
        if (!term_texts.contains(text)) {
          return reader.At(line,
                           fmt::format("rule \"{}\": no term has text \"{}\"", rule->name, text));
        }
      }
      lexicon.rules_.push_back(std::move(*rule));
    }
  }
  return lexicon;
}

core::Result<Lexicon> Lexicon::Load(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file)
    return core::Fail(core::Errc::not_found, fmt::format("{}: cannot read the lexicon", path));
  std::ostringstream content;
  content << file.rdbuf();
  if (file.bad()) {
    return core::Fail(core::Errc::unavailable, fmt::format("{}: cannot read the lexicon", path));
  }
  return Parse(content.str(), path);
}

std::string DefaultDataPath(std::string_view relative_path, std::string_view argv0) {
  namespace fs = std::filesystem;
  const fs::path relative(relative_path);
  std::error_code error;
  if (fs::exists(relative, error)) return relative.string();
  fs::path binary = fs::read_symlink("/proc/self/exe", error);
  if (error) binary = fs::path(argv0);
  const fs::path beside = binary.parent_path().parent_path() / relative;
  if (fs::exists(beside, error)) return beside.string();
  return relative.string();
}

std::string DefaultLexiconPath(std::string_view argv0) {
  return DefaultDataPath("lexicon/nl-recruitment.toml", argv0);
}

}  // namespace uitweg::outreach
