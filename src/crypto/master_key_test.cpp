#include "crypto/master_key.hpp"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "crypto/random.hpp"

namespace uitweg::crypto {
namespace {

class MasterKeysTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("uitweg-keys-" + RandomToken(8));
    path_ = dir_ / "master.key";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::filesystem::path dir_;
  std::filesystem::path path_;
};

TEST_F(MasterKeysTest, AKeyFileHoldsSeveralKeysCurrentFirst) {
  const std::vector<Aead> created = MasterKey::LoadOrCreate(path_).value();
  ASSERT_EQ(created.size(), 1u);
  const Aead newer = Aead::Generate();
  ASSERT_TRUE(MasterKey::Replace(path_, {newer, created.front()}));
  struct stat info {};
  ASSERT_EQ(::stat(path_.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  EXPECT_EQ(info.st_size, 64);
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir_), {}), 1) << "no temporary left";

  const std::vector<Aead> read = MasterKey::LoadOrCreate(path_).value();
  ASSERT_EQ(read.size(), 2u);
  EXPECT_EQ(read[0].key(), newer.key());
  EXPECT_EQ(read[1].key(), created.front().key());
}

// A rotation killed between writing its temporary file and renaming it leaves a copy of the keys
// behind; the next rotation or retire (or start) removes it, but not one a live process writes.
TEST_F(MasterKeysTest, AKeyFileLeftHalfWayByAKilledProcessIsRemovedNextTime) {
  const std::vector<Aead> created = MasterKey::LoadOrCreate(path_).value();
  const pid_t gone = ::fork();
  if (gone == 0) ::_exit(0);
  ASSERT_GT(gone, 0);
  ASSERT_EQ(::waitpid(gone, nullptr, 0), gone);
  const auto left = dir_ / ("master.key.new-" + std::to_string(gone) + "-abcdef");
  const auto writing = dir_ / ("master.key.new-" + std::to_string(::getpid()) + "-ghijkl");
  for (const auto& file : {left, writing}) {
    std::ofstream(file) << std::string(created.front().key());
  }
  // Left before the machine last started: its process id may be another process's now.
  const auto before_boot = dir_ / ("master.key.new-" + std::to_string(::getpid()) + "-mnopqr");
  std::ofstream(before_boot) << std::string(created.front().key());
  const struct timespec long_ago[2] = {{0, 0}, {1'000'000, 0}};
  ASSERT_EQ(::utimensat(AT_FDCWD, before_boot.c_str(), long_ago, 0), 0);
  ASSERT_TRUE(MasterKey::Replace(path_, {Aead::Generate(), created.front()}));
  EXPECT_FALSE(std::filesystem::exists(left));
  EXPECT_FALSE(std::filesystem::exists(before_boot));
  EXPECT_TRUE(std::filesystem::exists(writing)) << "its process still runs";
}

// The first start links its new key file into place before removing the temporary name: killed
// between the two, it leaves the key file under both. The next start removes the name and keeps
// the key.
TEST_F(MasterKeysTest, AKeyFileLinkedIntoPlaceIsKeptWhenItsTemporaryNameIsRemoved) {
  const std::vector<Aead> created = MasterKey::LoadOrCreate(path_).value();
  const pid_t gone = ::fork();
  if (gone == 0) ::_exit(0);
  ASSERT_GT(gone, 0);
  ASSERT_EQ(::waitpid(gone, nullptr, 0), gone);
  const auto second_name = dir_ / ("master.key.new-" + std::to_string(gone) + "-abcdef");
  ASSERT_EQ(::link(path_.c_str(), second_name.c_str()), 0);
  const std::vector<Aead> read = MasterKey::LoadOrCreate(path_).value();
  EXPECT_FALSE(std::filesystem::exists(second_name));
  ASSERT_EQ(read.size(), 1u);
  EXPECT_EQ(read[0].key(), created.front().key());
}

TEST_F(MasterKeysTest, RefusesAFileThatIsNotAWholeNumberOfKeys) {
  std::filesystem::create_directories(dir_);
  { std::ofstream(path_) << std::string(40, 'k'); }
  ::chmod(path_.c_str(), 0600);
  auto loaded = MasterKey::LoadOrCreate(path_);
  ASSERT_FALSE(loaded);
  EXPECT_EQ(loaded.error().code, core::Errc::failed_precondition);
  EXPECT_NE(loaded.error().message.find("master.key"), std::string::npos);
  EXPECT_FALSE(MasterKey::Replace(path_, {}));
}

