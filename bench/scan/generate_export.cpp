// scan-bench-generate: writes the inputs of the scan benchmark into a folder:
//   export.json  a deterministic synthetic Telegram Desktop full export of --size-mb megabytes
//                (chats.list and left_chats.list; string and array texts with entities; service,
//                unsupported and caption-less media messages; older chats with a numeric from_id
//                and no date_unixtime; some "\xNN" escapes; planted recruitment posts)
//   lexicon.toml the starter lexicon followed by --terms generated plausible terms
//   terms.txt    every plain spelling of the lexicon, one per line (for rg -F -f / grep -F -f)
// Usage: scan-bench-generate --out DIR --starter lexicon/nl-recruitment.toml
//                            [--size-mb 1100] [--terms 1000] [--seed 42]

#include <fmt/format.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "outreach/lexicon.hpp"
#include "outreach/normaliser.hpp"
#include "synthetic_chat.hpp"

namespace {

using uitweg::bench::Random;

struct Options {
  std::string out;
  std::string starter;
  std::uint64_t size_mb = 1100;
  int terms = 1000;
  std::uint64_t seed = 42;
};

// Escapes as Telegram Desktop does: control characters other than \n \r \t as "\xNN".
void AppendJsonString(std::string& out, std::string_view text) {
  out.push_back('"');
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (u < 0x20) {
      out += fmt::format("\\x{:02X}", u);
    } else {
      out.push_back(c);
    }
  }
  out.push_back('"');
}

class ExportWriter {
 public:
  ExportWriter(std::FILE* file, Random& random) : file_(file), random_(random) {}
  ~ExportWriter() { Flush(); }

  std::uint64_t written() const { return written_ + buffer_.size(); }
  std::string& buffer() { return buffer_; }

  void MaybeFlush() {
    if (buffer_.size() > (8u << 20)) Flush();
  }
  void Flush() {
    std::fwrite(buffer_.data(), 1, buffer_.size(), file_);
    written_ += buffer_.size();
    buffer_.clear();
  }

  // One chat of about `budget` bytes.
  void WriteChat(std::int64_t chat_id, const std::string& name, std::string_view type,
                 bool old_format, std::uint64_t budget, std::int64_t& next_message_id,
                 std::int64_t& clock) {
    std::string& b = buffer_;
    b += "   {\n    \"name\": ";
    AppendJsonString(b, name);
    b += fmt::format(",\n    \"type\": \"{}\",\n    \"id\": {},\n    \"messages\": [\n", type,
                     chat_id);
    const std::uint64_t start = written();
    bool first = true;
    while (written() - start < budget) {
      if (!first) b += ",\n";
      first = false;
      WriteMessage(next_message_id++, old_format, clock);
      clock += 20 + random_.Below(600);
      MaybeFlush();
    }
    b += "\n    ]\n   }";
  }

 private:
  void WriteDate(bool old_format, std::int64_t clock) {
    const std::int64_t days = clock / 86400;
    const std::int64_t rest = clock % 86400;
    // Civil date for 2020..2029 from days since 1970 (Hinnant's algorithm).
    std::int64_t z = days + 719468;
    const std::int64_t era = z / 146097;
    const std::int64_t doe = z - era * 146097;
    const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const std::int64_t mp = (5 * doy + 2) / 153;
    const std::int64_t d = doy - (153 * mp + 2) / 5 + 1;
    const std::int64_t m = mp < 10 ? mp + 3 : mp - 9;
    const std::int64_t y = yoe + era * 400 + (m <= 2);
    buffer_ += fmt::format(",\n     \"date\": \"{:04}-{:02}-{:02}T{:02}:{:02}:{:02}\"", y, m, d,
                           rest / 3600, rest / 60 % 60, rest % 60);
    if (!old_format) buffer_ += fmt::format(",\n     \"date_unixtime\": \"{}\"", clock);
  }

  void WriteFrom(bool old_format) {
    const std::uint32_t user = 5550000 + random_.Below(400);
    buffer_ += ",\n     \"from\": ";
    AppendJsonString(buffer_, uitweg::bench::SenderName(random_));
    if (old_format) {
      buffer_ += fmt::format(",\n     \"from_id\": {}", user);
    } else {
      buffer_ += fmt::format(",\n     \"from_id\": \"user{}\"", user);
    }
  }

