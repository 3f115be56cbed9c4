// The visitor's front door through the real binary: information pages rendered from Markdown
// without any script, in the asked or the browser's language; admins editing them in versions
// (audited, refused when broken, restorable); the self-checks as data; campaign codes counted
// per day without a trace of the visitor, and no faster than the rate limit lets one client.

#include "integration/server_test.hpp"
#include "store/sqlite/connection.hpp"

namespace uitweg::support {
namespace {

class FrontDoorTest : public ServerTest {
 protected:
  HttpResponse Get(const std::string& target, Headers headers = {}) {
    auto got = HttpGet(server_.port(), target, std::move(headers));
    EXPECT_TRUE(got) << target;
    return got ? *got : HttpResponse{};
  }

  HttpResponse Post(const Counsellor& staff, const std::string& target, boost::json::object body) {
    auto posted = HttpCall(server_.port(),
                           {"POST", target, boost::json::serialize(body), Auth(staff.session)});
    EXPECT_TRUE(posted) << target;
    return posted ? *posted : HttpResponse{};
  }

  int Event(const std::string& event, const std::string& campaign) {
    auto posted = HttpPostJson(server_.port(), "/api/v1/visitor/events",
                               boost::json::object{{"event", event}, {"campaign", campaign}});
    return posted ? posted->status : 0;
  }

