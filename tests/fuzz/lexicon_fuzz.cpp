// Fuzzes the lexicon parser. Lexicon::Parse promises that a lexicon it accepts compiles, but for
// a regex too large for Hyperscan, which Analyzer::Create reports with the source and line; so
// small accepted lexicons are also compiled into an Analyzer and run over a short post.
#include <string_view>

#include "fuzz_support.hpp"
#include "outreach/analyzer.hpp"
#include "outreach/lexicon.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace uitweg;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  core::Result<outreach::Lexicon> lexicon = outreach::Lexicon::Parse(text, "fuzz.toml");
  if (!lexicon) {
    if (lexicon.error().message.rfind("fuzz.toml:", 0) != 0) __builtin_trap();
    return 0;
  }
  if (lexicon->term_count() > 8) return 0;
  core::Result<std::unique_ptr<outreach::Analyzer>> analyzer = outreach::Analyzer::Create(*lexicon);
  if (!analyzer) {
    if (analyzer.error().message.rfind("fuzz.toml:", 0) != 0) __builtin_trap();
    return 0;
  }
  auto worker = (*analyzer)->NewWorker();
  outreach::Post post;
  post.text = "Snel geld! P1npas uitlenen, b.a.n.k.p.a.s, DM voor info ❄️ 💰";
  post.entities.push_back({"phone", "+31612345678"});
  outreach::Finding finding = (*analyzer)->Analyze(post, *worker);
  if (finding.score < 0) __builtin_trap();
  fuzz::Keep(finding.matches.size());
  return 0;
}