  struct Piece {
    std::string type;
    std::string text;
  };

  void WriteMessage(std::int64_t id, bool old_format, std::int64_t clock) {
    std::string& b = buffer_;
    const std::uint32_t roll = random_.Below(1000);
    if (roll < 5) {
      b += fmt::format("    {{\n     \"id\": {},\n     \"type\": \"unsupported\"\n    }}", id);
      return;
    }
    b += fmt::format("    {{\n     \"id\": {},\n     \"type\": \"{}\"", id,
                     roll < 35 ? "service" : "message");
    WriteDate(old_format, clock);
    if (roll < 35) {
      b += ",\n     \"actor\": ";
      AppendJsonString(b, uitweg::bench::SenderName(random_));
      b += fmt::format(
          ",\n     \"actor_id\": \"user{}\",\n     \"action\": \"join_group_by_link\","
          "\n     \"inviter\": \"Group\",\n     \"text\": \"\",\n"
          "     \"text_entities\": []\n    }}",
          5550000 + random_.Below(400));
      return;
    }
    WriteFrom(old_format);
    if (random_.Chance(0.05)) {
      b += fmt::format(",\n     \"reply_to_message_id\": {}", id - 1 - random_.Below(50));
    }
    pieces_.clear();
    if (roll < 75) {
      b +=
          ",\n     \"photo\": \"(File not included. Change data exporting settings to download.)\","
          "\n     \"width\": 1280,\n     \"height\": 960";
      if (random_.Chance(0.5)) {
        b += ",\n     \"text\": \"\",\n     \"text_entities\": []\n    }";
        return;
      }
    }
    std::string text;
    if (random_.Chance(0.004)) {
      uitweg::bench::AppendRecruitmentPost(random_, random_.Chance(0.6), text);
    } else {
      uitweg::bench::AppendInnocentMessage(random_, text);
    }
    if (random_.Chance(0.0005)) {
      // A control character the exporter writes as "\x0B", at a space so UTF-8 stays whole.
      const std::size_t space = text.find(' ', text.size() / 2);
      if (space != std::string::npos) text[space] = '\x0B';
    }
    pieces_.push_back({"plain", std::move(text)});
    if (random_.Chance(0.15)) {
      switch (random_.Below(5)) {
        case 0:
          pieces_.push_back({"plain", " Meer info: "});
          pieces_.push_back({"link", fmt::format("https://t.me/groep{}", random_.Below(900))});
          break;
        case 1:
          pieces_.push_back({"plain", " "});
          pieces_.push_back({"mention", fmt::format("@buurt{}", random_.Below(900))});
          break;
        case 2:
          pieces_.push_back({"plain", " Bel "});
          pieces_.push_back({"phone", fmt::format("+316{:08}", random_.Below(99999999))});
          break;
        case 3:
          pieces_.push_back({"plain", " "});
          pieces_.push_back({"hashtag", random_.Chance(0.1) ? "#moneyflips" : "#rotterdam"});
          break;
        default:
          pieces_.push_back({"plain", " Rekening "});
          pieces_.push_back({"bank_card", fmt::format("5355 {:04} {:04} {:04}", random_.Below(9999),
                                                      random_.Below(9999), random_.Below(9999))});
      }
    }
    b += ",\n     \"text\": ";
    if (pieces_.size() == 1) {
      AppendJsonString(b, pieces_[0].text);
    } else {
      b += "[\n";
      for (std::size_t i = 0; i < pieces_.size(); ++i) {
        if (i > 0) b += ",\n";
        if (pieces_[i].type == "plain") {
          b += "      ";
          AppendJsonString(b, pieces_[i].text);
        } else {
          b += "      {\n       \"type\": ";
          AppendJsonString(b, pieces_[i].type);
          b += ",\n       \"text\": ";
          AppendJsonString(b, pieces_[i].text);
          b += "\n      }";
        }
      }
      b += "\n     ]";
    }
    b += ",\n     \"text_entities\": [\n";
    for (std::size_t i = 0; i < pieces_.size(); ++i) {
      if (i > 0) b += ",\n";
      b += "      {\n       \"type\": ";
      AppendJsonString(b, pieces_[i].type);
      b += ",\n       \"text\": ";
      AppendJsonString(b, pieces_[i].text);
      b += "\n      }";
    }
    b += "\n     ]\n    }";
  }

