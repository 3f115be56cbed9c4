#include "app/scan_command.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace uitweg::app {
namespace {

namespace json = boost::json;

std::string Fixture(const std::string& name) {
  return std::string(UITWEG_OUTREACH_FIXTURES) + "/" + name;
}

struct ScanRun {
  int exit_code = -1;
  std::string out;
  std::string err;
};

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// Runs the command in-process with stdout and stderr sent to files.
ScanRun RunScan(std::vector<std::string> args) {
  args.insert(args.begin(), "scan");
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  const std::filesystem::path dir = std::filesystem::temp_directory_path();
  const std::string out_path = (dir / ("scan_out_" + std::to_string(getpid()))).string();
  const std::string err_path = (dir / ("scan_err_" + std::to_string(getpid()))).string();
  std::fflush(stdout);
  std::fflush(stderr);
  const int saved_out = dup(STDOUT_FILENO);
  const int saved_err = dup(STDERR_FILENO);
  const int out_fd = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  const int err_fd = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  dup2(out_fd, STDOUT_FILENO);
  dup2(err_fd, STDERR_FILENO);
  ScanRun run;
  run.exit_code = RunScanCommand(static_cast<int>(args.size()), argv.data());
  std::fflush(stdout);
  std::fflush(stderr);
  dup2(saved_out, STDOUT_FILENO);
  dup2(saved_err, STDERR_FILENO);
  close(saved_out);
  close(saved_err);
  close(out_fd);
  close(err_fd);
  run.out = ReadFile(out_path);
  run.err = ReadFile(err_path);
  std::filesystem::remove(out_path);
  std::filesystem::remove(err_path);
  return run;
}

std::vector<json::object> Lines(const std::string& out) {
  std::vector<json::object> objects;
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);) {
    objects.push_back(json::parse(line).as_object());
  }
  return objects;
}

std::vector<std::string> AllFixtures() {
  return {Fixture("telegram_single_chat.json"),
          Fixture("telegram_full_export.json"),
          Fixture("telethon_scrape.csv"),
          Fixture("telethon_scrape.jsonl"),
          Fixture("posts.txt"),
          Fixture("reposted_ads.txt")};
}

std::vector<std::string> With(std::vector<std::string> files, std::vector<std::string> options) {
  files.insert(files.end(), options.begin(), options.end());
  return files;
}

const std::string kLexicon = Fixture("scan_lexicon.toml");

// Compiled lexicons go to a cache of these tests' own ($XDG_CACHE_HOME), not the user's.
class CacheHome : public testing::Environment {
 public:
  void SetUp() override {
    std::filesystem::remove_all(path_);
    ::setenv("XDG_CACHE_HOME", path_.c_str(), 1);
  }
  void TearDown() override { std::filesystem::remove_all(path_); }
  const std::filesystem::path& path() const { return path_; }

 private:
  const std::filesystem::path path_ =
      std::filesystem::temp_directory_path() / ("uitweg_scan_cache_" + std::to_string(getpid()));
};
CacheHome* const kCacheHome =
    static_cast<CacheHome*>(testing::AddGlobalTestEnvironment(new CacheHome));

std::size_t FilesIn(const std::filesystem::path& folder) {
  std::error_code error;
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(folder, error)) {
    files += entry.is_regular_file() ? 1 : 0;
  }
  return files;
}

