#include "api/outreach_api.hpp"

#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>

#include <fmt/format.h>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "api/json_fields.hpp"
#include "api/lexicon_api.hpp"
#include "api/outreach_json.hpp"
#include "core/clock.hpp"
#include "core/log.hpp"
#include "outreach/readers/zip_export.hpp"

namespace uitweg::api {
namespace {

namespace fs = std::filesystem;

constexpr std::int64_t kScansListed = 50;
constexpr std::int64_t kDefaultPage = 50;

// An error answer with more than the message: {"error": {"code", "message"}, ...extra}.
Response ErrorResponse(unsigned status, std::string_view code, std::string_view message,
                       boost::json::object extra = {}) {
  extra["error"] = boost::json::object{{"code", code}, {"message", message}};
  return JsonResponse(status, extra);
}

core::Result<std::uint64_t> RequiredSize(const boost::json::object& body) {
  const boost::json::value* size = body.if_contains("size");
  if (size != nullptr && size->is_int64() && size->as_int64() > 0) {
    return static_cast<std::uint64_t>(size->as_int64());
  }
  if (size != nullptr && size->is_uint64()) return size->as_uint64();
  return core::Fail(core::Errc::invalid_argument, "size must be the file's size in bytes (> 0)");
}

// Whether the file starts as a zip archive does.
bool LooksLikeZip(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  char magic[4] = {};
  in.read(magic, sizeof magic);
  return in.gcount() == 4 && magic[0] == 'P' && magic[1] == 'K' &&
         ((magic[2] == 3 && magic[3] == 4) || (magic[2] == 5 && magic[3] == 6));
}

std::int64_t FileBytes(const fs::path& path) {
  std::error_code error;
  const std::uintmax_t size = fs::file_size(path, error);
  return error ? 0 : static_cast<std::int64_t>(size);
}

// Midnight UTC of "YYYY-MM-DD".
core::Result<core::UnixMillis> DayStart(std::string_view name, std::string_view day) {
  unsigned year = 0, month = 0, date = 0;
  const bool shaped =
      day.size() == 10 && day[4] == '-' && day[7] == '-' &&
      std::sscanf(std::string(day).c_str(), "%4u-%2u-%2u", &year, &month, &date) == 3;
  const std::chrono::year_month_day ymd{std::chrono::year(static_cast<int>(year)),
                                        std::chrono::month(month), std::chrono::day(date)};
  if (!shaped || !ymd.ok()) {
    return core::Fail(core::Errc::invalid_argument,
                      fmt::format("{} is a day written YYYY-MM-DD", name));
  }
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::sys_days(ymd).time_since_epoch())
      .count();
}

std::string CsvField(std::string_view text) {
  // A spreadsheet runs a cell that starts like a formula; such a cell is made plain text.
  std::string value(text);
  if (!value.empty() && (value[0] == '=' || value[0] == '+' || value[0] == '-' || value[0] == '@' ||
                         value[0] == '\t' || value[0] == '\r')) {
    value.insert(0, "'");
  }
  if (value.find_first_of(",\"\r\n") == std::string::npos) return value;
  std::string out = "\"";
  for (const char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string IsoDate(std::int64_t date_unix) {
  if (date_unix == 0) return {};
  return core::FormatIso8601(date_unix * 1000);
}

std::string Joined(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (const std::string& item : items) {
    if (!out.empty()) out += separator;
    out += item;
  }
  return out;
}

// How many findings each cluster has, looked up once per cluster.
class ClusterSizes {
 public:
  ClusterSizes(store::OutreachStore& store, std::int64_t scan_id)
      : store_(store), scan_id_(scan_id) {}
  core::Result<std::int64_t> Of(std::int64_t cluster) {
    if (auto found = sizes_.find(cluster); found != sizes_.end()) return found->second;
    UITWEG_TRY_ASSIGN(const auto findings, store_.FindingsOfCluster(scan_id_, cluster));
    const auto size = static_cast<std::int64_t>(findings.size());
    sizes_.emplace(cluster, size);
    return size;
  }

 private:
  store::OutreachStore& store_;
  const std::int64_t scan_id_;
  std::map<std::int64_t, std::int64_t> sizes_;
};

// Every finding of the scan whose latest verdict is recruitment, highest score first.
core::Result<std::vector<store::Finding>> RecruitmentFindings(store::OutreachStore& store,
                                                              std::int64_t scan_id) {
  std::vector<store::Finding> out;
  store::FindingQuery query{.verdict = store::VerdictFilter::recruitment,
                            .min_score = 0,
                            .after = 0,
                            .limit = store::OutreachStore::kMaxPage};
  for (;;) {
    UITWEG_TRY_ASSIGN(store::FindingPage page, store.ListFindings(scan_id, query));
    if (page.findings.empty()) return out;
    query.after = page.findings.back().id;
    for (store::Finding& finding : page.findings) out.push_back(std::move(finding));
  }
}

}  // namespace

core::Result<Response> OutreachApi::CreateUpload(const Request& request) {
  UITWEG_TRY_ASSIGN(const auth::Authenticated staff, auth_.CheckChange(request));
  UITWEG_TRY_ASSIGN(const boost::json::object body, ParseObject(request.body, "the body"));
  UITWEG_TRY_ASSIGN(const std::string name, RequiredString(body, "name"));
  UITWEG_TRY_ASSIGN(const std::uint64_t size, RequiredSize(body));
  if (size > parts_.max_upload_bytes) {
    return ErrorResponse(413, "payload_too_large",
                         fmt::format("the file is {}; the limit is {}", ReadableSize(size),
                                     ReadableSize(parts_.max_upload_bytes)));
  }
  UITWEG_TRY_ASSIGN(const std::uint64_t free, parts_.uploads.FreeBytes());
  // The upload, and what a zip unpacks to, must both fit.
  if (free / 2 < size) {
    return ErrorResponse(507, "resource_exhausted",
                         fmt::format("the server has {} of disk space free; an upload of {} needs "
                                     "twice its size",
                                     ReadableSize(free), ReadableSize(size)));
  }
  UITWEG_TRY_ASSIGN(const Upload upload, parts_.uploads.Create(name, size, staff.account.id));
  return JsonResponse(201,
                      boost::json::object{{"id", upload.id}, {"chunk_bytes", kUploadChunkBytes}});
}

core::Result<Response> OutreachApi::PutChunk(const Request& request) {
  UITWEG_TRY_ASSIGN(const auth::Authenticated staff, auth_.CheckChange(request));
  UITWEG_TRY_ASSIGN(const auto params, QueryParams(request.query, {"offset"}));
  const auto offset_text = params.find("offset");
  if (offset_text == params.end()) {
    return core::Fail(core::Errc::invalid_argument, "offset says where the chunk goes");
  }
  UITWEG_TRY_ASSIGN(const std::int64_t offset, QueryNumber("offset", offset_text->second));
  if (request.body.size() > kUploadChunkBytes) {
    return ErrorResponse(413, "payload_too_large", "a chunk is at most chunk_bytes");
  }
  UITWEG_TRY_ASSIGN(const ChunkResult result,
                    parts_.uploads.Append(request.params.at(0), staff.account.id,
                                          static_cast<std::uint64_t>(offset), request.body));
  const boost::json::object received{{"received", result.received}};
  switch (result.outcome) {
    case ChunkOutcome::appended: return JsonResponse(200, received);
    case ChunkOutcome::wrong_offset:
      return ErrorResponse(
          409, "failed_precondition",
          fmt::format("the upload has {} bytes; send the next chunk from there", result.received),
          received);
    case ChunkOutcome::past_the_end:
      return ErrorResponse(413, "payload_too_large",
                           "the chunk goes past the size the upload was created with", received);
  }
  return core::Fail(core::Errc::internal, "the chunk went astray");
}

core::Status OutreachApi::Unpack(const Upload& upload, const fs::path& zip, ScanJob& job,
                                 std::int64_t& bytes) {
  const fs::path folder = upload.folder / "unpacked";
  std::error_code error;
  // What a scan that the node's end cut short had unpacked is unpacked again.
  fs::remove_all(folder, error);
  fs::create_directory(folder, error);
  fs::permissions(folder, fs::perms::owner_all, fs::perm_options::replace, error);
  // A few megabytes of zip may unpack to gigabytes: it may take at most half the disk space
  // still free, so that the database beside it keeps room to write the chats.
  UITWEG_TRY_ASSIGN(const std::uint64_t free, parts_.uploads.FreeBytes());
  const std::uint64_t allowed = parts_.max_upload_bytes * 4;
  const std::uint64_t limit = std::min(allowed, free / 2);
  auto extracted = outreach::readers::ExtractExport(
      zip.string(), folder.string(),
      outreach::readers::ZipLimits{.max_total_bytes = limit, .max_file_bytes = limit});
  if (!extracted) {
    const core::Errc code = extracted.error().code;
    // Past a limit the free space set, not the zip's fault: with more room it would unpack.
    if (code == core::Errc::resource_exhausted && limit < allowed) {
      core::Log(core::LogLevel::warn, "outreach.unpack_disk_low",
                {{"free_bytes", static_cast<std::int64_t>(free)}});
      return core::Fail(core::Errc::unavailable,
                        fmt::format("the export unpacks to more than {}, half of the {} of disk "
                                    "space the server has free: start its scan again once there "
                                    "is more room",
                                    ReadableSize(limit), ReadableSize(free)));
    }
    // A damaged zip, or one that unpacks to more than may be had, stays so: it goes. The server's
    // own trouble (a folder it cannot write) keeps the upload for another try, and its paths
    // stay in the server.
    if (code == core::Errc::invalid_argument || code == core::Errc::resource_exhausted) {
      parts_.uploads.Remove(upload.id);
      return core::Fail(core::Errc::invalid_argument, extracted.error().message);
    }
    core::Log(core::LogLevel::error, "outreach.unpack_failed", {{"code", core::ErrcName(code)}});
    return core::Fail(core::Errc::unavailable,
                      "the server could not unpack the upload; try again later");
  }
  bytes = 0;
  for (const outreach::readers::ExtractedFile& file : *extracted) {
    job.paths.push_back(file.path);
    job.shown_names[file.path] = file.original_name;
    bytes += static_cast<std::int64_t>(file.bytes);
  }
  return {};
}

core::Result<ScanJob> OutreachApi::UploadJob(const Upload& upload, std::string& source_name,
                                             std::int64_t& bytes) {
  if (!upload.complete()) {
    return core::Fail(
        core::Errc::invalid_argument,
        fmt::format("the upload is incomplete: {} of {} bytes", upload.received, upload.size));
  }
  if (parts_.jobs.Holds(upload.id)) {
    return core::Fail(core::Errc::failed_precondition, "a scan reads this upload already");
  }
  ScanJob job;
  job.upload_id = upload.id;
  source_name = upload.name;
  if (IsZipFileName(upload.name) || LooksLikeZip(upload.file)) {
    UITWEG_TRY(Unpack(upload, upload.file, job, bytes));
    return job;
  }
  job.paths.push_back(upload.file.string());
  job.shown_names[upload.file.string()] = upload.name;
  bytes = static_cast<std::int64_t>(upload.size);
  return job;
}

core::Result<ScanJob> OutreachApi::PathJob(std::string_view path, std::int64_t account_id,
                                           std::string& source_name, std::int64_t& bytes) {
  const ImportFolder& folder = parts_.import_folder;
  UITWEG_TRY_ASSIGN(const fs::path resolved, folder.Resolve(path));
  source_name = folder.Shown(resolved);
  ScanJob job;
  std::error_code error;
  if (fs::is_regular_file(resolved, error) && IsZipFileName(resolved.filename().string())) {
    UITWEG_TRY_ASSIGN(const Upload unpacked,
                      parts_.uploads.CreateUnpackFolder(resolved.filename().string(), account_id));
    job.upload_id = unpacked.id;
    if (core::Status done = Unpack(unpacked, resolved, job, bytes); !done) {
      // The zip stays in the import folder; the folder it was to be unpacked into is of no use.
      parts_.uploads.Remove(unpacked.id);
      return done.error();
    }
    return job;
  }
  UITWEG_TRY_ASSIGN(const std::vector<fs::path> files, folder.FilesToScan(resolved));
  bytes = 0;
  for (const fs::path& file : files) {
    job.paths.push_back(file.string());
    job.shown_names[file.string()] = folder.Shown(file);
    bytes += FileBytes(file);
  }
  return job;
}

core::Result<Response> OutreachApi::StartScan(const Request& request) {
  UITWEG_TRY_ASSIGN(const auth::Authenticated staff, auth_.CheckChange(request));
  UITWEG_TRY_ASSIGN(const boost::json::object body, ParseObject(request.body, "the body"));
  UITWEG_TRY_ASSIGN(const std::string upload_id, OptionalString(body, "upload"));
  UITWEG_TRY_ASSIGN(const std::string path, OptionalString(body, "path"));
  if (upload_id.empty() == path.empty()) {
    return core::Fail(core::Errc::invalid_argument,
                      "name either an upload or a path in the import folder");
  }
  UITWEG_TRY_ASSIGN(CurrentLexicon lexicon, LatestLexicon(parts_.store, parts_.shipped_lexicon));
  if (!upload_id.empty() && !ClaimUpload(upload_id)) {
    return core::Fail(core::Errc::failed_precondition, "a scan reads this upload already");
  }
  // Held until the job is submitted (or has failed), when the runner's Holds answers for it.
  struct Release {
    OutreachApi& api;
    const std::string& id;
    ~Release() {
      if (!id.empty()) api.ReleaseUpload(id);
    }
  } release{*this, upload_id};
  std::string source_name;
  std::int64_t bytes = 0;
  core::Result<ScanJob> made = core::Fail(core::Errc::internal, "no scan");
  if (!upload_id.empty()) {
    UITWEG_TRY_ASSIGN(const Upload upload, parts_.uploads.Find(upload_id, staff.account.id));
    made = UploadJob(upload, source_name, bytes);
  } else {
    made = PathJob(path, staff.account.id, source_name, bytes);
  }
  if (!made) return made.error();
  ScanJob job = std::move(*made);
  auto scan = parts_.store.CreateScan(
      store::NewScan{.created_by = staff.account.id,
                     .created_at = clock_.Now(),
                     .source_name = source_name,
                     .bytes_total = bytes,
                     .lexicon_version = lexicon.label,
                     .model_version = parts_.model ? parts_.model->version() : std::string()});
  if (!scan) {
    if (!job.upload_id.empty()) parts_.uploads.Remove(job.upload_id);
    return scan.error();
  }
  job.scan_id = scan->id;
  job.bytes_total = bytes;
  job.lexicon = std::move(lexicon.lexicon);
  job.model = parts_.model;
  parts_.jobs.Submit(std::move(job));
  (void)audit_.Record(auth::Actor::Staff(staff.account), auth::audit_action::outreach_scan_started,
                      {}, fmt::format("scan {}", scan->id));
  StaffNames names(parts_.accounts);
  return JsonResponse(202, ScanJson(*scan, names));
}

bool OutreachApi::ClaimUpload(const std::string& upload_id) {
  std::lock_guard lock(starting_mu_);
  return starting_.insert(upload_id).second;
}

void OutreachApi::ReleaseUpload(const std::string& upload_id) {
  std::lock_guard lock(starting_mu_);
  starting_.erase(upload_id);
}

core::Result<Response> OutreachApi::Scans(const Request& request) {
  UITWEG_TRY(auth_.Check(request));
  UITWEG_TRY_ASSIGN(const std::vector<store::Scan> scans, parts_.store.ListScans(kScansListed));
  StaffNames names(parts_.accounts);
  boost::json::array listed;
  for (const store::Scan& scan : scans) listed.push_back(ScanJson(scan, names));
  return JsonResponse(200,
                      boost::json::object{{"scans", std::move(listed)},
                                          {"import_folder", parts_.import_folder.configured()}});
}

core::Result<store::Scan> OutreachApi::FindScan(const Request& request) {
  UITWEG_TRY_ASSIGN(const std::int64_t id, PathId(request, 0, "scan"));
  UITWEG_TRY_ASSIGN(std::optional<store::Scan> scan, parts_.store.FindScan(id));
  if (!scan) return core::Fail(core::Errc::not_found, "scan not found");
  return std::move(*scan);
}

core::Result<Response> OutreachApi::Scan(const Request& request) {
  UITWEG_TRY(auth_.Check(request));
  UITWEG_TRY_ASSIGN(const store::Scan scan, FindScan(request));
  StaffNames names(parts_.accounts);
  return JsonResponse(200, ScanJson(scan, names));
}

core::Result<Response> OutreachApi::Cancel(const Request& request) {
  UITWEG_TRY_ASSIGN(const auth::Authenticated staff, auth_.CheckChange(request));
  UITWEG_TRY_ASSIGN(const store::Scan scan, FindScan(request));
  const auto ended = core::Fail(core::Errc::failed_precondition, "the scan has ended already");
  if (scan.status != store::ScanStatus::queued && scan.status != store::ScanStatus::running) {
    return ended;
  }
  if (!parts_.jobs.Cancel(scan.id)) {
    // Another node runs it, or ran it before it stopped: ending it here is what that node's
    // scan notices (its progress is refused), and it stops.
    core::Status finished =
        parts_.store.FinishScan(scan.id, store::ScanEnd{.status = store::ScanStatus::cancelled,
                                                        .error = {},
                                                        .posts = scan.posts,
                                                        .flagged = 0,
                                                        .clusters = 0,
                                                        .finished_at = clock_.Now()});
    if (!finished && finished.error().code == core::Errc::failed_precondition) return ended;
    if (!finished) return finished.error();
  }
  (void)audit_.Record(auth::Actor::Staff(staff.account),
                      auth::audit_action::outreach_scan_cancelled, {},
                      fmt::format("scan {}", scan.id));
  UITWEG_TRY_ASSIGN(const store::Scan now, FindScan(request));
  StaffNames names(parts_.accounts);
  return JsonResponse(200, ScanJson(now, names));
}

core::Result<Response> OutreachApi::Delete(const Request& request) {
  UITWEG_TRY_ASSIGN(const auth::Authenticated staff, auth_.CheckChange(request));
  UITWEG_TRY_ASSIGN(const store::Scan scan, FindScan(request));
  UITWEG_TRY(parts_.store.DeleteScan(scan.id));
  (void)audit_.Record(auth::Actor::Staff(staff.account), auth::audit_action::outreach_scan_deleted,
                      {}, fmt::format("scan {}", scan.id));
  return Response{204, {}, {}};
}

core::Result<Response> OutreachApi::Findings(const Request& request) {
  UITWEG_TRY(auth_.Check(request));
  UITWEG_TRY_ASSIGN(const store::Scan scan, FindScan(request));
  UITWEG_TRY_ASSIGN(const auto params, QueryParams(request.query, {"verdict", "after", "limit"}));
  store::FindingQuery query{
      .verdict = store::VerdictFilter::every, .min_score = 0, .after = 0, .limit = kDefaultPage};
  if (auto verdict = params.find("verdict"); verdict != params.end()) {
    if (!ParseVerdictFilter(verdict->second, query.verdict)) {
      return core::Fail(core::Errc::invalid_argument,
                        "verdict is none, any, recruitment, not_recruitment, unsure or every");
    }
  }
  if (auto after = params.find("after"); after != params.end()) {
    UITWEG_TRY_ASSIGN(query.after, QueryNumber("after", after->second));
  }
  if (auto limit = params.find("limit"); limit != params.end()) {
    UITWEG_TRY_ASSIGN(query.limit, QueryNumber("limit", limit->second));
    if (query.limit < 1 || query.limit > store::OutreachStore::kMaxPage) {
      return core::Fail(core::Errc::invalid_argument, "limit is 1 to 1000");
    }
  }
  UITWEG_TRY_ASSIGN(const store::FindingPage page, parts_.store.ListFindings(scan.id, query));
  StaffNames names(parts_.accounts);
  ClusterSizes sizes(parts_.store, scan.id);
  boost::json::array findings;
  for (const store::Finding& finding : page.findings) {
    UITWEG_TRY_ASSIGN(const std::int64_t cluster_size, sizes.Of(finding.cluster));
    findings.push_back(FindingJson(finding, cluster_size, names));
  }
  return JsonResponse(
      200, boost::json::object{{"total", page.total}, {"findings", std::move(findings)}});
}

core::Result<Response> OutreachApi::Cluster(const Request& request) {
  UITWEG_TRY(auth_.Check(request));
  UITWEG_TRY_ASSIGN(const store::Scan scan, FindScan(request));
  UITWEG_TRY_ASSIGN(const std::int64_t cluster, PathId(request, 1, "cluster"));
  UITWEG_TRY_ASSIGN(const std::vector<store::Finding> members,
                    parts_.store.FindingsOfCluster(scan.id, cluster));
  if (members.empty()) return core::Fail(core::Errc::not_found, "cluster not found");
  StaffNames names(parts_.accounts);
  boost::json::array findings;
  boost::json::array channels;
  std::set<std::string, std::less<>> seen;
  for (const store::Finding& finding : members) {
    findings.push_back(FindingJson(finding, static_cast<std::int64_t>(members.size()), names));
    const std::string& channel = finding.channel.empty() ? finding.source : finding.channel;
    if (seen.insert(channel).second) channels.emplace_back(channel);
  }
  return JsonResponse(200, boost::json::object{{"findings", std::move(findings)},
                                               {"channels", std::move(channels)}});
}

core::Result<Response> OutreachApi::Verdict(const Request& request) {
  UITWEG_TRY_ASSIGN(const auth::Authenticated staff, auth_.CheckChange(request));
  UITWEG_TRY_ASSIGN(const std::int64_t id, PathId(request, 0, "finding"));
  UITWEG_TRY_ASSIGN(const boost::json::object body, ParseObject(request.body, "the body"));
  UITWEG_TRY_ASSIGN(const std::string name, RequiredString(body, "verdict"));
  store::Verdict verdict = store::Verdict::unsure;
  if (!store::ParseVerdict(name, verdict)) {
    return core::Fail(core::Errc::invalid_argument,
                      "verdict is recruitment, not_recruitment or unsure");
  }
  UITWEG_TRY(parts_.store.SetVerdict(
      id,
      store::GivenVerdict{.verdict = verdict, .account_id = staff.account.id, .at = clock_.Now()}));
  UITWEG_TRY_ASSIGN(const std::optional<store::Finding> finding, parts_.store.FindFinding(id));
  if (!finding) return core::Fail(core::Errc::not_found, "finding not found");
  (void)audit_.Record(auth::Actor::Staff(staff.account), auth::audit_action::outreach_verdict, {},
                      fmt::format("finding {} in scan {}: {}", id, finding->scan_id, name));
  StaffNames names(parts_.accounts);
  ClusterSizes sizes(parts_.store, finding->scan_id);
  UITWEG_TRY_ASSIGN(const std::int64_t cluster_size, sizes.Of(finding->cluster));
  return JsonResponse(200, FindingJson(*finding, cluster_size, names));
}

core::Result<Response> OutreachApi::Verdicts(const Request& request) {
  UITWEG_TRY_ASSIGN(const auth::Authenticated staff, auth_.Check(request));
  UITWEG_TRY_ASSIGN(const auto params, QueryParams(request.query, {"from", "to"}));
  core::UnixMillis from = 0;
  core::UnixMillis to = clock_.Now() + 1;
  std::string period = "every verdict";
  if (auto first = params.find("from"); first != params.end()) {
    UITWEG_TRY_ASSIGN(from, DayStart("from", first->second));
  }
  if (auto last = params.find("to"); last != params.end()) {
    UITWEG_TRY_ASSIGN(const core::UnixMillis day, DayStart("to", last->second));
    to = day + 24 * 60 * 60 * 1000;
  }
  if (!params.empty()) {
    period = fmt::format("verdicts {}..{}", params.contains("from") ? params.at("from") : "",
                         params.contains("to") ? params.at("to") : "");
  }
  UITWEG_TRY_ASSIGN(const std::vector<store::LabelledPost> posts,
                    parts_.store.ListVerdicts(from, to));
  std::string out;
  std::int64_t lines = 0;
  for (const store::LabelledPost& post : posts) {
    // A purged text teaches nothing.
    if (post.text.empty()) continue;
    boost::json::array categories;
    for (const std::string& category : post.categories) categories.emplace_back(category);
    const std::string_view verdict = post.verdict.verdict == store::Verdict::not_recruitment
                                         ? "not"
                                         : store::VerdictName(post.verdict.verdict);
    out += boost::json::serialize(boost::json::object{{"text", post.text},
                                                      {"verdict", verdict},
                                                      {"categories", std::move(categories)},
                                                      {"finding", post.finding_id},
                                                      {"scan", post.scan_id}});
    out += '\n';
    ++lines;
  }
  (void)audit_.Record(auth::Actor::Staff(staff.account), auth::audit_action::outreach_exported, {},
                      fmt::format("labelled {} ({} lines)", period, lines));
  return Response{200,
                  std::move(out),
                  {{"Content-Disposition", "attachment; filename=\"verdicts.jsonl\""}},
                  "application/x-ndjson"};
}

core::Result<Response> OutreachApi::Export(const Request& request) {
  UITWEG_TRY_ASSIGN(const auth::Authenticated staff, auth_.Check(request));
  UITWEG_TRY_ASSIGN(const store::Scan scan, FindScan(request));
  UITWEG_TRY_ASSIGN(const auto params, QueryParams(request.query, {"format"}));
  const auto format = params.find("format");
  const std::string kind = format == params.end() ? "csv" : format->second;
  if (kind != "csv" && kind != "json") {
    return core::Fail(core::Errc::invalid_argument, "format is csv or json");
  }
  UITWEG_TRY_ASSIGN(const std::vector<store::Finding> findings,
                    RecruitmentFindings(parts_.store, scan.id));
  StaffNames names(parts_.accounts);
  std::string out;
  if (kind == "json") {
    ClusterSizes sizes(parts_.store, scan.id);
    boost::json::array listed;
    for (const store::Finding& finding : findings) {
      UITWEG_TRY_ASSIGN(const std::int64_t cluster_size, sizes.Of(finding.cluster));
      listed.push_back(FindingJson(finding, cluster_size, names));
    }
    out = boost::json::serialize(
        boost::json::object{{"scan", ScanJson(scan, names)}, {"findings", std::move(listed)}});
  } else {
    out =
        "finding,channel,author,message_id,date,score,lexicon_score,model_score,categories,"
        "cluster,verdict_by,text\r\n";
    for (const store::Finding& finding : findings) {
      out += fmt::format("{},{},{},{},{},{:.2f},{:.2f},{:.2f},{},{},{},{}\r\n", finding.id,
                         CsvField(finding.channel), CsvField(finding.author), finding.message_id,
                         IsoDate(finding.date_unix), finding.score, finding.lexicon_score,
                         finding.model_score, CsvField(Joined(finding.categories, ";")),
                         finding.cluster,
                         CsvField(finding.verdict ? names.Of(finding.verdict->account_id) : ""),
                         CsvField(finding.text));
    }
  }
  (void)audit_.Record(auth::Actor::Staff(staff.account), auth::audit_action::outreach_exported, {},
                      fmt::format("scan {} as {} ({} findings)", scan.id, kind, findings.size()));
  return Response{200,
                  std::move(out),
                  {{"Content-Disposition",
                    fmt::format("attachment; filename=\"scan-{}-recruitment.{}\"", scan.id, kind)}},
                  kind == "json" ? "application/json" : "text/csv; charset=utf-8"};
}

}  // namespace uitweg::api
