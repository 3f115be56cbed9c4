#include "api/upload_folder.hpp"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "core/testing/test_folder.hpp"

namespace uitweg::api {
namespace {

namespace fs = std::filesystem;

constexpr std::int64_t kAnalyst = 7;

std::string Contents(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

class UploadFolderTest : public ::testing::Test {
 protected:
  core::testing::TestFolder folder_{"uploads"};
  core::ManualClock clock_;
  UploadFolder uploads_{folder_ / "outreach" / "uploads", clock_};
};

TEST_F(UploadFolderTest, ChunksAppendWhereTheLastOneEnded) {
  const Upload created = uploads_.Create("result.json", 10, kAnalyst).value();
  EXPECT_TRUE(IsUploadId(created.id));
  EXPECT_EQ(created.received, 0u);

  ChunkResult first = uploads_.Append(created.id, kAnalyst, 0, "abcd").value();
  EXPECT_EQ(first.outcome, ChunkOutcome::appended);
  EXPECT_EQ(first.received, 4u);
  EXPECT_EQ(uploads_.Append(created.id, kAnalyst, 4, "efgh").value().received, 8u);

  const Upload half = uploads_.Find(created.id, kAnalyst).value();
  EXPECT_EQ(half.received, 8u);
  EXPECT_FALSE(half.complete());
  EXPECT_EQ(half.name, "result.json");
  EXPECT_EQ(half.size, 10u);

  const ChunkResult last = uploads_.Append(created.id, kAnalyst, 8, "ij").value();
  EXPECT_EQ(last.received, 10u);
  const Upload done = uploads_.Find(created.id, kAnalyst).value();
  EXPECT_TRUE(done.complete());
  EXPECT_EQ(Contents(done.file), "abcdefghij");
}

TEST_F(UploadFolderTest, AChunkAtAnotherOffsetChangesNothingAndSaysWhereToResume) {
  const Upload created = uploads_.Create("result.json", 10, kAnalyst).value();
  ASSERT_TRUE(uploads_.Append(created.id, kAnalyst, 0, "abcd"));
  for (const std::uint64_t offset : {0u, 2u, 5u, 100u}) {
    const ChunkResult result = uploads_.Append(created.id, kAnalyst, offset, "xy").value();
    EXPECT_EQ(result.outcome, ChunkOutcome::wrong_offset) << offset;
    EXPECT_EQ(result.received, 4u) << offset;
  }
  EXPECT_EQ(Contents(uploads_.Find(created.id, kAnalyst)->file), "abcd");
}

TEST_F(UploadFolderTest, AChunkPastTheDeclaredSizeIsNotWritten) {
  const Upload created = uploads_.Create("result.json", 6, kAnalyst).value();
  ASSERT_TRUE(uploads_.Append(created.id, kAnalyst, 0, "abcd"));
  const ChunkResult result = uploads_.Append(created.id, kAnalyst, 4, "efg").value();
  EXPECT_EQ(result.outcome, ChunkOutcome::past_the_end);
  EXPECT_EQ(result.received, 4u);
  EXPECT_EQ(Contents(uploads_.Find(created.id, kAnalyst)->file), "abcd");
}

TEST_F(UploadFolderTest, AnUploadIsItsCreatorsAlone) {
  const Upload created = uploads_.Create("result.json", 6, kAnalyst).value();
  EXPECT_EQ(uploads_.Find(created.id, kAnalyst + 1).error().code, core::Errc::not_found);
  EXPECT_EQ(uploads_.Append(created.id, kAnalyst + 1, 0, "ab").error().code, core::Errc::not_found);
}

TEST_F(UploadFolderTest, WhatIsNotAnUploadIdNamesNothing) {
  ASSERT_TRUE(uploads_.Create("result.json", 6, kAnalyst));
  for (const char* id : {"", "..", "../uploads", "u_/../../etc/passwd", "u_aaaaaaaaaaaaaaaaaaaaa",
                         "u_aaaaaaaaaaaaaaaaaaaa.a", "x_aaaaaaaaaaaaaaaaaaaaaa"}) {
    EXPECT_FALSE(IsUploadId(id)) << id;
    EXPECT_EQ(uploads_.Find(id, kAnalyst).error().code, core::Errc::not_found) << id;
  }
}

TEST_F(UploadFolderTest, NamesAreFileNamesAndSizesAreNotZero) {
  for (const char* name : {"", "a/b.json", "..", "a\\b", "bad\x01name", "\xff.json"}) {
    EXPECT_EQ(uploads_.Create(name, 6, kAnalyst).error().code, core::Errc::invalid_argument)
        << name;
  }
  EXPECT_EQ(uploads_.Create(std::string(256, 'a'), 6, kAnalyst).error().code,
            core::Errc::invalid_argument);
  EXPECT_EQ(uploads_.Create("empty.json", 0, kAnalyst).error().code, core::Errc::invalid_argument);
  EXPECT_TRUE(uploads_.Create("Kanaal · export.zip", 6, kAnalyst));
}

TEST_F(UploadFolderTest, SweepRemovesUploadsLeftForADayUnlessAScanHoldsThem) {
  const Upload old = uploads_.Create("old.json", 6, kAnalyst).value();
  const Upload held = uploads_.Create("held.json", 6, kAnalyst).value();
  clock_.Advance(UploadFolder::kKeepUnscanned / 2);
  const Upload young = uploads_.Create("young.json", 6, kAnalyst).value();
  clock_.Advance(UploadFolder::kKeepUnscanned / 2 + 1);
  const auto held_one = [&](std::string_view id) { return id == held.id; };
  EXPECT_EQ(uploads_.Sweep(held_one), 1);
  EXPECT_FALSE(std::filesystem::exists(old.folder));
  EXPECT_TRUE(std::filesystem::exists(held.folder));
  EXPECT_TRUE(std::filesystem::exists(young.folder));
}

TEST_F(UploadFolderTest, RemoveTakesTheWholeFolder) {
  const Upload created = uploads_.Create("result.zip", 6, kAnalyst).value();
  std::filesystem::create_directory(created.folder / "unpacked");
  std::ofstream(created.folder / "unpacked" / "0001-result.json") << "[]";
  uploads_.Remove(created.id);
  EXPECT_FALSE(std::filesystem::exists(created.folder));
  EXPECT_EQ(uploads_.Find(created.id, kAnalyst).error().code, core::Errc::not_found);
}

// Each upload is checked against the free space when it begins: what the uploads under way are
// still to receive is not free, or three of 2 GB begun at once with 5 GB free fill the disk that
// the database shares.
TEST_F(UploadFolderTest, WhatUploadsUnderWayAreStillToReceiveIsNotFree) {
  const std::uint64_t free = uploads_.FreeBytes().value();
  ASSERT_GT(free, 0u);
  const Upload promised = uploads_.Create("result.json", free + (1ULL << 30), kAnalyst).value();
  EXPECT_EQ(uploads_.FreeBytes().value(), 0u);
  // Left half-way (its browser closed): after an hour without a chunk it holds nothing back.
  fs::last_write_time(promised.file, fs::file_time_type::clock::now() - std::chrono::hours(2));
  EXPECT_GT(uploads_.FreeBytes().value(), 0u);
  fs::last_write_time(promised.file, fs::file_time_type::clock::now());
  EXPECT_EQ(uploads_.FreeBytes().value(), 0u);
  uploads_.Remove(promised.id);
  EXPECT_GT(uploads_.FreeBytes().value(), 0u);
}

TEST(ReadableSizeTest, SaysSizesInBinaryUnits) {
  EXPECT_EQ(ReadableSize(512), "512 bytes");
  EXPECT_EQ(ReadableSize(2048), "2 KB");
  EXPECT_EQ(ReadableSize(std::uint64_t{3} << 20), "3.0 MB");
  EXPECT_EQ(ReadableSize(std::uint64_t{2048} << 20), "2.0 GB");
  EXPECT_EQ(ReadableSize(std::uint64_t{10} << 30), "10.0 GB");
}

}  // namespace
}  // namespace uitweg::api
