// EncryptingConversationStore over a real SQLite store: what reaches the disk, wrong keys,
// shredding, tampering and appends whose key is not cached. The ConversationStore contract
// itself runs through it in store_contract_test.
#include "store/encrypting_conversation_store.hpp"
#include "core/testing/test_folder.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <future>
#include <iterator>
#include <mutex>
#include <thread>
#include <vector>

#include "core/testing/task_thread.hpp"
#include "crypto/random.hpp"
#include "store/sqlite/connection.hpp"
#include "store/sqlite/sqlite_database.hpp"
#include "store/test_database.hpp"

namespace uitweg::store {
namespace {

using model::EndReason;
using model::Message;
using model::MessageKind;
using model::Sender;

constexpr UnixMillis kT0 = 1'700'000'000'000;
constexpr const char* kNickname = "Nachtegaal-7731";
constexpr const char* kBody = "ik moet pakketjes rondbrengen voor 4242";

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

class EncryptingConversationStoreTest : public ::testing::Test {
 protected:
  std::filesystem::path DatabasePath() const { return folder_ / "uitweg.db"; }

  Database OpenPlain() {
    return OpenSqliteDatabase(SqliteOptions{.path = DatabasePath().string()}).value();
  }
  std::unique_ptr<ConversationStore> OpenPlainConversations() {
    return std::move(OpenPlain().conversations);
  }
  std::unique_ptr<EncryptingConversationStore> Open(const crypto::Aead& master,
                                                    std::size_t cache = 64) {
    return std::make_unique<EncryptingConversationStore>(
        OpenPlainConversations(), crypto::MasterKeys::Fixed({master}).value(), key_reads_.post(),
        cache);
  }

  // Everything SQLite keeps on disk for the database, once every store on it is closed.
  std::string DiskBytes() const {
    std::string bytes = ReadFile(DatabasePath());
    const auto wal = DatabasePath().string() + "-wal";
    if (std::filesystem::exists(wal)) bytes += ReadFile(wal);
    return bytes;
  }

  static void Start(ConversationStore& store, const std::string& id) {
    ASSERT_TRUE(Await<model::Conversation>([&](Done<model::Conversation> done) {
      store.Create(NewConversation{.id = id,
                                   .resume_token_hash = "resume-" + id,
                                   .subject = model::Subject::self,
                                   .nickname = kNickname,
                                   .urgency = 0,
                                   .created_at = kT0},
                   done);
    }));
  }
  static NewMessage Text(const std::string& id, const std::string& client_id,
                         const std::string& body) {
    return NewMessage{.conversation_id = id,
                      .sender = Sender::visitor,
                      .author_id = std::nullopt,
                      .client_id = client_id,
                      .body = body,
                      .created_at = kT0};
  }
  static Result<Appended> Send(ConversationStore& store, const std::string& id,
                               const std::string& client_id, const std::string& body) {
    return Await<Appended>(
        [&](Done<Appended> done) { store.Append(Text(id, client_id, body), done); });
  }
  static Result<Transition> End(ConversationStore& store, const std::string& id) {
    return Await<Transition>(
        [&](Done<Transition> done) { store.End(id, EndReason::visitor, kT0, done); });
  }
  static Result<bool> Shred(ConversationStore& store, const std::string& id) {
    return Await<bool>([&](Done<bool> done) { store.Shred(id, kT0 + 1000, done); });
  }

