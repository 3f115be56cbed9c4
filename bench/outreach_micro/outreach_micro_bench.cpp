// Analyze throughput on synthetic chat posts: 99 in 100 innocent (Dutch school, sport, family
// and marketplace chatter with emoji, numbers and names), 1 in 100 a recruitment advert; one post
// at a time (Analyze) and in runs of 4,096 posts (AnalyzeBatch, as the scan does).
// Deterministic: the same posts on every run. Reports bytes/s of post text. Near-duplicate
// clustering of 10,000 flagged posts (reposted ads with other numbers, emoji, case and words):
// their signatures, and the clusters from those.
//
//   build-x/bench/outreach_micro/outreach_micro_bench [--benchmark_filter=Analyze]

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <set>
#include <span>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "outreach/analyzer.hpp"
#include "outreach/lexicon.hpp"
#include "outreach/near_duplicates.hpp"
#include "outreach/normaliser.hpp"

namespace uitweg::outreach {
namespace {

constexpr std::string_view kInnocent[] = {
    "Hoi allemaal, morgen training om 19:00 in de sporthal",
    "wie heeft de aantekeningen van wiskunde? ik was ziek",
    "Mijn pakketje van bol is nog steeds niet bezorgd 😩",
    "Zondag met opa naar de haven, vis eten 🐟",
    "Te huur: kamer in Utrecht, 550 per maand, bel de verhuurder",
    "hahaha echt niet 😂😂",
    "Iemand zin om te gamen vanavond? Fortnite of FIFA",
    "Morgen toets geschiedenis, hoofdstuk 4 en 5!!",
    "Wie gaat er mee naar de Efteling in de meivakantie?",
    "ik heb 20 euro gevonden op straat, geluksdag 🍀",
    "Vergeet niet je gymspullen mee te nemen",
    "Sneeuw ❄️ eindelijk sleeën",
    "De bus was weer te laat, zo irritant",
    "Gefeliciteerd Sam!!! 🎉🎂",
    "kan iemand me helpen met Engels? ik snap de opdracht niet",
    "Verkoop mijn oude fiets, 80 euro, ophalen in Gouda",
    "Vacature: vakkenvuller bij de Jumbo, 15 jaar en ouder, solliciteer via de site",
    "wat eten we vanavond mam?",
    "Ik ben er over 10 min, wacht bij de ingang",
    "Stage gevonden bij een garage in Tilburg!",
    "Wie heeft er nog een oplader voor een iPhone?",
    "Het onweert zo hard ⚡ niet slapen dus",
    "Vanavond voetbal kijken bij Daan, neem chips mee",
    "De mentor heeft de cijfers online gezet",
    "Mijn broer werkt in de haven als sjorder, zwaar werk",
    "Zaterdag verjaardag van oma, iedereen welkom",
    "Wie wil er mee fietsen naar het strand? 🚲☀️",
    "Weet iemand hoe laat de bieb open is?",
    "ik moet nog zoveel huiswerk maken 😭",
    "Goedemorgen! Fijne dag allemaal ☕",
};

constexpr std::string_view kRecruitment[] = {
    "Wil jij snel geld verdienen? Leen je pinpas uit, 500 euro per dag! DM",
    "B.A.N.K.P.A.S uitlenen = 1000 euro, geen vragen, snap me",
    "Uithalers gezocht Maasvlakte 5k per nacht, pv",
    "Menukaart in de dm ❄️💊🔌 24/7 bezorgd",
};

// xorshift64*: deterministic and the same on every platform.
class Random {
 public:
  std::uint64_t Next() {
    state_ ^= state_ >> 12;
    state_ ^= state_ << 25;
    state_ ^= state_ >> 27;
    return state_ * 0x2545F4914F6CDD1DULL;
  }
  std::size_t Below(std::size_t n) { return static_cast<std::size_t>(Next() % n); }

