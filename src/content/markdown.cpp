#include "content/markdown.hpp"

#include <cmark.h>

#include <cstdlib>
#include <memory>

#include "core/utf8.hpp"

namespace uitweg::content {
namespace {

struct NodeDeleter {
  void operator()(cmark_node* node) const { cmark_node_free(node); }
};
using Node = std::unique_ptr<cmark_node, NodeDeleter>;

struct IterDeleter {
  void operator()(cmark_iter* iter) const { cmark_iter_free(iter); }
};

std::string TakeString(char* text) {
  std::string out = text == nullptr ? std::string() : std::string(text);
  std::free(text);
  return out;
}

// The plain text under `node`: what a heading says without its emphasis or links.
std::string PlainText(cmark_node* node) {
  std::string out;
  std::unique_ptr<cmark_iter, IterDeleter> iter(cmark_iter_new(node));
  for (cmark_event_type event = cmark_iter_next(iter.get()); event != CMARK_EVENT_DONE;
       event = cmark_iter_next(iter.get())) {
    cmark_node* current = cmark_iter_get_node(iter.get());
    if (event != CMARK_EVENT_ENTER) continue;
    const cmark_node_type type = cmark_node_get_type(current);
    if (type == CMARK_NODE_TEXT || type == CMARK_NODE_CODE) {
      out += cmark_node_get_literal(current);
    } else if (type == CMARK_NODE_SOFTBREAK || type == CMARK_NODE_LINEBREAK) {
      out += ' ';
    }
  }
  return out;
}

// "/info/signals" → "/info/signals?lang=ar"; other sites' links and ones naming a language stay.
void AddLanguageToLinks(cmark_node* root, std::string_view language) {
  std::unique_ptr<cmark_iter, IterDeleter> iter(cmark_iter_new(root));
  for (cmark_event_type event = cmark_iter_next(iter.get()); event != CMARK_EVENT_DONE;
       event = cmark_iter_next(iter.get())) {
    cmark_node* node = cmark_iter_get_node(iter.get());
    if (event != CMARK_EVENT_ENTER || cmark_node_get_type(node) != CMARK_NODE_LINK) continue;
    const char* url = cmark_node_get_url(node);
    const std::string_view target = url == nullptr ? std::string_view() : url;
    if (!target.starts_with('/') || target.starts_with("//") ||
        target.find("lang=") != std::string_view::npos) {
      continue;
    }
    const std::size_t fragment = target.find('#');
    std::string linked(target.substr(0, fragment));
    linked += (linked.find('?') == std::string::npos ? "?lang=" : "&lang=");
    linked += language;
    if (fragment != std::string_view::npos) linked += target.substr(fragment);
    cmark_node_set_url(node, linked.c_str());
  }
}

bool HasImage(cmark_node* root) {
  std::unique_ptr<cmark_iter, IterDeleter> iter(cmark_iter_new(root));
  for (cmark_event_type event = cmark_iter_next(iter.get()); event != CMARK_EVENT_DONE;
       event = cmark_iter_next(iter.get())) {
    if (event == CMARK_EVENT_ENTER &&
        cmark_node_get_type(cmark_iter_get_node(iter.get())) == CMARK_NODE_IMAGE) {
      return true;
    }
  }
  return false;
}

}  // namespace

core::Result<RenderedPage> RenderMarkdown(std::string_view markdown,
                                          std::string_view link_language) {
  if (markdown.empty()) return core::Fail(core::Errc::invalid_argument, "the page is empty");
  if (markdown.size() > kMaxPageBytes) {
    return core::Fail(core::Errc::invalid_argument, "the page is longer than 12 KB");
  }
  if (core::InvalidUtf8Offset(markdown) != markdown.size()) {
    return core::Fail(core::Errc::invalid_argument, "the page is not valid UTF-8 text");
  }
  Node root(cmark_parse_document(markdown.data(), markdown.size(), CMARK_OPT_DEFAULT));
  if (!root) return core::Fail(core::Errc::internal, "the page could not be read");
  cmark_node* first = cmark_node_first_child(root.get());
  if (first == nullptr || cmark_node_get_type(first) != CMARK_NODE_HEADING ||
      cmark_node_get_heading_level(first) != 1) {
    return core::Fail(core::Errc::invalid_argument,
                      "a page starts with its title as a level-1 heading: # Title");
  }
  if (HasImage(root.get())) {
    return core::Fail(core::Errc::invalid_argument,
                      "pages cannot show images: they would be loaded from elsewhere");
  }
  RenderedPage page;
  page.title = PlainText(first);
  if (page.title.find_first_not_of(' ') == std::string::npos) {
    return core::Fail(core::Errc::invalid_argument, "the page's title is empty");
  }
  cmark_node_unlink(first);
  cmark_node_free(first);
  if (!link_language.empty()) AddLanguageToLinks(root.get(), link_language);
  // Safe mode (the default since cmark 0.29, asked for anyway): raw HTML becomes a comment,
  // unsafe link targets are emptied.
  page.html = TakeString(cmark_render_html(root.get(), CMARK_OPT_SAFE));
  return page;
}

std::string EscapeHtml(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

}  // namespace uitweg::content
