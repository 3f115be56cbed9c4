// EncryptingStore over a real SQLite store: what reaches the disk, wrong keys, shredding and
// tampering. The Store contract itself runs through EncryptingStore in store_contract_test.
#include "store/encrypting_store.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <thread>
#include <vector>

#include "crypto/random.hpp"
#include "store/sqlite/connection.hpp"

namespace uitweg::store {
namespace {

constexpr UnixMillis kT0 = 1'700'000'000'000;
constexpr const char* kNickname = "Nachtegaal-7731";
constexpr const char* kBody = "ik moet pakketjes rondbrengen voor 4242";

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

class EncryptingStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    static std::atomic<int> counter{0};
    folder_ = std::filesystem::temp_directory_path() /
              ("uitweg-encrypting-" + std::to_string(::getpid()) + "-" + std::to_string(++counter));
    std::filesystem::remove_all(folder_);
  }
  void TearDown() override { std::filesystem::remove_all(folder_); }

  std::filesystem::path DatabasePath() const { return folder_ / "uitweg.db"; }

  std::unique_ptr<Store> OpenPlain() {
    return OpenSqliteStore(SqliteOptions{.path = DatabasePath().string()}).value();
  }
  std::unique_ptr<EncryptingStore> Open(const crypto::Aead& master, std::size_t cache = 64) {
    return std::make_unique<EncryptingStore>(OpenPlain(), master, cache);
  }

  // Everything SQLite keeps on disk for the database, once every store on it is closed.
  std::string DiskBytes() const {
    std::string bytes = ReadFile(DatabasePath());
    const auto wal = DatabasePath().string() + "-wal";
    if (std::filesystem::exists(wal)) bytes += ReadFile(wal);
    return bytes;
  }

  static void StartConversation(Store& store, const std::string& id) {
    ASSERT_TRUE(store.CreateConversation(NewConversation{.id = id,
                                                         .resume_token_hash = "resume-" + id,
                                                         .subject = Subject::self,
                                                         .nickname = kNickname,
                                                         .urgency = 0,
                                                         .created_at = kT0}));
  }
  static Result<AppendedMessage> Send(Store& store, const std::string& id,
                                      const std::string& client_id, const std::string& body) {
    return store.AppendMessage(NewMessage{.conversation_id = id,
                                          .sender = Sender::visitor,
                                          .author_id = std::nullopt,
                                          .client_id = client_id,
                                          .body = body,
                                          .created_at = kT0});
  }

  std::filesystem::path folder_;
  const crypto::Aead master_ = crypto::Aead::Generate();
};

TEST_F(EncryptingStoreTest, ReadsGiveBackPlaintext) {
  auto store = Open(master_);
  StartConversation(*store, "c_1");
  const AppendedMessage sent = Send(*store, "c_1", "m1", kBody).value();
  EXPECT_FALSE(sent.duplicate);
  EXPECT_EQ(sent.message.body, kBody);
  EXPECT_EQ(store->FindConversation("c_1").value().nickname, kNickname);
  EXPECT_EQ(store->MessagesAfter("c_1", 0, 10).value().at(0).body, kBody);
  const AppendedMessage again = Send(*store, "c_1", "m1", "iets anders").value();
  EXPECT_TRUE(again.duplicate);
  EXPECT_EQ(again.message.body, kBody);
}

TEST_F(EncryptingStoreTest, InnerStoreHoldsOnlySealedBytes) {
  auto store = Open(master_);
  StartConversation(*store, "c_1");
  ASSERT_TRUE(Send(*store, "c_1", "m1", kBody));
  const Message sealed = store->Inner().MessagesAfter("c_1", 0, 10).value().at(0);
  EXPECT_EQ(sealed.body.size(), std::string_view(kBody).size() + crypto::Aead::kOverheadBytes);
  EXPECT_EQ(sealed.body.find("pakketjes"), std::string::npos);
  EXPECT_NE(store->Inner().FindConversation("c_1").value().nickname, kNickname);
  EXPECT_EQ(store->FindConversationKey("c_1").value().size(),
            crypto::Aead::kKeyBytes + crypto::Aead::kOverheadBytes);
}

TEST_F(EncryptingStoreTest, DatabaseFileHoldsNoBodyOrNickname) {
  {
    auto store = Open(master_);
    StartConversation(*store, "c_1");
    ASSERT_TRUE(Send(*store, "c_1", "m1", kBody));
  }
  const std::string disk = DiskBytes();
  ASSERT_NE(disk.find("resume-c_1"), std::string::npos) << "the file was not read";
  EXPECT_EQ(disk.find(kBody), std::string::npos);
  EXPECT_EQ(disk.find(kNickname), std::string::npos);
}

TEST_F(EncryptingStoreTest, PlainStoreWouldLeaveThemInTheFile) {
  {
    auto store = OpenPlain();
    StartConversation(*store, "c_1");
    ASSERT_TRUE(Send(*store, "c_1", "m1", kBody));
  }
  const std::string disk = DiskBytes();
  EXPECT_NE(disk.find(kBody), std::string::npos);
  EXPECT_NE(disk.find(kNickname), std::string::npos);
}

