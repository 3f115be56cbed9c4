#include "support/past_conversations.hpp"

#include <chrono>

#include "core/testing/task_thread.hpp"
#include "crypto/random.hpp"
#include "store/encrypting_conversation_store.hpp"
#include "store/sqlite/sqlite_database.hpp"
#include "store/test_database.hpp"

namespace uitweg::support {
namespace {

constexpr core::UnixMillis kDayMillis = 24LL * 60 * 60 * 1000;

}  // namespace

core::Status AddPastConversations(const std::filesystem::path& data_dir, int count, int days_ago,
                                  const std::string& text) {
  core::testing::TaskThread key_reads;  // outlives the store it serves
  UITWEG_TRY_ASSIGN(
      store::Database database,
      store::OpenSqliteDatabase(store::SqliteOptions{.path = (data_dir / "uitweg.db").string()}));
  UITWEG_TRY(store::EncryptAtRest(database, "", data_dir / "master.key", key_reads.post()));
  const core::UnixMillis start = std::chrono::duration_cast<std::chrono::milliseconds>(
                                     std::chrono::system_clock::now().time_since_epoch())
                                     .count() -
                                 days_ago * kDayMillis;
  for (int i = 0; i < count; ++i) {
    const std::string id = crypto::RandomId("c_");
    const core::UnixMillis at = start + i * 1000LL;
    UITWEG_TRY(store::Await<model::Conversation>([&](store::Done<model::Conversation> done) {
      database.conversations->Create(store::NewConversation{.id = id,
                                                            .resume_token_hash = "past-" + id,
                                                            .subject = model::Subject::self,
                                                            .nickname = "",
                                                            .urgency = 0,
                                                            .created_at = at},
                                     done);
    }));
    UITWEG_TRY(store::Await<store::Appended>([&](store::Done<store::Appended> done) {
      database.conversations->Append(
          store::NewMessage{
              .conversation_id = id, .client_id = "v1", .body = text, .created_at = at + 1},
          done);
    }));
    UITWEG_TRY(store::Await<store::Transition>([&](store::Done<store::Transition> done) {
      database.conversations->End(id, model::EndReason::visitor, at + 2, done);
    }));
  }
  return {};
}

}  // namespace uitweg::support
