#include "content/markdown.hpp"

#include <gtest/gtest.h>

namespace uitweg::content {
namespace {

TEST(RenderMarkdownTest, TakesTheTitleFromTheOpeningHeadingAndRendersTheRest) {
  auto page = RenderMarkdown(
      "# What *is* it?\n\nA paragraph with a [link](/info/signals).\n\n"
      "## More\n\n- one\n- two\n");
  ASSERT_TRUE(page) << page.error().message;
  EXPECT_EQ(page->title, "What is it?");
  EXPECT_EQ(page->html,
            "<p>A paragraph with a <a href=\"/info/signals\">link</a>.</p>\n<h2>More</h2>\n"
            "<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n");
}

TEST(RenderMarkdownTest, DropsRawHtmlAndUnsafeLinkTargets) {
  auto page = RenderMarkdown(
      "# T\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1)) "
      "<b onclick=\"x\">b</b>\n");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->html.find("<script"), std::string::npos) << page->html;
  EXPECT_EQ(page->html.find("javascript:"), std::string::npos) << page->html;
  EXPECT_EQ(page->html.find("onclick"), std::string::npos) << page->html;
}

TEST(RenderMarkdownTest, RefusesWhatAPageCannotBe) {
  EXPECT_EQ(RenderMarkdown("").error().code, core::Errc::invalid_argument);
  EXPECT_EQ(RenderMarkdown("No title here\n").error().code, core::Errc::invalid_argument);
  EXPECT_EQ(RenderMarkdown("## Level two\n").error().code, core::Errc::invalid_argument);
  EXPECT_EQ(RenderMarkdown("# \n\ntext").error().code, core::Errc::invalid_argument);
  EXPECT_EQ(RenderMarkdown("# T\n\n![logo](https://example.org/x.png)\n").error().code,
            core::Errc::invalid_argument);
  EXPECT_EQ(RenderMarkdown("# T\n\n\xff\xfe").error().code, core::Errc::invalid_argument);
  EXPECT_EQ(RenderMarkdown("# T\n\n\xc0\xaf").error().code, core::Errc::invalid_argument)
      << "an overlong form is no UTF-8";
  EXPECT_EQ(RenderMarkdown("# T\n\n" + std::string(kMaxPageBytes, 'a')).error().code,
            core::Errc::invalid_argument);
}

TEST(RenderMarkdownTest, LinksToOurPagesCarryTheReadersLanguage) {
  auto page = RenderMarkdown(
      "# T\n\n[a](/info/signals) [b](/self-check?for=other) [c](/#top) [d](//elsewhere.example/x) "
      "[e](/info/safety?lang=nl) [f](https://elsewhere.example/)\n",
      "ar");
  ASSERT_TRUE(page);
  EXPECT_NE(page->html.find("href=\"/info/signals?lang=ar\""), std::string::npos) << page->html;
  EXPECT_NE(page->html.find("href=\"/self-check?for=other&amp;lang=ar\""), std::string::npos);
  EXPECT_NE(page->html.find("href=\"/?lang=ar#top\""), std::string::npos);
  EXPECT_NE(page->html.find("href=\"//elsewhere.example/x\""), std::string::npos);
  EXPECT_NE(page->html.find("href=\"/info/safety?lang=nl\""), std::string::npos);
  EXPECT_NE(page->html.find("href=\"https://elsewhere.example/\""), std::string::npos);
}

TEST(RenderMarkdownTest, KeepsArabicAndOtherScripts) {
  auto page = RenderMarkdown("# ما هو الاستغلال؟\n\nنص.\n");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->title, "ما هو الاستغلال؟");
  EXPECT_EQ(page->html, "<p>نص.</p>\n");
}

TEST(EscapeHtmlTest, EscapesTheFiveCharacters) {
  EXPECT_EQ(EscapeHtml(R"(<a href="x">'&'</a>)"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
}

}  // namespace
}  // namespace uitweg::content
