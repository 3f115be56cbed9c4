#pragma once
// Markdown for the visitor's information pages, rendered by cmark (the CommonMark reference
// implementation) in its safe mode: raw HTML is dropped and links to javascript:, data: and the
// like lose their target. Pages must load nothing from elsewhere, so images are refused, and a
// page must open with its title as a level-1 heading.
//
// Plain functions; thread-safe.

#include <cstddef>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace uitweg::content {

// Well within a request body (16 KB by default), JSON escaping and all.
inline constexpr std::size_t kMaxPageBytes = 12 * 1024;

struct RenderedPage {
  std::string title = {};  // the text of the opening "# Title", plain
  std::string html = {};   // the body after the title, as HTML fragments
};

// invalid_argument, with a message an editor can act on, when the text is empty, too long, not
// UTF-8, has no opening level-1 heading or contains an image. With `link_language`, links to
// our own pages ("/info/signals") carry it as ?lang=, so that a reader stays in their language.
core::Result<RenderedPage> RenderMarkdown(std::string_view markdown,
                                          std::string_view link_language = {});

// `text` with &, <, >, " and ' replaced by entities, for HTML text and attribute values.
std::string EscapeHtml(std::string_view text);

}  // namespace uitweg::content