  std::FILE* file_;
  Random& random_;
  std::string buffer_;
  std::uint64_t written_ = 0;
  std::vector<Piece> pieces_;
};

bool WriteExport(const Options& options, const std::string& path) {
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (file == nullptr) return false;
  Random random(options.seed);
  {
    ExportWriter w(file, random);
    std::string& b = w.buffer();
    b += "{\n \"about\": \"Here is the data you requested. Remember: Telegram is ad free, it "
         "doesn't collect your data for advertising.\",\n \"personal_information\": {\n  "
         "\"user_id\": 5550999,\n  \"first_name\": \"Analist\",\n  \"last_name\": \"\",\n  "
         "\"phone_number\": \"+31 6 00000000\",\n  \"username\": \"\",\n  \"bio\": \"\"\n },\n"
         " \"contacts\": {\n  \"about\": \"This is your contacts list.\",\n  \"list\": [\n";
    for (int i = 0; i < 50; ++i) {
      b += fmt::format(
          "   {{\n    \"first_name\": \"{}\",\n    \"last_name\": \"\",\n    "
          "\"phone_number\": \"+316{:08}\",\n    \"date\": \"2023-01-01T00:00:00\",\n"
          "    \"date_unixtime\": \"1672531200\"\n   }}{}\n",
          uitweg::bench::SenderName(random), random.Below(99999999), i < 49 ? "," : "");
    }
    b += "  ]\n },\n";
    const std::uint64_t total = options.size_mb * 1000 * 1000;
    const int chats = 20;
    const int left = 4;
    const std::uint64_t budget = total / (chats + left);
    std::int64_t message_id = 1;
    std::int64_t clock = 1'600'000'000;
    static constexpr const char* kTypes[] = {"public_supergroup", "public_channel",
                                             "private_supergroup", "private_group"};
    for (int section = 0; section < 2; ++section) {
      b += section == 0 ? " \"chats\": {\n  \"about\": \"This page lists all chats from this "
                          "export.\",\n  \"list\": [\n"
                        : " \"left_chats\": {\n  \"about\": \"This page lists all supergroups "
                          "and channels from this export that you've left.\",\n  \"list\": [\n";
      const int count = section == 0 ? chats : left;
      for (int c = 0; c < count; ++c) {
        const int index = section * chats + c;
        const std::string name =
            fmt::format("Buurtgroep {} #{}", index % 2 ? "Zuid" : "Noord", index);
        w.WriteChat(1'600'000'000 + index, name, kTypes[index % 4], index % 5 == 4, budget,
                    message_id, clock);
        b += c + 1 < count ? ",\n" : "\n";
      }
      b += section == 0 ? "  ]\n },\n" : "  ]\n }\n}\n";
    }
  }
  return std::fclose(file) == 0;
}

// Spellings the lexicon already has, normalised, so that generated terms never duplicate them.
std::set<std::string> KnownSpellings(const uitweg::outreach::Lexicon& lexicon) {
  std::set<std::string> known;
  for (const auto& term : lexicon.terms()) {
    known.insert(uitweg::outreach::Normalise(term.text));
    for (const std::string& v : term.variants) known.insert(uitweg::outreach::Normalise(v));
  }
  return known;
}