 private:
  std::uint64_t state_ = 0x9E3779B97F4A7C15ULL;
};

std::vector<std::string> MakePosts(std::size_t count) {
  Random random;
  std::vector<std::string> posts;
  posts.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    if (random.Below(100) == 0) {
      posts.emplace_back(kRecruitment[random.Below(std::size(kRecruitment))]);
      continue;
    }
    std::string post;
    const std::size_t sentences = 1 + random.Below(3);
    for (std::size_t s = 0; s < sentences; ++s) {
      if (s > 0) post += ' ';
      post += kInnocent[random.Below(std::size(kInnocent))];
    }
    posts.push_back(std::move(post));
  }
  return posts;
}

const std::vector<std::string>& Posts() {
  static const std::vector<std::string> posts = MakePosts(20000);
  return posts;
}

std::int64_t TotalBytes() {
  std::int64_t bytes = 0;
  for (const std::string& post : Posts()) bytes += static_cast<std::int64_t>(post.size());
  return bytes;
}

constexpr const char* kStarterPath = UITWEG_SOURCE_DIR "/lexicon/nl-recruitment.toml";

std::string LoadStarterText() {
  std::ifstream file(kStarterPath, std::ios::binary);
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

Lexicon LoadStarter() {
  auto lexicon = Lexicon::Load(kStarterPath);
  if (!lexicon) {
    std::fprintf(stderr, "%s\n", lexicon.error().message.c_str());
    std::exit(1);
  }
  return std::move(*lexicon);
}

// The starter lexicon plus generated two-word terms, to reach the size of a mature lexicon.
Lexicon LoadLarge() {
  constexpr std::string_view kFirst[] = {
      "snel",   "zwart",  "extra", "makkelijk", "stil", "groot",  "klein", "nieuw",
      "vast",   "los",    "dik",   "vet",       "top",  "mega",   "super", "echt",
      "gratis", "cash",   "wit",   "blauw",     "rood", "nacht",  "dag",   "week",
      "geheim", "direct", "vrij",  "open",      "goud", "zilver", "ijs",   "sneeuw"};
  constexpr std::string_view kSecond[] = {
      "klusser", "runner",     "koerierster", "pakketdienst", "levering",   "poeder",
      "zakje",   "pasje",      "kaartje",     "rekeningetje", "overboeker", "afhaler",
      "brenger", "rijder",     "loper",       "bewaarder",    "stasher",    "shooter",
      "werker",  "bommetje",   "vuurwerkje",  "deal",         "deals",      "lijntje",
      "plugje",  "bestelling", "menu",        "lijst",        "handel",     "spul",
      "zaak",    "baan"};
  const Lexicon starter = LoadStarter();
  std::set<std::string> taken;
  for (const LexiconTerm& term : starter.terms()) {
    taken.insert(Normalise(term.text));
    for (const std::string& variant : term.variants) taken.insert(Normalise(variant));
  }
  std::string toml(LoadStarterText());
  for (std::string_view first : kFirst) {
    for (std::string_view second : kSecond) {
      if (taken.contains(Normalise(std::string(first) + ' ' + std::string(second)))) continue;
      toml += "\n[[term]]\ntext = \"";
      toml += first;
      toml += ' ';
      toml += second;
      toml += "\"\ncategory = \"generated\"\nweight = 1\n";
    }
  }
  auto lexicon = Lexicon::Parse(toml, "large.toml");
  if (!lexicon) {
    std::fprintf(stderr, "%s\n", lexicon.error().message.c_str());
    std::exit(1);
  }
  return std::move(*lexicon);
}

void BM_Normalise(benchmark::State& state) {
  Normaliser normaliser;
  for (auto _ : state) {
    for (const std::string& post : Posts()) benchmark::DoNotOptimize(normaliser.Normalise(post));
  }
  state.SetBytesProcessed(state.iterations() * TotalBytes());
}
BENCHMARK(BM_Normalise)->Unit(benchmark::kMillisecond);

void RunAnalyze(benchmark::State& state, const Lexicon& lexicon) {
  auto analyzer = Analyzer::Create(lexicon);
  if (!analyzer) {
    state.SkipWithError(analyzer.error().message.c_str());
    return;
  }
  auto worker = (*analyzer)->NewWorker();
  std::vector<Post> posts(Posts().size());
  for (std::size_t i = 0; i < posts.size(); ++i) posts[i].text = Posts()[i];
  std::int64_t flagged = 0;
  for (auto _ : state) {
    for (const Post& post : posts) {
      flagged +=
          (*analyzer)->Analyze(post, *worker, lexicon.min_score()).score >= lexicon.min_score() ? 1
                                                                                                : 0;
    }
  }
  state.SetBytesProcessed(state.iterations() * TotalBytes());
  state.counters["terms"] = static_cast<double>(lexicon.term_count());
  state.counters["flagged_per_run"] =
      static_cast<double>(flagged) / static_cast<double>(state.iterations());
}

// The same posts through AnalyzeBatch, in runs as the scan pipeline hands them over.
void RunAnalyzeBatch(benchmark::State& state, const Lexicon& lexicon) {
  auto analyzer = Analyzer::Create(lexicon);
  if (!analyzer) {
    state.SkipWithError(analyzer.error().message.c_str());
    return;
  }
  auto worker = (*analyzer)->NewWorker();
  std::vector<Post> posts(Posts().size());
  for (std::size_t i = 0; i < posts.size(); ++i) posts[i].text = Posts()[i];
  constexpr std::size_t kRun = 4096;
  std::vector<PostFinding> found;
  std::int64_t flagged = 0;
  for (auto _ : state) {
    for (std::size_t first = 0; first < posts.size(); first += kRun) {
      found.clear();
      const std::span<const Post> run =
          std::span<const Post>(posts).subspan(first, std::min(kRun, posts.size() - first));
      (*analyzer)->AnalyzeBatch(run, *worker, lexicon.min_score(), found);
      flagged += static_cast<std::int64_t>(found.size());
    }
  }
  state.SetBytesProcessed(state.iterations() * TotalBytes());
  state.counters["terms"] = static_cast<double>(lexicon.term_count());
  state.counters["flagged_per_run"] =
      static_cast<double>(flagged) / static_cast<double>(state.iterations());
}

void BM_AnalyzeStarterLexicon(benchmark::State& state) {
  static const Lexicon lexicon = LoadStarter();
  RunAnalyze(state, lexicon);
}
BENCHMARK(BM_AnalyzeStarterLexicon)->Unit(benchmark::kMillisecond);

void BM_AnalyzeLargeLexicon(benchmark::State& state) {
  static const Lexicon lexicon = LoadLarge();
  RunAnalyze(state, lexicon);
}
BENCHMARK(BM_AnalyzeLargeLexicon)->Unit(benchmark::kMillisecond);

void BM_AnalyzeBatchStarterLexicon(benchmark::State& state) {
  static const Lexicon lexicon = LoadStarter();
  RunAnalyzeBatch(state, lexicon);
}
BENCHMARK(BM_AnalyzeBatchStarterLexicon)->Unit(benchmark::kMillisecond);

void BM_AnalyzeBatchLargeLexicon(benchmark::State& state) {
  static const Lexicon lexicon = LoadLarge();
  RunAnalyzeBatch(state, lexicon);
}
BENCHMARK(BM_AnalyzeBatchLargeLexicon)->Unit(benchmark::kMillisecond);

void BM_CompileStarterLexicon(benchmark::State& state) {
  static const Lexicon lexicon = LoadStarter();
  for (auto _ : state) benchmark::DoNotOptimize(Analyzer::Create(lexicon));
}
BENCHMARK(BM_CompileStarterLexicon)->Unit(benchmark::kMillisecond)->Iterations(2);

// `text` with its "{}" (if any) replaced by `number`.
std::string Fill(std::string_view text, std::size_t number) {
  std::string out(text);
  if (const std::size_t at = out.find("{}"); at != std::string::npos) {
    out.replace(at, 2, std::to_string(number));
  }
  return out;
}

// 10,000 flagged posts: 500 ads, each a stock opener, 12 to 20 words drawn from 2,000 made-up
// ones, a price and a contact line, posted 20 times with another amount, phone number and emoji,
// sometimes shouted, sometimes with one word changed.
std::vector<std::string> MakeFlaggedPosts() {
  constexpr std::string_view kOpeners[] = {
      "Wil jij snel geld verdienen?", "Zoek mensen voor makkelijk werk.",
      "Yo wie wil doekoe maken?",     "Bijverdienen vanuit huis?",
      "Geen zin meer in blut zijn?",  "Alleen serieuze mensen!"};
  constexpr std::string_view kSyllables[] = {"ka", "lo",  "mi",  "ver", "sto", "bra", "den", "pul",
                                             "ge", "rin", "tas", "mo",  "kel", "dra", "fu",  "zin"};
  constexpr std::string_view kPrices[] = {"en krijg {} euro cash.", "voor {} per week.",
                                          "{} euro p/d, geen vragen.",
                                          "vandaag nog {} in je hand."};
  constexpr std::string_view kContacts[] = {"Stuur een dm voor info", "App {}", "Inbox mij",
                                            "Snap me voor details", "Info in bio"};
  constexpr std::string_view kEmoji[] = {"", " 💰", " 🔥🔥", " 💳💸", " 🤑"};
  Random random;
  std::vector<std::string> vocabulary;
  for (int i = 0; i < 2000; ++i) {
    std::string word;
    for (std::size_t n = 2 + random.Below(2); n > 0; --n) {
      word += kSyllables[random.Below(std::size(kSyllables))];
    }
    vocabulary.push_back(std::move(word));
  }
  std::vector<std::string> posts;
  for (std::size_t ad = 0; ad < 500; ++ad) {
    const std::string_view opener = kOpeners[random.Below(std::size(kOpeners))];
    std::vector<std::string_view> words(12 + random.Below(9));
    for (std::string_view& word : words) word = vocabulary[random.Below(vocabulary.size())];
    const std::string_view price = kPrices[random.Below(std::size(kPrices))];
    const std::string_view contact = kContacts[random.Below(std::size(kContacts))];
    for (int repost = 0; repost < 20; ++repost) {
      // One draw per statement, so the order of draws is fixed.
      std::vector<std::string_view> changed = words;
      if (random.Below(4) == 0) {
        changed[random.Below(changed.size())] = vocabulary[random.Below(vocabulary.size())];
      }
      std::string post(opener);
      post += kEmoji[random.Below(std::size(kEmoji))];
      for (const std::string_view word : changed) {
        post += ' ';
        post += word;
      }
      post += ' ';
      post += Fill(price, 100 * (1 + random.Below(30)));
      post += ' ';
      post += Fill(contact, 612000000 + random.Below(999999));
      post += kEmoji[random.Below(std::size(kEmoji))];
      if (random.Below(5) == 0) {
        std::transform(post.begin(), post.end(), post.begin(), [](char c) {
          return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
        });
      }
      posts.push_back(std::move(post));
    }
  }
  // Reposts arrive mixed, as the scan's score order would hand them over.
  for (std::size_t i = posts.size() - 1; i > 0; --i)
    std::swap(posts[i], posts[random.Below(i + 1)]);
  return posts;
}

const std::vector<std::string>& FlaggedPosts() {
  static const std::vector<std::string> posts = MakeFlaggedPosts();
  return posts;
}

// What each scan worker does per flagged post.
void BM_NearDuplicateFingerprints(benchmark::State& state) {
  for (auto _ : state) {
    for (const std::string& post : FlaggedPosts()) benchmark::DoNotOptimize(Fingerprint(post));
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(FlaggedPosts().size()));
}
BENCHMARK(BM_NearDuplicateFingerprints)->Unit(benchmark::kMillisecond);

// What the scan does once, after sorting: clusters from the signatures.
void BM_AssignClusters(benchmark::State& state) {
  std::vector<MinHashSignature> signatures;
  for (const std::string& post : FlaggedPosts()) signatures.push_back(Fingerprint(post));
  std::uint32_t clusters = 0;
  for (auto _ : state) {
    NearDuplicateClusters near_duplicates;
    for (const MinHashSignature& signature : signatures) near_duplicates.Add(signature);
    const std::vector<std::uint32_t> numbers = near_duplicates.ClusterNumbers();
    clusters = *std::max_element(numbers.begin(), numbers.end());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(signatures.size()));
  state.counters["clusters"] = clusters;
}
BENCHMARK(BM_AssignClusters)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace uitweg::outreach

BENCHMARK_MAIN();
