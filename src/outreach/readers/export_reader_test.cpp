#include "outreach/readers/export_reader.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "outreach/readers/input_detect.hpp"

namespace uitweg::outreach::readers {
namespace {

struct SeenPost {
  std::string source;
  std::string chat;
  std::int64_t message_id;
  std::int64_t date_unix;
  std::string text;
  std::vector<Entity> entities;
  std::string author;
};

std::string Fixture(const std::string& name) {
  return std::string(UITWEG_OUTREACH_FIXTURES) + "/" + name;
}

struct ReadResult {
  std::vector<SeenPost> posts;
  core::Status status;
};

ReadResult ReadAll(const InputFile& file) {
  ReadResult result;
  result.status = ReadExport(file, [&](const Post& post) {
    result.posts.push_back({std::string(post.source), std::string(post.chat), post.message_id,
                            post.date_unix, post.text, post.entities, post.author});
  });
  return result;
}

ReadResult ReadFixture(const std::string& name) {
  auto file = InputFile::Open(Fixture(name));
  EXPECT_TRUE(file.has_value()) << name;
  return ReadAll(*file);
}

ReadResult ReadBytes(std::string_view bytes) {
  return ReadAll(InputFile::FromBytes("mem.json", bytes));
}

class TelegramReaderTest : public ::testing::Test {};

// The learned scorer reads who posted: a police force warning is not a recruiter.
TEST(AuthorTest, JsonAndCsvRecordsCarryTheirAuthor) {
  const ReadResult telegram = ReadBytes(
      R"({"name":"Wijk","type":"public_channel","id":1,"messages":[)"
      R"({"id":1,"type":"message","date":"2024-01-01T10:00:00","from":"Politie Zuid","text":"a"},)"
      R"({"id":2,"type":"message","date":"2024-01-01T10:00:00","text":"b"}]})");
  ASSERT_EQ(telegram.posts.size(), 2u);
  EXPECT_EQ(telegram.posts[0].author, "Politie Zuid");
  EXPECT_EQ(telegram.posts[1].author, "");
  const ReadResult csv = ReadAll(InputFile::FromBytes(
      "mem.csv", "text,author\n\"snel geld\",Snelle Jobs\nhallo,\"Bank, NL\"\n"));
  ASSERT_EQ(csv.posts.size(), 2u);
  EXPECT_EQ(csv.posts[0].author, "Snelle Jobs");
  EXPECT_EQ(csv.posts[1].author, "Bank, NL");
}

// A decoder serves batches of every kind in turn (one per scan thread): a plain text line has no
// author, whoever wrote the post the decoder read before it.
TEST(AuthorTest, APlainTextLineHasNoAuthorAfterAPostThatHad) {
  const InputFile telegram = InputFile::FromBytes(
      "mem.json",
      R"({"name":"Wijk","type":"public_channel","id":1,"messages":[)"
      R"({"id":1,"type":"message","date":"2024-01-01T10:00:00","from":"Mo","text":"a"}]})");
  const InputFile text = InputFile::FromBytes("mem.txt", "snel geld\n");
  ExportCutter cutter;
  BatchDecoder decoder;
  std::vector<std::string> authors;
  for (const InputFile* file : {&telegram, &text}) {
    ASSERT_TRUE(cutter.Cut(*file, [&](const Batch& batch) {
      EXPECT_TRUE(
          decoder.Decode(batch, [&](const Post& post) { authors.emplace_back(post.author); }));
      return true;
    }));
  }
  EXPECT_EQ(authors, (std::vector<std::string>{"Mo", ""}));
}

TEST_F(TelegramReaderTest, SingleChatExportSkipsServiceUnsupportedAndEmptyMessages) {
  ReadResult r = ReadFixture("telegram_single_chat.json");
  ASSERT_TRUE(r.status.has_value()) << r.status.error().message;
  ASSERT_EQ(r.posts.size(), 3u);
  EXPECT_EQ(r.posts[0].message_id, 102);
  EXPECT_EQ(r.posts[1].message_id, 103);
  EXPECT_EQ(r.posts[2].message_id, 105);
  for (const SeenPost& p : r.posts) {
    EXPECT_EQ(p.chat, "Bijbaantjes Rotterdam \u2728");
    EXPECT_EQ(p.source, Fixture("telegram_single_chat.json"));
  }
  EXPECT_EQ(r.posts[0].date_unix, 1709288100);
}

TEST_F(TelegramReaderTest, ArrayTextInlinesEntityTextsAndKeepsEntities) {
  ReadResult r = ReadFixture("telegram_single_chat.json");
  ASSERT_TRUE(r.status.has_value());
  ASSERT_GE(r.posts.size(), 2u);
  const SeenPost& p = r.posts[1];
  EXPECT_EQ(p.text,
            "Snel geld verdienen? Pinpas uitlenen voor 1 dag, 500 euro cash. Stuur een DM "
            "@snelcash010 of bel +31612345678\nGeen vragen.");
  ASSERT_EQ(p.entities.size(), 2u);
  EXPECT_EQ(p.entities[0].type, "mention");
  EXPECT_EQ(p.entities[0].text, "@snelcash010");
  EXPECT_EQ(p.entities[1].type, "phone");
  EXPECT_EQ(p.entities[1].text, "+31612345678");
}

TEST_F(TelegramReaderTest, HexEscapesAreAcceptedAndEscapedBackslashesKept) {
  ReadResult r = ReadFixture("telegram_single_chat.json");
  ASSERT_TRUE(r.status.has_value());
  ASSERT_EQ(r.posts.size(), 3u);
  EXPECT_EQ(r.posts[2].text, "Kaart\x0Bmenu \"vers\" binnen \\x41 geen escape");
}

TEST_F(TelegramReaderTest, FullExportReadsChatsAndLeftChatsOnly) {
  ReadResult r = ReadFixture("telegram_full_export.json");
  ASSERT_TRUE(r.status.has_value()) << r.status.error().message;
  ASSERT_EQ(r.posts.size(), 4u);
  EXPECT_EQ(r.posts[0].chat, "Haven werk 24/7");
  EXPECT_EQ(r.posts[1].chat, "Haven werk 24/7");
  EXPECT_EQ(r.posts[2].chat, "");                // saved messages have no name
  EXPECT_EQ(r.posts[3].chat, "Verlaten groep");  // name written after the messages
  EXPECT_EQ(r.posts[3].message_id, 42);
}

TEST_F(TelegramReaderTest, ChatListsCountOnlyAtTheTopLevel) {
  ReadResult r = ReadBytes(
      R"({"chats": {"list": [{"name": "a", "chats": {"list": [{"name": "b", "messages": )"
      R"([{"id": 1, "text": "genest"}]}]}, "messages": [{"id": 2, "text": "boven"}]}]}})");
  ASSERT_TRUE(r.status.has_value()) << r.status.error().message;
  ASSERT_EQ(r.posts.size(), 1u);
  EXPECT_EQ(r.posts[0].chat, "a");
  EXPECT_EQ(r.posts[0].text, "boven");
}

TEST_F(TelegramReaderTest, NumericFromIdWithoutUnixtimeFallsBackToNaiveDateAsUtc) {
  ReadResult r = ReadFixture("telegram_full_export.json");
  ASSERT_TRUE(r.status.has_value());
  ASSERT_FALSE(r.posts.empty());
  EXPECT_EQ(r.posts[0].message_id, 7);
  EXPECT_EQ(r.posts[0].date_unix, 1612325106);  // 2021-02-03T04:05:06Z
}

TEST_F(TelegramReaderTest, BankCardEntityInArrayText) {
  ReadResult r = ReadFixture("telegram_full_export.json");
  ASSERT_GE(r.posts.size(), 2u);
  ASSERT_EQ(r.posts[1].entities.size(), 1u);
  EXPECT_EQ(r.posts[1].entities[0].type, "bank_card");
  EXPECT_EQ(r.posts[1].text, "Bankkaart 5355 0000 1111 2222 kwijt? Bel de bank.");
}

TEST_F(TelegramReaderTest, TextEntitiesUsedWhenTextIsAString) {
  ReadResult r =
      ReadBytes(R"({"name":"c","messages":[{"id":1,"type":"message","date_unixtime":"5",)"
                R"("text":"bel 0612345678","text_entities":[{"type":"plain","text":"bel "},)"
                R"({"type":"phone","text":"0612345678"}]}]})");
  ASSERT_TRUE(r.status.has_value()) << r.status.error().message;
  ASSERT_EQ(r.posts.size(), 1u);
  ASSERT_EQ(r.posts[0].entities.size(), 1u);
  EXPECT_EQ(r.posts[0].entities[0].type, "phone");
  EXPECT_EQ(r.posts[0].date_unix, 5);
}

TEST_F(TelegramReaderTest, ManyMessagesSpanSeveralBatchesInOrder) {
  std::string json = "{\n \"name\": \"big\",\n \"messages\": [\n";
  const int count = 5000;
  for (int i = 1; i <= count; ++i) {
    json += "  {\"id\": " + std::to_string(i) +
            ", \"type\": \"message\", \"date_unixtime\": \"1700000000\", \"text\": \"bericht " +
            std::to_string(i) + " " + std::string(100, 'x') + "\"}";
    json += i == count ? "\n" : ",\n";
  }
  json += " ]\n}\n";
  ASSERT_GT(json.size(), 2 * kBatchBytes);
  ReadResult r = ReadBytes(json);
  ASSERT_TRUE(r.status.has_value()) << r.status.error().message;
  ASSERT_EQ(r.posts.size(), static_cast<std::size_t>(count));
  for (int i = 0; i < count; ++i) EXPECT_EQ(r.posts[i].message_id, i + 1);
}

TEST_F(TelegramReaderTest, TruncatedFileIsAnErrorWithPosition) {
  ReadResult r = ReadBytes(
      "{\n \"name\": \"t\",\n \"messages\": [\n  {\"id\": 1, \"type\": \"message\", "
      "\"text\": \"hallo\"},\n  {\"id\": 2, \"type\": \"mess");
  ASSERT_FALSE(r.status.has_value());
  EXPECT_NE(r.status.error().message.find("mem.json: line 5, column 3"), std::string::npos)
      << r.status.error().message;
  ASSERT_EQ(r.posts.size(), 1u);  // the messages before the damage are still read
  EXPECT_EQ(r.posts[0].text, "hallo");
}

TEST_F(TelegramReaderTest, FileEndingBetweenMessagesKeepsTheWholeOnes) {
  ReadResult r = ReadBytes(
      "{\"name\": \"t\", \"messages\": [\n{\"id\": 1, \"text\": \"een\"},\n"
      "{\"id\": 2, \"text\": \"twee\"},\n");
  ASSERT_FALSE(r.status.has_value());
  EXPECT_NE(r.status.error().message.find("messages array never ends"), std::string::npos)
      << r.status.error().message;
  ASSERT_EQ(r.posts.size(), 2u);
  EXPECT_EQ(r.posts[1].text, "twee");
}

TEST_F(TelegramReaderTest, BadSeparatorKeepsTheMessagesBeforeIt) {
  ReadResult r = ReadBytes(R"({"messages": [{"id": 1, "text": "een"} {"id": 2, "text": "twee"}]})");
  ASSERT_FALSE(r.status.has_value());
  EXPECT_NE(r.status.error().message.find("(byte 39): expected ',' or ']' after a message"),
            std::string::npos)
      << r.status.error().message;
  ASSERT_EQ(r.posts.size(), 1u);
}

TEST_F(TelegramReaderTest, InvalidMessageIsAnErrorNamingItsLine) {
  ReadResult r = ReadBytes(
      "{\"name\": \"t\", \"messages\": [\n{\"id\": 1, \"type\": \"message\", \"text\": \"ok\"},\n"
      "{\"id\": 2, \"type\": \"message\", \"text\": \"bad \\q escape\"}\n]}");
  ASSERT_FALSE(r.status.has_value());
  EXPECT_NE(r.status.error().message.find("line 3, column 1"), std::string::npos)
      << r.status.error().message;
}

// One message that does not parse is reported; the messages around it in its batch are read.
TEST_F(TelegramReaderTest, AnInvalidMessageCostsNoneOfItsNeighbours) {
  ReadResult r = ReadBytes(
      "{\"name\": \"t\", \"messages\": [\n{\"id\": 1, \"type\": \"message\", \"text\": \"een\"},\n"
      "{\"id\": 2, \"type\": \"message\", \"text\": \"ab\xFF\"},\n"
      "{\"id\": 3, \"type\": \"message\", \"text\": \"drie\"}\n]}");
  ASSERT_FALSE(r.status.has_value());
  EXPECT_NE(r.status.error().message.find("line 3"), std::string::npos) << r.status.error().message;
  ASSERT_EQ(r.posts.size(), 2u);
  EXPECT_EQ(r.posts[0].text, "een");
  EXPECT_EQ(r.posts[1].text, "drie");
}

TEST_F(TelegramReaderTest, InvalidUtf8IsReportedAtTheExactByte) {
  ReadResult r = ReadBytes("{\"messages\": [{\"id\": 1, \"text\": \"ab\xFF\"}]}");
  ASSERT_FALSE(r.status.has_value());
  EXPECT_NE(r.status.error().message.find("(byte 35)"), std::string::npos)
      << r.status.error().message;
}

TEST_F(TelegramReaderTest, JsonWithoutMessagesOrChatsIsNotAnExport) {
  ReadResult r = ReadBytes("{\n\"about\": \"x\",\n\"contacts\": {\"list\": []}\n}");
  ASSERT_FALSE(r.status.has_value());
  EXPECT_NE(r.status.error().message.find("not a Telegram export"), std::string::npos);
}

TEST_F(TelegramReaderTest, RootArrayOfRecords) {
  ReadResult r = ReadBytes(
      "[{\"message_id\": 3, \"date\": \"2024-01-01 00:00:00+00:00\", \"message\": \"hoi\"},\n"
      " {\"message_id\": 4, \"message\": null}]");
  ASSERT_TRUE(r.status.has_value()) << r.status.error().message;
  ASSERT_EQ(r.posts.size(), 1u);
  EXPECT_EQ(r.posts[0].message_id, 3);
  EXPECT_EQ(r.posts[0].date_unix, 1704067200);
}

class JsonLinesReaderTest : public ::testing::Test {};

TEST_F(JsonLinesReaderTest, ReadsScraperRecordsSkippingBlankAndTextlessLines) {
  ReadResult r = ReadFixture("telethon_scrape.jsonl");
  ASSERT_TRUE(r.status.has_value()) << r.status.error().message;
  ASSERT_EQ(r.posts.size(), 3u);
  EXPECT_EQ(r.posts[0].message_id, 9001);
  EXPECT_EQ(r.posts[0].date_unix, 1715076000);
  EXPECT_EQ(r.posts[0].text, "Rekening verhuren? Snelle cash, DM me");
  EXPECT_EQ(r.posts[1].chat, "Buurtapp Zuid");
  EXPECT_EQ(r.posts[1].date_unix, 1715076000);
  EXPECT_EQ(r.posts[2].message_id, 9004);
  EXPECT_EQ(r.posts[2].text, "Zie t.me/geldflips");
  ASSERT_EQ(r.posts[2].entities.size(), 1u);
  EXPECT_EQ(r.posts[2].entities[0].type, "link");
}

TEST_F(JsonLinesReaderTest, BadLineIsAnErrorNamingTheLine) {
  ReadResult r = ReadBytes("{\"message\": \"een\"}\n{\"message\": \"twee\"}\n{\"message\": tr\n");
  ASSERT_FALSE(r.status.has_value());
  EXPECT_NE(r.status.error().message.find("line 3, column 1"), std::string::npos)
      << r.status.error().message;
  EXPECT_EQ(r.posts.size(), 2u);
}

TEST_F(JsonLinesReaderTest, ALineThatDoesNotParseCostsNoneOfTheLinesAfterIt) {
  ReadResult r =
      ReadBytes("{\"message\": \"een\"}\n{\"message\": tr\n[1]\n{\"message\": \"vier\"}\n");
  ASSERT_FALSE(r.status.has_value());
  EXPECT_NE(r.status.error().message.find("line 2, column 1"), std::string::npos)
      << r.status.error().message;
  ASSERT_EQ(r.posts.size(), 2u);
  EXPECT_EQ(r.posts[1].text, "vier");
  EXPECT_EQ(r.posts[1].message_id, 4);
}

TEST_F(JsonLinesReaderTest, OutOfRangeNumbersAreIgnored) {
  ReadResult r = ReadBytes("{\"id\": 1e300, \"date\": -1e300, \"text\": \"een\"}\n");
  ASSERT_TRUE(r.status.has_value());
  ASSERT_EQ(r.posts.size(), 1u);
  EXPECT_EQ(r.posts[0].message_id, 1);
  EXPECT_EQ(r.posts[0].date_unix, 0);
}

// A date whose milliseconds would not fit (or that the console could not show) is no date.
TEST_F(JsonLinesReaderTest, DatesPastTheYear9999AreNoDate) {
  ReadResult r = ReadBytes(
      "{\"date_unixtime\": 9223372036854775807, \"text\": \"een\"}\n"
      "{\"date_unixtime\": 18446744073709551615, \"text\": \"twee\"}\n"
      "{\"date\": 253402300800, \"text\": \"drie\"}\n"
      "{\"date\": \"999999999999\", \"text\": \"vier\"}\n"
      "{\"date\": \"1900-01-01\", \"text\": \"vijf\"}\n"
      "{\"date\": \"9999-12-31T23:59:59-10:00\", \"text\": \"zes\"}\n"
      "{\"date_unixtime\": 1715076000, \"text\": \"zeven\"}\n");
  ASSERT_TRUE(r.status.has_value()) << r.status.error().message;
  ASSERT_EQ(r.posts.size(), 7u);
  for (int i = 0; i < 6; ++i) EXPECT_EQ(r.posts[i].date_unix, 0) << i;
  EXPECT_EQ(r.posts[6].date_unix, 1715076000);
}

TEST_F(JsonLinesReaderTest, ByteOrderMarkAndCrLf) {
  ReadResult r = ReadBytes("\xEF\xBB\xBF{\"message\": \"een\"}\r\n{\"message\": \"twee\"}\r\n");
  ASSERT_TRUE(r.status.has_value()) << r.status.error().message;
  ASSERT_EQ(r.posts.size(), 2u);
  EXPECT_EQ(r.posts[1].text, "twee");
  EXPECT_EQ(r.posts[1].message_id, 2);
}

TEST_F(JsonLinesReaderTest, MissingIdFallsBackToLineNumber) {
  ReadResult r = ReadBytes("{\"text\": \"een\"}\n\n{\"text\": \"twee\"}\n");
  ASSERT_TRUE(r.status.has_value());
  ASSERT_EQ(r.posts.size(), 2u);
  EXPECT_EQ(r.posts[0].message_id, 1);
  EXPECT_EQ(r.posts[1].message_id, 3);
}

class CsvReaderTest : public ::testing::Test {};

TEST_F(CsvReaderTest, QuotedNewlinesAndDoubledQuotes) {
  ReadResult r = ReadFixture("telethon_scrape.csv");
  ASSERT_TRUE(r.status.has_value()) << r.status.error().message;
  ASSERT_EQ(r.posts.size(), 3u);
  EXPECT_EQ(r.posts[0].message_id, 5001);
  EXPECT_EQ(r.posts[0].text,
            "Werk aangeboden:\npakketje wegbrengen, 200 per rit.\nStuur \"pv\" voor info");
  EXPECT_EQ(r.posts[0].date_unix, 1714979289);
  EXPECT_EQ(r.posts[1].message_id, 5002);
  EXPECT_EQ(r.posts[1].text, "Iemand zin in de bios vanavond?");
  EXPECT_EQ(r.posts[1].date_unix, 1714975200);
  EXPECT_EQ(r.posts[2].message_id, 5004);
  EXPECT_EQ(r.posts[2].text, "laatste regel, met komma");
  EXPECT_EQ(r.posts[2].date_unix, 0);
}

TEST_F(CsvReaderTest, SemicolonDelimiterAndLineNumbersWithoutIdColumn) {
  ReadResult r = ReadBytes("datum;tekst;x\n2024-01-01;\"a\nb\";1\n2024-01-02;c;2\n");
  ASSERT_TRUE(r.status.has_value());
  ASSERT_EQ(r.posts.size(), 2u);
  EXPECT_EQ(r.posts[0].text, "a\nb");
  EXPECT_EQ(r.posts[0].message_id, 2);
  EXPECT_EQ(r.posts[1].message_id, 4);
}

TEST_F(CsvReaderTest, IdThatIsNotASmallNumberFallsBackToTheLineNumber) {
  ReadResult r = ReadBytes("id,message\n33333333333333333333333,een\n-4,twee\n12,drie\n");
  ASSERT_TRUE(r.status.has_value());
  ASSERT_EQ(r.posts.size(), 3u);
  EXPECT_EQ(r.posts[0].message_id, 2);
  EXPECT_EQ(r.posts[1].message_id, 3);
  EXPECT_EQ(r.posts[2].message_id, 12);
}

TEST_F(CsvReaderTest, ByteOrderMarkQuotedHeaderAndCrLf) {
  ReadResult r =
      ReadBytes("\xEF\xBB\xBF\"Message_ID\",\"Message\"\r\n1,\"een\r\ntwee\"\r\n2,drie\r\n");
  ASSERT_TRUE(r.status.has_value());
  ASSERT_EQ(r.posts.size(), 2u);
  EXPECT_EQ(r.posts[0].text, "een\r\ntwee");
  EXPECT_EQ(r.posts[1].text, "drie");
  EXPECT_EQ(r.posts[1].message_id, 2);
}

TEST_F(CsvReaderTest, UnterminatedQuoteIsAnErrorAtTheQuote) {
  ReadResult r = ReadBytes("id,message\n1,ok\n2,\"never closed\n3,x\n");
  ASSERT_FALSE(r.status.has_value());
  EXPECT_NE(r.status.error().message.find("line 3, column 3"), std::string::npos)
      << r.status.error().message;
  // The rows before it are whole and read.
  ASSERT_EQ(r.posts.size(), 1u);
  EXPECT_EQ(r.posts[0].text, "ok");
}

TEST_F(CsvReaderTest, RowsAcrossManyBatches) {
  std::string csv = "id,text\n";
  const int count = 20000;
  for (int i = 1; i <= count; ++i) {
    csv +=
        std::to_string(i) + ",\"regel " + std::to_string(i) + "\n" + std::string(20, 'y') + "\"\n";
  }
  ASSERT_GT(csv.size(), 2 * kBatchBytes);
  ReadResult r = ReadBytes(csv);
  ASSERT_TRUE(r.status.has_value());
  ASSERT_EQ(r.posts.size(), static_cast<std::size_t>(count));
  EXPECT_EQ(r.posts.back().message_id, count);
}

class TextReaderTest : public ::testing::Test {};

TEST_F(TextReaderTest, OnePostPerNonBlankLineNumberedByLine) {
  ReadResult r = ReadFixture("posts.txt");
  ASSERT_TRUE(r.status.has_value());
  ASSERT_EQ(r.posts.size(), 3u);
  EXPECT_EQ(r.posts[0].text, "Eerste regel met snel geld");
  EXPECT_EQ(r.posts[0].message_id, 1);
  EXPECT_EQ(r.posts[1].text, "Tweede regel zonder iets");
  EXPECT_EQ(r.posts[1].message_id, 4);
  EXPECT_EQ(r.posts[2].text, "derde regel, laatste zonder newline");
  EXPECT_EQ(r.posts[2].message_id, 5);
}

TEST_F(TextReaderTest, LineNumbersContinueAcrossBatches) {
  std::string text;
  const int count = 30000;
  for (int i = 1; i <= count; ++i) text += "regel " + std::to_string(i) + " met wat tekst\n";
  ASSERT_GT(text.size(), 2 * kBatchBytes);
  ReadResult r = ReadAll(InputFile::FromBytes("mem.txt", text));
  ASSERT_EQ(r.posts.size(), static_cast<std::size_t>(count));
  for (int i = 0; i < count; ++i) {
    ASSERT_EQ(r.posts[i].message_id, i + 1);
    ASSERT_EQ(r.posts[i].text, "regel " + std::to_string(i + 1) + " met wat tekst");
  }
}

// One record of gigabytes (a zip of a few megabytes holds one) would be copied whole, several
// times, by the thread that reads it: the node's memory and the chat with it would go. Such a
// record is passed over and named; its neighbours are read.
TEST(LongRecordTest, ARecordOverOneMebibyteIsPassedOverAndNamedInEveryKind) {
  const std::string huge(2 * 1024 * 1024, 'x');
  const std::string just_over(1100 * 1024, 'x');
  const struct {
    const char* kind;
    std::string bytes;
    const char* where;
  } cases[] = {
      {"telegram",
       R"({"name":"Wijk","messages":[{"id":1,"type":"message","text":"kort"},)"
       R"({"id":2,"type":"message","text":")" +
           huge + R"("},{"id":3,"type":"message","text":"ook kort"}]})",
       "this message is longer than 1 MiB"},
      {"telegram, a little over",
       R"({"name":"Wijk","messages":[{"id":1,"type":"message","text":"kort"},)"
       R"({"id":2,"type":"message","text":")" +
           just_over + R"("},{"id":3,"type":"message","text":"ook kort"}]})",
       "this message is longer than 1 MiB"},
      {"json lines",
       "{\"text\": \"kort\"}\n{\"text\": \"" + huge + "\"}\n{\"text\": \"ook kort\"}\n",
       "line 2, column 1 (byte 17): this line is longer than 1 MiB"},
      {"csv", "id,text\n1,kort\n2," + huge + "\n3,ook kort\n",
       "line 3, column 1 (byte 15): this row is longer than 1 MiB"},
      {"text", "kort\n" + huge + "\nook kort\n",
       "line 2, column 1 (byte 5): this line is longer than 1 MiB"},
  };
  for (const auto& c : cases) {
    const ReadResult r = ReadBytes(c.bytes);
    ASSERT_EQ(r.posts.size(), 2u) << c.kind;
    EXPECT_EQ(r.posts[0].text, "kort") << c.kind;
    EXPECT_EQ(r.posts[1].text, "ook kort") << c.kind;
    ASSERT_FALSE(r.status.has_value()) << c.kind;
    EXPECT_NE(r.status.error().message.find(c.where), std::string::npos)
        << c.kind << ": " << r.status.error().message;
  }
}