  // Today's totals of a campaign code ("" for none), as the console reads them.
  boost::json::object Totals(const Counsellor& staff, const std::string& code) {
    auto listed = HttpGet(server_.port(), "/api/v1/campaigns", Auth(staff.session));
    EXPECT_TRUE(listed && listed->status == 200) << (listed ? listed->body : "");
    if (!listed || listed->status != 200) return {};
    const boost::json::value json = listed->Json().value();
    if (code.empty()) return json.at("without_campaign").as_object();
    for (const auto& campaign : json.at("campaigns").as_array()) {
      if (campaign.at("code").as_string() == code) return campaign.at("totals").as_object();
    }
    ADD_FAILURE() << "no campaign " << code;
    return {};
  }
};

TEST_F(FrontDoorTest, InformationPagesAreHtmlFromTheServerInTheVisitorsLanguage) {
  HttpResponse dutch = Get("/info/exploitation");
  ASSERT_EQ(dutch.status, 200) << dutch.body;
  EXPECT_EQ(dutch.Header("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(dutch.Header("Cache-Control"), "no-store");
  EXPECT_FALSE(dutch.Header("Content-Security-Policy").empty());
  EXPECT_NE(dutch.body.find("<html lang=\"nl\" dir=\"ltr\">"), std::string::npos);
  EXPECT_NE(dutch.body.find("<h1>"), std::string::npos);
  EXPECT_EQ(dutch.body.find("{{"), std::string::npos) << "every placeholder is filled";
  // The other pages are linked by their titles, and quick exit works as a plain link.
  EXPECT_NE(dutch.body.find("href=\"/info/safety?lang=nl\""), std::string::npos);
  EXPECT_NE(dutch.body.find("id=\"quick-exit\""), std::string::npos);

  HttpResponse english = Get("/info/exploitation", {{"Accept-Language", "de-DE, en;q=0.8"}});
  EXPECT_NE(english.body.find("<html lang=\"en\" dir=\"ltr\">"), std::string::npos);
  HttpResponse arabic = Get("/info/safety?lang=ar", {{"Accept-Language", "en"}});
  EXPECT_NE(arabic.body.find("<html lang=\"ar\" dir=\"rtl\">"), std::string::npos);

  EXPECT_EQ(Get("/info/nothing").status, 404);
  EXPECT_EQ(Get("/info/safety?lang=en&fbclid=x1").status, 200) << "others' parameters are ignored";
  EXPECT_EQ(Get("/info/safety?lang=xx").status, 200) << "an unknown language falls back";
}

// The saved versions cannot be read (the database away): the text built into the binary still
// serves, so that a visitor reading how to leave safely meets no error.
TEST_F(FrontDoorTest, InformationPagesServeTheirBuiltInTextWhenSavedOnesCannotBeRead) {
  if (CasesRunOnPostgres()) GTEST_SKIP() << "the fault is made in the SQLite file";
  auto database =
      store::sqlite::Connection::Open((server_.data_dir() / "uitweg.db").string(),
                                      store::sqlite::Connection::Mode::read_write, 5000);
  ASSERT_TRUE(database);
  ASSERT_TRUE((*database)->Exec("ALTER TABLE content_version RENAME TO content_version_away"));
  HttpResponse safety = Get("/info/safety");
  EXPECT_EQ(safety.status, 200) << safety.body;
  EXPECT_NE(safety.body.find("<h1>"), std::string::npos);
  ASSERT_TRUE((*database)->Exec("ALTER TABLE content_version_away RENAME TO content_version"));
}

TEST_F(FrontDoorTest, AdminsSaveVersionsThatShowAtOnceAndCanRestoreAnEarlierOne) {
  Counsellor admin = NewStaff("ada", "admin");
  ASSERT_FALSE(HasFailure());
  auto page = Get("/api/v1/admin/content/safety/nl", Auth(admin.session));
  ASSERT_EQ(page.status, 200) << page.body;
  const std::string built_in(page.Json().value().at("body").as_string());
  EXPECT_EQ(page.Json().value().at("version").as_int64(), 0);
  EXPECT_TRUE(built_in.starts_with("# ")) << built_in;

  // Broken pages are refused with a reason and change nothing.
  for (const char* broken : {"no title", "# T\n\n![x](https://elsewhere.example/x.png)", ""}) {
    auto refused = Post(admin, "/api/v1/admin/content/safety/nl", {{"body", broken}});
    EXPECT_EQ(refused.status, 400) << broken << ": " << refused.body;
  }
  auto preview = Post(admin, "/api/v1/admin/content/preview",
                      {{"body", "# Voorbeeld\n\n<script>x()</script>*zo*"}});
  ASSERT_EQ(preview.status, 200);
  EXPECT_EQ(preview.Json().value().at("title").as_string(), "Voorbeeld");
  EXPECT_EQ(preview.body.find("<script"), std::string::npos);

  auto first = Post(admin, "/api/v1/admin/content/safety/nl",
                    {{"body", "# Nieuwe titel\n\nEerste versie."}, {"based_on", 0}});
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(first.Json().value().at("version").as_int64(), 1);
  EXPECT_NE(Get("/info/safety?lang=nl").body.find("Eerste versie."), std::string::npos);
  // Someone else saved meanwhile: a save from the built-in text is refused.
  auto stale = Post(admin, "/api/v1/admin/content/safety/nl",
                    {{"body", "# Oud\n\nOverschreven?"}, {"based_on", 0}});
  EXPECT_EQ(stale.status, 409) << stale.body;
  ASSERT_EQ(Post(admin, "/api/v1/admin/content/safety/nl",
                 {{"body", "# Tweede\n\nTweede versie."}, {"based_on", 1}})
                .status,
            200);

  // Restoring the first: read it, save it again as the newest.
  auto old = Get("/api/v1/admin/content/safety/nl?version=1", Auth(admin.session));
  ASSERT_EQ(old.status, 200);
  EXPECT_EQ(old.Json().value().at("versions").as_array().size(), 2u);
  auto restored =
      Post(admin, "/api/v1/admin/content/safety/nl",
           {{"body", old.Json().value().at("body")}, {"based_on", 2}, {"restored_from", 1}});
  ASSERT_EQ(restored.status, 200);
  EXPECT_EQ(restored.Json().value().at("version").as_int64(), 3);
  EXPECT_NE(Get("/info/safety?lang=nl").body.find("Eerste versie."), std::string::npos);
  EXPECT_EQ(Get("/info/safety?lang=en").body.find("Eerste versie."), std::string::npos)
      << "the English page is its own";
  EXPECT_EQ(Get("/api/v1/admin/content/safety/nl?version=9", Auth(admin.session)).status, 404);

  auto audited = Get("/api/v1/audit?action=content_changed", Auth(admin.session));
  ASSERT_EQ(audited.status, 200);
  const boost::json::value entries = audited.Json().value().at("entries");
  ASSERT_EQ(entries.as_array().size(), 3u) << audited.body;
  EXPECT_EQ(entries.as_array()[0].at("detail").as_string(), "safety.nl v3 (restores v1)");

  // Version 1 opened and then rewritten is not a restore of it.
  auto rewritten = Post(
      admin, "/api/v1/admin/content/safety/nl",
      {{"body", "# Eerste\n\nEerste versie. Herschreven."}, {"based_on", 3}, {"restored_from", 1}});
  ASSERT_EQ(rewritten.status, 200) << rewritten.body;
  audited = Get("/api/v1/audit?action=content_changed", Auth(admin.session));
  ASSERT_EQ(audited.status, 200);
  EXPECT_EQ(audited.Json().value().at("entries").as_array()[0].at("detail").as_string(),
            "safety.nl v4");

  // Versions outlive a restart.
  ASSERT_TRUE(server_.Stop());
  auto restarted = server_.Restart();
  ASSERT_TRUE(restarted) << restarted.error().message;
  EXPECT_NE(Get("/info/safety?lang=nl").body.find("Eerste versie."), std::string::npos);

  // The text that ships with Uitweg, restored after versions were saved over it.
  EXPECT_EQ(Get("/api/v1/admin/content/safety/nl?built_in=1&version=2", Auth(admin.session)).status,
            400);
  auto shipped = Get("/api/v1/admin/content/safety/nl?built_in=1", Auth(admin.session));
  ASSERT_EQ(shipped.status, 200) << shipped.body;
  EXPECT_EQ(shipped.Json().value().at("version").as_int64(), 0);
  EXPECT_EQ(shipped.Json().value().at("newest_version").as_int64(), 4);
  ASSERT_EQ(Post(admin, "/api/v1/admin/content/safety/nl",
                 {{"body", shipped.Json().value().at("body")}, {"based_on", 4}})
                .status,
            200);
  EXPECT_EQ(Get("/info/safety?lang=nl").body.find("Eerste versie."), std::string::npos);
  auto restored_audit = Get("/api/v1/audit?action=content_changed", Auth(admin.session));
  ASSERT_EQ(restored_audit.status, 200);
  EXPECT_EQ(restored_audit.Json().value().at("entries").as_array()[0].at("detail").as_string(),
            "safety.nl v5 (the built-in text)");
}

TEST_F(FrontDoorTest, SelfChecksAreDataForTheBrowser) {
  auto self = Get("/api/v1/visitor/self-check?lang=en");
  ASSERT_EQ(self.status, 200) << self.body;
  const boost::json::value json = self.Json().value();
  EXPECT_EQ(json.at("language").as_string(), "en");
  EXPECT_GE(json.at("questions").as_array().size(), 8u);
  EXPECT_EQ(json.at("results").as_array()[0].at("min_score").as_int64(), 0);
  auto other = Get("/api/v1/visitor/self-check?for=other&lang=ar");
  EXPECT_EQ(other.Json().value().at("dir").as_string(), "rtl");
  EXPECT_EQ(Get("/api/v1/visitor/self-check?for=nobody").status, 400);
}

TEST_F(FrontDoorTest, CampaignsCountVisitsChecksAndChatsButNoFasterThanTheLimit) {
  Counsellor analyst = NewStaff("ana", "analyst");
  ASSERT_FALSE(HasFailure());
  ASSERT_EQ(
      Post(analyst, "/api/v1/campaigns", {{"code", "tiktok-2026-03"}, {"label", "TikTok"}}).status,
      201);
  EXPECT_EQ(
      Post(analyst, "/api/v1/campaigns", {{"code", "tiktok-2026-03"}, {"label", "Again"}}).status,
      409);
  EXPECT_EQ(Post(analyst, "/api/v1/campaigns", {{"code", "Not A Code"}, {"label", "x"}}).status,
            400);

  EXPECT_EQ(Event("visit", "tiktok-2026-03"), 204);
  EXPECT_EQ(Event("visit", "made-up-code"), 204);
  EXPECT_EQ(Event("self_check", "tiktok-2026-03"), 204);
  EXPECT_EQ(Event("purchase", "tiktok-2026-03"), 400);
  auto started =
      HttpPostJson(server_.port(), "/api/v1/visitor/conversations",
                   boost::json::object{{"campaign", "tiktok-2026-03"}, {"language", "en"}});
  ASSERT_TRUE(started && started->status == 201) << (started ? started->body : "");

  boost::json::object totals = Totals(analyst, "tiktok-2026-03");
  EXPECT_EQ(totals.at("visit").as_int64(), 1);
  EXPECT_EQ(totals.at("self_check").as_int64(), 1);
  EXPECT_EQ(totals.at("chat_started").as_int64(), 1);
  EXPECT_EQ(Totals(analyst, "").at("visit").as_int64(), 1) << "an unknown code counts as none";

  // A flood from one client: counted up to the limit, then refused.
  int refused = 0;
  for (int i = 0; i < 30; ++i) {
    if (Event("visit", "tiktok-2026-03") == 429) ++refused;
  }
  EXPECT_GE(refused, 30 - 10);
  EXPECT_LE(Totals(analyst, "tiktok-2026-03").at("visit").as_int64(), 10);

  const std::string host = "127.0.0.1:" + std::to_string(server_.port());
  auto qr =
      Get("/api/v1/campaigns/tiktok-2026-03/qr?base=http%3A%2F%2F" + host, Auth(analyst.session));
  ASSERT_EQ(qr.status, 200) << qr.body;
  EXPECT_EQ(qr.Json().value().at("url").as_string(), "http://" + host + "/?c=tiktok-2026-03");
  EXPECT_EQ(Get("/api/v1/campaigns/tiktok-2026-03/qr?base=https%3A%2F%2Felsewhere.example",
                Auth(analyst.session))
                .status,
            400)
      << "a poster cannot point at another site";
  EXPECT_TRUE(qr.Json().value().at("svg").as_string().starts_with("<svg"));
  EXPECT_EQ(
      Get("/api/v1/campaigns/tiktok-2026-03/qr?base=javascript:x", Auth(analyst.session)).status,
      400);
  EXPECT_EQ(Get("/api/v1/campaigns/tiktok-2026-03/qr?base=https%3A%2F%2Fa.example%2Fpath",
                Auth(analyst.session))
                .status,
            400);
  EXPECT_EQ(Get("/api/v1/campaigns/never-made/qr?base=http%3A%2F%2F" + host, Auth(analyst.session))
                .status,
            404)
      << "a poster for no campaign would count its visits as none";

  // Retired, the code counts nothing more and makes no more posters; it stays listed with what
  // it brought. A second retire (a colleague at the same time) changes nothing and is not
  // audited again.
  for (int attempt = 0; attempt < 2; ++attempt) {
    auto retired = HttpCall(server_.port(), {"POST", "/api/v1/campaigns/tiktok-2026-03/retire", "",
                                             Auth(analyst.session)});
    ASSERT_TRUE(retired && retired->status == 204);
  }
  EXPECT_EQ(
      Get("/api/v1/campaigns/tiktok-2026-03/qr?base=http%3A%2F%2F" + host, Auth(analyst.session))
          .status,
      404);

  auto audited =
      Get("/api/v1/audit?action=campaign_changed", Auth(NewStaff("ada", "admin").session));
  EXPECT_EQ(audited.Json().value().at("entries").as_array().size(), 2u) << audited.body;
}

}  // namespace
}  // namespace uitweg::support
