#pragma once
// One export file's bytes, read-only, followed by at least kInputPadding zero bytes so that
// vectorised scanners may read whole blocks past the end. Regular files are memory-mapped (the
// process holds no copy, so memory does not grow with the file); anything else is read into a
// padded buffer. Movable, not copyable; the bytes live as long as the object. Thread-safe to
// read from many threads.

#include <atomic>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace uitweg::outreach::readers {

inline constexpr std::size_t kInputPadding = 64;

// How InputFile::Open opens a file.
struct OpenOptions {
  // Also invalid_argument for a link at the path's end, checked as the file is opened.
  bool refuse_link = false;
  // Set from another thread: a pipe or device that is still being read stops with `aborted`.
  // A pipe whose writer never writes nor closes would otherwise hold the reading thread.
  const std::atomic<bool>* cancel = nullptr;
};

class InputFile {
 public:
  // Errors: not_found (no such file), invalid_argument (a directory), unavailable (I/O),
  // aborted (cancelled).
  // Opening never waits for a named pipe's writer; reading it waits until the writer closes it.
  // Mapped files are guarded against getting shorter while they are read (shrink_guard.hpp),
  // up to ShrinkGuard::kMaxWatched at once.
  static core::Result<InputFile> Open(const std::string& path, const OpenOptions& options = {});
  // A copy of `bytes` named `name`, for tests and fuzzing.
  static InputFile FromBytes(std::string name, std::string_view bytes);

  InputFile(InputFile&&) noexcept;
  InputFile& operator=(InputFile&&) noexcept;
  ~InputFile();

  const std::string& name() const { return name_; }
  const char* data() const { return data_; }
  std::size_t size() const { return size_; }
  std::string_view bytes() const { return {data_, size_}; }

  // Tells the kernel the bytes in [begin, end) will not be read again, so their pages leave
  // this process's resident set. Reading them later still works.
  void Release(std::size_t begin, std::size_t end) const;
  // Asks the kernel to map the pages of [begin, end) now, in one call, rather than one fault at
  // a time as they are first read. A hint: if the kernel cannot, reading works as before.
  void Prefetch(std::size_t begin, std::size_t end) const;

  // 1-based line and column (in bytes) of a byte offset, for error messages.
  struct Position {
    std::size_t line = 1;
    std::size_t column = 1;
  };
  Position PositionOf(std::size_t offset) const;

  // "<name>: line L, column C (byte B): <what>", an invalid_argument error.
  core::Error ErrorAt(std::size_t offset, std::string_view what) const;

  // Whether the file got shorter while it was mapped and read (shrink_guard.hpp): what was read
  // past its new end read as zeros.
  bool Shrunk() const;

 private:
  InputFile() = default;
  struct Mapping;

  std::string name_;
  const char* data_ = nullptr;
  std::size_t size_ = 0;
  std::unique_ptr<Mapping> mapping_;
};

// For a file read front to back: maps its pages a step ahead of the reader and releases them
// two steps behind it. A scan then costs one system call per step, not a page fault per page
// first read and a TLB shoot-down per batch released (both dear on a virtual machine), and keeps
// at most four steps resident whatever the file's size. Whoever still reads behind the window
// (another thread's batch) only takes page faults: released bytes stay readable.
class ReadWindow {
 public:
  static constexpr std::size_t kDefaultStep = std::size_t{16} << 20;

  explicit ReadWindow(const InputFile& file, std::size_t step = kDefaultStep);
  // The reader has read everything before `offset`.
  void ReadTo(std::size_t offset);

 private:
  const InputFile& file_;
  std::size_t step_;
  std::size_t mapped_to_ = 0;
  std::size_t released_to_ = 0;
};

}  // namespace uitweg::outreach::readers
