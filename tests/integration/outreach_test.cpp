// The outreach review console through the real binary (docs/protocol.md, "Outreach"): an analyst
// uploads a channel export in chunks (or names one in the import folder), scans it in the
// background, reviews the findings ranked, gives verdicts, exports them, and edits the lexicon.
// Uploads are bounded before any byte is stored, zips are unpacked safely, paths stay inside the
// import folder, findings lose their texts after the retention period, and counsellors may do
// none of it. Runs on SQLite and, in the PostgreSQL suite, on PostgreSQL.

#include <array>
#include <filesystem>
#include <fstream>
#include <future>
#include <latch>
#include <sstream>
#include <thread>

#include "core/testing/test_folder.hpp"
#include "integration/server_test.hpp"
#include "store/postgres/connection.hpp"
#include "store/sqlite/connection.hpp"

namespace uitweg::support {
namespace {

namespace fs = std::filesystem;

constexpr std::int64_t kMonday = 1'767'571'200;  // 2026-01-05, week 2

// A Telegram Desktop export of one channel. Posts with `id` 1-3 are recruitment (2 and 3 the same
// ad posted twice), 4-6 are not.
struct Export {
  std::string json;
  std::vector<std::string> recruitment;  // their texts
};

Export TelegramExport(const std::string& channel) {
  const std::vector<std::pair<std::string, bool>> posts = {
      {"Snel geld verdienen? Pinpas uitlenen voor 1 dag, 500 euro cash. Stuur een DM", true},
      {"Wie wil zijn bankrekening verhuren? Snelle cash, 300 euro per week. DM me", true},
      {"Wie wil zijn bankrekening verhuren? Snelle cash, 400 euro per week! DM me", true},
      {"Wie weet een leuke bijbaan in de horeca? Liefst in het weekend.", false},
      {"Leen nooit je pinpas uit, ook niet aan vrienden. Dat is strafbaar.", false},
      {"Goedemorgen allemaal, mooie dag vandaag", false}};
  Export out;
  boost::json::array messages;
  for (std::size_t i = 0; i < posts.size(); ++i) {
    const std::int64_t date = kMonday + static_cast<std::int64_t>(i) * 3600;
    messages.push_back(boost::json::object{{"id", i + 1},
                                           {"type", "message"},
                                           {"date", "2026-01-05T10:00:00"},
                                           {"date_unixtime", std::to_string(date)},
                                           {"from", i == 0 ? "Cash Kevin" : "Geldmaat010"},
                                           {"text", posts[i].first}});
    if (posts[i].second) out.recruitment.push_back(posts[i].first);
  }
  out.json = boost::json::serialize(boost::json::object{{"name", channel},
                                                        {"type", "public_channel"},
                                                        {"id", 1734567890},
                                                        {"messages", std::move(messages)}});
  return out;
}

std::uint32_t Crc32(std::string_view data) {
  std::uint32_t crc = 0xFFFFFFFFu;
  for (const char c : data) {
    crc ^= static_cast<unsigned char>(c);
    for (int bit = 0; bit < 8; ++bit) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

void Put(std::string& out, std::uint32_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) out += static_cast<char>((value >> (8 * i)) & 0xFF);
}

// A zip archive of `files` (name, content), stored without compression.
std::string StoredZip(const std::vector<std::pair<std::string, std::string>>& files) {
  std::string zip;
  std::string directory;
  for (const auto& [name, content] : files) {
    const std::uint32_t offset = static_cast<std::uint32_t>(zip.size());
    const std::uint32_t crc = Crc32(content);
    const auto size = static_cast<std::uint32_t>(content.size());
    Put(zip, 0x04034b50, 4);
    Put(zip, 20, 2);
    Put(zip, 0, 2);     // flags
    Put(zip, 0, 2);     // stored
    Put(zip, 0, 2);     // time
    Put(zip, 0x21, 2);  // 1980-01-01
    Put(zip, crc, 4);
    Put(zip, size, 4);
    Put(zip, size, 4);
    Put(zip, static_cast<std::uint32_t>(name.size()), 2);
    Put(zip, 0, 2);
    zip += name;
    zip += content;
    Put(directory, 0x02014b50, 4);
    Put(directory, 20, 2);
    Put(directory, 20, 2);
    Put(directory, 0, 2);
    Put(directory, 0, 2);
    Put(directory, 0, 2);
    Put(directory, 0x21, 2);
    Put(directory, crc, 4);
    Put(directory, size, 4);
    Put(directory, size, 4);
    Put(directory, static_cast<std::uint32_t>(name.size()), 2);
    Put(directory, 0, 2);  // extra
    Put(directory, 0, 2);  // comment
    Put(directory, 0, 2);  // disk
    Put(directory, 0, 2);  // internal attributes
    Put(directory, 0, 4);  // external attributes
    Put(directory, offset, 4);
    directory += name;
  }
  const std::uint32_t directory_at = static_cast<std::uint32_t>(zip.size());
  zip += directory;
  Put(zip, 0x06054b50, 4);
  Put(zip, 0, 2);
  Put(zip, 0, 2);
  Put(zip, static_cast<std::uint32_t>(files.size()), 2);
  Put(zip, static_cast<std::uint32_t>(files.size()), 2);
  Put(zip, static_cast<std::uint32_t>(directory.size()), 4);
  Put(zip, directory_at, 4);
  Put(zip, 0, 2);
  return zip;
}

class OutreachTest : public ServerTest {
 protected:
  std::string ConfigToml() const override {
    return "[outreach]\nimport_folder = \"" + import_.path().string() + "\"\nmax_upload_mb = 1\n";
  }

  HttpResponse Call(const std::string& method, const std::string& target, std::string body,
                    const StaffSession& session,
                    std::chrono::milliseconds timeout = std::chrono::seconds(30)) {
    Headers headers = Auth(session);
    if (!body.empty()) headers.emplace_back("Content-Type", "application/json");
    auto res = HttpCall(server_.port(), {method, target, std::move(body), headers}, timeout);
    EXPECT_TRUE(res) << method << " " << target << ": " << res.error().message;
    return res ? *res : HttpResponse{};
  }
  HttpResponse Call(const std::string& method, const std::string& target,
                    const boost::json::object& body, const StaffSession& session) {
    return Call(method, target, boost::json::serialize(body), session);
  }
  static boost::json::object Object(const HttpResponse& res) {
    auto json = res.Json();
    if (!json || !json->is_object()) {
      ADD_FAILURE() << "not a JSON object: " << res.body;
      return {};
    }
    return json->as_object();
  }
  static std::string Message(const HttpResponse& res) {
    auto json = res.Json();
    if (!json || !json->is_object() || !json->as_object().contains("error")) return {};
    return std::string(json->as_object().at("error").at("message").as_string());
  }

  // Creates an upload of `bytes` and sends it in chunks of `chunk` bytes; its id.
  std::string Upload(const StaffSession& session, const std::string& name, const std::string& bytes,
                     std::size_t chunk = 1000) {
    const HttpResponse created =
        Call("POST", "/api/v1/outreach/uploads",
             boost::json::object{{"name", name}, {"size", bytes.size()}}, session);
    EXPECT_EQ(created.status, 201) << created.body;
    const std::string id = Str(Object(created), "id");
    EXPECT_EQ(Int(Object(created), "chunk_bytes"), 8 << 20);
    for (std::size_t offset = 0; offset < bytes.size(); offset += chunk) {
      const HttpResponse sent = Chunk(session, id, offset, bytes.substr(offset, chunk));
      EXPECT_EQ(sent.status, 200) << sent.body;
      EXPECT_EQ(Int(Object(sent), "received"),
                static_cast<std::int64_t>(std::min(bytes.size(), offset + chunk)));
    }
    return id;
  }
  HttpResponse Chunk(const StaffSession& session, const std::string& id, std::size_t offset,
                     std::string bytes) {
    Headers headers = Auth(session);
    headers.emplace_back("Content-Type", "application/octet-stream");
    auto res =
        HttpCall(server_.port(),
                 {"PUT", "/api/v1/outreach/uploads/" + id + "?offset=" + std::to_string(offset),
                  std::move(bytes), headers});
    EXPECT_TRUE(res) << res.error().message;
    return res ? *res : HttpResponse{};
  }
  // Starts a scan; its id.
  std::int64_t Scan(const StaffSession& session, const boost::json::object& body) {
    const HttpResponse started = Call("POST", "/api/v1/outreach/scans", body, session);
    EXPECT_EQ(started.status, 202) << started.body;
    return started.status == 202 ? Int(Object(started), "id") : 0;
  }
  // Polls the scan until it has ended (at most two minutes); its last state.
  boost::json::object Ended(const StaffSession& session, std::int64_t id) {
    return Until(session, id, [](const std::string& status) {
      return status != "queued" && status != "running";
    });
  }
  template <class Done>
  boost::json::object Until(const StaffSession& session, std::int64_t id, Done done) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(2);
    for (;;) {
      const HttpResponse res =
          Call("GET", "/api/v1/outreach/scans/" + std::to_string(id), "", session);
      const boost::json::object scan = Object(res);
      if (res.status != 200 || done(Str(scan, "status"))) return scan;
      if (std::chrono::steady_clock::now() > deadline) {
        ADD_FAILURE() << "the scan did not get there: " << res.body;
        return scan;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  boost::json::array Findings(const StaffSession& session, std::int64_t scan,
                              const std::string& verdict, std::int64_t* total = nullptr) {
    const HttpResponse res = Call(
        "GET", "/api/v1/outreach/scans/" + std::to_string(scan) + "/findings?verdict=" + verdict,
        "", session);
    EXPECT_EQ(res.status, 200) << res.body;
    const boost::json::object page = Object(res);
    if (total != nullptr) *total = Int(page, "total");
    return page.contains("findings") ? page.at("findings").as_array() : boost::json::array{};
  }
  // A scan of a fresh upload of the test export, ended.
  std::int64_t ScannedExport(const StaffSession& session, const std::string& channel) {
    const Export data = TelegramExport(channel);
    for (const std::string& text : data.recruitment) Secret(text);
    const std::int64_t id = Scan(session, {{"upload", Upload(session, "result.json", data.json)}});
    EXPECT_EQ(Str(Ended(session, id), "status"), "done");
    return id;
  }
  fs::path Uploads() const { return server_.data_dir() / "outreach" / "uploads"; }
  std::size_t UploadsKept() const {
    std::error_code none;
    std::size_t count = 0;
    for (fs::directory_iterator it(Uploads(), none), end; !none && it != end; it.increment(none)) {
      ++count;
    }
    return count;
  }

  core::testing::TestFolder import_{"outreach-import"};
};

TEST_F(OutreachTest, AnAnalystUploadsScansReviewsAndExports) {
  const StaffSession analyst = NewStaff("ana", "analyst").session;
  const Export data = TelegramExport("Bijbaantjes 010");
  for (const std::string& text : data.recruitment) Secret(text);

  // The upload goes in chunks; one at the wrong offset learns where to go on, and an unfinished
  // upload cannot be scanned.
  const HttpResponse created =
      Call("POST", "/api/v1/outreach/uploads",
           boost::json::object{{"name", "result.json"}, {"size", data.json.size()}}, analyst);
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string upload = Str(Object(created), "id");
  ASSERT_EQ(Chunk(analyst, upload, 0, data.json.substr(0, 700)).status, 200);
  const HttpResponse skipped = Chunk(analyst, upload, 900, data.json.substr(900, 100));
  EXPECT_EQ(skipped.status, 409) << skipped.body;
  EXPECT_EQ(Int(Object(skipped), "received"), 700);
  const HttpResponse early =
      Call("POST", "/api/v1/outreach/scans", boost::json::object{{"upload", upload}}, analyst);
  EXPECT_EQ(early.status, 400);
  EXPECT_EQ(Message(early),
            "the upload is incomplete: 700 of " + std::to_string(data.json.size()) + " bytes");
  ASSERT_EQ(Chunk(analyst, upload, 700, data.json.substr(700)).status, 200);
  EXPECT_EQ(Chunk(analyst, upload, data.json.size(), "x").status, 413) << "past the declared size";

  const std::int64_t scan = Scan(analyst, {{"upload", upload}});
  const boost::json::object ended = Ended(analyst, scan);
  ASSERT_EQ(Str(ended, "status"), "done") << boost::json::serialize(ended);
  EXPECT_EQ(Int(ended, "posts"), 6);
  EXPECT_EQ(Int(ended, "flagged"), 3);
  EXPECT_EQ(Int(ended, "clusters"), 2);
  EXPECT_EQ(Str(ended, "source_name"), "result.json");
  EXPECT_EQ(Str(ended, "created_by_name"), "ana");
  EXPECT_FALSE(Str(ended, "lexicon_version").empty());
  EXPECT_FALSE(fs::exists(Uploads() / upload)) << "the upload is removed once scanned";

  // Ranked by score; each match points at its words in the text.
  std::int64_t total = 0;
  const boost::json::array queue = Findings(analyst, scan, "none", &total);
  ASSERT_EQ(total, 3);
  ASSERT_EQ(queue.size(), 3u);
  for (std::size_t i = 0; i < queue.size(); ++i) {
    const boost::json::object& finding = queue[i].as_object();
    if (i > 0) {
      EXPECT_GE(queue[i - 1].at("score").to_number<double>(),
                finding.at("score").to_number<double>());
    }
    EXPECT_EQ(Str(finding, "channel"), "Bijbaantjes 010");
    EXPECT_TRUE(finding.at("verdict").is_null());
    EXPECT_TRUE(finding.at("model_words").is_array());
    EXPECT_FALSE(finding.at("categories").as_array().empty());
    const std::string text = Str(finding, "text");
    for (const boost::json::value& match : finding.at("matches").as_array()) {
      const auto begin = match.at("begin").to_number<std::size_t>();
      const auto end = match.at("end").to_number<std::size_t>();
      ASSERT_LE(begin, end);
      ASSERT_LE(end, text.size());
      if (begin < end) {
        EXPECT_EQ(text.substr(begin, end - begin), match.at("text").as_string());
      }
    }
  }
  const boost::json::object& first = queue[0].as_object();
  const boost::json::object& second = queue[1].as_object();
  const bool pair = Int(first, "cluster") == Int(second, "cluster");
  EXPECT_EQ(Int(first, "cluster_size"), pair ? 2 : 1);

  // The reposted ad is one cluster of two.
  std::int64_t reposts = 0;
  for (const boost::json::value& finding : queue) {
    if (Int(finding.as_object(), "cluster_size") == 2)
      reposts = Int(finding.as_object(), "cluster");
  }
  ASSERT_GT(reposts, 0);
  const HttpResponse cluster = Call(
      "GET",
      "/api/v1/outreach/scans/" + std::to_string(scan) + "/clusters/" + std::to_string(reposts), "",
      analyst);
  ASSERT_EQ(cluster.status, 200) << cluster.body;
  EXPECT_EQ(Object(cluster).at("findings").as_array().size(), 2u);
  EXPECT_EQ(Object(cluster).at("channels").as_array().size(), 1u);

  // Verdicts.
  const std::int64_t judged = Int(first, "id");
  const HttpResponse verdict =
      Call("PUT", "/api/v1/outreach/findings/" + std::to_string(judged) + "/verdict",
           boost::json::object{{"verdict", "recruitment"}}, analyst);
  ASSERT_EQ(verdict.status, 200) << verdict.body;
  EXPECT_EQ(Str(Object(verdict).at("verdict").as_object(), "verdict"), "recruitment");
  EXPECT_EQ(Str(Object(verdict).at("verdict").as_object(), "by_name"), "ana");
  const std::int64_t rejected = Int(second, "id");
  ASSERT_EQ(Call("PUT", "/api/v1/outreach/findings/" + std::to_string(rejected) + "/verdict",
                 boost::json::object{{"verdict", "not_recruitment"}}, analyst)
                .status,
            200);
  EXPECT_EQ(Call("PUT", "/api/v1/outreach/findings/999999/verdict",
                 boost::json::object{{"verdict", "unsure"}}, analyst)
                .status,
            404);
  EXPECT_EQ(Call("PUT", "/api/v1/outreach/findings/" + std::to_string(judged) + "/verdict",
                 boost::json::object{{"verdict", "maybe"}}, analyst)
                .status,
            400);
  Findings(analyst, scan, "none", &total);
  EXPECT_EQ(total, 1);
  Findings(analyst, scan, "recruitment", &total);
  EXPECT_EQ(total, 1);
  Findings(analyst, scan, "every", &total);
  EXPECT_EQ(total, 3);

  // Exports: the recruitment findings as CSV and JSON, and every verdict as labelled lines.
  const HttpResponse csv = Call(
      "GET", "/api/v1/outreach/scans/" + std::to_string(scan) + "/export?format=csv", "", analyst);
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_TRUE(csv.Header("Content-Type").starts_with("text/csv"));
  EXPECT_TRUE(csv.Header("Content-Disposition").starts_with("attachment"));
  EXPECT_TRUE(csv.body.starts_with("finding,channel,author"));
  EXPECT_NE(csv.body.find(Str(first, "text")), std::string::npos);
  EXPECT_EQ(csv.body.find(Str(second, "text")), std::string::npos);
  const HttpResponse json = Call(
      "GET", "/api/v1/outreach/scans/" + std::to_string(scan) + "/export?format=json", "", analyst);
  ASSERT_EQ(json.status, 200);
  EXPECT_EQ(Object(json).at("findings").as_array().size(), 1u);
  const HttpResponse labelled = Call("GET", "/api/v1/outreach/verdicts.jsonl", "", analyst);
  ASSERT_EQ(labelled.status, 200);
  EXPECT_TRUE(labelled.Header("Content-Type").starts_with("application/x-ndjson"));
  std::istringstream lines(labelled.body);
  std::map<std::string, std::string> verdicts;
  for (std::string line; std::getline(lines, line);) {
    const boost::json::object item = boost::json::parse(line).as_object();
    verdicts[Str(item, "text")] = Str(item, "verdict");
    EXPECT_EQ(Int(item, "scan"), scan);
  }
  EXPECT_EQ(verdicts, (std::map<std::string, std::string>{{Str(first, "text"), "recruitment"},
                                                          {Str(second, "text"), "not"}}));
  EXPECT_EQ(
      Call("GET", "/api/v1/outreach/verdicts.jsonl?from=2020-01-01&to=2020-12-31", "", analyst)
          .body,
      "");
  EXPECT_EQ(Call("GET", "/api/v1/outreach/verdicts.jsonl?from=yesterday", "", analyst).status, 400);

  const HttpResponse listed = Call("GET", "/api/v1/outreach/scans", "", analyst);
  EXPECT_EQ(Object(listed).at("scans").as_array().size(), 1u);
  EXPECT_EQ(Object(listed).at("import_folder").as_bool(), true);
  EXPECT_EQ(Call("DELETE", "/api/v1/outreach/scans/" + std::to_string(scan), "", analyst).status,
            409)
      << "a scan with verdicts is kept";

  const StaffSession admin = NewStaff("ada", "admin").session;
  const HttpResponse audited = Call("GET", "/api/v1/audit?action=outreach_verdict", "", admin);
  const boost::json::array entries = Object(audited).at("entries").as_array();
  ASSERT_EQ(entries.size(), 2u) << audited.body;
  EXPECT_EQ(
      Str(entries[1].as_object(), "detail"),
      "finding " + std::to_string(judged) + " in scan " + std::to_string(scan) + ": recruitment");
  const HttpResponse exported = Call("GET", "/api/v1/audit?action=outreach_exported", "", admin);
  EXPECT_EQ(Object(exported).at("entries").as_array().size(), 4u) << exported.body;
}

TEST_F(OutreachTest, AZipUploadIsUnpackedAndScanned) {
  const StaffSession analyst = NewStaff("ana", "analyst").session;
  const Export data = TelegramExport("Kanaal in een zip");
  for (const std::string& text : data.recruitment) Secret(text);
  const std::string zip = StoredZip({{"ChatExport_2026-01-05/result.json", data.json},
                                     {"ChatExport_2026-01-05/photos/photo_1.jpg", "\xff\xd8\xff"},
                                     {"__MACOSX/._result.json", "junk"}});
  const std::int64_t scan = Scan(analyst, {{"upload", Upload(analyst, "export.zip", zip)}});
  const boost::json::object ended = Ended(analyst, scan);
  ASSERT_EQ(Str(ended, "status"), "done") << boost::json::serialize(ended);
  EXPECT_EQ(Int(ended, "posts"), 6);
  EXPECT_EQ(Int(ended, "flagged"), 3);
  EXPECT_EQ(Str(ended, "source_name"), "export.zip");
  const boost::json::array findings = Findings(analyst, scan, "every");
  ASSERT_FALSE(findings.empty());
  EXPECT_EQ(Str(findings[0].as_object(), "source"), "ChatExport_2026-01-05/result.json");
  EXPECT_EQ(UploadsKept(), 0u) << "the upload and what it unpacked to are removed";
}

// A node that ended while it unpacked a zip leaves what it unpacked: the scan started again
// unpacks it afresh (it met its own files and removed the upload, as if the zip were damaged).
TEST_F(OutreachTest, AZipUnpackedHalfBeforeTheNodeEndedIsScannedWhenStartedAgain) {
  const StaffSession analyst = NewStaff("ana", "analyst").session;
  const Export data = TelegramExport("Kanaal na een herstart");
  for (const std::string& text : data.recruitment) Secret(text);
  const std::string upload =
      Upload(analyst, "export.zip", StoredZip({{"ChatExport/result.json", data.json}}));
  const fs::path left = Uploads() / upload / "unpacked";
  fs::create_directories(left);
  std::ofstream(left / "0001-result.json") << R"({"name": "half)";
  const std::int64_t scan = Scan(analyst, {{"upload", upload}});
  const boost::json::object ended = Ended(analyst, scan);
  ASSERT_EQ(Str(ended, "status"), "done") << boost::json::serialize(ended);
  EXPECT_EQ(Int(ended, "posts"), 6);
}

// The unpack limit is half the disk space free. A zip past it because the disk is nearly full
// is not a bad zip: the upload is kept for a scan once there is room, and the analyst is told so.
TEST_F(OutreachTest, AZipTooLargeOnlyForTheFreeSpaceIsKeptForLater) {
  const StaffSession analyst = NewStaff("ana", "analyst").session;
  const Export data = TelegramExport("Kanaal op een volle schijf");
  for (const std::string& text : data.recruitment) Secret(text);
  const std::string zip = StoredZip({{"ChatExport/result.json", data.json}});
  const std::string upload = Upload(analyst, "export.zip", zip);
  std::ofstream(import_ / "export.zip", std::ios::binary) << zip;
  // An upload under way that is still to receive more than the disk holds: nothing is free.
  const fs::path promised = Uploads() / "u_AAAAAAAAAAAAAAAAAAAAAA";
  fs::create_directories(promised);
  std::ofstream(promised / "upload");
  std::ofstream(promised / "upload.json")
      << R"({"name": "huge.zip", "size": 1152921504606846976, "account_id": 1, "created_at": 1})";

  for (const boost::json::object& body :
       {boost::json::object{{"upload", upload}}, boost::json::object{{"path", "export.zip"}}}) {
    const HttpResponse refused = Call("POST", "/api/v1/outreach/scans", body, analyst);
    EXPECT_EQ(refused.status, 503) << refused.body;
    EXPECT_NE(Message(refused).find("start its scan again once there is more room"),
              std::string::npos)
        << refused.body;
  }
  EXPECT_TRUE(fs::exists(Uploads() / upload / "upload")) << "the upload is kept";
  EXPECT_EQ(UploadsKept(), 2u) << "nothing is left of the import's unpacking";

  fs::remove_all(promised);
  const boost::json::object ended = Ended(analyst, Scan(analyst, {{"upload", upload}}));
  ASSERT_EQ(Str(ended, "status"), "done") << boost::json::serialize(ended);
  EXPECT_EQ(Int(ended, "posts"), 6);
}

// A double click starts one scan: the second start must neither queue a scan of the same upload
// nor unpack the zip again over the first (whose failure removed the upload the first read).
TEST_F(OutreachTest, AnUploadStartedTwiceAtOnceIsScannedOnce) {
  const StaffSession analyst = NewStaff("ana", "analyst").session;
  const Export data = TelegramExport("Kanaal twee keer");
  for (const std::string& text : data.recruitment) Secret(text);
  const std::string upload =
      Upload(analyst, "export.zip", StoredZip({{"ChatExport/result.json", data.json}}));
  std::latch start(2);
  const auto start_scan = [&] {
    start.arrive_and_wait();
    return Call("POST", "/api/v1/outreach/scans", boost::json::object{{"upload", upload}}, analyst);
  };
  auto first = std::async(std::launch::async, start_scan);
  auto second = std::async(std::launch::async, start_scan);
  const HttpResponse answers[] = {first.get(), second.get()};
  std::int64_t scan = 0;
  int started = 0;
  for (const HttpResponse& answer : answers) {
    if (answer.status == 202) {
      ++started;
      scan = Int(Object(answer), "id");
    } else {
      EXPECT_EQ(answer.status, 409) << answer.body;
    }
  }
  ASSERT_EQ(started, 1);
  const boost::json::object ended = Ended(analyst, scan);
  ASSERT_EQ(Str(ended, "status"), "done") << boost::json::serialize(ended);
  EXPECT_EQ(Int(ended, "posts"), 6);
}

TEST_F(OutreachTest, ABadZipIsRefusedClearlyAndEarlierScansStay) {
  const StaffSession analyst = NewStaff("ana", "analyst").session;
  const std::int64_t earlier = ScannedExport(analyst, "Eerder kanaal");
  const std::int64_t judged = Int(Findings(analyst, earlier, "none")[0].as_object(), "id");
  ASSERT_EQ(Call("PUT", "/api/v1/outreach/findings/" + std::to_string(judged) + "/verdict",
                 boost::json::object{{"verdict", "recruitment"}}, analyst)
                .status,
            200);

  std::string damaged = StoredZip({{"result.json", TelegramExport("Stuk").json}});
  damaged.resize(damaged.size() / 2);
  for (const std::string& bad : {std::string("this is no zip at all"), damaged}) {
    const std::string upload = Upload(analyst, "export.zip", bad);
    const HttpResponse refused =
        Call("POST", "/api/v1/outreach/scans", boost::json::object{{"upload", upload}}, analyst);
    EXPECT_EQ(refused.status, 400) << refused.body;
    EXPECT_FALSE(Message(refused).empty());
    EXPECT_EQ(Chunk(analyst, upload, 0, "x").status, 404) << "the upload is removed";
  }
  EXPECT_EQ(UploadsKept(), 0u);
  const HttpResponse listed = Call("GET", "/api/v1/outreach/scans", "", analyst);
  EXPECT_EQ(Object(listed).at("scans").as_array().size(), 1u);
  std::int64_t judged_total = 0;
  Findings(analyst, earlier, "recruitment", &judged_total);
  EXPECT_EQ(judged_total, 1);
}

TEST_F(OutreachTest, AnUploadOverTheLimitIsRefusedBeforeAnyByteIsStored) {
  const StaffSession analyst = NewStaff("ana", "analyst").session;
  const HttpResponse refused =
      Call("POST", "/api/v1/outreach/uploads",
           boost::json::object{{"name", "huge.json"}, {"size", std::int64_t{10} << 30}}, analyst);
  EXPECT_EQ(refused.status, 413) << refused.body;
  EXPECT_EQ(Message(refused), "the file is 10.0 GB; the limit is 1.0 MB");
  EXPECT_EQ(UploadsKept(), 0u);

  // A chunk may be larger than other requests' bodies (16 KiB here), for those who may upload.
  const std::string big(200'000, 'x');
  const HttpResponse created =
      Call("POST", "/api/v1/outreach/uploads",
           boost::json::object{{"name", "big.csv"}, {"size", big.size()}}, analyst);
  const std::string id = Str(Object(created), "id");
  EXPECT_EQ(Chunk(analyst, id, 0, big).status, 200);
  const StaffSession counsellor = NewStaff("carla").session;
  EXPECT_EQ(Chunk(counsellor, id, 0, big).status, 413) << "the body limit of those who may not";
  EXPECT_EQ(Chunk(counsellor, id, 0, "x").status, 403);
}

TEST_F(OutreachTest, OnlyPathsInsideTheImportFolderAreScanned) {
  const StaffSession analyst = NewStaff("ana", "analyst").session;
  core::testing::TestFolder outside("outreach-outside");
  const Export data = TelegramExport("Gedeeld kanaal");
  for (const std::string& text : data.recruitment) Secret(text);
  std::ofstream(outside / "result.json") << data.json;
  fs::create_directories(import_ / "telegram");
  std::ofstream(import_ / "telegram" / "result.json") << data.json;
  fs::create_symlink(outside / "result.json", import_ / "link.json");

  for (const std::string& path :
       {(outside / "result.json").string(), std::string("../outreach-outside/result.json"),
        std::string("telegram/../../x.json"), std::string("link.json"),
        std::string("/etc/passwd")}) {
    const HttpResponse refused =
        Call("POST", "/api/v1/outreach/scans", boost::json::object{{"path", path}}, analyst);
    EXPECT_EQ(refused.status, 403) << path << ": " << refused.body;
    EXPECT_EQ(Message(refused), "the path is outside the import folder") << path;
  }
  EXPECT_EQ(
      Call("POST", "/api/v1/outreach/scans", boost::json::object{{"path", "nothing.json"}}, analyst)
          .status,
      404);
  const std::int64_t scan = Scan(analyst, {{"path", "telegram"}});
  const boost::json::object ended = Ended(analyst, scan);
  EXPECT_EQ(Str(ended, "status"), "done") << boost::json::serialize(ended);
  EXPECT_EQ(Str(ended, "source_name"), "telegram");
  EXPECT_EQ(Int(ended, "flagged"), 3);
  EXPECT_TRUE(fs::exists(import_ / "telegram" / "result.json")) << "the import folder is read only";
}

TEST_F(OutreachTest, ARunningScanCanBeCancelled) {
  const StaffSession analyst = NewStaff("ana", "analyst").session;
  {
    // Some 40 MB of posts, a few of them flagged: long enough to be cancelled while it runs.
    std::ofstream out(import_ / "groot.jsonl");
    for (int i = 0; i < 400'000; ++i) {
      out << R"({"message_id": )" << i << R"(, "date": )" << kMonday + i
          << (i % 1000 == 0
                  ? R"(, "text": "Pinpas uitlenen voor snel geld, 500 euro. DM me"})"
                  : R"(, "text": "Gewoon een bericht over de buurt en het weer van vandaag"})")
          << "\n";
    }
  }
  const std::int64_t scan = Scan(analyst, {{"path", "groot.jsonl"}});
  const boost::json::object running =
      Until(analyst, scan, [](const std::string& status) { return status != "queued"; });
  ASSERT_EQ(Str(running, "status"), "running") << boost::json::serialize(running);
  const HttpResponse cancelled =
      Call("POST", "/api/v1/outreach/scans/" + std::to_string(scan) + "/cancel", "", analyst,
           std::chrono::seconds(90));
  ASSERT_EQ(cancelled.status, 200) << cancelled.body;
  EXPECT_EQ(Str(Object(cancelled), "status"), "cancelled");
  const boost::json::object ended = Ended(analyst, scan);
  EXPECT_EQ(Str(ended, "status"), "cancelled");
  EXPECT_LT(Int(ended, "posts"), 400'000);
  EXPECT_EQ(Call("POST", "/api/v1/outreach/scans/" + std::to_string(scan) + "/cancel", "", analyst)
                .status,
            409);
  EXPECT_EQ(Call("DELETE", "/api/v1/outreach/scans/" + std::to_string(scan), "", analyst).status,
            204);
  EXPECT_EQ(Call("GET", "/api/v1/outreach/scans/" + std::to_string(scan), "", analyst).status, 404);

  // Starting, cancelling and deleting are each in the audit trail.
  const StaffSession admin = NewStaff("adam", "admin").session;
  for (const char* action :
       {"outreach_scan_started", "outreach_scan_cancelled", "outreach_scan_deleted"}) {
    const HttpResponse audited =
        Call("GET", std::string("/api/v1/audit?action=") + action, "", admin);
    ASSERT_EQ(audited.status, 200) << audited.body;
    const boost::json::array entries = Object(audited).at("entries").as_array();
    ASSERT_EQ(entries.size(), 1u) << action << ": " << audited.body;
    EXPECT_EQ(entries[0].at("detail").as_string(), "scan " + std::to_string(scan)) << action;
  }
}

TEST_F(OutreachTest, TheLexiconGrowsAndShrinksOneVersionAtATime) {
  const StaffSession analyst = NewStaff("ana", "analyst").session;
  const std::int64_t scan = ScannedExport(analyst, "Testkanaal");

  const HttpResponse shipped = Call("GET", "/api/v1/outreach/lexicon", "", analyst);
  ASSERT_EQ(shipped.status, 200);
  const boost::json::object lexicon = Object(shipped);
  EXPECT_EQ(Int(lexicon, "version"), 0);
  const std::string shipped_toml = Str(lexicon, "toml");
  const std::size_t terms = lexicon.at("terms").as_array().size();
  ASSERT_GT(terms, 10u);
  bool counted = false;
  for (const boost::json::value& term : lexicon.at("terms").as_array()) {
    if (Int(term.as_object(), "hits") > 0) counted = true;
  }
  EXPECT_TRUE(counted) << "terms say how often they matched";

  // Trying a term before adding it.
  const boost::json::object draft{{"text", "bankrekening verhuren"},
                                  {"category", "money_mule"},
                                  {"weight", 4},
                                  {"variants", boost::json::array{"rekening verhuren"}}};
  const HttpResponse tried = Call("POST", "/api/v1/outreach/lexicon/test", draft, analyst);
  ASSERT_EQ(tried.status, 200) << tried.body;
  EXPECT_EQ(Int(Object(tried), "findings_checked"), 3);
  EXPECT_EQ(Int(Object(tried), "hits"), 2);
  EXPECT_EQ(Int(Object(tried).at("examples").as_array()[0].as_object(), "scan"), scan);

  boost::json::object added_term{{"based_on", 0},
                                 {"text", "bankapp delen"},
                                 {"category", "money_mule"},
                                 {"weight", 4},
                                 {"variants", boost::json::array{"bankapp lenen"}},
                                 {"note", "seen in week 2"}};
  const HttpResponse added = Call("POST", "/api/v1/outreach/lexicon/terms", added_term, analyst);
  ASSERT_EQ(added.status, 201) << added.body;
  EXPECT_EQ(Int(Object(added), "version"), 1);
  EXPECT_EQ(Object(added).at("terms").as_array().size(), terms + 1);
  const std::string v1 = Str(Object(added), "toml");
  EXPECT_EQ(v1.substr(0, shipped_toml.size()), shipped_toml) << "the rest stays as it was";

  const HttpResponse stale = Call("POST", "/api/v1/outreach/lexicon/terms", added_term, analyst);
  EXPECT_EQ(stale.status, 409) << stale.body;
  added_term["based_on"] = 1;
  EXPECT_EQ(Call("POST", "/api/v1/outreach/lexicon/terms", added_term, analyst).status, 400)
      << "a duplicate term";
  added_term["text"] = "iets nieuws";
  added_term["category"] = "Geld!";
  const HttpResponse bad = Call("POST", "/api/v1/outreach/lexicon/terms", added_term, analyst);
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(Message(bad).find("category"), std::string::npos) << Message(bad);

  const boost::json::object retire{{"based_on", 1}, {"term", "bankapp delen"}, {"note", ""}};
  const HttpResponse retired = Call("POST", "/api/v1/outreach/lexicon/retire", retire, analyst);
  ASSERT_EQ(retired.status, 200) << retired.body;
  EXPECT_EQ(Int(Object(retired), "version"), 2);
  EXPECT_EQ(Object(retired).at("terms").as_array().size(), terms);
  EXPECT_EQ(Str(Object(retired), "toml").find("\"bankapp delen\""), std::string::npos);
  EXPECT_EQ(Call("POST", "/api/v1/outreach/lexicon/retire", retire, analyst).status, 409);

  const HttpResponse versions = Call("GET", "/api/v1/outreach/lexicon/versions", "", analyst);
  const boost::json::array listed = Object(versions).at("versions").as_array();
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(Int(listed[0].as_object(), "version"), 2);
  EXPECT_EQ(Str(listed[0].as_object(), "note"), "retired 'bankapp delen'");
  EXPECT_EQ(Str(listed[1].as_object(), "note"), "seen in week 2");
  EXPECT_EQ(Str(listed[1].as_object(), "by_name"), "ana");

  const std::int64_t later = ScannedExport(analyst, "Later kanaal");
  const HttpResponse later_scan =
      Call("GET", "/api/v1/outreach/scans/" + std::to_string(later), "", analyst);
  EXPECT_EQ(Str(Object(later_scan), "lexicon_version"), "v2");

  const StaffSession admin = NewStaff("ada", "admin").session;
  const HttpResponse audited = Call("GET", "/api/v1/audit?action=lexicon_changed", "", admin);
  const boost::json::array entries = Object(audited).at("entries").as_array();
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(Str(entries[0].as_object(), "detail"), "v2: retired 'bankapp delen'");
  EXPECT_EQ(Str(entries[1].as_object(), "detail"), "v1: added 'bankapp delen'");
}

class OutreachRetentionTest : public OutreachTest {
 protected:
  std::string ConfigToml() const override {
    return OutreachTest::ConfigToml() + "retention_days = 1\n";
  }

  // `uitweg retention run` on this server's database, as an operator's timer runs it; the number
  // of findings whose texts it blanked.
  std::int64_t RetentionRun() {
    std::vector<std::string> args{"retention", "run",
                                  "--config",  (server_.data_dir() / "uitweg.toml").string(),
                                  "--data",    server_.data_dir().string()};
    if (!database_url_.empty()) args.insert(args.end(), {"--database", database_url_});
    auto run = RunCommand(args);
    EXPECT_TRUE(run && run->exit_code == 0) << (run ? run->err : run.error().message);
    if (!run) return -1;
    const std::string said = "Blanked the texts of ";
    const std::size_t at = run->out.find(said);
    EXPECT_NE(at, std::string::npos) << run->out;
    return at == std::string::npos ? -1 : std::stoll(run->out.substr(at + said.size()));
  }

  // Moves the scan's creation `days` back, as if it had been made then.
  void Age(std::int64_t scan, int days) {
    const std::string sql = "UPDATE scan SET created_at = created_at - " +
                            std::to_string(std::int64_t{days} * 86'400'000) +
                            " WHERE id = " + std::to_string(scan);
    core::Status updated;
    if (CasesRunOnPostgres()) {
      auto db = store::postgres::Connection::Open(database_url_);
      ASSERT_TRUE(db) << db.error().message;
      updated = (*db)->Exec(sql);
    } else {
      auto db = store::sqlite::Connection::Open((server_.data_dir() / "uitweg.db").string(),
                                                store::sqlite::Connection::Mode::read_write, 5000);
      ASSERT_TRUE(db) << db.error().message;
      updated = (*db)->Exec(sql);
    }
    ASSERT_TRUE(updated) << updated.error().message;
  }
};

TEST_F(OutreachRetentionTest, FindingsLoseTheirTextsOnceTheirScanIsOlderThanTheRetention) {
  const StaffSession analyst = NewStaff("ana", "analyst").session;
  const std::int64_t young = ScannedExport(analyst, "Snel Geld 010");
  const std::int64_t old = ScannedExport(analyst, "Bijbaantjes 010");
  std::int64_t total = 0;
  const boost::json::array before = Findings(analyst, old, "every", &total);
  ASSERT_EQ(total, 3);
  const std::int64_t judged = Int(before[0].as_object(), "id");
  ASSERT_EQ(Call("PUT", "/api/v1/outreach/findings/" + std::to_string(judged) + "/verdict",
                 boost::json::object{{"verdict", "recruitment"}}, analyst)
                .status,
            200);

  EXPECT_EQ(RetentionRun(), 0) << "both scans are younger than a day";
  Age(old, 2);
  EXPECT_EQ(RetentionRun(), 3);
  EXPECT_EQ(RetentionRun(), 0) << "blanked once";

  // The old scan's findings keep their place, scores, categories and verdicts, not their words.
  const boost::json::array after = Findings(analyst, old, "every", &total);
  ASSERT_EQ(total, 3);
  for (const boost::json::value& item : after) {
    const boost::json::object& finding = item.as_object();
    EXPECT_EQ(Str(finding, "text"), "");
    EXPECT_TRUE(finding.at("purged").as_bool());
    EXPECT_FALSE(finding.at("categories").as_array().empty());
    EXPECT_GT(finding.at("score").to_number<double>(), 0);
    for (const boost::json::value& match : finding.at("matches").as_array()) {
      EXPECT_EQ(match.at("text").as_string(), "");
    }
  }
  Findings(analyst, old, "recruitment", &total);
  EXPECT_EQ(total, 1);
  // The young scan is untouched.
  for (const boost::json::value& item : Findings(analyst, young, "every", &total)) {
    EXPECT_FALSE(Str(item.as_object(), "text").empty());
    EXPECT_FALSE(item.as_object().at("purged").as_bool());
  }
  EXPECT_EQ(total, 3);
}

TEST_F(OutreachTest, ACounsellorMayDoNoneOfIt) {
  const StaffSession analyst = NewStaff("ana", "analyst").session;
  const std::int64_t scan = ScannedExport(analyst, "Kanaal");
  const std::string finding =
      std::to_string(Int(Findings(analyst, scan, "every")[0].as_object(), "id"));
  const std::string upload =
      Str(Object(Call("POST", "/api/v1/outreach/uploads",
                      boost::json::object{{"name", "x.json"}, {"size", 2}}, analyst)),
          "id");
  const std::string s = "/api/v1/outreach/scans/" + std::to_string(scan);
  const StaffSession counsellor = NewStaff("carla").session;
  const std::vector<std::array<std::string, 3>> requests = {
      {"POST", "/api/v1/outreach/uploads", R"({"name":"x.json","size":2})"},
      {"PUT", "/api/v1/outreach/uploads/" + upload + "?offset=0", "{}"},
      {"GET", "/api/v1/outreach/scans", ""},
      {"POST", "/api/v1/outreach/scans", R"({"upload":")" + upload + R"("})"},
      {"GET", s, ""},
      {"POST", s + "/cancel", ""},
      {"DELETE", s, ""},
      {"GET", s + "/findings", ""},
      {"GET", s + "/clusters/1", ""},
      {"GET", s + "/export?format=csv", ""},
      {"PUT", "/api/v1/outreach/findings/" + finding + "/verdict", R"({"verdict":"unsure"})"},
      {"GET", "/api/v1/outreach/verdicts.jsonl", ""},
      {"GET", "/api/v1/outreach/lexicon", ""},
      {"GET", "/api/v1/outreach/lexicon/versions", ""},
      {"POST", "/api/v1/outreach/lexicon/terms",
       R"({"based_on":0,"text":"x","category":"c","weight":1})"},
      {"POST", "/api/v1/outreach/lexicon/retire", R"({"based_on":0,"term":"pinpas uitlenen"})"},
      {"POST", "/api/v1/outreach/lexicon/test", R"({"text":"x","category":"c","weight":1})"},
  };
  for (const auto& [method, target, body] : requests) {
    const HttpResponse refused = Call(method, target, body, counsellor);
    EXPECT_EQ(refused.status, 403) << method << " " << target << ": " << refused.body;
    EXPECT_EQ(refused.ErrorCode(), "permission_denied") << method << " " << target;
  }
  // Nothing changed.
  EXPECT_EQ(Str(Object(Call("GET", s, "", analyst)), "status"), "done");
  EXPECT_EQ(Int(Object(Call("GET", "/api/v1/outreach/lexicon", "", analyst)), "version"), 0);
}

}  // namespace
}  // namespace uitweg::support
