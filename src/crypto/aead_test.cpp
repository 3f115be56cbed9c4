#include "crypto/aead.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "crypto/master_key.hpp"
#include "crypto/random.hpp"

namespace uitweg::crypto {
namespace {

TEST(AeadTest, SealOpenRoundTrip) {
  const Aead aead = Aead::Generate();
  const std::string sealed = aead.Seal("hallo, ik wil praten", "c_1");
  EXPECT_EQ(sealed.size(), std::string_view("hallo, ik wil praten").size() + Aead::kOverheadBytes);
  EXPECT_EQ(aead.Open(sealed, "c_1").value(), "hallo, ik wil praten");
  EXPECT_EQ(aead.Open(aead.Seal("")).value(), "");
}

TEST(AeadTest, SealUsesFreshNonce) {
  const Aead aead = Aead::Generate();
  EXPECT_NE(aead.Seal("same"), aead.Seal("same"));
}

TEST(AeadTest, OpenRejectsTamperingWrongKeyAndWrongContext) {
  const Aead aead = Aead::Generate();
  std::string sealed = aead.Seal("secret", "c_1");
  EXPECT_EQ(aead.Open(sealed, "c_2").error().code, core::Errc::invalid_argument);
  EXPECT_EQ(Aead::Generate().Open(sealed, "c_1").error().code, core::Errc::invalid_argument);
  sealed[sealed.size() - 1] ^= 1;
  EXPECT_EQ(aead.Open(sealed, "c_1").error().code, core::Errc::invalid_argument);
  EXPECT_EQ(aead.Open("short").error().code, core::Errc::invalid_argument);
  EXPECT_EQ(aead.Open("").error().code, core::Errc::invalid_argument);
}

TEST(AeadTest, FromKeyNeeds32Bytes) {
  EXPECT_EQ(Aead::FromKey("short").error().code, core::Errc::invalid_argument);
  const std::string key = RandomBytes(32);
  const Aead a = Aead::FromKey(key).value();
  const Aead b = Aead::FromKey(key).value();
  EXPECT_EQ(b.Open(a.Seal("wrapped")).value(), "wrapped");
}

TEST(AeadTest, WrapsAnotherKey) {
  const Aead master = Aead::Generate();
  const Aead data_key = Aead::Generate();
  const std::string wrapped = master.Seal(data_key.key(), "c_1");
  const Aead unwrapped = Aead::FromKey(master.Open(wrapped, "c_1").value()).value();
  EXPECT_EQ(unwrapped.Open(data_key.Seal("body")).value(), "body");
}

class MasterKeyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("uitweg-key-" + RandomToken(8));
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(MasterKeyTest, CreatesFileWithMode0600AndReloadsSameKey) {
  const auto path = dir_ / "sub" / "master.key";
  const Aead first = MasterKey::LoadOrCreate(path).value().front();
  struct stat info {};
  ASSERT_EQ(::stat(path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  EXPECT_EQ(info.st_size, 32);
  ASSERT_EQ(::stat(path.parent_path().c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0700u);
  const Aead second = MasterKey::LoadOrCreate(path).value().front();
  EXPECT_EQ(second.Open(first.Seal("x")).value(), "x");
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(path.parent_path()), {}), 1);
}

TEST_F(MasterKeyTest, RefusesFileReadableByOthers) {
  const auto path = dir_ / "master.key";
  ASSERT_TRUE(MasterKey::LoadOrCreate(path));
  ::chmod(path.c_str(), 0644);
  auto loaded = MasterKey::LoadOrCreate(path);
  ASSERT_FALSE(loaded);
  EXPECT_EQ(loaded.error().code, core::Errc::failed_precondition);
  EXPECT_NE(loaded.error().message.find("master.key"), std::string::npos);
}

TEST_F(MasterKeyTest, RefusesFileOfWrongSize) {
  std::filesystem::create_directories(dir_);
  const auto path = dir_ / "master.key";
  { std::ofstream(path) << "too short"; }
  ::chmod(path.c_str(), 0600);
  EXPECT_EQ(MasterKey::LoadOrCreate(path).error().code, core::Errc::failed_precondition);
}

TEST(MasterKeyFromBase64Test, AcceptsBothAlphabetsOf32Bytes) {
  const std::string key = RandomBytes(32);
  const Aead reference = Aead::FromKey(key).value();
  const std::string sealed = reference.Seal("x");
  EXPECT_EQ(MasterKey::FromBase64(Base64Encode(key)).value().Open(sealed).value(), "x");
  EXPECT_EQ(MasterKey::FromBase64(Base64UrlEncode(key)).value().Open(sealed).value(), "x");
}

TEST(MasterKeyFromBase64Test, RejectsWrongLengthAndGarbage) {
  EXPECT_EQ(MasterKey::FromBase64(Base64Encode(RandomBytes(16))).error().code,
            core::Errc::invalid_argument);
  EXPECT_EQ(MasterKey::FromBase64("%%%").error().code, core::Errc::invalid_argument);
  EXPECT_EQ(MasterKey::FromBase64("").error().code, core::Errc::invalid_argument);
}

}  // namespace
}  // namespace uitweg::crypto
