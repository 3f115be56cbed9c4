#include "outreach/readers/json_scan.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "outreach/readers/input_file.hpp"

namespace uitweg::outreach::readers {
namespace {

// The obvious byte-at-a-time answer that ContainerEnd must agree with.
std::size_t ReferenceContainerEnd(const std::string& text, std::size_t pos) {
  int depth = 0;
  bool in_string = false;
  for (std::size_t i = pos; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      ++depth;
    } else if (c == '}' || c == ']') {
      if (--depth == 0) return i + 1;
    }
  }
  return json::kNotFound;
}

std::size_t ContainerEnd(const InputFile& file, std::size_t pos = 0) {
  return json::ContainerEnd(file.data(), file.size(), pos);
}

TEST(JsonScanTest, BracketsInsideStringsDoNotCount) {
  InputFile file = InputFile::FromBytes("t", R"({"a": "}]{[", "b": ["x", {"c": "]"}]} tail)");
  EXPECT_EQ(ContainerEnd(file), file.size() - 5);
}

TEST(JsonScanTest, EscapedQuotesAndBackslashRuns) {
  InputFile file = InputFile::FromBytes("t", R"({"a": "\"}", "b": "\\", "c": "\\\"}"} x)");
  EXPECT_EQ(ContainerEnd(file), file.size() - 2);
}

TEST(JsonScanTest, BackslashRunsAcrossBlockBoundaries) {
  // Put a run of backslashes so that it ends at every offset around the 64-byte boundary.
  for (int run = 1; run <= 6; ++run) {
    for (int shift = 50; shift < 70; ++shift) {
      std::string text = "{\"k\": \"" + std::string(static_cast<std::size_t>(shift), 'x') +
                         std::string(static_cast<std::size_t>(run), '\\') +
                         (run % 2 == 1 ? "\"}\"}" : "\"}") + " after";
      InputFile file = InputFile::FromBytes("t", text);
      EXPECT_EQ(ContainerEnd(file), ReferenceContainerEnd(text, 0))
          << "run " << run << " shift " << shift;
    }
  }
}

TEST(JsonScanTest, AgreesWithTheReferenceOnRandomDocuments) {
  // Random structure with strings full of brackets, escaped quotes and escaped backslashes
  // (backslashes appear only inside strings, as in any JSON).
  std::mt19937 random(1234);
  const std::string structure = "{}[],: \na";
  const std::vector<std::string> string_parts = {"a",    "{",    "}", "[",  "]",
                                                 "\\\\", "\\\"", " ", "\\n"};
  for (int round = 0; round < 3000; ++round) {
    std::string text = "{";
    const std::size_t pieces = 1 + random() % 120;
    for (std::size_t i = 0; i < pieces; ++i) {
      if (random() % 4 == 0) {
        text += '"';
        const std::size_t parts = random() % 40;
        for (std::size_t k = 0; k < parts; ++k)
          text += string_parts[random() % string_parts.size()];
        text += '"';
      } else {
        text += structure[random() % structure.size()];
      }
    }
    InputFile file = InputFile::FromBytes("t", text);
    ASSERT_EQ(ContainerEnd(file), ReferenceContainerEnd(text, 0)) << text;
  }
}

TEST(JsonScanTest, UnterminatedContainerIsNotFound) {
  InputFile file = InputFile::FromBytes("t", R"({"a": [1, 2, {"b": "}"})");
  EXPECT_EQ(ContainerEnd(file), json::kNotFound);
}

TEST(JsonScanTest, StringEndSkipsEscapedQuotes) {
  InputFile file = InputFile::FromBytes("t", R"("a\"b\\" rest)");
  EXPECT_EQ(json::StringEnd(file.data(), file.size(), 0), 8u);
}

TEST(JsonScanTest, ValueEndOfScalars) {
  InputFile file = InputFile::FromBytes("t", "-12.5e3, true]");
  EXPECT_EQ(json::ValueEnd(file.data(), file.size(), 0), 7u);
  EXPECT_EQ(json::ValueEnd(file.data(), file.size(), 9), 13u);
}

TEST(JsonScanTest, HexEscapesBecomeUnicodeEscapes) {
  std::string out;
  json::AppendRewritingHexEscapes(R"(a\x0Bb \\x41 \n \x7)", out);
  EXPECT_EQ(out, R"(a\u000Bb \\x41 \n \x7)");
}

