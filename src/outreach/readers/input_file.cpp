#include "outreach/readers/input_file.hpp"

#include "outreach/readers/shrink_guard.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

namespace uitweg::outreach::readers {

// Either a private file mapping laid over a larger anonymous reservation (the tail of the
// reservation is the zero padding), or a heap buffer.
struct InputFile::Mapping {
  void* base = MAP_FAILED;
  std::size_t length = 0;
  int guard = ShrinkGuard::kNotWatched;
  std::vector<char> buffer;

  ~Mapping() {
    ShrinkGuard::Unwatch(guard);
    if (base != MAP_FAILED) munmap(base, length);
  }
};

namespace {

// How often a read that waits for a pipe looks for a cancel.
constexpr int kCancelCheckMs = 50;

std::size_t PageSize() {
  return static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
}

std::size_t RoundUp(std::size_t n, std::size_t to) {
  return (n + to - 1) / to * to;
}

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

}  // namespace

InputFile::~InputFile() = default;
InputFile::InputFile(InputFile&&) noexcept = default;
InputFile& InputFile::operator=(InputFile&&) noexcept = default;

core::Result<InputFile> InputFile::Open(const std::string& path, const OpenOptions& options) {
  const int flags = O_RDONLY | O_CLOEXEC | O_NONBLOCK | (options.refuse_link ? O_NOFOLLOW : 0);
  Fd fd(open(path.c_str(), flags));
  if (fd.get() < 0) {
    int err = errno;
    if (options.refuse_link && err == ELOOP) {
      return core::Fail(core::Errc::invalid_argument, fmt::format("{}: is a link", path));
    }
    auto code = err == ENOENT ? core::Errc::not_found : core::Errc::unavailable;
    return core::Fail(code, fmt::format("{}: cannot open: {}", path, std::strerror(err)));
  }
  struct stat st {};
  if (fstat(fd.get(), &st) != 0) {
    return core::Fail(core::Errc::unavailable,
                      fmt::format("{}: cannot stat: {}", path, std::strerror(errno)));
  }
  if (S_ISDIR(st.st_mode)) {
    return core::Fail(core::Errc::invalid_argument, fmt::format("{}: is a directory", path));
  }
  InputFile file;
  file.name_ = path;
  file.mapping_ = std::make_unique<Mapping>();
  Mapping& m = *file.mapping_;
  if (S_ISREG(st.st_mode) && st.st_size > 0) {
    const std::size_t size = static_cast<std::size_t>(st.st_size);
    const std::size_t page = PageSize();
    m.length = RoundUp(size + kInputPadding, page);
    m.base = mmap(nullptr, m.length, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (m.base == MAP_FAILED) {
      return core::Fail(core::Errc::unavailable,
                        fmt::format("{}: cannot reserve memory: {}", path, std::strerror(errno)));
    }
    // The file pages replace the start of the reservation; bytes past the end of the file up to
    // the page boundary read as zero, and the anonymous pages after them are zero too.
    void* at = mmap(m.base, size, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd.get(), 0);
    if (at == MAP_FAILED) {
      return core::Fail(core::Errc::unavailable,
                        fmt::format("{}: cannot map: {}", path, std::strerror(errno)));
    }
    madvise(m.base, size, MADV_SEQUENTIAL);
    m.guard = ShrinkGuard::Watch(m.base, m.length);
    file.data_ = static_cast<const char*>(m.base);
    file.size_ = size;
    return file;
  }
  // Pipes, character devices and empty files: read everything. The descriptor does not block, so
  // that a cancel is seen while a pipe's writer is slow, or has not come yet: poll() reports a
  // named pipe's end only once a writer has come and gone.
  std::vector<char>& buf = m.buffer;
  std::size_t used = 0;
  buf.resize(1 << 16);
  for (;;) {
    if (options.cancel != nullptr && options.cancel->load()) {
      return core::Fail(core::Errc::aborted, fmt::format("{}: cancelled while read", path));
    }
    pollfd ready{.fd = fd.get(), .events = POLLIN, .revents = 0};
    const int polled = poll(&ready, 1, kCancelCheckMs);
    if (polled == 0 || (polled < 0 && errno == EINTR)) continue;
    if (polled < 0) {
      return core::Fail(core::Errc::unavailable,
                        fmt::format("{}: cannot wait for it: {}", path, std::strerror(errno)));
    }
    if (buf.size() - used < (1 << 15)) buf.resize(buf.size() * 2);
    ssize_t n = read(fd.get(), buf.data() + used, buf.size() - used);
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      return core::Fail(core::Errc::unavailable,
                        fmt::format("{}: cannot read: {}", path, std::strerror(errno)));
    }
    if (n == 0) break;
    used += static_cast<std::size_t>(n);
  }
  buf.resize(used + kInputPadding);
  std::fill(buf.begin() + static_cast<std::ptrdiff_t>(used), buf.end(), '\0');
  file.data_ = buf.data();
  file.size_ = used;
  return file;
}

bool InputFile::Shrunk() const {
  return mapping_ && ShrinkGuard::Shrunk(mapping_->guard);
}

InputFile InputFile::FromBytes(std::string name, std::string_view bytes) {
  InputFile file;
  file.name_ = std::move(name);
  file.mapping_ = std::make_unique<Mapping>();
  std::vector<char>& buf = file.mapping_->buffer;
  buf.assign(bytes.size() + kInputPadding, '\0');
  std::copy(bytes.begin(), bytes.end(), buf.begin());
  file.data_ = buf.data();
  file.size_ = bytes.size();
  return file;
}

void InputFile::Release(std::size_t begin, std::size_t end) const {
  if (!mapping_ || mapping_->base == MAP_FAILED) return;
  const std::size_t page = PageSize();
  begin = RoundUp(begin, page);
  end = std::min(end, size_) / page * page;
  if (end <= begin) return;
  madvise(const_cast<char*>(data_) + begin, end - begin, MADV_DONTNEED);
}

void InputFile::Prefetch(std::size_t begin, std::size_t end) const {
  if (!mapping_ || mapping_->base == MAP_FAILED) return;
  const std::size_t page = PageSize();
  begin = begin / page * page;
  end = RoundUp(std::min(end, size_), page);
  if (end <= begin) return;
  madvise(const_cast<char*>(data_) + begin, end - begin, MADV_POPULATE_READ);
}

ReadWindow::ReadWindow(const InputFile& file, std::size_t step)
    : file_(file), step_(std::max<std::size_t>(step, 1)) {
  ReadTo(0);
}

void ReadWindow::ReadTo(std::size_t offset) {
  const std::size_t size = file_.size();
  while (mapped_to_ < size && mapped_to_ < offset + step_) {
    file_.Prefetch(mapped_to_, mapped_to_ + step_);
    mapped_to_ += step_;
  }
  while (released_to_ + 2 * step_ <= offset) {
    file_.Release(released_to_, released_to_ + step_);
    released_to_ += step_;
  }
}

InputFile::Position InputFile::PositionOf(std::size_t offset) const {
  offset = std::min(offset, size_);
  Position pos;
  const char* p = data_;
  const char* end = data_ + offset;
  const char* line_start = data_;
  while (p < end) {
    const void* nl = std::memchr(p, '\n', static_cast<std::size_t>(end - p));
    if (nl == nullptr) break;
    ++pos.line;
    p = static_cast<const char*>(nl) + 1;
    line_start = p;
  }
  pos.column = static_cast<std::size_t>(end - line_start) + 1;
  return pos;
}

core::Error InputFile::ErrorAt(std::size_t offset, std::string_view what) const {
  Position pos = PositionOf(offset);
  return core::Fail(core::Errc::invalid_argument,
                    fmt::format("{}: line {}, column {} (byte {}): {}", name_, pos.line, pos.column,
                                std::min(offset, size_), what));
}

}  // namespace uitweg::outreach::readers
