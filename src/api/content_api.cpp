#include "api/content_api.hpp"

#include <map>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <boost/url/params_view.hpp>
#include <boost/url/parse_query.hpp>

#include "api/json_fields.hpp"
#include "content/library.hpp"
#include "content/markdown.hpp"
#include "content/self_check.hpp"
#include "content/site.hpp"
#include "core/log.hpp"

namespace uitweg::api {
namespace {

using content::EscapeHtml;

using SavedPages = std::map<std::pair<std::string, std::string>, store::ContentVersion>;

core::Result<SavedPages> NewestSaved(store::ContentStore& store) {
  UITWEG_TRY_ASSIGN(auto newest, store.NewestContentVersions());
  SavedPages out;
  for (store::ContentVersion& version : newest) {
    auto key = std::make_pair(version.slug, version.language);
    out.emplace(std::move(key), std::move(version));
  }
  return out;
}

// The page in exactly `language`, rendered, its links to our pages carrying `reader` (the
// language the reader chose); nullopt when it has no text in that language.
std::optional<content::RenderedPage> RenderedIn(const SavedPages& saved, std::string_view slug,
                                                std::string_view language,
                                                std::string_view reader = {}) {
  auto found = saved.find(std::make_pair(std::string(slug), std::string(language)));
  if (found != saved.end()) {
    if (auto page = content::RenderMarkdown(found->second.body, reader)) return *page;
  }
  if (auto built_in = content::BuiltInPage(slug, language)) {
    if (auto page = content::RenderMarkdown(*built_in, reader)) return *page;
  }
  return std::nullopt;
}

// The ?lang= of a page's address; other parameters (a campaign's, a social app's) are ignored.
std::string AskedLanguage(std::string_view query) {
  auto params = boost::urls::parse_query(query);
  if (!params) return {};
  for (const boost::urls::param& param : boost::urls::params_view(*params)) {
    if (param.key == "lang") return param.value;
  }
  return {};
}

core::Status CheckSlugAndLanguage(std::string_view slug, std::string_view language) {
  if (!content::IsPageSlug(slug)) return core::Fail(core::Errc::not_found, "no such page");
  if (!content::IsLanguage(language)) return core::Fail(core::Errc::not_found, "no such language");
  return {};
}

std::string Query(std::string_view name, std::string_view value) {
  return std::string(name) + "=" + std::string(value);
}

std::string LanguageLinks(std::string_view path, std::string_view extra, std::string_view current) {
  std::string out;
  for (std::string_view language : content::kLanguages) {
    const std::string href = std::string(path) + "?" + std::string(extra) + Query("lang", language);
    out += "<li><a href=\"" + EscapeHtml(href) + "\" lang=\"" + std::string(language) +
           "\" hreflang=\"" + std::string(language) + "\"" +
           (language == current ? " aria-current=\"true\"" : "") + ">" +
           EscapeHtml(content::WordsFor(language).name) + "</a></li>";
  }
  return out;
}

boost::json::object SelfCheckJson(const content::SelfCheck& check, std::string_view language) {
  boost::json::array questions;
  for (const content::SelfCheckQuestion& question : check.questions) {
    questions.push_back(boost::json::object{
        {"id", question.id}, {"text", question.text}, {"weight", question.weight}});
  }
  boost::json::array results;
  for (const content::SelfCheckResult& result : check.results) {
    results.push_back(boost::json::object{
        {"min_score", result.min_score}, {"heading", result.heading}, {"text", result.text}});
  }
  return boost::json::object{
      {"language", language},
      {"dir", content::IsRightToLeft(language) ? "rtl" : "ltr"},
      {"title", check.title},
      {"intro", check.intro},
      {"answers",
       boost::json::object{{"yes", check.yes}, {"sometimes", check.sometimes}, {"no", check.no}}},
      {"questions", std::move(questions)},
      {"results", std::move(results)}};
}

boost::json::object VersionJson(const store::ContentVersion& version) {
  return boost::json::object{{"version", version.version},
                             {"author_id", version.author_id},
                             {"created_at", version.created_at}};
}

}  // namespace

core::Result<Response> ContentApi::InfoPage(const Request& request) {
  const std::string& slug = request.params.at(0);
  if (!content::IsPageSlug(slug)) return core::Fail(core::Errc::not_found, "no such page");
  // The reader's language; the page's own is Dutch when it has no text in theirs.
  const std::string_view reader =
      content::PreferredLanguage(AskedLanguage(request.query), request.accept_language);
  std::string_view language = reader;
  core::Result<SavedPages> newest = NewestSaved(store_);
  if (!newest) {
    // The text built into the binary still serves: a visitor reading how to leave safely must
    // not meet an error while the database is away.
    core::Log(core::LogLevel::warn, "content.saved_pages_unread",
              {{"code", core::ErrcName(newest.error().code)}});
  }
  const SavedPages saved = newest ? std::move(*newest) : SavedPages{};
  std::optional<content::RenderedPage> page = RenderedIn(saved, slug, language, reader);
  if (!page) {
    language = content::kDefaultLanguage;
    page = RenderedIn(saved, slug, language, reader);
  }
  if (!page) return core::Fail(core::Errc::internal, "the page has no text");
  const content::SiteWords& words = content::WordsFor(language);

  std::string others;
  for (std::string_view other : content::kPageSlugs) {
    if (other == slug) continue;
    std::optional<content::RenderedPage> linked = RenderedIn(saved, other, reader);
    if (!linked) linked = RenderedIn(saved, other, content::kDefaultLanguage);
    if (!linked) continue;
    others += "<li><a href=\"/info/" + std::string(other) + "?" + Query("lang", reader) + "\">" +
              EscapeHtml(linked->title) + "</a></li>";
  }
  const std::string self_check_href =
      std::string(slug == "worried" ? "/self-check?for=other&" : "/self-check?") +
      Query("lang", reader);
  Response response;
  response.content_type = "text/html; charset=utf-8";
  response.body =
      content::FillFrame(frame_, {{"lang", std::string(language)},
                                  {"dir", content::IsRightToLeft(language) ? "rtl" : "ltr"},
                                  {"title", EscapeHtml(page->title)},
                                  {"body", page->html},
                                  {"exit", EscapeHtml(words.exit)},
                                  {"exit_hint", EscapeHtml(words.exit_hint)},
                                  {"languages", EscapeHtml(words.languages)},
                                  {"language_links", LanguageLinks("/info/" + slug, "", language)},
                                  {"start", EscapeHtml(words.start)},
                                  {"start_href", "/?" + Query("lang", reader)},
                                  {"self_check", EscapeHtml(words.self_check)},
                                  {"self_check_href", EscapeHtml(self_check_href)},
                                  {"more", EscapeHtml(words.more)},
                                  {"page_links", others}});
  return response;
}

core::Result<Response> ContentApi::SelfCheck(const Request& request) {
  UITWEG_TRY_ASSIGN(const auto params, QueryParams(request.query, {"lang", "for"}));
  const auto audience_param = params.find("for");
  const std::string audience = audience_param == params.end() ? "self" : audience_param->second;
  if (!content::IsAudience(audience)) {
    return core::Fail(core::Errc::invalid_argument, "for is self or other");
  }
  const auto asked = params.find("lang");
  std::string_view language = content::PreferredLanguage(
      asked == params.end() ? std::string_view() : std::string_view(asked->second),
      request.accept_language);
  std::optional<std::string_view> text = content::BuiltInSelfCheck(audience, language);
  if (!text) {
    language = content::kDefaultLanguage;
    text = content::BuiltInSelfCheck(audience, language);
  }
  if (!text) return core::Fail(core::Errc::internal, "the self-check has no text");
  UITWEG_TRY_ASSIGN(const content::SelfCheck check, content::ParseSelfCheck(*text));
  return JsonResponse(200, SelfCheckJson(check, language));
}

core::Result<Response> ContentApi::Pages(const Request& request) {
  UITWEG_TRY(auth_.Check(request));
  UITWEG_TRY_ASSIGN(const SavedPages saved, NewestSaved(store_));
  boost::json::array pages;
  for (std::string_view slug : content::kPageSlugs) {
    for (std::string_view language : content::kLanguages) {
      boost::json::object item{{"slug", slug}, {"language", language}};
      const std::optional<content::RenderedPage> page = RenderedIn(saved, slug, language);
      item["title"] = page ? boost::json::value(page->title) : boost::json::value(nullptr);
      auto found = saved.find(std::make_pair(std::string(slug), std::string(language)));
      item["newest"] = found == saved.end() ? boost::json::value(nullptr)
                                            : boost::json::value(VersionJson(found->second));
      pages.push_back(std::move(item));
    }
  }
  return JsonResponse(200, boost::json::object{{"pages", std::move(pages)}});
}

core::Result<Response> ContentApi::Page(const Request& request) {
  UITWEG_TRY(auth_.Check(request));
  const std::string& slug = request.params.at(0);
  const std::string& language = request.params.at(1);
  UITWEG_TRY(CheckSlugAndLanguage(slug, language));
  UITWEG_TRY_ASSIGN(const auto params, QueryParams(request.query, {"version", "built_in"}));
  std::int64_t version = 0;
  if (auto asked = params.find("version"); asked != params.end()) {
    UITWEG_TRY_ASSIGN(version, QueryNumber("version", asked->second));
  }
  // The text that ships with Uitweg, to restore it after versions were saved over it.
  const auto built_in_asked = params.find("built_in");
  const bool built_in = built_in_asked != params.end() && built_in_asked->second == "1";
  if (built_in && version != 0) {
    return core::Fail(core::Errc::invalid_argument, "ask for a version or for the built-in text");
  }
  const std::optional<std::string_view> shipped = content::BuiltInPage(slug, language);
  if (built_in && !shipped) {
    return core::Fail(core::Errc::not_found, "this page has no built-in text");
  }
  UITWEG_TRY_ASSIGN(const auto history, store_.ListContentVersions(slug, language));
  std::optional<store::ContentVersion> chosen;
  if (!built_in) {
    UITWEG_TRY_ASSIGN(chosen, store_.ReadContentVersion(slug, language, version));
  }
  if (version != 0 && !chosen) return core::Fail(core::Errc::not_found, "no such version");
  boost::json::object out{{"slug", slug}, {"language", language}};
  out["newest_version"] = history.empty() ? 0 : history.front().version;
  if (chosen) {
    out["version"] = chosen->version;
    out["body"] = chosen->body;
  } else {
    out["version"] = 0;
    out["body"] = shipped.value_or(std::string_view());
  }
  boost::json::array versions;
  for (const store::ContentVersion& item : history) versions.push_back(VersionJson(item));
  out["versions"] = std::move(versions);
  out["built_in"] = shipped.has_value();
  return JsonResponse(200, out);
}

core::Result<Response> ContentApi::Save(const Request& request) {
  UITWEG_TRY_ASSIGN(const auth::Authenticated admin, auth_.CheckChange(request));
  const std::string& slug = request.params.at(0);
  const std::string& language = request.params.at(1);
  UITWEG_TRY(CheckSlugAndLanguage(slug, language));
  UITWEG_TRY_ASSIGN(const boost::json::object body, ParseObject(request.body, "the body"));
  UITWEG_TRY_ASSIGN(const std::string markdown, RequiredString(body, "body"));
  UITWEG_TRY_ASSIGN(const std::int64_t based_on, OptionalSeq(body, "based_on"));
  UITWEG_TRY_ASSIGN(const std::int64_t restored_from, OptionalSeq(body, "restored_from"));
  UITWEG_TRY(content::RenderMarkdown(markdown));
  // Named a restore only when it is one: text rewritten after opening an old version is new.
  // Read before the save, so that nothing can fail between the save and its audit entry.
  std::string restores;
  if (restored_from != 0) {
    UITWEG_TRY_ASSIGN(const auto restored,
                      store_.ReadContentVersion(slug, language, restored_from));
    if (restored && restored->body == markdown) {
      restores = " (restores v" + std::to_string(restored_from) + ")";
    }
  } else if (content::BuiltInPage(slug, language) == markdown) {
    restores = " (the built-in text)";
  }
  UITWEG_TRY_ASSIGN(
      const store::ContentVersion saved,
      store_.AddContentVersion(slug, language, markdown, based_on, admin.account.id, clock_.Now()));
  const std::string detail =
      slug + "." + language + " v" + std::to_string(saved.version) + restores;
  (void)audit_.Record(auth::Actor::Staff(admin.account), auth::audit_action::content_changed, {},
                      detail);
  return JsonResponse(200, VersionJson(saved));
}

core::Result<Response> ContentApi::Preview(const Request& request) {
  UITWEG_TRY(auth_.CheckChange(request));
  UITWEG_TRY_ASSIGN(const boost::json::object body, ParseObject(request.body, "the body"));
  UITWEG_TRY_ASSIGN(const std::string markdown, RequiredString(body, "body"));
  UITWEG_TRY_ASSIGN(const content::RenderedPage page, content::RenderMarkdown(markdown));
  return JsonResponse(200, boost::json::object{{"title", page.title}, {"html", page.html}});
}

}  // namespace uitweg::api