bool WriteLexicon(const Options& options, const std::string& lexicon_path,
                  const std::string& terms_path) {
  auto starter = uitweg::outreach::Lexicon::Load(options.starter);
  if (!starter) {
    std::fprintf(stderr, "scan-bench-generate: %s\n", starter.error().message.c_str());
    return false;
  }
  std::ifstream in(options.starter, std::ios::binary);
  std::stringstream starter_text;
  starter_text << in.rdbuf();
  std::set<std::string> known = KnownSpellings(*starter);
  std::vector<std::string> plain;
  for (const auto& term : starter->terms()) {
    if (!term.regex.empty()) continue;
    plain.push_back(term.text);
    for (const std::string& v : term.variants) plain.push_back(v);
  }

  static constexpr const char* kModifiers[] = {
      "snelle",     "makkelijke", "betaalde", "dikke",   "discrete", "anonieme",    "geheime",
      "vaste",      "extra",      "zwarte",   "grote",   "kleine",   "directe",     "vlotte",
      "simpele",    "legit",      "serieuze", "veilige", "stille",   "nachtelijke", "weekend",
      "dagelijkse", "gratis",     "goede",    "verse",   "echte",    "nieuwe",      "eerste",
      "laatste",    "korte",      "lange",    "late",    "vroege",   "rustige"};
  struct Noun {
    const char* text;
    const char* category;
  };
  static constexpr Noun kNouns[] = {{"pas", "money_mule"},      {"bankpas", "money_mule"},
                                    {"rekening", "money_mule"}, {"iban", "money_mule"},
                                    {"geldezel", "money_mule"}, {"katvanger", "money_mule"},
                                    {"klus", "explosives"},     {"klusje", "explosives"},
                                    {"werker", "explosives"},   {"soldaat", "explosives"},
                                    {"knal", "explosives"},     {"kraak", "explosives"},
                                    {"pakket", "courier"},      {"rit", "courier"},
                                    {"koerier", "courier"},     {"runner", "courier"},
                                    {"drop", "courier"},        {"levering", "courier"},
                                    {"lijn", "courier"},        {"bestelling", "courier"},
                                    {"opslag", "housing"},      {"kamer", "housing"},
                                    {"zolder", "housing"},      {"schuur", "housing"},
                                    {"lading", "port"},         {"box", "port"},
                                    {"uithaal", "port"},        {"kade", "port"},
                                    {"cash", "quick_money"},    {"poen", "quick_money"},
                                    {"doekoe", "quick_money"},  {"stack", "quick_money"},
                                    {"flip", "quick_money"},    {"bonus", "quick_money"},
                                    {"job", "quick_money"},     {"deal", "quick_money"},
                                    {"plug", "drugs"},          {"menu", "drugs"},
                                    {"tik", "drugs"},           {"snuif", "drugs"}};
  std::string generated;
  int made = 0;
  Random random(options.seed ^ 0x5EED);
  for (const Noun& noun : kNouns) {
    for (const char* modifier : kModifiers) {
      if (made >= options.terms) break;
      const std::string text = fmt::format("{} {}", modifier, noun.text);
      if (!known.insert(uitweg::outreach::Normalise(text)).second) continue;
      generated += fmt::format(
          "\n[[term]]\ntext = \"{}\"\ncategory = \"{}\"\nweight = {}\nsource = \"generated for "
          "the scan benchmark\"\n",
          text, noun.category, 0.5 + 0.5 * random.Below(6));
      plain.push_back(text);
      ++made;
    }
  }
  if (made < options.terms) {
    std::fprintf(stderr, "scan-bench-generate: only %d distinct generated terms\n", made);
    return false;
  }
  std::ofstream lexicon(lexicon_path, std::ios::binary);
  lexicon << starter_text.str() << "\n# Generated terms for the scan benchmark.\n" << generated;
  std::ofstream terms(terms_path, std::ios::binary);
  for (const std::string& t : plain) terms << t << "\n";
  return lexicon.good() && terms.good();
}

bool ParseOptions(int argc, char** argv, Options& options) {
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string_view name = argv[i];
    const char* value = argv[i + 1];
    if (name == "--out") {
      options.out = value;
    } else if (name == "--starter") {
      options.starter = value;
    } else if (name == "--size-mb") {
      options.size_mb = std::strtoull(value, nullptr, 10);
    } else if (name == "--terms") {
      options.terms = std::atoi(value);
    } else if (name == "--seed") {
      options.seed = std::strtoull(value, nullptr, 10);
    } else {
      return false;
    }
  }
  return argc % 2 == 1 && !options.out.empty() && !options.starter.empty() && options.size_mb > 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  if (!ParseOptions(argc, argv, options)) {
    std::fputs(
        "usage: scan-bench-generate --out DIR --starter LEXICON [--size-mb N] "
        "[--terms N] [--seed N]\n",
        stderr);
    return 2;
  }
  std::filesystem::create_directories(options.out);
  const std::filesystem::path dir(options.out);
  if (!WriteLexicon(options, (dir / "lexicon.toml").string(), (dir / "terms.txt").string())) {
    return 1;
  }
  if (!WriteExport(options, (dir / "export.json").string())) {
    std::fprintf(stderr, "scan-bench-generate: cannot write %s\n", (dir / "export.json").c_str());
    return 1;
  }
  return 0;
}
