#pragma once
// The scans this node runs for the review console, behind a seam: app/scan_runner.hpp runs them
// with the outreach scanner on a thread of its own; api tests use a fake. A job's scan is
// already in the store, queued; the runner writes its progress, findings and end there.

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "outreach/lexicon.hpp"
#include "outreach/text_model.hpp"

namespace uitweg::api {

struct ScanJob {
  std::int64_t scan_id = 0;
  // Files, or export folders holding result.json, read in this order.
  std::vector<std::string> paths = {};
  // What findings and errors call each path (server paths are not shown to analysts): by path,
  // a folder's result.json included.
  std::map<std::string, std::string, std::less<>> shown_names = {};
  std::int64_t bytes_total = 0;  // what the files hold, as far as known before the scan
  outreach::Lexicon lexicon = {};
  std::shared_ptr<const outreach::TextModel> model = {};  // null: the lexicon alone
  // The upload the scan reads, removed once the scan has ended; empty for an import path.
  std::string upload_id = {};
};

class ScanJobs {
 public:
  virtual ~ScanJobs() = default;
  // Queues the job; the node runs one scan at a time, in the order queued.
  virtual void Submit(ScanJob job) = 0;
  // Stops a queued or running scan of this node: a queued one ends at once, a running one once
  // it has stored what it found so far, which this waits for (a little while at most). Both end
  // as cancelled. False when this node does not run that scan.
  virtual bool Cancel(std::int64_t scan_id) = 0;
  // Whether a queued or running scan of this node reads the upload.
  virtual bool Holds(std::string_view upload_id) const = 0;
};

}  // namespace uitweg::api