TEST_F(EncryptingStoreTest, WrongMasterKeyIsAClearError) {
  {
    auto store = Open(master_);
    StartConversation(*store, "c_1");
    ASSERT_TRUE(Send(*store, "c_1", "m1", kBody));
  }
  auto store = Open(crypto::Aead::Generate());
  const auto found = store->FindConversation("c_1");
  ASSERT_FALSE(found);
  EXPECT_EQ(found.error().code, core::Errc::failed_precondition);
  EXPECT_NE(found.error().message.find("master key"), std::string::npos) << found.error().message;
  EXPECT_EQ(store->MessagesAfter("c_1", 0, 10).error().code, core::Errc::failed_precondition);
  EXPECT_EQ(Send(*store, "c_1", "m2", "x").error().code, core::Errc::failed_precondition);
  EXPECT_EQ(store->ListWaiting().error().code, core::Errc::failed_precondition);
  // Nothing was written with the wrong key: the right one still reads everything.
  store.reset();
  EXPECT_EQ(Open(master_)->MessagesAfter("c_1", 0, 10).value().size(), 1u);
}

TEST_F(EncryptingStoreTest, VerifyMasterKeyCatchesAReplacedKey) {
  EXPECT_TRUE(Open(crypto::Aead::Generate())->VerifyMasterKey()) << "an empty database";
  {
    auto store = Open(master_);
    StartConversation(*store, "c_1");
    EXPECT_TRUE(store->VerifyMasterKey());
  }
  const auto verified = Open(crypto::Aead::Generate())->VerifyMasterKey();
  ASSERT_FALSE(verified);
  EXPECT_EQ(verified.error().code, core::Errc::failed_precondition);
  EXPECT_NE(verified.error().message.find("master key"), std::string::npos);
}

TEST_F(EncryptingStoreTest, EncryptAtRestCreatesAnOwnerOnlyKeyFileAndReusesIt) {
  const auto key_file = folder_ / "keys" / "master.key";
  {
    auto store = EncryptAtRest(OpenPlain(), "", key_file).value();
    StartConversation(*store, "c_1");
  }
  ASSERT_TRUE(std::filesystem::exists(key_file));
  EXPECT_EQ(std::filesystem::status(key_file).permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  auto store = EncryptAtRest(OpenPlain(), "", key_file).value();
  EXPECT_EQ(store->FindConversation("c_1").value().nickname, kNickname);
}

TEST_F(EncryptingStoreTest, EncryptAtRestTakesTheKeyFromTheEnvironment) {
  const std::string base64 = crypto::Base64Encode(master_.key());
  const auto key_file = folder_ / "master.key";
  {
    auto store = EncryptAtRest(OpenPlain(), base64, key_file).value();
    StartConversation(*store, "c_1");
  }
  EXPECT_FALSE(std::filesystem::exists(key_file));
  EXPECT_EQ(Open(master_)->FindConversation("c_1").value().nickname, kNickname);
  const auto malformed = EncryptAtRest(OpenPlain(), "not base64!", key_file);
  ASSERT_FALSE(malformed);
  EXPECT_EQ(malformed.error().code, core::Errc::invalid_argument);
  const auto other =
      EncryptAtRest(OpenPlain(), crypto::Base64Encode(std::string(32, 'k')), key_file);
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code, core::Errc::failed_precondition);
  EXPECT_NE(other.error().message.find("environment"), std::string::npos);
}

TEST_F(EncryptingStoreTest, EncryptAtRestRefusesToReplaceALostKeyFile) {
  const auto key_file = folder_ / "master.key";
  {
    auto store = EncryptAtRest(OpenPlain(), "", key_file).value();
    StartConversation(*store, "c_1");
  }
  std::filesystem::remove(key_file);
  const auto reopened = EncryptAtRest(OpenPlain(), "", key_file);
  ASSERT_FALSE(reopened);
  EXPECT_EQ(reopened.error().code, core::Errc::failed_precondition);
  EXPECT_NE(reopened.error().message.find(key_file.string()), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(key_file));
}

TEST_F(EncryptingStoreTest, ShreddedKeyIsGoneFromTheFile) {
  std::string wrapped;
  std::string sealed_body;
  {
    auto store = Open(master_);
    StartConversation(*store, "c_1");
    ASSERT_TRUE(Send(*store, "c_1", "m1", kBody));
    ASSERT_TRUE(store->EndConversation("c_1", Sender::visitor, kT0));
    wrapped = store->FindConversationKey("c_1").value();
    sealed_body = store->Inner().MessagesAfter("c_1", 0, 10).value().at(0).body;
  }
  ASSERT_NE(DiskBytes().find(wrapped), std::string::npos) << "the file was not read";
  {
    auto store = Open(master_);
    ASSERT_TRUE(store->ShredConversation("c_1"));
    const Message shredded = store->MessagesAfter("c_1", 0, 10).value().at(0);
    EXPECT_TRUE(shredded.body_shredded);
    EXPECT_EQ(shredded.body, "");
  }
  const std::string disk = DiskBytes();
  EXPECT_EQ(disk.find(wrapped), std::string::npos);
  EXPECT_EQ(disk.find(sealed_body), std::string::npos);
}

