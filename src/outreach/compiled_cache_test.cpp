#include "outreach/compiled_cache.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>

#include "outreach/analyzer.hpp"
#include "outreach/lexicon.hpp"

namespace uitweg::outreach {
namespace {

namespace fs = std::filesystem;

class CompiledCacheTest : public testing::Test {
 protected:
  CompiledCacheTest()
      : folder_(fs::temp_directory_path() /
                ("uitweg_compiled_cache_" + std::to_string(::getpid()) + "_" +
                 testing::UnitTest::GetInstance()->current_test_info()->name())) {
    fs::remove_all(folder_);
  }
  ~CompiledCacheTest() override { fs::remove_all(folder_); }

  std::vector<fs::path> Files() const {
    std::vector<fs::path> files;
    std::error_code error;
    for (const auto& entry : fs::directory_iterator(folder_, error)) files.push_back(entry.path());
    return files;
  }

  const fs::path folder_;
};

TEST_F(CompiledCacheTest, KeepsBytesByKeyInAFolderOfTheOwnerAlone) {
  const CompiledCache cache(folder_ / "lexicons");
  EXPECT_FALSE(cache.Load("key one"));
  cache.Store("key one", std::string("bytes\0one", 9));
  cache.Store("key two", "bytes two");
  EXPECT_EQ(cache.Load("key one"), std::string("bytes\0one", 9));
  EXPECT_EQ(cache.Load("key two"), "bytes two");
  EXPECT_FALSE(cache.Load("key three"));
  struct stat info {};
  ASSERT_EQ(::stat((folder_ / "lexicons").c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0700u);
}

// Another user who may write the folder, or owns the file, could plant a database: it is not
// loaded. Nor is a file that is a link.
TEST_F(CompiledCacheTest, AFileStoredUnderAnOpenUmaskIsLoaded) {
  const mode_t before = ::umask(002);
  const CompiledCache cache(folder_);
  cache.Store("key", "bytes");
  ::umask(before);
  EXPECT_EQ(cache.Load("key"), "bytes");
}

TEST_F(CompiledCacheTest, OnlyWhatNoOtherUserCouldHaveWrittenIsLoaded) {
  const CompiledCache cache(folder_);
  cache.Store("key", "bytes");
  ASSERT_EQ(cache.Load("key"), "bytes");
  fs::permissions(folder_, fs::perms::owner_all | fs::perms::others_write);
  EXPECT_FALSE(cache.Load("key")) << "a folder others may write";
  fs::permissions(folder_, fs::perms::owner_all);
  ASSERT_EQ(cache.Load("key"), "bytes");
  ASSERT_EQ(Files().size(), 1u);
  const fs::path file = Files()[0];
  fs::permissions(file, fs::perms::group_write, fs::perm_options::add);
  EXPECT_FALSE(cache.Load("key")) << "a file the group may write";
  fs::permissions(file, fs::perms::group_write, fs::perm_options::remove);
  ASSERT_EQ(cache.Load("key"), "bytes");
  if (::geteuid() == 0) {
    ASSERT_EQ(::chown(file.c_str(), 65534, 65534), 0);
    EXPECT_FALSE(cache.Load("key")) << "a file of another user";
  }
  fs::rename(file, folder_ / "elsewhere");
  fs::create_symlink(folder_ / "elsewhere", file);
  EXPECT_FALSE(cache.Load("key")) << "a link";
}

TEST_F(CompiledCacheTest, AFileCutShortOrAlteredIsNotUsed) {
  const CompiledCache cache(folder_);
  const std::string bytes(4096, 'x');
  for (const auto& damage :
       {std::function<void(std::string&)>([](std::string& s) { s.pop_back(); }),
        std::function<void(std::string&)>([](std::string& s) { s[100] ^= 1; }),
        std::function<void(std::string&)>([](std::string& s) { s[0] ^= 1; }),
        std::function<void(std::string&)>([](std::string& s) { s.clear(); })}) {
    cache.Store("key", bytes);
    ASSERT_EQ(Files().size(), 1u);
    const fs::path file = Files().front();
    std::string content;
    {
      std::ifstream in(file, std::ios::binary);
      content.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    damage(content);
    std::ofstream(file, std::ios::binary | std::ios::trunc) << content;
    EXPECT_FALSE(cache.Load("key"));
  }
  cache.Store("key", bytes);
  EXPECT_EQ(cache.Load("key"), bytes);
}

TEST_F(CompiledCacheTest, KeepsTheMostRecentlyUsed) {
  const CompiledCache cache(folder_, 2);
  cache.Store("a", "1");
  cache.Store("b", "2");
  // Times apart by hours, so that the order does not rest on the file system's clock.
  const auto now = fs::file_time_type::clock::now();
  for (const fs::path& file : Files()) fs::last_write_time(file, now - std::chrono::hours(2));
  ASSERT_TRUE(cache.Load("a"));  // used now: b is the least recently used
  cache.Store("c", "3");
  EXPECT_EQ(Files().size(), 2u);
  EXPECT_TRUE(cache.Load("a"));
  EXPECT_FALSE(cache.Load("b"));
  EXPECT_TRUE(cache.Load("c"));
}

TEST_F(CompiledCacheTest, AFolderThatCannotBeWrittenCostsOnlyTheCompile) {
  fs::create_directories(folder_);
  std::ofstream(folder_ / "file") << "not a folder";
  const CompiledCache cache(folder_ / "file" / "lexicons");
  cache.Store("key", "bytes");
  EXPECT_FALSE(cache.Load("key"));
}

constexpr const char* kLexicon = R"toml(
[[term]]
text = "pinpas uitlenen"
category = "money_mule"
weight = 5

[[term]]
text = "per-week-regel"
category = "quick_money"
weight = 2
regex = '\b\d+ ?(per week|pw)\b'
)toml";

Finding AnalyzeWith(const Analyzer& analyzer, std::string text) {
  auto worker = analyzer.NewWorker();
  Post post;
  post.text = std::move(text);
  return analyzer.Analyze(post, *worker);
}

TEST_F(CompiledCacheTest, AnAnalyzerCompilesALexiconOnceAndFindsTheSame) {
  const CompiledCache cache(folder_);
  const Lexicon lexicon = Lexicon::Parse(kLexicon, "cache.toml").value();
  const auto compiled = Analyzer::Create(lexicon, nullptr, &cache).value();
  EXPECT_FALSE(compiled->loaded_from_cache());
  ASSERT_EQ(Files().size(), 1u);
  const auto loaded = Analyzer::Create(lexicon, nullptr, &cache).value();
  EXPECT_TRUE(loaded->loaded_from_cache());
  const std::string text = "Pinpas uitlenen? 500 per week, ps5 pw";
  const Finding expected = AnalyzeWith(*compiled, text);
  const Finding found = AnalyzeWith(*loaded, text);
  ASSERT_EQ(found.matches.size(), 2u);
  ASSERT_EQ(found.matches.size(), expected.matches.size());
  for (std::size_t i = 0; i < found.matches.size(); ++i) {
    EXPECT_EQ(found.matches[i].matched_text, expected.matches[i].matched_text);
  }
  EXPECT_EQ(found.score, expected.score);

  // Another lexicon is another database.
  const Lexicon other = Lexicon::Parse(std::string(kLexicon) +
                                           "\n[[term]]\ntext = \"snel geld\"\ncategory = "
                                           "\"quick_money\"\nweight = 2\n",
                                       "other.toml")
                            .value();
  EXPECT_FALSE(Analyzer::Create(other, nullptr, &cache).value()->loaded_from_cache());
  EXPECT_EQ(Files().size(), 2u);
}

TEST_F(CompiledCacheTest, ADamagedDatabaseIsCompiledAgainAndReplaced) {
  const CompiledCache cache(folder_);
  const Lexicon lexicon = Lexicon::Parse(kLexicon, "cache.toml").value();
  ASSERT_FALSE(Analyzer::Create(lexicon, nullptr, &cache).value()->loaded_from_cache());
  ASSERT_EQ(Files().size(), 1u);
  const fs::path file = Files().front();
  fs::resize_file(file, fs::file_size(file) / 2);
  const auto again = Analyzer::Create(lexicon, nullptr, &cache).value();
  EXPECT_FALSE(again->loaded_from_cache());
  EXPECT_EQ(AnalyzeWith(*again, "pinpas uitlenen").matches.size(), 1u);
  EXPECT_TRUE(Analyzer::Create(lexicon, nullptr, &cache).value()->loaded_from_cache());
}

}  // namespace
}  // namespace uitweg::outreach
