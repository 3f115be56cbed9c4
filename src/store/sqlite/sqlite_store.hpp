#pragma once
// The SQLite implementation of Store: one file in WAL mode with durable commits
// (synchronous=FULL), one writer thread with group commit (see writer.hpp) and a pool of
// read-only connections. Most code should hold a Store from OpenSqliteStore; this header is
// for the few that want SQLite specifics (benchmarks reading group-commit figures).
//
// Checkpoints run on a thread of their own (see checkpointer.hpp), not inside commits.
//
// Thread safety and errors: as Store. Destruction waits for queued writes to commit.

#include <memory>

#include "store/sqlite/checkpointer.hpp"
#include "store/sqlite/reader_pool.hpp"
#include "store/sqlite/writer.hpp"
#include "store/store.hpp"

namespace uitweg::store::sqlite {

class SqliteStore final : public Store {
 public:
  static Result<std::unique_ptr<SqliteStore>> Open(const SqliteOptions& options);
  ~SqliteStore() override;

  // Group-commit figures since opening: mean batch size is units / batches.
  WriterStats Stats() const { return writer_->Stats(); }
  std::uint64_t Checkpoints() const { return checkpointer_->Runs(); }

  Result<StaffAccount> CreateAccount(const NewStaffAccount& account) override;
  Result<StaffAccount> FindAccount(std::int64_t id) override;
  Result<StaffAccount> FindAccountByUsername(std::string_view username) override;
  Result<std::int64_t> CountAccounts() override;
  Result<std::vector<StaffAccount>> ListAccounts() override;
  Status SetAccountDisabled(std::int64_t id, bool disabled) override;
  Status SetPasswordHash(std::int64_t id, std::string_view password_hash) override;

  Status CreateSession(const StaffSession& session) override;
  Result<StaffSession> FindSession(std::string_view token_hash) override;
  Status TouchSession(std::string_view token_hash, UnixMillis now) override;
  Status DeleteSession(std::string_view token_hash) override;

  Result<Conversation> CreateConversation(const NewConversation& conversation) override;
  Result<Conversation> FindConversation(std::string_view id) override;
  Result<Conversation> FindConversationByResumeToken(std::string_view token_hash) override;
  Result<std::vector<Conversation>> ListWaiting() override;
  Result<std::vector<Conversation>> ListActiveFor(std::int64_t counsellor_id) override;
  Status SetUrgency(std::string_view id, std::int32_t urgency) override;
  Result<std::string> FindConversationKey(std::string_view id) override;
  Result<ConversationKey> FindAnyConversationKey() override;
  Status ShredConversation(std::string_view id) override;
  Result<Transition> AcceptConversation(std::string_view id, std::int64_t counsellor_id,
                                        UnixMillis now) override;
  Result<Transition> EndConversation(std::string_view id, Sender ended_by,
                                     UnixMillis now) override;

  Result<AppendedMessage> AppendMessage(const NewMessage& message) override;
  void AppendMessageAsync(NewMessage message, AppendDone done) override;
  Result<std::vector<Message>> MessagesAfter(std::string_view conversation_id,
                                             std::int64_t after_seq, std::size_t limit) override;

 private:
  SqliteStore(std::unique_ptr<Writer> writer, std::unique_ptr<Checkpointer> checkpointer,
              std::unique_ptr<ReaderPool> readers)
      : writer_(std::move(writer)),
        checkpointer_(std::move(checkpointer)),
        readers_(std::move(readers)) {}

  // Destroyed bottom-up after the destructor has closed the writer: readers and checkpointer
  // first, the writer's connection last, so that SQLite's final checkpoint on closing the
  // last connection folds the log into the database file.
  std::unique_ptr<Writer> writer_;
  std::unique_ptr<Checkpointer> checkpointer_;  // nudged by the writer's commits
  std::unique_ptr<ReaderPool> readers_;
};

}  // namespace uitweg::store::sqlite