TEST_F(EncryptingStoreTest, ReadsStillWorkWhenKeysFallOutOfTheCache) {
  auto store = Open(master_, 1);
  for (const char* id : {"c_1", "c_2", "c_3"}) StartConversation(*store, id);
  for (int round = 0; round < 3; ++round) {
    for (const char* id : {"c_1", "c_2", "c_3"}) {
      const std::string body = std::string(id) + "/" + std::to_string(round);
      ASSERT_TRUE(Send(*store, id, std::to_string(round), body));
    }
  }
  for (const char* id : {"c_1", "c_2", "c_3"}) {
    const auto messages = store->MessagesAfter(id, 0, 10).value();
    ASSERT_EQ(messages.size(), 3u);
    EXPECT_EQ(messages[2].body, std::string(id) + "/2");
  }
  EXPECT_EQ(store->ListWaiting().value().at(2).nickname, kNickname);
}

TEST_F(EncryptingStoreTest, ReadersRacingAShredSeePlaintextOrNothing) {
  auto store = Open(master_, 1);  // every other read misses the cache
  StartConversation(*store, "c_1");
  StartConversation(*store, "c_2");
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(Send(*store, "c_1", std::to_string(i), "tekst " + std::to_string(i)));
  }
  ASSERT_TRUE(Send(*store, "c_2", "x", "ander"));
  ASSERT_TRUE(store->EndConversation("c_1", Sender::visitor, kT0));
  std::atomic<bool> stop{false};
  std::atomic<int> bad{0};
  std::atomic<int> reads{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 4; ++t) {
    readers.emplace_back([&] {
      while (!stop.load()) {
        auto messages = store->MessagesAfter("c_1", 0, 100);
        if (!messages || !store->MessagesAfter("c_2", 0, 1)) {
          ++bad;
          continue;
        }
        for (const Message& m : *messages) {
          if (m.kind != MessageKind::text) continue;
          const bool plain = !m.body_shredded && m.body == "tekst " + m.client_id;
          const bool gone = m.body_shredded && m.body.empty();
          if (!plain && !gone) ++bad;
        }
        ++reads;
      }
    });
  }
  while (reads.load() < 50) std::this_thread::yield();
  ASSERT_TRUE(store->ShredConversation("c_1"));
  const int at_shred = reads.load();
  while (reads.load() < at_shred + 50) std::this_thread::yield();
  stop = true;
  for (auto& reader : readers) reader.join();
  EXPECT_EQ(bad.load(), 0);
  EXPECT_TRUE(store->MessagesAfter("c_1", 0, 100).value().front().body_shredded);
}

TEST_F(EncryptingStoreTest, BodyMovedToAnotherRowFailsAuthentication) {
  {
    auto store = Open(master_);
    StartConversation(*store, "c_1");
    ASSERT_TRUE(Send(*store, "c_1", "m1", "ja"));
    ASSERT_TRUE(Send(*store, "c_1", "m2", "nee"));
  }
  {
    auto db = sqlite::Connection::Open(DatabasePath().string(),
                                       sqlite::Connection::Mode::read_write, 1000)
                  .value();
    ASSERT_TRUE(db->Exec(
        "UPDATE message SET body = (SELECT body FROM message WHERE seq = 1) WHERE seq = 2"));
  }
  auto store = Open(master_);
  const auto read = store->MessagesAfter("c_1", 0, 10);
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().code, core::Errc::internal);
  EXPECT_EQ(read.error().message.find("nee"), std::string::npos);
}

TEST_F(EncryptingStoreTest, ConversationWithoutKeyReadsAsShreddedAndTakesNoTexts) {
  {
    auto plain = OpenPlain();
    StartConversation(*plain, "c_old");
    ASSERT_TRUE(Send(*plain, "c_old", "m1", kBody));
  }
  auto store = Open(master_);
  const Message old = store->MessagesAfter("c_old", 0, 10).value().at(0);
  EXPECT_TRUE(old.body_shredded);
  EXPECT_EQ(old.body, "");
  EXPECT_EQ(store->FindConversation("c_old").value().nickname, "");
  EXPECT_EQ(Send(*store, "c_old", "m2", "x").error().code, core::Errc::failed_precondition);
  ASSERT_TRUE(store->EndConversation("c_old", Sender::visitor, kT0));
  const AppendedMessage resent = Send(*store, "c_old", "m1", kBody).value();
  EXPECT_TRUE(resent.duplicate);
  EXPECT_TRUE(resent.message.body_shredded);
  EXPECT_EQ(store->Inner().MessagesAfter("c_old", 0, 10).value().size(), 2u);
}

}  // namespace
}  // namespace uitweg::store
