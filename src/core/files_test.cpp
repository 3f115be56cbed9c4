#include "core/files.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iterator>
#include <string>

namespace uitweg::core {
namespace {

class CreatePrivateFolderTest : public testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "uitweg-files-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    root_ = pattern;
  }
  void TearDown() override { std::filesystem::remove_all(root_); }

  static unsigned Mode(const std::filesystem::path& path) {
    struct stat info {};
    EXPECT_EQ(::stat(path.c_str(), &info), 0);
    return info.st_mode & 0777;
  }

  std::filesystem::path root_;
};

TEST_F(CreatePrivateFolderTest, EveryCreatedFolderIsOwnerOnly) {
  ASSERT_TRUE(CreatePrivateFolder(root_ / "a" / "b").has_value());
  EXPECT_EQ(Mode(root_ / "a"), 0700u);
  EXPECT_EQ(Mode(root_ / "a" / "b"), 0700u);
}

TEST_F(CreatePrivateFolderTest, AnExistingFolderKeepsItsMode) {
  std::filesystem::permissions(root_, std::filesystem::perms(0755));
  ASSERT_TRUE(CreatePrivateFolder(root_).has_value());
  EXPECT_EQ(Mode(root_), 0755u);
}

TEST_F(CreatePrivateFolderTest, AFileInTheWayIsAClearError) {
  {
    std::FILE* file = std::fopen((root_ / "file").c_str(), "w");
    std::fclose(file);
  }
  auto created = CreatePrivateFolder(root_ / "file" / "data");
  ASSERT_FALSE(created.has_value());
  EXPECT_EQ(created.error().code, Errc::unavailable);
  EXPECT_NE(created.error().message.find("file/data"), std::string::npos);
}

TEST_F(CreatePrivateFolderTest, AFileIsWrittenWholeOwnerOnlyAndReplacesAnOlderOne) {
  const std::filesystem::path file = root_ / "report.csv";
  ASSERT_TRUE(WriteFileWhole(file, "old\n"));
  ASSERT_TRUE(WriteFileWhole(file, "a,b\r\n1,2\r\n"));
  EXPECT_EQ(Mode(file), 0600u);
  std::FILE* in = std::fopen(file.c_str(), "rb");
  ASSERT_NE(in, nullptr);
  char text[32] = {};
  EXPECT_EQ(std::fread(text, 1, sizeof text, in), 10u);
  std::fclose(in);
  EXPECT_STREQ(text, "a,b\r\n1,2\r\n");
  // Where nothing can be written, nothing is left behind, and the error names the file.
  const Status refused = WriteFileWhole(root_ / "missing" / "report.csv", "x");
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("missing/report.csv"), std::string::npos);
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(root_),
                          std::filesystem::directory_iterator()),
            1);
  // A link is written through, not replaced.
  const std::filesystem::path link = root_ / "latest.csv";
  std::filesystem::create_symlink(file, link);
  ASSERT_TRUE(WriteFileWhole(link, "new\n"));
  EXPECT_TRUE(std::filesystem::is_symlink(link));
  EXPECT_EQ(std::filesystem::file_size(file), 4u);
}

TEST_F(CreatePrivateFolderTest, AFileLockIsHeldByOneHolderAtATime) {
  const std::filesystem::path path = root_ / "keys.lock";
  {
    auto first = FileLock::TryAcquire(path);
    ASSERT_TRUE(first.has_value()) << first.error().message;
    EXPECT_EQ(Mode(path), 0644u);
    auto second = FileLock::TryAcquire(path);
    ASSERT_FALSE(second.has_value());
    EXPECT_EQ(second.error().code, Errc::failed_precondition);
    FileLock moved = std::move(*first);
    EXPECT_FALSE(FileLock::TryAcquire(path).has_value()) << "moving keeps it held";
  }
  EXPECT_TRUE(FileLock::TryAcquire(path).has_value()) << "released with its holder";
  EXPECT_EQ(FileLock::TryAcquire(root_ / "missing" / "x.lock").error().code, Errc::unavailable);
}

// `sudo uitweg migrate-data` made the lock file first; the service, run as its own user, still
// takes it afterwards.
TEST_F(CreatePrivateFolderTest, ALockFileMadeByRootIsTakenByAnotherUserLater) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root, to make the file as root";
  ASSERT_EQ(::chmod(root_.c_str(), 0755), 0);
  const std::filesystem::path path = root_ / "serve.lock";
  ASSERT_TRUE(FileLock::TryAcquire(path).has_value());
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    constexpr uid_t kServiceUser = 65534;
    if (::setgid(kServiceUser) != 0 || ::setuid(kServiceUser) != 0) ::_exit(2);
    ::_exit(FileLock::TryAcquire(path).has_value() ? 0 : 1);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "the other user could not take the lock";
}

}  // namespace
}  // namespace uitweg::core
