#include "store/group_commit/writer.hpp"

#include "core/log.hpp"

namespace uitweg::store::group_commit {

void LogDoneThrew(const std::exception& e) {
  core::Log(core::LogLevel::error, "store.write_callback_threw", {{"error", e.what()}});
}

void LogClosed(const WriterStats& stats) {
  if (stats.batches == 0) return;
  const auto batches = static_cast<double>(stats.batches);
  core::Log(core::LogLevel::info, "store.writer_closed",
            {{"batches", stats.batches},
             {"units", stats.units},
             {"retries", stats.retries},
             {"set_aside", stats.set_aside},
             {"pipelined", stats.pipelined},
             {"mean_batch", static_cast<double>(stats.units) / batches},
             {"mean_work_micros", static_cast<double>(stats.work_micros) / batches},
             {"mean_commit_micros", static_cast<double>(stats.commit_micros) / batches}});
}

void LogCommitFailed(std::size_t units, const core::Error& error) {
  core::Log(core::LogLevel::error, "store.commit_failed",
            {{"units", units}, {"code", core::ErrcName(error.code)}});
}

}  // namespace uitweg::store::group_commit
