#include "net/static_files.hpp"

#include <gtest/gtest.h>

namespace uitweg::net {
namespace {

const EmbeddedFile kFiles[] = {
    {"/assets/visitor/index.html", "<!doctype html><title>Uitweg</title>"},
    {"/assets/visitor/app.js", "export {};"},
    {"/assets/console/index.html", "<!doctype html><title>Console</title>"},
    {"/assets/vendor/uplot.css", ".u{}"},
};

TEST(StaticFilesTest, ServesAssetsByUrlPath) {
  StaticFiles files(kFiles);
  const StaticFile* file = files.Find("/assets/visitor/app.js");
  ASSERT_NE(file, nullptr);
  EXPECT_EQ(file->content, "export {};");
  EXPECT_EQ(file->content_type, "text/javascript; charset=utf-8");
  EXPECT_FALSE(file->is_page);
}

TEST(StaticFilesTest, PagesAliasTheirHtml) {
  StaticFiles files(kFiles);
  const StaticFile* root = files.Find("/");
  ASSERT_NE(root, nullptr);
  EXPECT_EQ(root->content, kFiles[0].content);
  EXPECT_TRUE(root->is_page);
  ASSERT_NE(files.Find("/console"), nullptr);
  EXPECT_EQ(files.Find("/console")->content, kFiles[2].content);
}

TEST(StaticFilesTest, MissingPageIsNotInvented) {
  StaticFiles files(kFiles);
  EXPECT_EQ(files.Find("/setup"), nullptr);
  EXPECT_EQ(files.Find("/assets/visitor/missing.js"), nullptr);
  EXPECT_EQ(files.Find("/assets/visitor/"), nullptr);
}

TEST(StaticFilesTest, EtagChangesWithContent) {
  StaticFiles files(kFiles);
  EXPECT_NE(files.Find("/assets/visitor/app.js")->etag,
            files.Find("/assets/vendor/uplot.css")->etag);
  EXPECT_EQ(files.Find("/")->etag, files.Find("/assets/visitor/index.html")->etag);
}

TEST(StaticFilesTest, AssetsAreAlsoUnderTheBuildIdWhereTheyNeverChange) {
  const EmbeddedFile files[] = {
      {"/assets/visitor/index.html", "<html>", "gz-html"},
      {"/assets/visitor/app.js", "export {};", "gz-js"},
  };
  StaticFiles catalogue(files, "abc123");
  const StaticFile* versioned = catalogue.Find("/assets/abc123/visitor/app.js");
  ASSERT_NE(versioned, nullptr);
  EXPECT_TRUE(versioned->immutable);
  EXPECT_EQ(versioned->gzipped, "gz-js");
  EXPECT_NE(versioned->gzip_etag, versioned->etag);
  EXPECT_FALSE(catalogue.Find("/assets/visitor/app.js")->immutable);
  EXPECT_EQ(catalogue.Find("/assets/abc123/visitor/index.html"), nullptr)
      << "pages are kept nowhere";
  EXPECT_EQ(catalogue.Find("/assets/other/visitor/app.js"), nullptr);
}

TEST(StaticFilesTest, AnotherBuildsIdGetsTodaysFileRevalidated) {
  const EmbeddedFile files[] = {{"/assets/visitor/app.js", "export {};", ""},
                                {"/assets/visitor/index.html", "<html>", ""}};
  StaticFiles catalogue(files, "0123456789ab");
  const StaticFile* other = catalogue.Find("/assets/ba9876543210/visitor/app.js");
  ASSERT_NE(other, nullptr);
  EXPECT_FALSE(other->immutable);
  EXPECT_EQ(other->content, "export {};");
  EXPECT_EQ(catalogue.Find("/assets/ba9876543210/visitor/index.html"), nullptr);
  EXPECT_EQ(catalogue.Find("/assets/BA9876543210/visitor/app.js"), nullptr);
  EXPECT_EQ(catalogue.Find("/assets/ba987654321/visitor/app.js"), nullptr);
}

TEST(StaticFilesTest, ContentTypesByExtension) {
  EXPECT_EQ(ContentTypeFor("/a.css"), "text/css; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("/a.svg"), "image/svg+xml");
  EXPECT_EQ(ContentTypeFor("/a.webmanifest"), "application/manifest+json");
  EXPECT_EQ(ContentTypeFor("/a.bin"), "application/octet-stream");
}

}  // namespace
}  // namespace uitweg::net
