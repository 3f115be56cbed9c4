#include "app/scan_command.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <charconv>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "app/args.hpp"
#include "app/scan_output.hpp"
#include "outreach/analyzer.hpp"
#include "outreach/compiled_cache.hpp"
#include "outreach/lexicon.hpp"
#include "outreach/scan_pipeline.hpp"
#include "outreach/text_model.hpp"

namespace uitweg::app {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitInputFailed = 1;
constexpr int kExitUsage = 2;

constexpr std::string_view kUsage =
    "usage: uitweg scan FILE... [--lexicon FILE] [--model FILE | --no-model]\n"
    "                   [--format table|jsonl|csv] [--min-score N] [--threads N]\n"
    "                   [--cache DIR | --no-cache] [--help]\n"
    "\n"
    "Finds recruitment posts in exported channel histories and prints them, highest score\n"
    "first, near-duplicates grouped. Each FILE is a Telegram Desktop JSON export (one chat or\n"
    "a full export), JSON Lines or CSV with a text column, or plain text with one post per\n"
    "line; the kind is detected from the content. A Telegram export folder stands for the\n"
    "result.json in it.\n"
    "\n"
    "  --lexicon FILE   the TOML lexicon (default: lexicon/nl-recruitment.toml here, or\n"
    "                   beside the program)\n"
    "  --model FILE     the learned scorer that adds to the lexicon's score, trained by\n"
    "                   `uitweg outreach train` (default: model/nl-recruitment.model here\n"
    "                   or beside the program, when there is one)\n"
    "  --no-model       score with the lexicon alone\n"
    "  --format F       table (default), jsonl or csv\n"
    "  --min-score N    report posts scoring at least N (default: the lexicon's min_score)\n"
    "  --threads N      worker threads (default: the number of hardware threads)\n"
    "  --cache DIR      where compiled lexicons are kept, so that a lexicon compiles once\n"
    "                   (default: $XDG_CACHE_HOME/uitweg/lexicons or ~/.cache/uitweg/lexicons)\n"
    "  --no-cache       compile the lexicon and keep nothing\n"
    "\n"
    "Exit status: 0 success, 1 some file could not be read or parsed (the others are still\n"
    "scanned), 2 usage error or unusable lexicon.\n";

struct Arguments {
  std::vector<std::string> files;
  std::string lexicon;
  std::string model;
  bool no_model = false;
  ScanFormat format = ScanFormat::table;
  bool has_min_score = false;
  double min_score = 0;
  int threads = 0;
  std::string cache;
  bool no_cache = false;
  bool help = false;
};

bool ParseNumber(std::string_view text, double& out) {
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, out);
  return ec == std::errc() && ptr == end;
}

bool ParseCount(std::string_view text, int& out) {
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, out);
  return ec == std::errc() && ptr == end && out >= 1 && out <= 1024;
}

// The checked arguments of a scan, or the usage error, which names the flag or the word.
core::Result<Arguments> ParseArguments(int argc, char** argv) {
  UITWEG_TRY_ASSIGN(const Args parsed,
                    Args::Parse(argc - 1, argv + 1,
                                {"lexicon", "model", "format", "min-score", "threads", "cache"},
                                {"help", "no-model", "no-cache"}, Positionals::collected));
  Arguments args;
  args.help = parsed.Has("help");
  args.files = parsed.positional();
  for (const std::string& file : args.files) {
    if (file.empty()) return core::Fail(core::Errc::invalid_argument, "empty file name");
  }
  if (std::optional<std::string> lexicon = parsed.Get("lexicon")) {
    if (lexicon->empty()) {
      return core::Fail(core::Errc::invalid_argument, "--lexicon needs a file name");
    }
    args.lexicon = *lexicon;
  }
  args.no_model = parsed.Has("no-model");
  if (std::optional<std::string> model = parsed.Get("model")) {
    if (model->empty())
      return core::Fail(core::Errc::invalid_argument, "--model needs a file name");
    if (args.no_model) {
      return core::Fail(core::Errc::invalid_argument, "--model and --no-model exclude each other");
    }
    args.model = *model;
  }
  if (std::optional<std::string> format = parsed.Get("format")) {
    if (!ParseScanFormat(*format, args.format)) {
      return core::Fail(core::Errc::invalid_argument,
                        fmt::format("--format must be table, jsonl or csv, not '{}'", *format));
    }
  }
  if (std::optional<std::string> min_score = parsed.Get("min-score")) {
    if (!ParseNumber(*min_score, args.min_score) || args.min_score < 0) {
      return core::Fail(core::Errc::invalid_argument,
                        fmt::format("--min-score must be a number >= 0, not '{}'", *min_score));
    }
    args.has_min_score = true;
  }
  if (std::optional<std::string> threads = parsed.Get("threads")) {
    if (!ParseCount(*threads, args.threads)) {
      return core::Fail(
          core::Errc::invalid_argument,
          fmt::format("--threads must be a whole number from 1 to 1024, not '{}'", *threads));
    }
  }
  args.no_cache = parsed.Has("no-cache");
  if (std::optional<std::string> cache = parsed.Get("cache")) {
    if (cache->empty()) return core::Fail(core::Errc::invalid_argument, "--cache needs a folder");
    if (args.no_cache) {
      return core::Fail(core::Errc::invalid_argument, "--cache and --no-cache exclude each other");
    }
    args.cache = *cache;
  }
  if (!args.help && args.files.empty()) {
    return core::Fail(core::Errc::invalid_argument, "no input files");
  }
  return args;
}