// A first line of gigabytes is not split into names to see whether it is a CSV header.
TEST(LongRecordTest, AFirstLineTooLongForAHeaderIsText) {
  std::string first = "text";
  while (first.size() < 100 * 1024) first += ",a";
  EXPECT_FALSE(DetectCsvHeader(first + "\nhallo\n"));
  EXPECT_TRUE(DetectCsvHeader("text,a,a,a\nhallo\n"));
}

struct DetectCase {
  const char* bytes;
  InputKind kind;
};

class InputDetectTest : public ::testing::TestWithParam<DetectCase> {};

TEST_P(InputDetectTest, KindFollowsContent) {
  const DetectCase& c = GetParam();
  InputFile file = InputFile::FromBytes("x", c.bytes);
  EXPECT_EQ(DetectInput(file.bytes()).kind, c.kind) << c.bytes;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, InputDetectTest,
    ::testing::Values(
        DetectCase{"{\n \"name\": \"x\",\n \"messages\": []\n}", InputKind::telegram_json},
        DetectCase{"\xEF\xBB\xBF  {\"name\":\"x\",\"messages\":[]}", InputKind::telegram_json},
        DetectCase{"{\"about\":\"a\",\"chats\":{\"list\":[]}}\n", InputKind::telegram_json},
        DetectCase{"[{\"message\": \"x\"}]", InputKind::telegram_json},
        DetectCase{"{\"message\": \"x\"}\n{\"message\": \"y\"}\n", InputKind::json_lines},
        DetectCase{"{\"message\": \"x\"}", InputKind::json_lines},
        DetectCase{"message_id,date,message\n1,2,3\n", InputKind::csv},
        DetectCase{"Message_ID;Text\n", InputKind::csv},
        DetectCase{"id\ttext\n1\thoi\n", InputKind::csv},
        DetectCase{"Hallo allemaal, wie heeft er tekst?\n", InputKind::plain_text},
        DetectCase{"just text\n", InputKind::plain_text}, DetectCase{"", InputKind::plain_text}));

}  // namespace
}  // namespace uitweg::outreach::readers
