#include "store/sqlite/connections.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "core/files.hpp"
#include "core/log.hpp"
#include "store/sqlite/migrations.hpp"

namespace uitweg::store::sqlite {
namespace {

constexpr int kBusyTimeoutMs = 5000;
// Log size (in pages, 4 KiB each) past which the background checkpointer copies it back, and
// the cap past which the writer finishes the job itself, between two batches, so that the log
// can start over (see checkpointer.hpp). The cap bounds the log at about 16 MiB (twice that should
// the checkpointer fall behind); journal_size_limit below keeps the file from staying larger than
// 64 MiB.
constexpr int kCheckpointPages = 1000;
constexpr int kRestartPages = 4000;

Status Configure(Connection& writer) {
  auto mode = writer.QueryText("PRAGMA journal_mode = WAL");
  if (!mode) return mode.error();
  if (*mode != "wal") {
    return core::Fail(core::Errc::failed_precondition,
                      "the database cannot use write-ahead logging (journal mode " + *mode + ")");
  }
  return writer.Exec(
      "PRAGMA synchronous = FULL;"
      "PRAGMA foreign_keys = ON;"
      "PRAGMA journal_size_limit = 67108864;"
      // Space that an update or delete frees is zeroed, so a shredded conversation's key
      // does not linger in the database file once the page is checkpointed. Set here rather
      // than trusting the library's compile-time default.
      "PRAGMA secure_delete = ON;"
      // A statement whose triggers write further tables (the insights counts: migration
      // 0026_insights_counts) keeps a statement journal; in memory, not a temporary file opened
      // for every such statement (four times the cost of a conversation's transitions).
      "PRAGMA temp_store = MEMORY;");
}

// The database holds confidential data: a folder we create is owner-only (0700), and a new
// database file is created owner-only (0600) before SQLite opens it, so that its -wal and -shm
// files, which SQLite creates with the database file's mode, are owner-only too.
Status PrepareFiles(const std::string& path) {
  if (auto created = core::CreatePrivateFolder(std::filesystem::path(path).parent_path());
      !created) {
    return created;
  }
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd >= 0) {
    ::close(fd);
  } else if (errno != EEXIST) {
    return core::Fail(core::Errc::unavailable,
                      "cannot create database " + path + ": " + std::strerror(errno));
  }
  return {};
}

}  // namespace

Result<std::shared_ptr<Connections>> Connections::Open(const SqliteOptions& options) {
  if (options.path.empty()) {
    return core::Fail(core::Errc::invalid_argument, "the database path is empty");
  }
  UITWEG_TRY(PrepareFiles(options.path));
  auto writer = Connection::Open(options.path, Connection::Mode::read_write, kBusyTimeoutMs);
  if (!writer) return writer.error();
  UITWEG_TRY(Configure(**writer));
  UITWEG_TRY(Migrate(**writer, Migrations()));

  auto checkpointing = Connection::Open(options.path, Connection::Mode::read_write, kBusyTimeoutMs);
  if (!checkpointing) return checkpointing.error();
  auto checkpointer = std::make_unique<Checkpointer>(std::move(*checkpointing), options.path,
                                                     kCheckpointPages, kRestartPages);
  (*writer)->OnCommit([target = checkpointer.get(), self = writer->get()](int wal_pages) {
    if (target->Nudge(wal_pages)) (void)self->CheckpointPassive();
  });

  std::vector<std::unique_ptr<Connection>> readers;
  for (std::size_t i = 0; i < std::max<std::size_t>(1, options.reader_count); ++i) {
    auto reader = Connection::Open(options.path, Connection::Mode::read_only, kBusyTimeoutMs);
    if (!reader) return reader.error();
    readers.push_back(std::move(*reader));
  }
  core::Log(core::LogLevel::info, "store.opened",
            {{"backend", "sqlite"}, {"readers", readers.size()}, {"max_batch", options.max_batch}});
  return std::shared_ptr<Connections>(new Connections(
      std::make_unique<Writer>(std::move(*writer), options.max_batch,
                               std::chrono::microseconds(options.commit_linger_micros),
                               options.completions),
      std::move(checkpointer), std::make_unique<ReaderPool>(std::move(readers))));
}

Connections::~Connections() {
  writer_->Close();
}

}  // namespace uitweg::store::sqlite