// The lexicon is compiled once and kept: by default under $XDG_CACHE_HOME, or where --cache
// says; --no-cache keeps nothing. A scan that loads it finds the same.
TEST(ScanCommandTest, TheCompiledLexiconIsKeptForTheNextScan) {
  const std::filesystem::path folder = std::filesystem::path(testing::TempDir()) / "lexicons";
  std::filesystem::remove_all(folder);
  const std::vector<std::string> scan =
      With(AllFixtures(), {"--lexicon", kLexicon, "--format", "jsonl"});
  ScanRun compiled = RunScan(With(scan, {"--cache", folder.string()}));
  ASSERT_EQ(compiled.exit_code, 0) << compiled.err;
  EXPECT_EQ(FilesIn(folder), 1u);
  ScanRun loaded = RunScan(With(scan, {"--cache", folder.string()}));
  EXPECT_EQ(loaded.out, compiled.out);
  EXPECT_EQ(FilesIn(folder), 1u);

  const std::filesystem::path by_default = kCacheHome->path() / "uitweg" / "lexicons";
  std::filesystem::remove_all(by_default);
  ASSERT_EQ(RunScan(With(scan, {"--no-cache"})).out, compiled.out);
  EXPECT_EQ(FilesIn(by_default), 0u);
  ASSERT_EQ(RunScan(scan).out, compiled.out);
  EXPECT_EQ(FilesIn(by_default), 1u);
  std::filesystem::remove_all(folder);
}