// Rewrites one line on stderr a few times a second until stopped.
class ProgressLine {
 public:
  explicit ProgressLine(const outreach::ScanProgress& progress) : progress_(progress) {
    thread_ = std::thread([this] { Run(); });
  }
  ~ProgressLine() {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    wake_.notify_one();
    thread_.join();
    std::fputs("\r\x1b[K", stderr);
  }
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

 private:
  void Run() {
    const auto start = std::chrono::steady_clock::now();
    std::unique_lock lock(mutex_);
    while (!wake_.wait_for(lock, std::chrono::milliseconds(250), [this] { return stop_; })) {
      const double seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      const double done = static_cast<double>(progress_.bytes_done.load()) / 1e6;
      const double total = static_cast<double>(progress_.bytes_total.load()) / 1e6;
      std::fputs(fmt::format("\r\x1b[Kscan: {:.0f}/{:.0f} MB, {} posts, {:.0f} MB/s", done, total,
                             progress_.posts.load(), seconds > 0 ? done / seconds : 0.0)
                     .c_str(),
                 stderr);
      std::fflush(stderr);
    }
  }

  const outreach::ScanProgress& progress_;
  std::thread thread_;
  // Guarded by mutex_:
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
};

// The model the arguments ask for; null for --no-model and when the default file is absent.
core::Result<std::shared_ptr<const outreach::TextModel>> LoadModel(const Arguments& args,
                                                                   std::string_view argv0) {
  if (args.no_model) return std::shared_ptr<const outreach::TextModel>();
  std::string path = args.model;
  if (path.empty()) {
    path = outreach::DefaultModelPath(argv0);
    std::error_code error;
    if (!std::filesystem::exists(path, error)) return std::shared_ptr<const outreach::TextModel>();
  }
  UITWEG_TRY_ASSIGN(outreach::TextModel model, outreach::TextModel::Load(path));
  return std::make_shared<const outreach::TextModel>(std::move(model));
}

void WriteOut(std::string_view text) {
  std::fwrite(text.data(), 1, text.size(), stdout);
}

}  // namespace

int RunScanCommand(int argc, char** argv) {
  core::Result<Arguments> parsed = ParseArguments(argc, argv);
  if (!parsed) {
    std::fputs(fmt::format("uitweg scan: {}\n\n{}", parsed.error().message, kUsage).c_str(),
               stderr);
    return kExitUsage;
  }
  const Arguments& args = *parsed;
  if (args.help) {
    WriteOut(kUsage);
    std::fflush(stdout);
    return kExitOk;
  }
  const std::string lexicon_path =
      args.lexicon.empty() ? outreach::DefaultLexiconPath(argc > 0 ? argv[0] : "") : args.lexicon;
  core::Result<outreach::Lexicon> lexicon = outreach::Lexicon::Load(lexicon_path);
  if (!lexicon) {
    std::fputs(fmt::format("uitweg scan: {}\n", lexicon.error().message).c_str(), stderr);
    return kExitUsage;
  }
  core::Result<std::shared_ptr<const outreach::TextModel>> model =
      LoadModel(args, argc > 0 ? argv[0] : "");
  if (!model) {
    std::fputs(fmt::format("uitweg scan: {}\n", model.error().message).c_str(), stderr);
    return kExitUsage;
  }
  std::optional<outreach::CompiledCache> cache;
  if (!args.no_cache) {
    const std::filesystem::path folder = args.cache.empty() ? outreach::DefaultCompiledCacheFolder()
                                                            : std::filesystem::path(args.cache);
    if (!folder.empty()) cache.emplace(folder);
  }
  core::Result<std::unique_ptr<outreach::Analyzer>> analyzer =
      outreach::Analyzer::Create(*lexicon, *model, cache ? &*cache : nullptr);
  if (!analyzer) {
    std::fputs(fmt::format("uitweg scan: {}\n", analyzer.error().message).c_str(), stderr);
    return kExitUsage;
  }

  outreach::ScanOptions options;
  const unsigned hardware = std::thread::hardware_concurrency();
  options.threads = args.threads > 0 ? args.threads : static_cast<int>(hardware > 0 ? hardware : 1);
  options.min_score = args.has_min_score ? args.min_score : (*analyzer)->min_score();
  outreach::ScanProgress progress;
  outreach::ScanReport report;
  {
    std::optional<ProgressLine> line;
    if (isatty(STDERR_FILENO)) line.emplace(progress);
    report = outreach::ScanFiles(**analyzer, args.files, options, progress);
  }

  switch (args.format) {
    case ScanFormat::jsonl: WriteJsonl(report, WriteOut); break;
    case ScanFormat::csv: WriteCsv(report, WriteOut); break;
    case ScanFormat::table: WriteTable(report, isatty(STDOUT_FILENO) != 0, WriteOut); break;
  }
  std::fflush(stdout);
  for (const core::Error& failure : report.failures) {
    std::fputs(fmt::format("uitweg scan: {}\n", failure.message).c_str(), stderr);
  }
  return report.failures.empty() ? kExitOk : kExitInputFailed;
}

}  // namespace uitweg::app