TEST_F(MasterKeysTest, OlderKeysOpenWhatTheySealedAndTheCurrentOneSeals) {
  const Aead older = Aead::Generate();
  const Aead current = Aead::Generate();
  auto keys = MasterKeys::Fixed({current, older}).value();
  const std::string by_older = older.Seal("data key", "c1");
  EXPECT_EQ(keys->Open(by_older, "c1").value(), "data key");
  EXPECT_FALSE(keys->SealedByCurrent(by_older, "c1"));
  EXPECT_FALSE(keys->Open(by_older, "c2")) << "bound to its associated data";

  const std::string sealed = keys->Seal("secret", "anna");
  EXPECT_TRUE(keys->SealedByCurrent(sealed, "anna"));
  EXPECT_EQ(current.Open(sealed, "anna").value(), "secret");
  EXPECT_FALSE(keys->Open(Aead::Generate().Seal("x", "c1"), "c1"));
  EXPECT_EQ(keys->size(), 2u);
}

TEST_F(MasterKeysTest, AFollowedFileIsRereadWhenAnotherProcessRotatesIt) {
  auto keys = MasterKeys::FollowFile(path_).value();
  const std::string before = keys->Seal("before", "c1");
  const Aead old_key = MasterKey::LoadOrCreate(path_).value().front();

  // Another process (uitweg keys rotate) puts a new current key in front.
  const Aead rotated = Aead::Generate();
  ASSERT_TRUE(MasterKey::Replace(path_, {rotated, old_key}));
  const std::string sealed_elsewhere = rotated.Seal("elsewhere", "c2");
  EXPECT_EQ(keys->Open(sealed_elsewhere, "c2").value(), "elsewhere") << "reread on a miss";
  EXPECT_EQ(keys->Open(before, "c1").value(), "before") << "the older key still opens";
  EXPECT_EQ(rotated.Open(keys->Seal("after", "c3"), "c3").value(), "after") << "the new key seals";

  // ... and later retires the old one.
  ASSERT_TRUE(MasterKey::Replace(path_, {rotated}));
  EXPECT_EQ(keys->size(), 1u);
  EXPECT_FALSE(keys->Open(before, "c1"));
}

TEST_F(MasterKeysTest, AnUnreadableRewriteKeepsTheKeysHeld) {
  auto keys = MasterKeys::FollowFile(path_).value();
  const std::string sealed = keys->Seal("x", "c1");
  ::chmod(path_.c_str(), 0644);
  { std::ofstream(path_, std::ios::app) << "junk"; }
  EXPECT_EQ(keys->Open(sealed, "c1").value(), "x");
  EXPECT_EQ(keys->size(), 1u);
}

// `sudo uitweg keys rotate` beside a server that runs as its own user: the new file stays that
// user's, so the server reads the rotation.
TEST_F(MasterKeysTest, AReplacedFileKeepsItsOwner) {
  if (::geteuid() != 0) GTEST_SKIP() << "changing a file's owner needs root";
  ASSERT_TRUE(MasterKey::LoadOrCreate(path_));
  constexpr uid_t kServerUser = 65534;
  constexpr gid_t kServerGroup = 65534;
  ASSERT_EQ(::chown(path_.c_str(), kServerUser, kServerGroup), 0);
  ASSERT_TRUE(MasterKey::Replace(path_, {Aead::Generate()}));
  struct stat replaced {};
  ASSERT_EQ(::stat(path_.c_str(), &replaced), 0);
  EXPECT_EQ(replaced.st_uid, kServerUser);
  EXPECT_EQ(replaced.st_gid, kServerGroup);
  EXPECT_EQ(replaced.st_mode & 0777, 0600u);
}

TEST(MasterKeyListTest, KeysFromTheEnvironmentAreSeparatedByCommas) {
  const std::string a = RandomBytes(32);
  const std::string b = RandomBytes(32);
  auto keys = MasterKey::ListFromBase64(Base64Encode(a) + ", " + Base64UrlEncode(b)).value();
  ASSERT_EQ(keys.size(), 2u);
  EXPECT_EQ(keys[0].key(), a);
  EXPECT_EQ(keys[1].key(), b);
  EXPECT_EQ(MasterKey::ListFromBase64(Base64Encode(a)).value().size(), 1u);
  EXPECT_FALSE(MasterKey::ListFromBase64(Base64Encode(a) + ","));
  EXPECT_FALSE(MasterKey::ListFromBase64(""));
  EXPECT_FALSE(MasterKey::ListFromBase64(Base64Encode(a) + ",%%%"));
}

}  // namespace
}  // namespace uitweg::crypto