TEST(ScanCommandTest, JsonlCarriesEveryFieldOfAFlaggedTelegramPost) {
  ScanRun run =
      RunScan({Fixture("telegram_single_chat.json"), "--lexicon", kLexicon, "--format", "jsonl"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  std::vector<json::object> posts = Lines(run.out);
  ASSERT_EQ(posts.size(), 1u) << run.out;
  const json::object& post = posts[0];
  EXPECT_EQ(post.at("source").as_string(), Fixture("telegram_single_chat.json"));
  EXPECT_EQ(post.at("chat").as_string(), "Bijbaantjes Rotterdam \u2728");
  EXPECT_EQ(post.at("message_id").as_int64(), 103);
  EXPECT_EQ(post.at("date").as_string(), "2024-03-01T11:02:13Z");
  EXPECT_GE(post.at("score").to_number<double>(), 4.0);
  EXPECT_EQ(post.at("cluster").as_int64(), 1);
  EXPECT_EQ(post.at("cluster_channels").as_int64(), 1);
  EXPECT_EQ(post.at("text").as_string(),
            "Snel geld verdienen? Pinpas uitlenen voor 1 dag, 500 euro cash. Stuur een DM "
            "@snelcash010 of bel +31612345678\nGeen vragen.");
  const json::array& categories = post.at("categories").as_array();
  EXPECT_EQ(categories.at(0).as_string(), "money_mule");
  bool pinpas = false;
  bool phone = false;
  for (const json::value& m : post.at("matches").as_array()) {
    const json::object& match = m.as_object();
    ASSERT_TRUE(match.contains("term") && match.contains("category") && match.contains("text"));
    if (match.at("term").as_string() == "pinpas uitlenen") {
      pinpas = true;
      EXPECT_EQ(match.at("category").as_string(), "money_mule");
      EXPECT_EQ(match.at("text").as_string(), "Pinpas uitlenen");
    }
    if (match.at("text").as_string() == "+31612345678") phone = true;
  }
  EXPECT_TRUE(pinpas) << run.out;
  EXPECT_TRUE(phone) << "the phone entity counts as a signal: " << run.out;
}

TEST(ScanCommandTest, PostsComeHighestScoreFirstAcrossAllInputKinds) {
  ScanRun run = RunScan(With(AllFixtures(), {"--lexicon", kLexicon, "--format", "jsonl"}));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  std::vector<json::object> posts = Lines(run.out);
  ASSERT_GE(posts.size(), 6u);
  for (std::size_t i = 1; i < posts.size(); ++i) {
    EXPECT_GE(posts[i - 1].at("score").to_number<double>(),
              posts[i].at("score").to_number<double>());
  }
  std::vector<std::string> sources;
  for (const json::object& post : posts) sources.emplace_back(post.at("source").as_string());
  for (const char* kind : {".json", ".csv", ".jsonl", ".txt"}) {
    EXPECT_TRUE(std::any_of(sources.begin(), sources.end(), [&](const std::string& s) {
      return s.size() > std::strlen(kind) && s.ends_with(kind);
    })) << kind;
  }
}

TEST(ScanCommandTest, RepostedAdsShareANearDuplicateCluster) {
  ScanRun run = RunScan({Fixture("reposted_ads.txt"), "--lexicon", kLexicon, "--format", "jsonl"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  std::map<std::int64_t, std::int64_t> cluster_of;
  for (const json::object& post : Lines(run.out)) {
    cluster_of[post.at("message_id").as_int64()] = post.at("cluster").as_int64();
  }
  ASSERT_EQ(cluster_of.size(), 3u) << run.out;
  EXPECT_EQ(cluster_of[1], cluster_of[3]);
  EXPECT_NE(cluster_of[1], cluster_of[4]);
}

TEST(ScanCommandTest, TableShowsEachClusterOnceWithItsCount) {
  ScanRun run = RunScan({Fixture("reposted_ads.txt"), "--lexicon", kLexicon});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("[Pinpas uitlenen]"), std::string::npos) << run.out;
  EXPECT_EQ(run.out.find("PINPAS"), std::string::npos) << "the repost is folded into its cluster";
  EXPECT_NE(run.out.find("3 flagged posts in 2 clusters"), std::string::npos) << run.out;
}

// One ad reposted with small changes in three channels, another ad in one channel.
std::string WriteNetworkExport() {
  const std::string path =
      (std::filesystem::temp_directory_path() / ("network_" + std::to_string(getpid()) + ".jsonl"))
          .string();
  std::ofstream out(path);
  out << R"({"message_id": 1, "channel": "Bijbaantjes Zuid", "message": )"
      << R"("Pinpas uitlenen voor een dag, snel geld! 500 euro p/w. Stuur een DM voor info"})"
      << "\n"
      << R"({"message_id": 2, "channel": "Bijbaantjes Noord", "message": )"
      << R"("PINPAS UITLENEN voor een dag... snl geld!!! 750 euro per week. Stuur een pm voor info"})"
      << "\n"
      << R"({"message_id": 3, "channel": "Buurtapp Oost", "message": )"
      << R"("Pinpas uitlenen voor 1 dag, snel geld! €400 pw. Stuur een DM voor info 💰"})"
      << "\n"
      << R"({"message_id": 4, "channel": "Bijbaantjes Zuid", "message": )"
      << R"("Rekening verhuren aan ons, snelle cash binnen een uur. Alleen serieuze mensen, stuur pv"})"
      << "\n";
  return path;
}

TEST(ScanCommandTest, ARepostInThreeChannelsIsReportedAsANetwork) {
  const std::string path = WriteNetworkExport();
  ScanRun jsonl = RunScan({path, "--lexicon", kLexicon, "--format", "jsonl"});
  ScanRun table = RunScan({path, "--lexicon", kLexicon});
  std::filesystem::remove(path);
  ASSERT_EQ(jsonl.exit_code, 0) << jsonl.err;
  std::map<std::int64_t, std::int64_t> channels_of;
  std::map<std::int64_t, std::int64_t> cluster_of;
  for (const json::object& post : Lines(jsonl.out)) {
    channels_of[post.at("message_id").as_int64()] = post.at("cluster_channels").as_int64();
    cluster_of[post.at("message_id").as_int64()] = post.at("cluster").as_int64();
  }
  ASSERT_EQ(channels_of.size(), 4u) << jsonl.out;
  EXPECT_EQ(cluster_of[1], cluster_of[2]);
  EXPECT_EQ(cluster_of[1], cluster_of[3]);
  EXPECT_NE(cluster_of[1], cluster_of[4]);
  EXPECT_EQ(channels_of, (std::map<std::int64_t, std::int64_t>{{1, 3}, {2, 3}, {3, 3}, {4, 1}}));
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find("network: 3 channels"), std::string::npos) << table.out;
  EXPECT_EQ(table.out.find("network: 1 channels"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("4 flagged posts in 2 clusters"), std::string::npos) << table.out;
}

TEST(ScanCommandTest, ThreadCountDoesNotChangeTheResult) {
  ScanRun one =
      RunScan(With(AllFixtures(), {"--lexicon", kLexicon, "--format", "jsonl", "--threads", "1"}));
  ScanRun four =
      RunScan(With(AllFixtures(), {"--lexicon", kLexicon, "--format=jsonl", "--threads=4"}));
  ASSERT_EQ(one.exit_code, 0);
  ASSERT_EQ(four.exit_code, 0);
  EXPECT_EQ(one.out, four.out);
}

TEST(ScanCommandTest, MinScoreFilters) {
  ScanRun run = RunScan(
      With(AllFixtures(), {"--lexicon", kLexicon, "--format", "jsonl", "--min-score", "12"}));
  ASSERT_EQ(run.exit_code, 0);
  std::vector<json::object> posts = Lines(run.out);
  ASSERT_FALSE(posts.empty());
  for (const json::object& post : posts) EXPECT_GE(post.at("score").to_number<double>(), 12.0);
}

TEST(ScanCommandTest, CsvHasAHeaderAndOneRowPerPost) {
  ScanRun run = RunScan({Fixture("reposted_ads.txt"), "--lexicon", kLexicon, "--format", "csv"});
  ASSERT_EQ(run.exit_code, 0);
  EXPECT_EQ(run.out.rfind(
                "source,chat,author,message_id,date,score,lexicon_score,model_score,model_words,"
                "categories,matches,cluster,cluster_channels,text\n",
                0),
            0u);
  EXPECT_EQ(std::count(run.out.begin(), run.out.end(), '\n'), 4);
}

TEST(ScanCommandTest, BadFilesAreReportedAndTheOthersStillScanned) {
  const std::string truncated =
      (std::filesystem::temp_directory_path() / ("truncated_" + std::to_string(getpid()) + ".json"))
          .string();
  {
    std::ofstream out(truncated);
    out << "{\n \"name\": \"x\",\n \"messages\": [\n  {\"id\": 1, \"text\": \"snel";
  }
  ScanRun run = RunScan({Fixture("does_not_exist.json"), truncated, Fixture("reposted_ads.txt"),
                         "--lexicon", kLexicon, "--format", "jsonl"});
  std::filesystem::remove(truncated);
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_EQ(Lines(run.out).size(), 3u);
  EXPECT_NE(run.err.find("does_not_exist.json: cannot open"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find(truncated + ": line 4, column 3"), std::string::npos) << run.err;
}

TEST(ScanCommandTest, AnExportFolderMeansItsResultJson) {
  const std::filesystem::path folder =
      std::filesystem::temp_directory_path() / ("ChatExport_" + std::to_string(getpid()));
  std::filesystem::create_directories(folder);
  std::filesystem::copy_file(Fixture("telegram_single_chat.json"), folder / "result.json",
                             std::filesystem::copy_options::overwrite_existing);
  ScanRun run = RunScan({folder.string(), "--lexicon", kLexicon, "--format", "jsonl"});
  std::filesystem::remove_all(folder);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  std::vector<json::object> posts = Lines(run.out);
  ASSERT_EQ(posts.size(), 1u);
  EXPECT_EQ(posts[0].at("source").as_string(), (folder / "result.json").string());
}

TEST(ScanCommandTest, UsageErrorsExitTwo) {
  EXPECT_EQ(RunScan({}).exit_code, 2);
  EXPECT_EQ(RunScan({Fixture("posts.txt"), "--format", "xml"}).exit_code, 2);
  EXPECT_EQ(RunScan({Fixture("posts.txt"), "--threads", "0"}).exit_code, 2);
  EXPECT_EQ(RunScan({Fixture("posts.txt"), "--min-score", "veel"}).exit_code, 2);
  EXPECT_EQ(RunScan({Fixture("posts.txt"), "--colour"}).exit_code, 2);
  EXPECT_EQ(RunScan({Fixture("posts.txt"), "--lexicon"}).exit_code, 2);
  EXPECT_EQ(RunScan({Fixture("posts.txt"), "--cache", ""}).exit_code, 2);
  EXPECT_EQ(RunScan({Fixture("posts.txt"), "--cache", "x", "--no-cache"}).exit_code, 2);
  ScanRun missing = RunScan({Fixture("posts.txt"), "--lexicon", Fixture("no_such_lexicon.toml")});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("no_such_lexicon.toml"), std::string::npos);
}

TEST(ScanCommandTest, UsageErrorsNameTheFlag) {
  EXPECT_NE(RunScan({Fixture("posts.txt"), "--colour"}).err.find("--colour"), std::string::npos);
  EXPECT_NE(RunScan({Fixture("posts.txt"), "--lexicon"}).err.find("--lexicon"), std::string::npos);
  EXPECT_NE(RunScan({Fixture("posts.txt"), "--format", "xml"}).err.find("--format"),
            std::string::npos);
  EXPECT_NE(RunScan({Fixture("posts.txt"), "--help=yes"}).err.find("--help"), std::string::npos);
}

TEST(ScanCommandTest, FilesAfterDoubleDashAreNeverFlags) {
  ScanRun run = RunScan(
      {"--lexicon", kLexicon, "--format", "jsonl", "--", Fixture("reposted_ads.txt"), "--help"});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_EQ(Lines(run.out).size(), 3u);
  EXPECT_NE(run.err.find("--help: cannot open"), std::string::npos) << run.err;
}

TEST(ScanCommandTest, HelpPrintsUsage) {
  ScanRun run = RunScan({"--help"});
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_NE(run.out.find("usage: uitweg scan FILE..."), std::string::npos);
}

// An offer without any classic term reaches the learned scorer through a cue, and the model's
// part shows; --no-model scores the lexicon alone.
TEST(ScanCommandTest, LearnedScorerAddsItsPartAndExplainsIt) {
  const std::string path = testing::TempDir() + "/indirect_offer.txt";
  {
    std::ofstream file(path);
    file << "rekeningetje over? verhuur m aan ons voor 350 pw, je krijgt m clean terug\n";
  }
  const std::string root = std::string(UITWEG_OUTREACH_FIXTURES) + "/../..";
  const std::string model = root + "/model/nl-recruitment.model";
  const std::string lexicon = root + "/lexicon/nl-recruitment.toml";
  ScanRun with = RunScan(
      {path, "--lexicon", lexicon, "--model", model, "--format", "jsonl", "--min-score", "0"});
  ASSERT_EQ(with.exit_code, 0) << with.err;
  std::vector<json::object> posts = Lines(with.out);
  ASSERT_EQ(posts.size(), 1u) << with.out;
  EXPECT_GT(posts[0].at("model_score").to_number<double>(), 0);
  EXPECT_FALSE(posts[0].at("model_words").as_array().empty());
  ScanRun without =
      RunScan({path, "--lexicon", lexicon, "--no-model", "--format", "jsonl", "--min-score", "0"});
  ASSERT_EQ(without.exit_code, 0) << without.err;
  posts = Lines(without.out);
  ASSERT_EQ(posts.size(), 1u) << without.out;
  EXPECT_EQ(posts[0].at("model_score").to_number<double>(), 0);
  ScanRun both = RunScan({path, "--model", model, "--no-model"});
  EXPECT_EQ(both.exit_code, 2);
  EXPECT_NE(both.err.find("--model and --no-model exclude each other"), std::string::npos);
  ScanRun missing = RunScan({path, "--model", path + ".absent"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("cannot read"), std::string::npos) << missing.err;
}

}  // namespace
}  // namespace uitweg::app