TEST(InputFileTest, PaddingAfterThePageSizedFileIsZero) {
  const std::string path = ::testing::TempDir() + "/page_sized.txt";
  {
    FILE* f = std::fopen(path.c_str(), "wb");
    ASSERT_NE(f, nullptr);
    const std::string page(4096, 'p');
    std::fwrite(page.data(), 1, page.size(), f);
    std::fclose(f);
  }
  auto file = InputFile::Open(path);
  ASSERT_TRUE(file.has_value());
  ASSERT_EQ(file->size(), 4096u);
  for (std::size_t i = 0; i < kInputPadding; ++i) EXPECT_EQ(file->data()[4096 + i], '\0');
  file->Release(0, file->size());
  EXPECT_EQ(file->data()[100], 'p');
  std::remove(path.c_str());
}

// Kilobytes of the mapping that starts at `start` in this process's resident set.
std::size_t ResidentKb(const void* start) {
  std::ifstream smaps("/proc/self/smaps");
  char prefix[32];
  std::snprintf(prefix, sizeof prefix, "%lx-", reinterpret_cast<unsigned long>(start));
  std::string line;
  bool inside = false;
  while (std::getline(smaps, line)) {
    if (line.rfind(prefix, 0) == 0) inside = true;
    if (inside && line.rfind("Rss:", 0) == 0) {
      std::istringstream fields(line.substr(4));
      std::size_t kb = 0;
      fields >> kb;
      return kb;
    }
  }
  return 0;
}

