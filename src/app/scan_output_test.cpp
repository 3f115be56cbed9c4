#include "app/scan_output.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <sstream>

namespace uitweg::app {
namespace {

using outreach::FlaggedPost;
using outreach::Match;
using outreach::ScanReport;

TextSink Into(std::string& out) {
  return [&out](std::string_view piece) { out.append(piece); };
}

FlaggedPost MakePost(std::string text, std::vector<std::string> matched) {
  FlaggedPost post;
  post.source = "export.json";
  post.chat = "Groep \"Zuid\"";
  post.message_id = 7;
  post.date_unix = 1709290933;
  post.text = std::move(text);
  post.finding.score = 9.5;
  post.finding.categories = {"money_mule", "contact"};
  for (std::string& m : matched) {
    post.finding.matches.push_back(Match{"term", "money_mule", std::move(m), 1});
  }
  post.cluster = 1;
  return post;
}

TEST(ScanOutputTest, SnippetMarksEveryOccurrenceAndFlattensLines) {
  FlaggedPost post = MakePost("Pinpas uitlenen?\nJa, pinpas uitlenen.", {"Pinpas uitlenen"});
  post.finding.matches.push_back(Match{"t", "c", "pinpas uitlenen", 1});
  EXPECT_EQ(Snippet(post, 100, "[", "]"), "[Pinpas uitlenen]? Ja, [pinpas uitlenen].");
}

TEST(ScanOutputTest, SnippetStartsNearTheFirstMatchAndCutsWholeCharacters) {
  std::string text;
  for (int i = 0; i < 40; ++i) text += "één ";
  text += "geldezel";
  for (int i = 0; i < 40; ++i) text += " ééé";
  const std::string snippet = Snippet(MakePost(text, {"geldezel"}), 20, "<", ">");
  EXPECT_EQ(snippet.rfind("…", 0), 0u);
  EXPECT_NE(snippet.find("<geldezel>"), std::string::npos);
  EXPECT_EQ(snippet.substr(snippet.size() - 3), "…");
  // Cut on character boundaries: "é" is two bytes, and a cut through one leaves a lone byte.
  for (std::size_t i = 0; i < snippet.size(); ++i) {
    const auto c = static_cast<unsigned char>(snippet[i]);
    if (c == 0xC3) {
      ASSERT_LT(i + 1, snippet.size());
      EXPECT_EQ(static_cast<unsigned char>(snippet[i + 1]) & 0xC0, 0x80);
    } else if ((c & 0xC0) == 0x80) {
      ASSERT_GT(i, 0u);
      const auto before = static_cast<unsigned char>(snippet[i - 1]);
      EXPECT_TRUE(before == 0xC3 || before == 0xE2 || (before & 0xC0) == 0x80);
    }
  }
}

TEST(ScanOutputTest, JsonlEscapesControlsAndRepairsInvalidUtf8) {
  ScanReport report;
  report.flagged.push_back(MakePost("a\x0B\"b\"\n\xFF end", {"a"}));
  report.clusters = 1;
  std::string out;
  WriteJsonl(report, Into(out));
  ASSERT_EQ(out.back(), '\n');
  boost::json::object post = boost::json::parse(out).as_object();
  EXPECT_EQ(post.at("text").as_string(), "a\x0B\"b\"\n\xEF\xBF\xBD end");
  EXPECT_EQ(post.at("chat").as_string(), "Groep \"Zuid\"");
  EXPECT_EQ(post.at("date").as_string(), "2024-03-01T11:02:13Z");
  EXPECT_EQ(post.at("message_id").as_int64(), 7);
  EXPECT_EQ(post.at("categories").as_array().size(), 2u);
}

TEST(ScanOutputTest, JsonlWritesNullForAnUnknownDate) {
  ScanReport report;
  report.flagged.push_back(MakePost("x", {}));
  report.flagged.back().date_unix = 0;
  std::string out;
  WriteJsonl(report, Into(out));
  EXPECT_TRUE(boost::json::parse(out).as_object().at("date").is_null());
}

TEST(ScanOutputTest, CsvQuotesFieldsAndDoublesQuotes) {
  ScanReport report;
  report.flagged.push_back(MakePost("zeg \"hoi\",\nok", {"hoi"}));
  report.flagged.back().author = "Snelle, Jobs";
  report.flagged.back().finding.lexicon_score = 7.5;
  report.flagged.back().finding.model_score = 2;
  report.flagged.back().finding.model_words = {{"hoi", 1.25}, {"zeg", 0.5}};
  report.clusters = 1;
  report.cluster_channels = {{"Groep \"Zuid\""}};
  std::string out;
  WriteCsv(report, Into(out));
  EXPECT_EQ(
      out,
      "source,chat,author,message_id,date,score,lexicon_score,model_score,model_words,"
      "categories,matches,cluster,cluster_channels,text\n"
      "\"export.json\",\"Groep \"\"Zuid\"\"\",\"Snelle, Jobs\",7,2024-03-01T11:02:13Z,9.50,7.50,"
      "2.00,\"hoi:1.25;zeg:0.50\",\"money_mule;contact\",\"term=hoi\",1,1,"
      "\"zeg \"\"hoi\"\",\nok\"\n");
}

// A post or a chat name may carry escape sequences (one sets the clipboard, one clears the
// screen) or a right-to-left override that hides the words matched: the table never writes them
// to the analyst's terminal.
TEST(ScanOutputTest, TheTableWritesNothingATerminalActsOn) {
  ScanReport report;
  report.flagged.push_back(
      MakePost("pinpas \x1b]52;c;ZWNobyBoaQ==\x07uitlenen \xe2\x80\xaeneletiu \xc2\x9b"
               "2J",
               {"pinpas"}));
  report.flagged.back().chat = "Kanaal\x1b[2J\xe2\x81\xa6";
  report.clusters = 1;
  report.cluster_channels = {{"Kanaal"}};
  std::string table;
  WriteTable(report, false, Into(table));
  for (const std::string_view acting :
       {"\x1b", "\x07", "\xe2\x80\xae", "\xe2\x81\xa6", "\xc2\x9b"}) {
    EXPECT_EQ(table.find(acting), std::string::npos) << table;
  }
  EXPECT_NE(table.find("[pinpas] \uFFFD]52;c;ZWNobyBoaQ==\uFFFDuitlenen"), std::string::npos)
      << table;
}

// An analyst sees what the learned scorer added and which words moved it.
TEST(ScanOutputTest, JsonlAndTableShowTheModelsPart) {
  ScanReport report;
  report.flagged.push_back(MakePost("bankapp delen voor 500", {"bankapp"}));
  report.flagged.back().finding.lexicon_score = 2;
  report.flagged.back().finding.model_score = 3.5;
  report.flagged.back().finding.model_words = {{"bankapp", 1.75}};
  report.clusters = 1;
  report.cluster_channels = {{"a"}};
  std::string jsonl;
  WriteJsonl(report, Into(jsonl));
  const boost::json::object post = boost::json::parse(jsonl).as_object();
  EXPECT_EQ(post.at("model_score").to_number<double>(), 3.5);
  EXPECT_EQ(post.at("lexicon_score").to_number<double>(), 2);
  EXPECT_EQ(post.at("model_words").as_array()[0].as_object().at("word").as_string(), "bankapp");
  std::string table;
  WriteTable(report, false, Into(table));
  EXPECT_NE(table.find("model +3.5: bankapp"), std::string::npos) << table;
}

// Two clusters: the first spread over three channels, the second seen in two.
ScanReport TwoClusters() {
  ScanReport report;
  const char* chats[] = {"Zuid", "Noord", "Zuid", "Oost"};
  for (const char* chat : chats) {
    report.flagged.push_back(MakePost("pinpas uitlenen", {"pinpas"}));
    report.flagged.back().chat = chat;
  }
  for (const char* chat : {"Zuid", "West"}) {
    report.flagged.push_back(MakePost("rekening verhuren", {"rekening"}));
    report.flagged.back().chat = chat;
    report.flagged.back().cluster = 2;
  }
  report.clusters = 2;
  report.cluster_channels = {{"Zuid", "Noord", "Oost"}, {"Zuid", "West"}};
  return report;
}

TEST(ScanOutputTest, JsonlGivesEachPostTheChannelCountOfItsCluster) {
  std::string out;
  WriteJsonl(TwoClusters(), Into(out));
  std::vector<std::int64_t> counts;
  std::istringstream lines(out);
  for (std::string line; std::getline(lines, line);) {
    counts.push_back(boost::json::parse(line).as_object().at("cluster_channels").as_int64());
  }
  EXPECT_EQ(counts, (std::vector<std::int64_t>{3, 3, 3, 3, 2, 2}));
}

TEST(ScanOutputTest, CsvHasTheClusterChannelsColumnAfterCluster) {
  std::string out;
  WriteCsv(TwoClusters(), Into(out));
  EXPECT_NE(out.find(",\"term=pinpas\",1,3,\"pinpas uitlenen\"\n"), std::string::npos) << out;
  EXPECT_NE(out.find(",\"term=rekening\",2,2,\"rekening verhuren\"\n"), std::string::npos) << out;
}

TEST(ScanOutputTest, TableMarksAClusterSpreadOverThreeChannelsAsANetwork) {
  std::string out;
  WriteTable(TwoClusters(), false, Into(out));
  const std::size_t network = out.find("network: 3 channels  [pinpas] uitlenen");
  EXPECT_NE(network, std::string::npos) << out;
  EXPECT_EQ(out.find("network: 2 channels"), std::string::npos) << out;
  // The order stays the report's: the network's row first, then the other cluster's.
  EXPECT_LT(network, out.find("[rekening] verhuren")) << out;
}

TEST(ScanOutputTest, LongOutputArrivesInPiecesThatAddUp) {
  ScanReport report;
  for (int i = 0; i < 2000; ++i) report.flagged.push_back(MakePost(std::string(200, 'x'), {}));
  std::size_t pieces = 0;
  std::string out;
  WriteJsonl(report, [&](std::string_view piece) {
    ++pieces;
    EXPECT_LT(piece.size(), std::size_t{70} << 10);
    out.append(piece);
  });
  EXPECT_GT(pieces, 1u);
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 2000);
}

TEST(ScanOutputTest, FormatNames) {
  ScanFormat format = ScanFormat::table;
  EXPECT_TRUE(ParseScanFormat("jsonl", format));
  EXPECT_EQ(format, ScanFormat::jsonl);
  EXPECT_TRUE(ParseScanFormat("csv", format));
  EXPECT_EQ(format, ScanFormat::csv);
  EXPECT_FALSE(ParseScanFormat("JSON", format));
}

}  // namespace
}  // namespace uitweg::app
