#include "app/outreach_command.hpp"

#include <fmt/format.h>

#include <boost/json.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "app/args.hpp"
#include "outreach/analyzer.hpp"
#include "outreach/lexicon.hpp"
#include "outreach/text_model_training.hpp"

namespace uitweg::app {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;

constexpr std::string_view kUsage =
    "usage: uitweg outreach train LABELLED.jsonl... [--lexicon FILE] [--out FILE]\n"
    "\n"
    "Trains the learned scorer that `uitweg scan` adds to the lexicon's score, from labelled\n"
    "posts, one JSON object per line: {\"text\": ..., \"label\": 1|0} or {\"text\": ...,\n"
    "\"verdict\": \"recruitment\"|\"not\"|\"unsure\"} (the console's verdict export), with an\n"
    "optional \"author\". Unsure verdicts and lines whose \"set\" is \"heldout\" are skipped.\n"
    "\n"
    "  --lexicon FILE   the lexicon the model joins (default: lexicon/nl-recruitment.toml)\n"
    "  --out FILE       where to write the model (default: model/nl-recruitment.model)\n"
    "\n"
    "Exit status: 0 success, 1 unreadable input or unwritable model, 2 usage error.\n";

struct ReadCounts {
  int held_out = 0;
  int unsure = 0;
};

// The labelled posts of one file; invalid_argument naming the file and line for a bad line.
core::Status ReadLabelled(const std::string& path, std::vector<outreach::LabelledPost>& posts,
                          ReadCounts& counts) {
  std::ifstream file(path);
  if (!file) return core::Fail(core::Errc::not_found, fmt::format("cannot read {}", path));
  std::string line;
  int number = 0;
  while (std::getline(file, line)) {
    ++number;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    const auto bad = [&](std::string_view what) {
      return core::Fail(core::Errc::invalid_argument, fmt::format("{}:{}: {}", path, number, what));
    };
    boost::system::error_code error;
    const boost::json::value value = boost::json::parse(line, error);
    if (error || !value.is_object()) return bad("not a JSON object");
    const boost::json::object& object = value.as_object();
    const auto* text = object.if_contains("text");
    if (text == nullptr || !text->is_string()) return bad("no \"text\" string");
    if (const auto* set = object.if_contains("set");
        set && set->is_string() && set->as_string() == "heldout") {
      ++counts.held_out;
      continue;
    }
    outreach::LabelledPost post;
    post.text = std::string(text->as_string());
    if (const auto* author = object.if_contains("author"); author && author->is_string()) {
      post.author = std::string(author->as_string());
    }
    if (const auto* label = object.if_contains("label")) {
      if (!label->is_int64() || (label->as_int64() != 0 && label->as_int64() != 1)) {
        return bad("\"label\" must be 0 or 1");
      }
      post.recruitment = label->as_int64() == 1;
    } else if (const auto* verdict = object.if_contains("verdict");
               verdict && verdict->is_string()) {
      if (verdict->as_string() == "unsure") {
        ++counts.unsure;
        continue;
      }
      if (verdict->as_string() != "recruitment" && verdict->as_string() != "not") {
        return bad("\"verdict\" must be recruitment, not or unsure");
      }
      post.recruitment = verdict->as_string() == "recruitment";
    } else {
      return bad("no \"label\" or \"verdict\"");
    }
    posts.push_back(std::move(post));
  }
  return {};
}

int Train(const Args& parsed, std::string_view argv0) {
  const std::string lexicon_path =
      parsed.Get("lexicon").value_or(outreach::DefaultLexiconPath(argv0));
  const std::string out_path = parsed.Get("out").value_or("model/nl-recruitment.model");
  std::vector<outreach::LabelledPost> posts;
  ReadCounts counts;
  for (std::size_t i = 1; i < parsed.positional().size(); ++i) {
    if (core::Status read = ReadLabelled(parsed.positional()[i], posts, counts); !read) {
      std::fputs(fmt::format("uitweg outreach train: {}\n", read.error().message).c_str(), stderr);
      return kExitFailed;
    }
  }
  core::Result<outreach::Lexicon> lexicon = outreach::Lexicon::Load(lexicon_path);
  if (!lexicon) {
    std::fputs(fmt::format("uitweg outreach train: {}\n", lexicon.error().message).c_str(), stderr);
    return kExitUsage;
  }
  auto analyzer = outreach::Analyzer::Create(*lexicon);
  if (!analyzer) {
    std::fputs(fmt::format("uitweg outreach train: {}\n", analyzer.error().message).c_str(),
               stderr);
    return kExitUsage;
  }
  auto worker = (*analyzer)->NewWorker();
  for (outreach::LabelledPost& post : posts) {
    outreach::Post scanned;
    scanned.text = post.text;
    scanned.author = post.author;
    const outreach::Finding finding = (*analyzer)->Analyze(scanned, *worker);
    post.lexicon_score = finding.score;
    post.lexicon_hit = !finding.matches.empty();
  }

  outreach::TrainingOptions options;
  options.min_score = lexicon->min_score();
  outreach::TrainingReport report;
  core::Result<outreach::TextModel> model = outreach::TrainTextModel(posts, options, report);
  if (!model) {
    std::fputs(fmt::format("uitweg outreach train: {}\n", model.error().message).c_str(), stderr);
    return kExitFailed;
  }
  const std::string temporary = out_path + ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << model->Serialise();
    out.close();
    std::error_code error;
    if (!out || (std::filesystem::rename(temporary, out_path, error), error)) {
      std::filesystem::remove(temporary, error);
      std::fputs(fmt::format("uitweg outreach train: cannot write {}\n", out_path).c_str(), stderr);
      return kExitFailed;
    }
  }
  const auto line = [](std::string_view name, const outreach::Flagging& f) {
    return fmt::format("  {:<28} precision {:.3f}  recall {:.3f}  (tp {} fp {} fn {})\n", name,
                       f.Precision(), f.Recall(), f.true_positive, f.false_positive,
                       f.false_negative);
  };
  std::string out = fmt::format(
      "trained on {} posts ({} recruitment); skipped {} held-out and {} unsure\n"
      "{}-fold cross-validation at min_score {}:\n",
      report.posts, report.recruitment, counts.held_out, counts.unsure, options.folds,
      options.min_score);
  out += line("lexicon alone", report.lexicon_alone);
  out += line("lexicon + model", report.cross_validated);
  out += fmt::format("model {}: scale {}, cap {}, {} weights, written to {}\n", model->version(),
                     report.scale, report.cap, report.weights, out_path);
  std::fputs(out.c_str(), stdout);
  return kExitOk;
}

}  // namespace

int RunOutreachCommand(int argc, char** argv) {
  const auto usage = [](std::string_view problem) {
    std::fputs(fmt::format("uitweg outreach: {}\n\n{}", problem, kUsage).c_str(), stderr);
    return kExitUsage;
  };
  core::Result<Args> parsed =
      Args::Parse(argc - 1, argv + 1, {"lexicon", "out"}, {"help"}, Positionals::collected);
  if (!parsed) return usage(parsed.error().message);
  if (parsed->Has("help")) {
    std::fputs(std::string(kUsage).c_str(), stdout);
    return kExitOk;
  }
  if (parsed->positional().empty() || parsed->positional()[0] != "train") {
    return usage("the only sub-command is train");
  }
  if (parsed->positional().size() < 2) return usage("no labelled files");
  for (const char* flag : {"lexicon", "out"}) {
    if (const auto value = parsed->Get(flag); value && value->empty()) {
      return usage(fmt::format("--{} needs a file name", flag));
    }
  }
  return Train(*parsed, argc > 0 ? argv[0] : "");
}

}  // namespace uitweg::app