TEST(InputFileTest, AReadWindowMapsAheadAndReleasesBehindTheReader) {
  const std::size_t page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
  void* probe = mmap(nullptr, page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  ASSERT_NE(probe, MAP_FAILED);
  const bool can_populate = madvise(probe, page, MADV_POPULATE_READ) == 0;
  munmap(probe, page);
  if (!can_populate) GTEST_SKIP() << "this kernel cannot populate page tables ahead";

  const std::string path = ::testing::TempDir() + "/read_window.txt";
  std::string bytes;
  for (std::size_t i = 0; i < 4096 * page; ++i) bytes.push_back(static_cast<char>('a' + i % 26));
  {
    std::ofstream out(path, std::ios::binary);
    out << bytes;
  }
  // Out of the page cache, so that what is resident is what the window made so: pages just
  // written may sit in large folios, which a fault maps whole.
  const int written = open(path.c_str(), O_RDONLY);
  ASSERT_GE(written, 0);
  ASSERT_EQ(fdatasync(written), 0);
  ASSERT_EQ(posix_fadvise(written, 0, 0, POSIX_FADV_DONTNEED), 0);
  close(written);
  auto file = InputFile::Open(path);
  ASSERT_TRUE(file.has_value());
  const std::size_t step = 32 * page;
  const std::size_t step_kb = step / 1024;
  // The kernel maps pages around each one it maps ("fault-around", and whole large folios
  // where the file system reads ahead in them): a bound well below the file's size.
  const std::size_t slack_kb = 1024;
  EXPECT_EQ(ResidentKb(file->data()), 0u);
  ReadWindow window(*file, step);
  // One step is mapped before a byte is read.
  EXPECT_GE(ResidentKb(file->data()), step_kb);
  ASSERT_GT(bytes.size() / 1024, 4 * (4 * step_kb + slack_kb)) << "the bound must mean something";
  for (std::size_t offset = 0; offset < bytes.size(); offset += page) {
    ASSERT_EQ(file->data()[offset], bytes[offset]);
    window.ReadTo(offset + page);
    if (offset % step != 0) continue;
    // Never more than two steps behind the reader and two ahead.
    ASSERT_LE(ResidentKb(file->data()), 4 * step_kb + slack_kb) << "at " << offset;
  }
  EXPECT_LE(ResidentKb(file->data()), 2 * step_kb + slack_kb);
  // Released bytes still read back.
  EXPECT_EQ(std::string_view(file->data(), 26), bytes.substr(0, 26));
  std::remove(path.c_str());
}

TEST(InputFileTest, PositionsCountLinesAndColumns) {
  InputFile file = InputFile::FromBytes("f.txt", "ab\ncd\n\nefg");
  EXPECT_EQ(file.PositionOf(0).line, 1u);
  EXPECT_EQ(file.PositionOf(4).line, 2u);
  EXPECT_EQ(file.PositionOf(4).column, 2u);
  EXPECT_EQ(file.PositionOf(9).line, 4u);
  EXPECT_EQ(file.PositionOf(9).column, 3u);
  EXPECT_EQ(file.ErrorAt(9, "bad").message, "f.txt: line 4, column 3 (byte 9): bad");
}

TEST(InputFileTest, MissingFileIsNotFound) {
  auto file = InputFile::Open("/nonexistent/uitweg/export.json");
  ASSERT_FALSE(file.has_value());
  EXPECT_EQ(file.error().code, core::Errc::not_found);
}

// An export rewritten in place while a scan reads it: a read past its new end raises SIGBUS,
// which must not end the server. It reads zeros instead, and the file says it shrank.
TEST(InputFileTest, AFileThatGetsShorterWhileMappedReadsAsZerosAndSaysSo) {
  const std::size_t page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
  const std::string path = ::testing::TempDir() + "/shrinks.txt";
  std::ofstream(path, std::ios::binary) << std::string(64 * page, 'x');
  auto file = InputFile::Open(path);
  ASSERT_TRUE(file.has_value());
  EXPECT_FALSE(file->Shrunk());
  ASSERT_EQ(truncate(path.c_str(), static_cast<off_t>(page)), 0);
  const volatile char* bytes = file->data();
  EXPECT_EQ(bytes[10 * page], '\0');
  EXPECT_EQ(bytes[63 * page + 5], '\0');
  EXPECT_EQ(bytes[0], 'x');
  EXPECT_TRUE(file->Shrunk());
  std::remove(path.c_str());
}

// Only the mappings of input files are guarded: any other SIGBUS ends the process as before.
TEST(InputFileDeathTest, ASigbusElsewhereStillEndsTheProcess) {
  const std::size_t page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
  const std::string path = ::testing::TempDir() + "/not_guarded.txt";
  std::ofstream(path, std::ios::binary) << std::string(4 * page, 'x');
  ASSERT_TRUE(InputFile::Open(path));  // installs the guard
  EXPECT_EXIT(
      {
        const int fd = open(path.c_str(), O_RDONLY);
        auto* mapped = static_cast<const volatile char*>(
            mmap(nullptr, 4 * page, PROT_READ, MAP_PRIVATE, fd, 0));
        if (truncate(path.c_str(), 0) != 0) std::_Exit(2);
        std::_Exit(mapped[2 * page]);
      },
      ::testing::KilledBySignal(SIGBUS), "");
  std::remove(path.c_str());
}

// What the server scans may be changed by others after the scan was started: a link put in a
// file's place must not lead elsewhere.
TEST(InputFileTest, RefuseLinkRefusesALinkAtThePathsEndAsItOpens) {
  const std::string dir = ::testing::TempDir() + "/refuse_link";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/posts.jsonl") << "{}\n";
  std::filesystem::create_symlink(dir + "/posts.jsonl", dir + "/link.jsonl");
  EXPECT_TRUE(InputFile::Open(dir + "/posts.jsonl", {.refuse_link = true}));
  EXPECT_EQ(InputFile::Open(dir + "/link.jsonl", {.refuse_link = true}).error().code,
            core::Errc::invalid_argument);
  EXPECT_TRUE(InputFile::Open(dir + "/link.jsonl"));
}

// A named pipe in the server's import folder: its writer may never write nor close it, and the
// scan must still stop when it is cancelled.
TEST(InputFileTest, APipeIsReadToItsEndAndACancelStopsAReadThatWaits) {
  const std::string dir = ::testing::TempDir() + "/pipes";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string pipe = dir + "/export.jsonl";
  ASSERT_EQ(mkfifo(pipe.c_str(), 0600), 0);

  // Written and closed: read to the end. Should the writer fail, the read is cancelled.
  std::atomic<bool> writer_failed{false};
  std::thread writer([&] {
    const int fd = open(pipe.c_str(), O_WRONLY | O_CLOEXEC);
    const bool wrote = fd >= 0 && write(fd, "{}\n", 3) == 3;
    if (fd >= 0) close(fd);
    writer_failed = !wrote;
  });
  auto read = InputFile::Open(pipe, {.cancel = &writer_failed});
  writer.join();
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_EQ(read->bytes(), "{}\n");

  // Held open by a writer that writes nothing, and with no writer at all: a cancel ends the read.
  for (const bool held : {true, false}) {
    std::atomic<bool> cancel{false};
    std::promise<core::Result<InputFile>> opened;
    std::future<core::Result<InputFile>> result = opened.get_future();
    std::thread reader([&] { opened.set_value(InputFile::Open(pipe, {.cancel = &cancel})); });
    // A writer's open waits for the reader's.
    const int fd = held ? open(pipe.c_str(), O_WRONLY | O_CLOEXEC) : -1;
    EXPECT_TRUE(!held || fd >= 0);
    EXPECT_EQ(result.wait_for(std::chrono::milliseconds(200)), std::future_status::timeout);
    cancel = true;
    const bool ended = result.wait_for(std::chrono::seconds(30)) == std::future_status::ready;
    if (fd >= 0) close(fd);
    reader.join();
    ASSERT_TRUE(ended) << (held ? "held" : "no writer");
    const core::Result<InputFile> cancelled = result.get();
    ASSERT_FALSE(cancelled);
    EXPECT_EQ(cancelled.error().code, core::Errc::aborted);
  }
}

}  // namespace
}  // namespace uitweg::outreach::readers
