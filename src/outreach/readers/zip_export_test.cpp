#include "outreach/readers/zip_export.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <algorithm>
#include <csignal>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include "core/testing/test_folder.hpp"

namespace uitweg::outreach::readers {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
namespace fs = std::filesystem;

struct ZipEntry {
  std::string name;
  std::string data;              // a link's target for AE_IFLNK
  unsigned int type = AE_IFREG;  // AE_IFREG, AE_IFDIR or AE_IFLNK
};

// Writes `entries` as a deflated zip with libarchive's writer; encrypted with ZipCrypto when a
// passphrase is given.
void WriteZip(const fs::path& path, const std::vector<ZipEntry>& entries,
              const char* passphrase = nullptr) {
  archive* writer = archive_write_new();
  ASSERT_EQ(archive_write_set_format_zip(writer), ARCHIVE_OK);
  ASSERT_EQ(archive_write_zip_set_compression_deflate(writer), ARCHIVE_OK);
  if (passphrase != nullptr) {
    ASSERT_EQ(archive_write_set_options(writer, "zip:encryption=zipcrypt"), ARCHIVE_OK)
        << archive_error_string(writer);
    ASSERT_EQ(archive_write_set_passphrase(writer, passphrase), ARCHIVE_OK);
  }
  ASSERT_EQ(archive_write_open_filename(writer, path.c_str()), ARCHIVE_OK);
  for (const ZipEntry& zip_entry : entries) {
    archive_entry* entry = archive_entry_new();
    archive_entry_set_pathname(entry, zip_entry.name.c_str());
    archive_entry_set_filetype(entry, zip_entry.type);
    archive_entry_set_perm(entry, zip_entry.type == AE_IFDIR ? 0755 : 0644);
    if (zip_entry.type == AE_IFLNK) {
      archive_entry_set_symlink(entry, zip_entry.data.c_str());
    } else if (zip_entry.type == AE_IFREG) {
      archive_entry_set_size(entry, static_cast<la_int64_t>(zip_entry.data.size()));
    }
    ASSERT_EQ(archive_write_header(writer, entry), ARCHIVE_OK) << archive_error_string(writer);
    if (zip_entry.type == AE_IFREG && !zip_entry.data.empty()) {
      ASSERT_EQ(archive_write_data(writer, zip_entry.data.data(), zip_entry.data.size()),
                static_cast<la_ssize_t>(zip_entry.data.size()));
    }
    archive_entry_free(entry);
  }
  ASSERT_EQ(archive_write_close(writer), ARCHIVE_OK);
  archive_write_free(writer);
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void WriteFile(const fs::path& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

std::vector<std::string> Listing(const fs::path& folder) {
  std::vector<std::string> names;
  for (const fs::directory_entry& entry : fs::directory_iterator(folder)) {
    names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::string RandomBytes(std::size_t size) {
  std::mt19937 random(42);
  std::string bytes(size, '\0');
  for (char& c : bytes) c = static_cast<char>(random());
  return bytes;
}

std::uint32_t ReadLe32(const std::string& bytes, std::size_t at) {
  std::uint32_t value = 0;
  for (int i = 3; i >= 0; --i) value = value << 8 | static_cast<unsigned char>(bytes[at + i]);
  return value;
}
std::uint16_t ReadLe16(const std::string& bytes, std::size_t at) {
  return static_cast<std::uint16_t>(static_cast<unsigned char>(bytes[at]) |
                                    static_cast<unsigned char>(bytes[at + 1]) << 8);
}

// Makes every entry of the zip's central directory declare `size` uncompressed bytes, as a
// hostile zip would: the data that follows is as large as it ever was.
void DeclareUncompressedSize(const fs::path& path, std::uint32_t size) {
  std::string bytes = ReadFile(path);
  ASSERT_GE(bytes.size(), 22u);
  const std::size_t end_record = bytes.size() - 22;  // the writer adds no comment
  ASSERT_EQ(bytes.compare(end_record, 4, "PK\5\6"), 0);
  std::size_t at = ReadLe32(bytes, end_record + 16);
  for (int n = ReadLe16(bytes, end_record + 10); n > 0; --n) {
    ASSERT_EQ(bytes.compare(at, 4, "PK\1\2"), 0);
    ASSERT_NE(ReadLe32(bytes, at + 24), 0xffffffffu) << "a zip64 size";
    for (int i = 0; i < 4; ++i) bytes[at + 24 + i] = static_cast<char>(size >> (8 * i));
    at += 46u + ReadLe16(bytes, at + 28) + ReadLe16(bytes, at + 30) + ReadLe16(bytes, at + 32);
  }
  WriteFile(path, bytes);
}

// Caps every file this process writes at `bytes` (RLIMIT_FSIZE) while it lives: a write past
// the cap fails with EFBIG as on a full disk, rather than raising SIGXFSZ.
class FileSizeCap {
 public:
  explicit FileSizeCap(rlim_t bytes) {
    ::getrlimit(RLIMIT_FSIZE, &saved_);
    previous_handler_ = std::signal(SIGXFSZ, SIG_IGN);
    const rlimit cap = {bytes, saved_.rlim_max};
    ::setrlimit(RLIMIT_FSIZE, &cap);
  }
  ~FileSizeCap() {
    ::setrlimit(RLIMIT_FSIZE, &saved_);
    std::signal(SIGXFSZ, previous_handler_);
  }
  FileSizeCap(const FileSizeCap&) = delete;
  FileSizeCap& operator=(const FileSizeCap&) = delete;

 private:
  rlimit saved_ = {};
  void (*previous_handler_)(int) = SIG_DFL;
};

constexpr std::uint64_t kMiB = std::uint64_t{1} << 20;

class ZipExportTest : public ::testing::Test {
 protected:
  ZipExportTest() { fs::create_directory(out_); }

  core::Result<std::vector<ExtractedFile>> Extract(const ZipLimits& limits = {}) {
    return ExtractExport(zip_.string(), out_.string(), limits);
  }

  core::testing::TestFolder folder_{"zip-export"};
  fs::path zip_ = folder_ / "export.zip";
  fs::path out_ = folder_ / "out";
};

TEST_F(ZipExportTest, ExportFolderKeepsScanFilesAndSkipsTheRest) {
  const std::string result_json = R"({"name": "Bijbaantjes", "messages": []})";
  const std::string members_csv = "id,date,text\n1,2024-03-01,hallo\n";
  const std::string posts_jsonl = "{\"id\": 1, \"text\": \"hoi\"}\n";
  WriteZip(zip_, {{"export/", "", AE_IFDIR},
                  {"export/result.json", result_json},
                  {"export/photos/", "", AE_IFDIR},
                  {"export/photos/photo_1@01-03-2024_12-00-00.jpg", RandomBytes(4096)},
                  {"export/files/Members.CSV", members_csv},
                  {"export/files/notes.txt", "not for the scan"},
                  {"export/video_files/clip.mp4", RandomBytes(2048)},
                  {"export/lists.json/", "", AE_IFDIR},
                  {"export/more/posts.jsonl", posts_jsonl},
                  {"__MACOSX/export/._result.json", RandomBytes(64)}});

  auto files = Extract();

  ASSERT_TRUE(files.has_value()) << files.error().message;
  ASSERT_EQ(files->size(), 3u);
  EXPECT_EQ((*files)[0].original_name, "export/result.json");
  EXPECT_EQ((*files)[0].path, (out_ / "0001-result.json").string());
  EXPECT_EQ((*files)[0].bytes, result_json.size());
  EXPECT_EQ((*files)[1].original_name, "export/files/Members.CSV");
  EXPECT_EQ((*files)[1].path, (out_ / "0002-Members.CSV").string());
  EXPECT_EQ((*files)[2].original_name, "export/more/posts.jsonl");
  EXPECT_EQ((*files)[2].path, (out_ / "0003-posts.jsonl").string());
  EXPECT_EQ(ReadFile((*files)[0].path), result_json);
  EXPECT_EQ(ReadFile((*files)[1].path), members_csv);
  EXPECT_EQ(ReadFile((*files)[2].path), posts_jsonl);
  EXPECT_THAT(Listing(out_),
              ElementsAre("0001-result.json", "0002-Members.CSV", "0003-posts.jsonl"));
  EXPECT_EQ(fs::status((*files)[0].path).permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write);
}

TEST_F(ZipExportTest, TraversalNamesAreWrittenUnderSafeNames) {
  WriteZip(zip_, {{"../escape.json", "1"},
                  {"../../../../../../tmp/absolute.csv", "2"},
                  {"/etc/cron.d/root.jsonl", "3"},
                  {"..\\..\\windows.json", "4"},
                  {"we ird\x01na\xffme.json", "5"}});

  auto files = Extract();

  ASSERT_TRUE(files.has_value()) << files.error().message;
  EXPECT_THAT(Listing(out_), ElementsAre("0001-escape.json", "0002-absolute.csv", "0003-root.jsonl",
                                         "0004-windows.json", "0005-we_ird_na_me.json"));
  EXPECT_THAT(Listing(folder_.path()), ElementsAre("export.zip", "out"));
  ASSERT_EQ(files->size(), 5u);
  EXPECT_EQ((*files)[0].original_name, "../escape.json");
  EXPECT_EQ((*files)[4].original_name, "we ird\uFFFDna\uFFFDme.json");
  for (const ExtractedFile& file : *files) {
    EXPECT_EQ(fs::path(file.path).parent_path(), out_);
  }
}

TEST_F(ZipExportTest, LongNameIsCutKeepingItsExtension) {
  const std::string name = "chats/" + std::string(300, 'x') + ".jsonl";
  WriteZip(zip_, {{name, "{}"}});

  auto files = Extract();

  ASSERT_TRUE(files.has_value()) << files.error().message;
  ASSERT_EQ(files->size(), 1u);
  const std::string written = fs::path((*files)[0].path).filename().string();
  EXPECT_EQ(written, "0001-" + name.substr(name.size() - 100));
  EXPECT_EQ((*files)[0].original_name, name.substr(0, 200) + "\u2026");
}

TEST_F(ZipExportTest, SymlinkEntryIsSkipped) {
  WriteZip(zip_, {{"result.json", "{}"}, {"evil.json", "/etc/passwd", AE_IFLNK}});

  auto files = Extract();

  ASSERT_TRUE(files.has_value()) << files.error().message;
  ASSERT_EQ(files->size(), 1u);
  EXPECT_EQ((*files)[0].original_name, "result.json");
  EXPECT_THAT(Listing(out_), ElementsAre("0001-result.json"));
  EXPECT_FALSE(fs::is_symlink(out_ / "0002-evil.json"));
}

TEST_F(ZipExportTest, EncryptedEntriesAreSkipped) {
  WriteZip(zip_, {{"result.json", R"({"messages": []})"}}, "secret");

  auto files = Extract();

  ASSERT_FALSE(files.has_value());
  EXPECT_EQ(files.error().code, core::Errc::invalid_argument);
  EXPECT_EQ(files.error().message, "the zip holds no .json, .jsonl or .csv file");
  EXPECT_TRUE(Listing(out_).empty());
}

TEST_F(ZipExportTest, BombIsRefusedAndLeavesNothing) {
  WriteZip(zip_, {{"small.json", "{}"}, {"result.json", std::string(64 * kMiB, '\0')}});
  ASSERT_LT(fs::file_size(zip_), kMiB);

  auto files = Extract({.max_total_bytes = kMiB});

  ASSERT_FALSE(files.has_value());
  EXPECT_EQ(files.error().code, core::Errc::resource_exhausted);
  EXPECT_EQ(files.error().message, "the export unpacks to more than 1 MiB");
  EXPECT_TRUE(Listing(out_).empty());
}

TEST_F(ZipExportTest, BombThatLiesAboutItsSizeStopsAtTheLimitWhileStreaming) {
  WriteZip(zip_, {{"small.json", "{}"}, {"result.json", std::string(64 * kMiB, '\0')}});
  DeclareUncompressedSize(zip_, 1);
  // A write past the limit would fail with "File too large" rather than name the limit.
  const FileSizeCap cap(kMiB);

  auto files = Extract({.max_total_bytes = kMiB});

  ASSERT_FALSE(files.has_value());
  EXPECT_EQ(files.error().code, core::Errc::resource_exhausted);
  EXPECT_EQ(files.error().message, "the export unpacks to more than 1 MiB");
  EXPECT_TRUE(Listing(out_).empty());
}

TEST_F(ZipExportTest, FileOverItsLimitNamesTheEntry) {
  WriteZip(zip_, {{"a.json", std::string(kMiB + 1, 'a')}});
  DeclareUncompressedSize(zip_, 1);

  auto files = Extract({.max_file_bytes = kMiB});

  ASSERT_FALSE(files.has_value());
  EXPECT_EQ(files.error().code, core::Errc::resource_exhausted);
  EXPECT_EQ(files.error().message, "\"a.json\" unpacks to more than 1 MiB");
  EXPECT_TRUE(Listing(out_).empty());
}

TEST_F(ZipExportTest, TotalLimitCountsEveryFile) {
  const std::string part = RandomBytes(400 * 1024);
  WriteZip(zip_, {{"a.csv", part}, {"b.csv", part}, {"c.csv", part}});
  DeclareUncompressedSize(zip_, 1);

  auto files = Extract({.max_total_bytes = kMiB});

  ASSERT_FALSE(files.has_value());
  EXPECT_EQ(files.error().code, core::Errc::resource_exhausted);
  EXPECT_EQ(files.error().message, "the export unpacks to more than 1 MiB");
  EXPECT_TRUE(Listing(out_).empty());
}

TEST_F(ZipExportTest, TooManyEntriesAreRefusedAndLeaveNothing) {
  std::vector<ZipEntry> entries;
  for (int i = 0; i < 11; ++i) entries.push_back({"chat" + std::to_string(i) + ".jsonl", "{}"});
  WriteZip(zip_, entries);

  ASSERT_TRUE(Extract({.max_entries = 11}).has_value());
  folder_.Empty();
  fs::create_directory(out_);
  WriteZip(zip_, entries);
  auto files = Extract({.max_entries = 10});

  ASSERT_FALSE(files.has_value());
  EXPECT_EQ(files.error().code, core::Errc::invalid_argument);
  EXPECT_EQ(files.error().message, "the zip holds more than 10 entries");
  EXPECT_TRUE(Listing(out_).empty());
}

TEST_F(ZipExportTest, TruncatedZipNamesTheEntryAndLeavesNothing) {
  WriteZip(zip_, {{"result.json", "{}"},
                  {"photos/x.jpg", RandomBytes(256 * 1024)},
                  {"late.csv", "id,text\n"}});
  const std::string bytes = ReadFile(zip_);
  WriteFile(zip_, bytes.substr(0, bytes.size() / 2));

  auto files = Extract();

  ASSERT_FALSE(files.has_value());
  EXPECT_EQ(files.error().code, core::Errc::invalid_argument);
  EXPECT_THAT(files.error().message,
              HasSubstr("truncated or damaged zip at entry \"photos/x.jpg\": "));
  EXPECT_TRUE(Listing(out_).empty());
}

TEST_F(ZipExportTest, DamagedDataNamesTheEntryAndLeavesNothing) {
  WriteZip(zip_, {{"first.json", "{}"}, {"result.json", RandomBytes(64 * 1024)}});
  std::string bytes = ReadFile(zip_);
  const std::size_t data = bytes.find("result.json") + 11 + 1024;
  for (std::size_t i = data; i < data + 64; ++i) bytes[i] = static_cast<char>(~bytes[i]);
  WriteFile(zip_, bytes);

  auto files = Extract();

  ASSERT_FALSE(files.has_value());
  EXPECT_EQ(files.error().code, core::Errc::invalid_argument);
  EXPECT_THAT(files.error().message,
              HasSubstr("truncated or damaged zip at entry \"result.json\": "));
  EXPECT_TRUE(Listing(out_).empty());
}

TEST_F(ZipExportTest, FileThatIsNotAZipIsRefused) {
  WriteFile(zip_, "id,date,text\n1,2024-03-01,hallo\n");

  auto files = Extract();

  ASSERT_FALSE(files.has_value());
  EXPECT_EQ(files.error().code, core::Errc::invalid_argument);
  EXPECT_THAT(files.error().message, HasSubstr("not a zip archive"));
}

TEST_F(ZipExportTest, EmptyZipHoldsNoScanFile) {
  WriteZip(zip_, {});

  auto files = Extract();

  ASSERT_FALSE(files.has_value());
  EXPECT_EQ(files.error().code, core::Errc::invalid_argument);
  EXPECT_EQ(files.error().message, "the zip holds no .json, .jsonl or .csv file");
}

TEST_F(ZipExportTest, ZipOfPhotosOnlyHoldsNoScanFile) {
  WriteZip(zip_, {{"photos/a.jpg", RandomBytes(100)}, {"result.json.jpg", "x"}});

  auto files = Extract();

  ASSERT_FALSE(files.has_value());
  EXPECT_EQ(files.error().message, "the zip holds no .json, .jsonl or .csv file");
}

TEST_F(ZipExportTest, MissingZipIsNotFound) {
  auto files = Extract();

  ASSERT_FALSE(files.has_value());
  EXPECT_EQ(files.error().code, core::Errc::not_found);
}

TEST_F(ZipExportTest, FullDiskIsAnErrorAndRemovesWhatWasWritten) {
  WriteZip(zip_, {{"a.json", RandomBytes(10 * 1024)}, {"b.json", RandomBytes(512 * 1024)}});
  const FileSizeCap cap(100 * 1024);

  auto files = Extract();

  ASSERT_FALSE(files.has_value());
  // The server's trouble, not the zip's: the upload is kept for another try.
  EXPECT_EQ(files.error().code, core::Errc::unavailable);
  EXPECT_THAT(files.error().message, HasSubstr("cannot write 0002-b.json (from \"b.json\")"));
  EXPECT_TRUE(Listing(out_).empty());
}

}  // namespace
}  // namespace uitweg::outreach::readers
