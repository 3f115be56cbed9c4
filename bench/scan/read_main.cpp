// scan-bench-read: the export readers alone (detect, cut, parse into posts) on N threads, the
// way `uitweg scan` runs them but without analysing the posts, to show what reading costs.
// Usage: scan-bench-read FILE... [--threads N]; prints MB/s and the number of posts.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "outreach/readers/export_reader.hpp"
#include "outreach/readers/input_file.hpp"
#include "outreach/work_queue.hpp"

int main(int argc, char** argv) {
  using namespace uitweg::outreach;
  using namespace uitweg::outreach::readers;
  std::vector<std::string> paths;
  int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  for (int i = 1; i < argc; ++i) {
    if (std::string_view(argv[i]) == "--threads" && i + 1 < argc) {
      threads = std::max(1, std::atoi(argv[++i]));
    } else {
      paths.emplace_back(argv[i]);
    }
  }
  if (paths.empty()) {
    std::fputs("usage: scan-bench-read FILE... [--threads N]\n", stderr);
    return 2;
  }
  const auto start = std::chrono::steady_clock::now();
  WorkQueue<Batch> queue(static_cast<std::size_t>(threads) * 4);
  std::atomic<std::uint64_t> posts{0};
  std::atomic<std::uint64_t> text_bytes{0};
  std::atomic<bool> failed{false};
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&] {
      BatchDecoder decoder;
      std::uint64_t local_posts = 0;
      std::uint64_t local_bytes = 0;
      while (std::optional<Batch> batch = queue.Pop()) {
        auto status = decoder.Decode(*batch, [&](const Post& post) {
          ++local_posts;
          local_bytes += post.text.size();
        });
        if (!status) {
          std::fprintf(stderr, "%s\n", status.error().message.c_str());
          failed = true;
        }
      }
      posts += local_posts;
      text_bytes += local_bytes;
    });
  }
  std::vector<InputFile> files;
  files.reserve(paths.size());
  std::uint64_t bytes = 0;
  ExportCutter cutter;
  for (const std::string& path : paths) {
    auto file = InputFile::Open(path);
    if (!file) {
      std::fprintf(stderr, "%s\n", file.error().message.c_str());
      failed = true;
      continue;
    }
    files.push_back(std::move(*file));
    bytes += files.back().size();
    ReadWindow window(files.back());
    auto cut = cutter.Cut(files.back(), [&](const Batch& batch) {
      queue.Push(batch);
      window.ReadTo(batch.end);
      return true;
    });
    if (!cut) {
      std::fprintf(stderr, "%s\n", cut.error().message.c_str());
      failed = true;
    }
  }
  queue.Close();
  for (std::thread& t : pool) t.join();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("read %.1f MB in %.3f s = %.0f MB/s with %d threads: %llu posts, %.1f MB of text\n",
              static_cast<double>(bytes) / 1e6, seconds, static_cast<double>(bytes) / 1e6 / seconds,
              threads, static_cast<unsigned long long>(posts.load()),
              static_cast<double>(text_bytes.load()) / 1e6);
  return failed ? 1 : 0;
}
