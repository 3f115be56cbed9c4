// SqliteStore: conversations, their transitions and their messages. Every write that gives an
// entry its seq runs on the writer thread, so "last_seq + 1" never races; the UPDATE and the
// INSERT share the unit's savepoint, so a seq is never used twice or skipped.
#include "store/sqlite/rows.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace uitweg::store::sqlite {
namespace {

constexpr std::size_t kMaxClientIdLength = 64;

enum class Open { required, any };

// Takes the next seq of conversation `id` and stores `entry` under it. With Open::required,
// not_found also when the conversation has ended (the caller tells the two apart).
Result<Message> AppendEntry(Connection& db, Message entry, Open open) {
  auto bump = db.Prepare(
      open == Open::required
          ? "UPDATE conversation SET last_seq = last_seq + 1 WHERE id = ?1 AND status <> 'ended'"
            " RETURNING last_seq"
          : "UPDATE conversation SET last_seq = last_seq + 1 WHERE id = ?1 RETURNING last_seq");
  if (!bump) return bump.error();
  bump->Bind(1, entry.conversation_id);
  auto seq = ReadOne<std::int64_t>(*bump, [](const Statement& row) { return row.Int(0); },
                                   "conversation not found");
  if (!seq) return seq.error();
  // RETURNING rows are produced before the update is final; step to the end to finish it.
  UITWEG_TRY(bump->Run());
  entry.seq = *seq;

  auto insert = db.Prepare(
      "INSERT INTO message (conversation_id, seq, kind, sender, author_id, client_id, body, "
      "created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
  if (!insert) return insert.error();
  insert->Bind(1, entry.conversation_id)
      .Bind(2, entry.seq)
      .Bind(3, MessageKindName(entry.kind))
      .Bind(4, SenderName(entry.sender))
      .Bind(5, entry.author_id)
      .BindBlob(7, entry.body)
      .Bind(8, entry.created_at);
  if (entry.client_id.empty()) {
    insert->BindNull(6);
  } else {
    insert->Bind(6, entry.client_id);
  }
  UITWEG_TRY(insert->Run());
  return entry;
}

// Explains why a transition UPDATE matched no row: the conversation is missing, or it is not in
// a state the transition starts from.
core::Error WhyNotChanged(Connection& db, std::string_view id, const char* wrong_state) {
  auto current = LoadConversation(db, id);
  if (!current) return current.error();
  return core::Fail(core::Errc::failed_precondition, wrong_state);
}

}  // namespace

Result<Conversation> SqliteStore::CreateConversation(const NewConversation& conversation) {
  if (conversation.id.empty() || conversation.resume_token_hash.empty()) {
    return core::Fail(core::Errc::invalid_argument,
                      "a conversation needs an id and a resume token hash");
  }
  return writer_->Run<Conversation>([&](Connection& db) -> Result<Conversation> {
    auto insert = db.Prepare(
        "INSERT INTO conversation (id, resume_token_hash, status, subject, nickname, urgency, "
        "last_seq, created_at, data_key) VALUES (?1, ?2, 'waiting', ?3, ?4, ?5, 0, ?6, ?7)");
    if (!insert) return insert.error();
    insert->Bind(1, conversation.id)
        .Bind(2, conversation.resume_token_hash)
        .Bind(3, SubjectName(conversation.subject))
        .BindBlob(4, conversation.nickname)
        .Bind(5, std::int64_t{conversation.urgency})
        .Bind(6, conversation.created_at);
    if (conversation.wrapped_key.empty()) {
      insert->BindNull(7);
    } else {
      insert->BindBlob(7, conversation.wrapped_key);
    }
    if (auto done = insert->Run(); !done) {
      if (done.error().code == core::Errc::already_exists) {
        return core::Fail(core::Errc::already_exists, "conversation already exists");
      }
      return done.error();
    }
    return Conversation{.id = conversation.id,
                        .status = ConversationStatus::waiting,
                        .subject = conversation.subject,
                        .nickname = conversation.nickname,
                        .counsellor_id = std::nullopt,
                        .urgency = conversation.urgency,
                        .last_seq = 0,
                        .created_at = conversation.created_at,
                        .accepted_at = std::nullopt,
                        .ended_at = std::nullopt};
  });
}

Result<Conversation> SqliteStore::FindConversation(std::string_view id) {
  auto lease = readers_->Acquire();
  return LoadConversation(*lease, id);
}

Result<Conversation> SqliteStore::FindConversationByResumeToken(std::string_view token_hash) {
  static const std::string sql = std::string("SELECT ") + kConversationColumns +
                                 " FROM conversation WHERE resume_token_hash = ?1";
  auto lease = readers_->Acquire();
  auto select = lease->Prepare(sql);
  if (!select) return select.error();
  select->Bind(1, token_hash);
  return ReadOne<Conversation>(*select, ReadConversation, "conversation not found");
}

Result<std::vector<Conversation>> SqliteStore::ListWaiting() {
  static const std::string sql = std::string("SELECT ") + kConversationColumns +
                                 " FROM conversation WHERE status = 'waiting'"
                                 " ORDER BY urgency DESC, created_at ASC, id ASC";
  auto lease = readers_->Acquire();
  auto select = lease->Prepare(sql);
  if (!select) return select.error();
  return ReadAll<Conversation>(*select, ReadConversation);
}

Result<std::vector<Conversation>> SqliteStore::ListActiveFor(std::int64_t counsellor_id) {
  static const std::string sql = std::string("SELECT ") + kConversationColumns +
                                 " FROM conversation WHERE status = 'active' AND counsellor_id = ?1"
                                 " ORDER BY accepted_at ASC, created_at ASC, id ASC";
  auto lease = readers_->Acquire();
  auto select = lease->Prepare(sql);
  if (!select) return select.error();
  select->Bind(1, counsellor_id);
  return ReadAll<Conversation>(*select, ReadConversation);
}

Status SqliteStore::SetUrgency(std::string_view id, std::int32_t urgency) {
  return writer_->Run<void>([&](Connection& db) -> Status {
    auto update = db.Prepare("UPDATE conversation SET urgency = ?2 WHERE id = ?1");
    if (!update) return update.error();
    UITWEG_TRY(update->Bind(1, id).Bind(2, std::int64_t{urgency}).Run());
    if (db.Changes() == 0) return core::Fail(core::Errc::not_found, "conversation not found");
    return {};
  });
}

Result<std::string> SqliteStore::FindConversationKey(std::string_view id) {
  auto lease = readers_->Acquire();
  auto select = lease->Prepare("SELECT data_key FROM conversation WHERE id = ?1");
  if (!select) return select.error();
  select->Bind(1, id);
  return ReadOne<std::string>(
      *select, [](const Statement& row) { return row.Blob(0); }, "conversation not found");
}

Result<ConversationKey> SqliteStore::FindAnyConversationKey() {
  auto lease = readers_->Acquire();
  auto select =
      lease->Prepare("SELECT id, data_key FROM conversation WHERE data_key IS NOT NULL LIMIT 1");
  if (!select) return select.error();
  return ReadOne<ConversationKey>(
      *select,
      [](const Statement& row) { return ConversationKey{row.Text(0), row.Blob(1)}; },
      "no conversation has a data key");
}

Status SqliteStore::ShredConversation(std::string_view id) {
  return writer_->Run<void>([&](Connection& db) -> Status {
    auto forget = db.Prepare(
        "UPDATE conversation SET data_key = NULL, nickname = X'' WHERE id = ?1 AND status = 'ended'");
    if (!forget) return forget.error();
    UITWEG_TRY(forget->Bind(1, id).Run());
    if (db.Changes() == 0) {
      return WhyNotChanged(db, id, "only an ended conversation can be shredded");
    }
    auto blank = db.Prepare(
        "UPDATE message SET body = X'', body_shredded = 1"
        " WHERE conversation_id = ?1 AND kind = 'text' AND body_shredded = 0");
    if (!blank) return blank.error();
    return blank->Bind(1, id).Run();
  });
}

Result<Transition> SqliteStore::AcceptConversation(std::string_view id,
                                                   std::int64_t counsellor_id, UnixMillis now) {
  return writer_->Run<Transition>([&](Connection& db) -> Result<Transition> {
    auto update = db.Prepare(
        "UPDATE conversation SET status = 'active', counsellor_id = ?2, accepted_at = ?3"
        " WHERE id = ?1 AND status = 'waiting'");
    if (!update) return update.error();
    if (auto done = update->Bind(1, id).Bind(2, counsellor_id).Bind(3, now).Run(); !done) {
      if (done.error().code == core::Errc::not_found) {
        return core::Fail(core::Errc::not_found, "counsellor account not found");
      }
      return done.error();
    }
    if (db.Changes() == 0) {
      return WhyNotChanged(db, id, "conversation is not waiting; someone else took it or it ended");
    }
    auto event = AppendEntry(db, Message{.conversation_id = std::string(id),
                                         .kind = MessageKind::accepted,
                                         .sender = Sender::system,
                                         .author_id = counsellor_id,
                                         .client_id = {},
                                         .body = {},
                                         .created_at = now},
                             Open::any);
    if (!event) return event.error();
    auto conversation = LoadConversation(db, id);
    if (!conversation) return conversation.error();
    return Transition{std::move(*conversation), std::move(*event)};
  });
}

Result<Transition> SqliteStore::EndConversation(std::string_view id, Sender ended_by,
                                                UnixMillis now) {
  return writer_->Run<Transition>([&](Connection& db) -> Result<Transition> {
    auto update = db.Prepare(
        "UPDATE conversation SET status = 'ended', ended_at = ?2"
        " WHERE id = ?1 AND status <> 'ended'");
    if (!update) return update.error();
    UITWEG_TRY(update->Bind(1, id).Bind(2, now).Run());
    if (db.Changes() == 0) return WhyNotChanged(db, id, "conversation has ended already");
    auto conversation = LoadConversation(db, id);
    if (!conversation) return conversation.error();
    const std::optional<std::int64_t> author =
        ended_by == Sender::counsellor ? conversation->counsellor_id : std::nullopt;
    auto event = AppendEntry(db, Message{.conversation_id = std::string(id),
                                         .kind = MessageKind::ended,
                                         .sender = ended_by,
                                         .author_id = author,
                                         .client_id = {},
                                         .body = {},
                                         .created_at = now},
                             Open::any);
    if (!event) return event.error();
    conversation->last_seq = event->seq;
    return Transition{std::move(*conversation), std::move(*event)};
  });
}

namespace {

Status CheckNewMessage(const NewMessage& message) {
  if (message.sender == Sender::system) {
    return core::Fail(core::Errc::invalid_argument, "only visitors and counsellors send texts");
  }
  if (message.client_id.empty() || message.client_id.size() > kMaxClientIdLength) {
    return core::Fail(core::Errc::invalid_argument, "client_id must be 1 to 64 characters");
  }
  return {};
}

// The writer's unit for one message: the stored one if it is a resend, else a new entry.
Result<AppendedMessage> WriteMessage(Connection& db, const NewMessage& message) {
  static const std::string find_sql =
      std::string("SELECT ") + kMessageColumns +
      " FROM message WHERE conversation_id = ?1 AND sender = ?2 AND client_id = ?3";
  auto find = db.Prepare(find_sql);
  if (!find) return find.error();
  find->Bind(1, message.conversation_id)
      .Bind(2, SenderName(message.sender))
      .Bind(3, message.client_id);
  auto stored = ReadOne<Message>(*find, ReadMessage, "");
  if (stored) return AppendedMessage{std::move(*stored), true};
  if (stored.error().code != core::Errc::not_found) return stored.error();

  auto appended = AppendEntry(db,
                              Message{.conversation_id = message.conversation_id,
                                      .kind = MessageKind::text,
                                      .sender = message.sender,
                                      .author_id = message.author_id,
                                      .client_id = message.client_id,
                                      .body = message.body,
                                      .created_at = message.created_at},
                              Open::required);
  if (!appended) {
    if (appended.error().code != core::Errc::not_found) return appended.error();
    return WhyNotChanged(db, message.conversation_id, "conversation has ended");
  }
  return AppendedMessage{std::move(*appended), false};
}

}  // namespace

Result<AppendedMessage> SqliteStore::AppendMessage(const NewMessage& message) {
  UITWEG_TRY(CheckNewMessage(message));
  return writer_->Run<AppendedMessage>(
      [&message](Connection& db) { return WriteMessage(db, message); });
}

void SqliteStore::AppendMessageAsync(NewMessage message, AppendDone done) {
  if (Status checked = CheckNewMessage(message); !checked) return done(checked.error());
  writer_->Submit<AppendedMessage>(
      [message = std::move(message)](Connection& db) { return WriteMessage(db, message); },
      std::move(done));
}

Result<std::vector<Message>> SqliteStore::MessagesAfter(std::string_view conversation_id,
                                                        std::int64_t after_seq,
                                                        std::size_t limit) {
  static const std::string sql = std::string("SELECT ") + kMessageColumns +
                                 " FROM message WHERE conversation_id = ?1 AND seq > ?2"
                                 " ORDER BY seq ASC LIMIT ?3";
  auto lease = readers_->Acquire();
  auto select = lease->Prepare(sql);
  if (!select) return select.error();
  const auto capped = static_cast<std::int64_t>(std::min<std::size_t>(limit, INT64_MAX));
  select->Bind(1, conversation_id).Bind(2, after_seq).Bind(3, capped);
  auto messages = ReadAll<Message>(*select, ReadMessage);
  if (!messages || !messages->empty()) return messages;
  // Nothing after after_seq: tell an unknown conversation apart from a quiet one.
  auto conversation = LoadConversation(*lease, conversation_id);
  if (!conversation) return conversation.error();
  return messages;
}

}  // namespace uitweg::store::sqlite
