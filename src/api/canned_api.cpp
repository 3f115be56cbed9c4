#include "api/canned_api.hpp"

#include <boost/json/array.hpp>

#include <algorithm>
#include <limits>

#include "api/json_fields.hpp"
#include "chat/conversations.hpp"
#include "chat/text_rules.hpp"
#include "core/utf8.hpp"

namespace uitweg::api {
namespace {

core::Error Invalid(std::string message) {
  return core::Fail(core::Errc::invalid_argument, std::move(message));
}

bool IsTagChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
}

// A bidi embedding, override or isolate, or a character that is not drawn at all: in a text
// every counsellor sends, it would show visitors something other than what the library shows.
// Soft hyphens, joiners (Persian needs them) and direction marks are text, and pass.
bool HidesOrReorders(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    char32_t c = 0;
    const std::size_t length = core::DecodeUtf8(text.substr(i), c);
    if (length == 0) return true;
    if ((c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) || c == 0x200B ||
        c == 0x2060 || c == 0xFEFF) {
      return true;
    }
    i += length;
  }
  return false;
}

// The response a request body describes, checked: a title of 1..100 characters, a body as a
// message's, language nl or en, at most 10 tags of 1..30 of [a-z0-9-] (lowercased first).
core::Result<model::CannedResponse> CannedFrom(const boost::json::object& body) {
  model::CannedResponse canned;
  UITWEG_TRY_ASSIGN(const std::string title, RequiredString(body, "title"));
  canned.title = std::string(chat::TrimSpace(title));
  if (canned.title.empty() || !chat::FitsLine(canned.title, model::kMaxCannedTitleChars)) {
    return Invalid("title must be 1 to 100 characters of text");
  }
  UITWEG_TRY_ASSIGN(const std::string text_body, RequiredString(body, "body"));
  UITWEG_TRY_ASSIGN(canned.body, chat::CleanBody(text_body));
  if (HidesOrReorders(canned.body)) {
    return Invalid("the text holds a direction override or an invisible character");
  }
  UITWEG_TRY_ASSIGN(canned.language, RequiredString(body, "language"));
  if (canned.language != "nl" && canned.language != "en") {
    return Invalid("language must be \"nl\" or \"en\"");
  }
  if (const boost::json::value* tags = body.if_contains("tags"); tags != nullptr) {
    if (!tags->is_array()) return Invalid("tags must be a list of words");
    for (const boost::json::value& tag : tags->as_array()) {
      if (!tag.is_string()) return Invalid("tags must be a list of words");
      std::string word(tag.as_string());
      for (char& c : word) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      }
      if (word.empty() || word.size() > 30 || !std::all_of(word.begin(), word.end(), IsTagChar)) {
        return Invalid("a tag is 1 to 30 of a-z, 0-9 and -");
      }
      if (std::find(canned.tags.begin(), canned.tags.end(), word) == canned.tags.end()) {
        canned.tags.push_back(std::move(word));
      }
    }
    if (canned.tags.size() > model::kMaxCannedTags) return Invalid("at most 10 tags");
  }
  return canned;
}

boost::json::object CannedJson(const model::CannedResponse& canned) {
  boost::json::object out;
  out["id"] = canned.id;
  out["title"] = canned.title;
  out["body"] = canned.body;
  out["language"] = canned.language;
  boost::json::array tags;
  for (const std::string& tag : canned.tags) tags.emplace_back(tag);
  out["tags"] = std::move(tags);
  out["updated_at"] = canned.updated_at;
  return out;
}

Response One(unsigned status, const model::CannedResponse& canned) {
  boost::json::object out;
  out["response"] = CannedJson(canned);
  return JsonResponse(status, out);
}

}  // namespace

core::Result<Response> CannedApi::List(const Request& request) {
  UITWEG_TRY(auth_.Check(request));
  UITWEG_TRY_ASSIGN(const auto library, store_.ListCanned());
  boost::json::array responses;
  for (const model::CannedResponse& canned : library) responses.push_back(CannedJson(canned));
  boost::json::object out;
  out["responses"] = std::move(responses);
  return JsonResponse(200, out);
}

core::Result<Response> CannedApi::Create(const Request& request) {
  UITWEG_TRY_ASSIGN(const auth::Authenticated supervisor, auth_.CheckChange(request));
  UITWEG_TRY_ASSIGN(const boost::json::object body, ParseObject(request.body, "the body"));
  UITWEG_TRY_ASSIGN(model::CannedResponse canned, CannedFrom(body));
  canned.updated_at = clock_.Now();
  UITWEG_TRY_ASSIGN(const model::CannedResponse created, store_.CreateCanned(canned));
  (void)audit_.Record(auth::Actor::Staff(supervisor.account), auth::audit_action::canned_changed,
                      {}, "created " + std::to_string(created.id));
  return One(201, created);
}

core::Result<Response> CannedApi::Update(const Request& request) {
  UITWEG_TRY_ASSIGN(const auth::Authenticated supervisor, auth_.CheckChange(request));
  UITWEG_TRY_ASSIGN(const std::int64_t id, PathId(request, 0, "canned response"));
  UITWEG_TRY_ASSIGN(const boost::json::object body, ParseObject(request.body, "the body"));
  UITWEG_TRY_ASSIGN(model::CannedResponse canned, CannedFrom(body));
  // The console says which version it changed (its updated_at): two supervisors editing one
  // response must not lose the first one's change without a word. A script may leave it out.
  std::optional<core::UnixMillis> based_on;
  if (body.contains("based_on")) {
    UITWEG_TRY_ASSIGN(based_on, OptionalSeq(body, "based_on"));
    // A version is a time in milliseconds; the one after it must be one too.
    if (based_on && *based_on == std::numeric_limits<core::UnixMillis>::max()) {
      return core::Fail(core::Errc::invalid_argument, "based_on is not a version of this response");
    }
  }
  canned.id = id;
  // Later than the version it replaces, even within its millisecond.
  canned.updated_at = std::max(clock_.Now(), based_on.value_or(0) + 1);
  UITWEG_TRY(store_.UpdateCanned(canned, based_on));
  (void)audit_.Record(auth::Actor::Staff(supervisor.account), auth::audit_action::canned_changed,
                      {}, "updated " + std::to_string(id));
  return One(200, canned);
}

core::Result<Response> CannedApi::Delete(const Request& request) {
  UITWEG_TRY_ASSIGN(const auth::Authenticated supervisor, auth_.CheckChange(request));
  UITWEG_TRY_ASSIGN(const std::int64_t id, PathId(request, 0, "canned response"));
  UITWEG_TRY(store_.DeleteCanned(id));
  (void)audit_.Record(auth::Actor::Staff(supervisor.account), auth::audit_action::canned_changed,
                      {}, "deleted " + std::to_string(id));
  return Response{204, {}, {}};
}

}  // namespace uitweg::api
