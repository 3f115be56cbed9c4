#include "api/import_folder.hpp"

#include <fstream>

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "core/testing/test_folder.hpp"

namespace uitweg::api {
namespace {

namespace fs = std::filesystem;

class ImportFolderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(folder_ / "import" / "telegram");
    fs::create_directories(folder_ / "import-other");
    fs::create_directories(folder_ / "outside");
    Write(folder_ / "import" / "kanaal.json");
    Write(folder_ / "import" / "telegram" / "result.json");
    Write(folder_ / "import-other" / "geheim.json");
    Write(folder_ / "outside" / "geheim.json");
    import_ = ImportFolder::Open((folder_ / "import").string()).value();
  }
  static void Write(const fs::path& path) { std::ofstream(path) << "{}\n"; }
  fs::path Root() const { return fs::canonical(folder_ / "import"); }
  core::Errc Refusal(std::string_view path) const { return import_.Resolve(path).error().code; }

  core::testing::TestFolder folder_{"import"};
  ImportFolder import_;
};

TEST_F(ImportFolderTest, APathInsideResolvesAbsoluteOrRelative) {
  EXPECT_EQ(import_.Resolve("kanaal.json").value(), Root() / "kanaal.json");
  EXPECT_EQ(import_.Resolve((folder_ / "import" / "kanaal.json").string()).value(),
            Root() / "kanaal.json");
  EXPECT_EQ(import_.Resolve("telegram/../kanaal.json").value(), Root() / "kanaal.json");
  EXPECT_EQ(import_.Resolve("telegram").value(), Root() / "telegram");
}

TEST_F(ImportFolderTest, DotDotOutOfTheFolderIsRefused) {
  for (const char* path : {"../outside/geheim.json", "telegram/../../outside/geheim.json", "..",
                           "../import-other/geheim.json", "/etc/passwd", "/"}) {
    EXPECT_EQ(Refusal(path), core::Errc::permission_denied) << path;
  }
  EXPECT_EQ(import_.Resolve("../outside/geheim.json").error().message,
            "the path is outside the import folder");
}

TEST_F(ImportFolderTest, AFolderThatMerelyStartsTheSameIsOutside) {
  EXPECT_EQ(Refusal((folder_ / "import-other" / "geheim.json").string()),
            core::Errc::permission_denied);
}

TEST_F(ImportFolderTest, ALinkIsFollowedAndMustStayInside) {
  fs::create_symlink(folder_ / "outside" / "geheim.json", folder_ / "import" / "link.json");
  fs::create_directory_symlink(folder_ / "outside", folder_ / "import" / "door");
  fs::create_symlink(folder_ / "import" / "kanaal.json", folder_ / "import" / "alias.json");
  EXPECT_EQ(Refusal("link.json"), core::Errc::permission_denied);
  EXPECT_EQ(Refusal("door/geheim.json"), core::Errc::permission_denied);
  // Also what does not exist behind a link leading out: nothing to tell it from a refusal.
  EXPECT_EQ(Refusal("door/nothing.json"), core::Errc::permission_denied);
  EXPECT_EQ(import_.Resolve("alias.json").value(), Root() / "kanaal.json");
}

TEST_F(ImportFolderTest, NothingInsideIsNotFoundAndNothingOutsideIsRefused) {
  EXPECT_EQ(Refusal("nothing.json"), core::Errc::not_found);
  EXPECT_EQ(Refusal("../nothing.json"), core::Errc::permission_denied);
  EXPECT_EQ(Refusal(""), core::Errc::invalid_argument);
  EXPECT_EQ(Refusal(std::string_view("kanaal.json\0x", 13)), core::Errc::invalid_argument);
}

TEST_F(ImportFolderTest, WithoutAnImportFolderEveryPathIsRefused) {
  const ImportFolder none = ImportFolder::Open("").value();
  EXPECT_FALSE(none.configured());
  EXPECT_EQ(none.Resolve((folder_ / "import" / "kanaal.json").string()).error().code,
            core::Errc::permission_denied);
  EXPECT_EQ(ImportFolder::Open((folder_ / "missing").string()).error().code,
            core::Errc::failed_precondition);
}

TEST_F(ImportFolderTest, AFolderIsItsExportOrItsExportFiles) {
  EXPECT_EQ(import_.FilesToScan(Root() / "telegram").value(),
            std::vector<fs::path>{Root() / "telegram" / "result.json"});
  fs::create_directory(folder_ / "import" / "week");
  Write(folder_ / "import" / "week" / "b.csv");
  Write(folder_ / "import" / "week" / "a.JSONL");
  Write(folder_ / "import" / "week" / "photo.jpg");
  fs::create_symlink(folder_ / "outside" / "geheim.json", folder_ / "import" / "week" / "c.json");
  EXPECT_EQ(import_.FilesToScan(Root() / "week").value(),
            (std::vector<fs::path>{Root() / "week" / "a.JSONL", Root() / "week" / "b.csv"}));
  fs::create_directory(folder_ / "import" / "empty");
  EXPECT_EQ(import_.FilesToScan(Root() / "empty").error().code, core::Errc::invalid_argument);
  EXPECT_EQ(import_.Shown(Root() / "week" / "b.csv"), "week/b.csv");
}

// Someone who may write in the import folder must not make a scan read what lies outside it
// through an export folder's result.json.
TEST_F(ImportFolderTest, AResultJsonLinkingOutOrNoFileIsNotScanned) {
  fs::create_directory(folder_ / "import" / "linked");
  fs::create_symlink(folder_ / "outside" / "geheim.json",
                     folder_ / "import" / "linked" / "result.json");
  EXPECT_EQ(import_.FilesToScan(Root() / "linked").error().code, core::Errc::permission_denied);
  fs::create_directory(folder_ / "import" / "piped");
  ASSERT_EQ(mkfifo((folder_ / "import" / "piped" / "result.json").c_str(), 0600), 0);
  EXPECT_EQ(import_.FilesToScan(Root() / "piped").error().code, core::Errc::invalid_argument);
}

}  // namespace
}  // namespace uitweg::api