  core::testing::TaskThread key_reads_;
  core::testing::TestFolder folder_{"encrypting"};
  const crypto::Aead master_ = crypto::Aead::Generate();
};

TEST_F(EncryptingConversationStoreTest, ReadsGiveBackPlaintext) {
  auto store = Open(master_);
  Start(*store, "c_1");
  const Appended sent = Send(*store, "c_1", "m1", kBody).value();
  EXPECT_FALSE(sent.duplicate);
  EXPECT_EQ(sent.message.body, kBody);
  EXPECT_EQ(store->Find("c_1").value().nickname, kNickname);
  EXPECT_EQ(store->MessagesAfter("c_1", 0, 10).value().at(0).body, kBody);
  const Appended again = Send(*store, "c_1", "m1", "iets anders").value();
  EXPECT_TRUE(again.duplicate);
  EXPECT_EQ(again.message.body, kBody);
}

TEST_F(EncryptingConversationStoreTest, InnerStoreHoldsOnlySealedBytes) {
  auto store = Open(master_);
  Start(*store, "c_1");
  ASSERT_TRUE(Send(*store, "c_1", "m1", kBody));
  auto plain = OpenPlainConversations();
  const Message sealed = plain->MessagesAfter("c_1", 0, 10).value().at(0);
  EXPECT_EQ(sealed.body.size(), std::string_view(kBody).size() + crypto::Aead::kOverheadBytes);
  EXPECT_EQ(sealed.body.find("pakketjes"), std::string::npos);
  EXPECT_NE(plain->Find("c_1").value().nickname, kNickname);
  EXPECT_EQ(store->FindKey("c_1").value().size(),
            crypto::Aead::kKeyBytes + crypto::Aead::kOverheadBytes);
}

TEST_F(EncryptingConversationStoreTest, DatabaseFileHoldsNoBodyOrNickname) {
  {
    auto store = Open(master_);
    Start(*store, "c_1");
    ASSERT_TRUE(Send(*store, "c_1", "m1", kBody));
  }
  const std::string disk = DiskBytes();
  ASSERT_NE(disk.find("resume-c_1"), std::string::npos) << "the file was not read";
  EXPECT_EQ(disk.find(kBody), std::string::npos);
  EXPECT_EQ(disk.find(kNickname), std::string::npos);
}

TEST_F(EncryptingConversationStoreTest, PlainStoreWouldLeaveThemInTheFile) {
  {
    auto store = OpenPlainConversations();
    Start(*store, "c_1");
    ASSERT_TRUE(Send(*store, "c_1", "m1", kBody));
  }
  const std::string disk = DiskBytes();
  EXPECT_NE(disk.find(kBody), std::string::npos);
  EXPECT_NE(disk.find(kNickname), std::string::npos);
}

TEST_F(EncryptingConversationStoreTest, WrongMasterKeyIsAClearError) {
  {
    auto store = Open(master_);
    Start(*store, "c_1");
    ASSERT_TRUE(Send(*store, "c_1", "m1", kBody));
  }
  auto store = Open(crypto::Aead::Generate());
  const auto found = store->Find("c_1");
  ASSERT_FALSE(found);
  EXPECT_EQ(found.error().code, core::Errc::failed_precondition);
  EXPECT_NE(found.error().message.find("master key"), std::string::npos) << found.error().message;
  EXPECT_EQ(store->MessagesAfter("c_1", 0, 10).error().code, core::Errc::failed_precondition);
  EXPECT_EQ(Send(*store, "c_1", "m2", "x").error().code, core::Errc::failed_precondition);
  EXPECT_EQ(store->ListWaiting(WaitingIn::live_queue).error().code,
            core::Errc::failed_precondition);
  // Nothing was written with the wrong key: the right one still reads everything.
  store.reset();
  EXPECT_EQ(Open(master_)->MessagesAfter("c_1", 0, 10).value().size(), 1u);
}

TEST_F(EncryptingConversationStoreTest, VerifyMasterKeyCatchesAReplacedKey) {
  EXPECT_TRUE(Open(crypto::Aead::Generate())->VerifyMasterKey()) << "an empty database";
  {
    auto store = Open(master_);
    Start(*store, "c_1");
    EXPECT_TRUE(store->VerifyMasterKey());
  }
  const auto verified = Open(crypto::Aead::Generate())->VerifyMasterKey();
  ASSERT_FALSE(verified);
  EXPECT_EQ(verified.error().code, core::Errc::failed_precondition);
  EXPECT_NE(verified.error().message.find("master key"), std::string::npos);
}

TEST_F(EncryptingConversationStoreTest, EncryptAtRestCreatesAnOwnerOnlyKeyFileAndReusesIt) {
  const auto key_file = folder_ / "keys" / "master.key";
  {
    Database database = OpenPlain();
    ASSERT_TRUE(EncryptAtRest(database, "", key_file, key_reads_.post()));
    Start(*database.conversations, "c_1");
  }
  ASSERT_TRUE(std::filesystem::exists(key_file));
  EXPECT_EQ(std::filesystem::status(key_file).permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  Database database = OpenPlain();
  ASSERT_TRUE(EncryptAtRest(database, "", key_file, key_reads_.post()));
  EXPECT_EQ(database.conversations->Find("c_1").value().nickname, kNickname);
}

// Stands in for the doorbell of a database that several nodes share.
class SharedDatabaseFeed final : public ChangeFeed {
 public:
  void Listen(std::function<void(std::vector<Rung>)>) override {}
  void Ring(std::string, Change) override {}
  void RingWatch(Watch) override {}
  void OnWatch(std::function<void(Watch)>) override {}
};

TEST_F(EncryptingConversationStoreTest, ASharedDatabaseNeverGetsAKeyOfOneNodesOwn) {
  const auto key_file = folder_ / "master.key";
  Database database = OpenPlain();
  database.changes = std::make_unique<SharedDatabaseFeed>();
  auto refused = EncryptAtRest(database, "", key_file, key_reads_.post());
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, core::Errc::failed_precondition);
  EXPECT_NE(refused.error().message.find("UITWEG_MASTER_KEY"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(key_file));
  EXPECT_TRUE(
      EncryptAtRest(database, crypto::Base64Encode(master_.key()), key_file, key_reads_.post()));
}

TEST_F(EncryptingConversationStoreTest, EncryptAtRestTakesTheKeyFromTheEnvironment) {
  const std::string base64 = crypto::Base64Encode(master_.key());
  const auto key_file = folder_ / "master.key";
  {
    Database database = OpenPlain();
    auto key = EncryptAtRest(database, base64, key_file, key_reads_.post());
    ASSERT_TRUE(key);
    EXPECT_EQ((*key)->Current().key(), master_.key()) << "handed back for sealing other secrets";
    Start(*database.conversations, "c_1");
  }
  EXPECT_FALSE(std::filesystem::exists(key_file));
  EXPECT_EQ(Open(master_)->Find("c_1").value().nickname, kNickname);
  Database database = OpenPlain();
  const auto malformed = EncryptAtRest(database, "not base64!", key_file, key_reads_.post());
  ASSERT_FALSE(malformed);
  EXPECT_EQ(malformed.error().code, core::Errc::invalid_argument);
  const auto other = EncryptAtRest(database, crypto::Base64Encode(std::string(32, 'k')), key_file,
                                   key_reads_.post());
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code, core::Errc::failed_precondition);
  EXPECT_NE(other.error().message.find("environment"), std::string::npos);
  ASSERT_TRUE(database.conversations) << "a refused key leaves the database as it was";
  EXPECT_NE(database.conversations->Find("c_1").value().nickname, kNickname);
}

TEST_F(EncryptingConversationStoreTest, EncryptAtRestRefusesToReplaceALostKeyFile) {
  const auto key_file = folder_ / "master.key";
  {
    Database database = OpenPlain();
    ASSERT_TRUE(EncryptAtRest(database, "", key_file, key_reads_.post()));
    Start(*database.conversations, "c_1");
  }
  std::filesystem::remove(key_file);
  Database database = OpenPlain();
  const auto reopened = EncryptAtRest(database, "", key_file, key_reads_.post());
  ASSERT_FALSE(reopened);
  EXPECT_EQ(reopened.error().code, core::Errc::failed_precondition);
  EXPECT_NE(reopened.error().message.find(key_file.string()), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(key_file));
}

// Staff enrol their second factor before the first chat, and retention may shred every
// conversation: the TOTP secrets alone must keep a wrong or lost key from being taken, or every
// sign-in would fail with the key that was wrongly accepted.
TEST_F(EncryptingConversationStoreTest, WithOnlyStaffSecretsSealedAWrongOrLostKeyIsRefused) {
  const auto key_file = folder_ / "master.key";
  {
    Database database = OpenPlain();
    auto keys = EncryptAtRest(database, "", key_file, key_reads_.post());
    ASSERT_TRUE(keys);
    auto anna = database.accounts->CreateAccount(NewStaffAccount{.username = "anna",
                                                                 .role = model::Role::counsellor,
                                                                 .display_name = "Anna",
                                                                 .password_hash = "h",
                                                                 .created_at = 1});
    ASSERT_TRUE(anna);
    ASSERT_TRUE(database.accounts->SetSecondFactor(
        anna->id,
        SecondFactor{.sealed_totp_secret = (*keys)->Seal("totp secret", TotpSecretAad("anna"))}));
  }
  {
    Database database = OpenPlain();
    const auto other = EncryptAtRest(database, crypto::Base64Encode(std::string(32, 'k')), key_file,
                                     key_reads_.post());
    ASSERT_FALSE(other);
    EXPECT_EQ(other.error().code, core::Errc::failed_precondition);
    EXPECT_NE(other.error().message.find("second factors"), std::string::npos)
        << other.error().message;
    EXPECT_TRUE(EncryptAtRest(database, "", key_file, key_reads_.post())) << "the right one";
  }
  std::filesystem::remove(key_file);
  Database database = OpenPlain();
  const auto lost = EncryptAtRest(database, "", key_file, key_reads_.post());
  ASSERT_FALSE(lost);
  EXPECT_EQ(lost.error().code, core::Errc::failed_precondition);
  EXPECT_FALSE(std::filesystem::exists(key_file)) << "no new key made";
}

TEST_F(EncryptingConversationStoreTest, ShreddedKeyIsGoneFromTheFile) {
  std::string wrapped;
  std::string sealed_body;
  {
    auto store = Open(master_);
    Start(*store, "c_1");
    ASSERT_TRUE(Send(*store, "c_1", "m1", kBody));
    ASSERT_TRUE(End(*store, "c_1"));
    wrapped = store->FindKey("c_1").value();
    sealed_body = OpenPlainConversations()->MessagesAfter("c_1", 0, 10).value().at(0).body;
  }
  ASSERT_NE(DiskBytes().find(wrapped), std::string::npos) << "the file was not read";
  {
    auto store = Open(master_);
    ASSERT_TRUE(Shred(*store, "c_1"));
    const Message shredded = store->MessagesAfter("c_1", 0, 10).value().at(0);
    EXPECT_TRUE(shredded.body_shredded);
    EXPECT_EQ(shredded.body, "");
  }
  const std::string disk = DiskBytes();
  EXPECT_EQ(disk.find(wrapped), std::string::npos);
  EXPECT_EQ(disk.find(sealed_body), std::string::npos);
}

TEST_F(EncryptingConversationStoreTest, EndedConversationsKeysFallOutOfTheCacheAndStillRead) {
  auto store = Open(master_, 1);
  for (const char* id : {"c_1", "c_2", "c_3"}) {
    Start(*store, id);
    for (int round = 0; round < 3; ++round) {
      ASSERT_TRUE(
          Send(*store, id, std::to_string(round), std::string(id) + "/" + std::to_string(round)));
    }
    ASSERT_TRUE(End(*store, id));
  }
  for (const char* id : {"c_1", "c_2", "c_3", "c_1"}) {
    const auto messages = store->MessagesAfter(id, 0, 10).value();
    ASSERT_EQ(messages.size(), 4u);
    EXPECT_EQ(messages[2].body, std::string(id) + "/2");
    EXPECT_EQ(store->Find(id).value().nickname, kNickname);
  }
}

TEST_F(EncryptingConversationStoreTest, AppendsWithoutACachedKeyReadItElsewhereAndKeepTheirOrder) {
  {
    auto store = Open(master_);
    Start(*store, "c_1");
  }
  auto store = Open(master_);  // a fresh cache: the first append must read the key
  constexpr int kMessages = 40;
  std::mutex mu;
  std::vector<std::int64_t> seqs;
  std::vector<std::thread::id> answered_on;
  std::promise<void> all;
  for (int i = 0; i < kMessages; ++i) {
    store->Append(Text("c_1", std::to_string(i), "tekst " + std::to_string(i)),
                  [&, i](Result<Appended> appended) {
                    ASSERT_TRUE(appended) << appended.error().message;
                    EXPECT_EQ(appended->message.body, "tekst " + std::to_string(i));
                    std::lock_guard lock(mu);
                    seqs.push_back(appended->message.seq);
                    answered_on.push_back(std::this_thread::get_id());
                    if (seqs.size() == kMessages) all.set_value();
                  });
  }
  all.get_future().wait();
  for (int i = 0; i < kMessages; ++i) {
    EXPECT_EQ(seqs[static_cast<std::size_t>(i)], i + 1);
    EXPECT_NE(answered_on[static_cast<std::size_t>(i)], std::this_thread::get_id());
  }
  const auto stored = store->MessagesAfter("c_1", 0, 100).value();
  ASSERT_EQ(stored.size(), std::size_t{kMessages});
  EXPECT_EQ(stored.back().client_id, std::to_string(kMessages - 1));
}

// A visitor's page resends what it typed offline, then says `end`: the resend waits for the
// key to be read, the end reads it itself. The end must not overtake the message and refuse it.
TEST_F(EncryptingConversationStoreTest, AnEndDoesNotOvertakeAppendsWaitingForTheKey) {
  {
    auto store = Open(master_);
    Start(*store, "c_1");
  }
  auto store = Open(master_);  // a fresh cache: the append must read the key
  std::promise<void> gate;
  key_reads_.post()([opened = gate.get_future().share()] { opened.wait(); });
  std::promise<Result<Appended>> appended;
  store->Append(Text("c_1", "v-1", "ik stop ermee"),
                [&](Result<Appended> answer) { appended.set_value(std::move(answer)); });
  const auto ended = End(*store, "c_1");
  gate.set_value();
  ASSERT_TRUE(ended) << ended.error().message;
  const auto sent = appended.get_future().get();
  ASSERT_TRUE(sent) << sent.error().message;
  EXPECT_EQ(sent->message.seq, 1);
  EXPECT_EQ(ended->event.seq, 2);
  const auto stored = store->MessagesAfter("c_1", 0, 10).value();
  ASSERT_EQ(stored.size(), 2u);
  EXPECT_EQ(stored[0].body, "ik stop ermee");
}

// At shutdown the workers are joined before the store goes: a key read queued after that never
// runs, and must neither keep the store from going nor touch it when its task is run late.
TEST_F(EncryptingConversationStoreTest, AKeyReadThatNeverRunsDoesNotHoldTheStore) {
  {
    auto store = Open(master_);
    Start(*store, "c_1");
  }
  std::vector<core::Task> never_run;
  auto store = std::make_unique<EncryptingConversationStore>(
      OpenPlainConversations(), crypto::MasterKeys::Fixed({master_}).value(),
      [&never_run](core::Task task) { never_run.push_back(std::move(task)); });
  bool answered = false;
  store->Append(Text("c_1", "v-1", "na sluitingstijd"),
                [&answered](Result<Appended>) { answered = true; });
  ASSERT_EQ(never_run.size(), 1u) << "the append waits for its key";
  store.reset();
  for (core::Task& task : never_run) task();
  EXPECT_FALSE(answered) << "the store was gone when its read started";
}

TEST_F(EncryptingConversationStoreTest, ReadersRacingAShredSeePlaintextOrNothing) {
  auto store = Open(master_, 1);  // every other read misses the cache
  Start(*store, "c_1");
  Start(*store, "c_2");
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(Send(*store, "c_1", std::to_string(i), "tekst " + std::to_string(i)));
  }
  ASSERT_TRUE(Send(*store, "c_2", "x", "ander"));
  ASSERT_TRUE(End(*store, "c_1"));
  ASSERT_TRUE(End(*store, "c_2"));
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
  ASSERT_TRUE(Shred(*store, "c_1"));
  const int at_shred = reads.load();
  while (reads.load() < at_shred + 50) std::this_thread::yield();
  stop = true;
  for (auto& reader : readers) reader.join();
  EXPECT_EQ(bad.load(), 0);
  EXPECT_TRUE(store->MessagesAfter("c_1", 0, 100).value().front().body_shredded);
}

TEST_F(EncryptingConversationStoreTest, BodyMovedToAnotherRowFailsAuthentication) {
  {
    auto store = Open(master_);
    Start(*store, "c_1");
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

TEST_F(EncryptingConversationStoreTest, ANoteAlteredIntoATextFailsToOpen) {
  {
    Database plain = OpenPlain();
    const auto anna = plain.accounts->CreateAccount(
        NewStaffAccount{"anna", model::Role::counsellor, "Anna", "hash", kT0});
    ASSERT_TRUE(anna);
    auto store = std::make_unique<EncryptingConversationStore>(
        std::move(plain.conversations), crypto::MasterKeys::Fixed({master_}).value(),
        key_reads_.post());
    Start(*store, "c_1");
    ASSERT_TRUE(Await<Transition>(
        [&](Done<Transition> done) { store->Accept("c_1", anna->id, kT0, done); }));
    NewMessage note = Text("c_1", "n1", "alleen voor het team");
    note.kind = MessageKind::note;
    note.sender = Sender::counsellor;
    note.author_id = anna->id;
    ASSERT_TRUE(Await<Appended>([&](Done<Appended> done) { store->Append(note, done); }));
    ASSERT_EQ(store->MessagesAfter("c_1", 0, 10).value().back().body, "alleen voor het team");
  }
  {
    auto db = sqlite::Connection::Open(DatabasePath().string(),
                                       sqlite::Connection::Mode::read_write, 1000)
                  .value();
    ASSERT_TRUE(db->Exec("UPDATE message SET kind = 'text' WHERE kind = 'note'"));
  }
  auto store = Open(master_);
  const auto read = store->MessagesAfter("c_1", 0, 10);
  ASSERT_FALSE(read) << "a note passed off as a text would reach the visitor";
  EXPECT_EQ(read.error().code, core::Errc::internal);
}

TEST_F(EncryptingConversationStoreTest, ConversationWithoutKeyReadsAsShreddedAndTakesNoTexts) {
  {
    auto plain = OpenPlainConversations();
    Start(*plain, "c_old");
    ASSERT_TRUE(Send(*plain, "c_old", "m1", kBody));
  }
  auto store = Open(master_);
  const Message old = store->MessagesAfter("c_old", 0, 10).value().at(0);
  EXPECT_TRUE(old.body_shredded);
  EXPECT_EQ(old.body, "");
  EXPECT_EQ(store->Find("c_old").value().nickname, "");
  EXPECT_EQ(Send(*store, "c_old", "m2", "x").error().code, core::Errc::failed_precondition);
  ASSERT_TRUE(End(*store, "c_old"));
  const Appended resent = Send(*store, "c_old", "m1", kBody).value();
  EXPECT_TRUE(resent.duplicate);
  EXPECT_TRUE(resent.message.body_shredded);
  EXPECT_EQ(OpenPlainConversations()->MessagesAfter("c_old", 0, 10).value().size(), 2u);
}

}  // namespace
}  // namespace uitweg::store
