#include "store/sqlite/sqlite_conversation_store.hpp"

#include <algorithm>
#include <iterator>

#include "store/sqlite/rows.hpp"
#include "store/write_rules.hpp"
#include "store/write_steps.hpp"

namespace uitweg::store::sqlite {
namespace {

using model::Conversation;
using model::ConversationStatus;
using model::EndReason;
using model::Message;
using model::MessageKind;
using model::Sender;

// A live conversation needs a live place with the counsellor who takes it, checked in the write
// itself: two accepts at once (two tabs, or an accept and a transfer taken) cannot both fill the
// last place, nor can an accept slip past a change to away. The writer is the only one that
// writes, so nothing changes the count before the commit. A message left (or a conversation
// that does not exist, which the write then reports) needs no place.
Status CheckRoomToTake(Connection& db, std::string_view id, std::int64_t counsellor_id) {
  UITWEG_TRY_ASSIGN(auto read,
                    db.Prepare("SELECT availability = 'available', capacity,"
                               " (SELECT COUNT(*) FROM conversation WHERE counsellor_id = ?2"
                               " AND status = 'active' AND offline = 0),"
                               " (SELECT offline FROM conversation WHERE id = ?1)"
                               " FROM staff_account WHERE id = ?2"));
  read.Bind(1, id).Bind(2, counsellor_id);
  UITWEG_TRY_ASSIGN(const bool found, read.Step());
  if (!found) return core::Fail(core::Errc::not_found, "counsellor account not found");
  if (read.OptionalInt(3).value_or(1) != 0) return {};
  return CheckLivePlace(
      {.available = read.Int(0) != 0, .live = read.Int(2), .capacity = read.Int(1)});
}

// Ends conversation `id`: abandoned while it waits, by the visitor while it has not ended, by
// counsellor `by` while it is active with them.
Result<Transition> EndIn(Connection& db, const std::string& id, EndReason reason,
                         std::optional<std::int64_t> by, UnixMillis now) {
  const char* condition = reason == EndReason::abandoned ? "status = 'waiting'"
                          : reason == EndReason::counsellor
                              ? "status = 'active' AND counsellor_id = ?4"
                              : "status <> 'ended'";
  UITWEG_TRY_ASSIGN(
      auto update, db.Prepare(std::string("UPDATE conversation SET status = 'ended', ended_at = ?2,"
                                          " end_reason = ?3, offered_to = NULL, offered_at = NULL"
                                          " WHERE id = ?1 AND ") +
                              condition + " RETURNING counsellor_id"));
  update.Bind(1, id).Bind(2, now).Bind(3, model::EndReasonName(reason));
  if (by) update.Bind(4, *by);
  UITWEG_TRY_ASSIGN(const bool ended, update.Step());
  if (!ended) return WhyNotChanged(db, id, WhyNotEnded(reason));
  const std::optional<std::int64_t> counsellor = update.OptionalInt(0);
  UITWEG_TRY(update.Run());
  return WriteTransition(db, id, EndedEvent(id, reason, counsellor, now));
}

// A request_hash no repeat may find any more (ConversationStore::Create) is given up.
constexpr const char* kGiveUpStaleRequest =
    "UPDATE conversation SET request_hash = NULL WHERE request_hash = ?1"
    " AND (created_at < ?2 OR status = 'ended' OR shredded_at IS NOT NULL)";

}  // namespace

// Takes the next seq of the conversation and stores `entry` under it. The UPDATE has matched no
// row when the answer is not_found; the caller says why.
Result<Message> AppendEvent(Connection& db, Message entry) {
  UITWEG_TRY_ASSIGN(auto bump, db.Prepare("UPDATE conversation SET last_seq = last_seq + 1"
                                          " WHERE id = ?1 RETURNING last_seq"));
  bump.Bind(1, entry.conversation_id);
  UITWEG_TRY_ASSIGN(entry.seq, ReadOne<std::int64_t>(
                                   bump, [](const Statement& row) { return row.Int(0); },
                                   "conversation not found"));
  // RETURNING rows are produced before the update is final; step to the end to finish it.
  UITWEG_TRY(bump.Run());
  UITWEG_TRY_ASSIGN(auto insert,
                    db.Prepare("INSERT INTO message (conversation_id, seq, kind, sender, "
                               "author_id, client_id, body, created_at) VALUES (?1, ?2, ?3, ?4, "
                               "?5, NULL, X'', ?6)"));
  insert.Bind(1, entry.conversation_id)
      .Bind(2, entry.seq)
      .Bind(3, model::MessageKindName(entry.kind))
      .Bind(4, model::SenderName(entry.sender))
      .Bind(5, entry.author_id)
      .Bind(6, entry.created_at);
  UITWEG_TRY(insert.Run());
  return entry;
}

// The entry stored earlier under the message's (conversation, sender, client_id); not_found if
// there is none.
Result<Message> FindResend(Connection& db, const NewMessage& message) {
  static const std::string sql =
      std::string("SELECT ") + kMessageColumns +
      " FROM message WHERE conversation_id = ?1 AND sender = ?2 AND client_id = ?3";
  UITWEG_TRY_ASSIGN(auto find, db.Prepare(sql));
  find.Bind(1, message.conversation_id)
      .Bind(2, model::SenderName(message.sender))
      .Bind(3, message.client_id);
  return ReadOne<Message>(find, ReadMessage<Statement>, "no earlier message with this client_id");
}

namespace {

// The one conversation whose `column` (a unique one) holds `value`.
Result<Conversation> FindOneBy(Connections& connections, std::string_view column,
                               std::string_view value) {
  const std::string sql = std::string("SELECT ") + kConversationColumns +
                          " FROM conversation WHERE " + std::string(column) + " = ?1";
  return connections.WithReader([&](Connection& db) -> Result<Conversation> {
    UITWEG_TRY_ASSIGN(auto select, db.Prepare(sql));
    select.Bind(1, value);
    return ReadOne<Conversation>(select, ReadConversation<Statement>, "conversation not found");
  });
}

// The writer's unit for one message. The common case costs one UPDATE and one INSERT; resends
// and refusals are told apart only when one of them fails.
Result<Appended> WriteMessage(Connection& db, const NewMessage& message) {
  const bool referral = message.kind == model::MessageKind::referral;
  const bool staff_only = model::IsStaffOnly(message.kind) && !referral;
  const bool counsellor = message.sender == Sender::counsellor && !staff_only;
  UITWEG_TRY_ASSIGN(
      auto bump,
      db.Prepare(staff_only   ? "UPDATE conversation SET last_seq = last_seq + 1 WHERE id = ?1"
                                " AND status = 'active' AND (?2 IS NULL OR counsellor_id = ?2)"
                                " RETURNING last_seq"
                 : referral   ? "UPDATE conversation SET last_seq = last_seq + 1 WHERE id = ?1"
                                " AND counsellor_id = ?2 AND shredded_at IS NULL"
                                " AND status IN ('active', 'ended') RETURNING last_seq"
                 : counsellor ? "UPDATE conversation SET last_seq = last_seq + 1 WHERE id = ?1"
                                " AND status = 'active' AND counsellor_id = ?2 RETURNING last_seq"
                              : "UPDATE conversation SET last_seq = last_seq + 1 WHERE id = ?1"
                                " AND status <> 'ended' RETURNING last_seq"));
  bump.Bind(1, message.conversation_id);
  if (counsellor) bump.Bind(2, message.author_id);
  if (staff_only) bump.Bind(2, message.assigned_to);
  UITWEG_TRY_ASSIGN(const bool bumped, bump.Step());
  if (!bumped) return Refuse(db, message);
  const std::int64_t seq = bump.Int(0);
  UITWEG_TRY(bump.Run());

  UITWEG_TRY_ASSIGN(auto insert,
                    db.Prepare("INSERT INTO message (conversation_id, seq, kind, sender, "
                               "author_id, client_id, body, created_at) VALUES (?1, ?2, ?8, "
                               "?3, ?4, ?5, ?6, ?7)"));
  insert.Bind(1, message.conversation_id)
      .Bind(2, seq)
      .Bind(8, model::MessageKindName(message.kind))
      .Bind(3, model::SenderName(message.sender))
      .Bind(4, message.author_id)
      .Bind(5, message.client_id)
      .BindBlob(6, message.body)
      .Bind(7, message.created_at);
  if (Status inserted = insert.Run(); !inserted) {
    if (inserted.error().code != core::Errc::already_exists) return inserted.error();
    UITWEG_TRY_ASSIGN(auto undo, db.Prepare("UPDATE conversation SET last_seq = last_seq - 1"
                                            " WHERE id = ?1"));
    UITWEG_TRY(undo.Bind(1, message.conversation_id).Run());
    UITWEG_TRY_ASSIGN(auto resend, FindResend(db, message));
    return Appended{std::move(resend), true};
  }
  return Appended{Stored(message, seq), false};
}

}  // namespace

// --- reads

Result<Conversation> SqliteConversationStore::Find(std::string_view id) {
  return connections_->WithReader([&](Connection& db) { return LoadConversation(db, id); });
}

Result<Conversation> SqliteConversationStore::FindByResumeToken(std::string_view token_hash) {
  return FindOneBy(*connections_, "resume_token_hash", token_hash);
}

Result<Conversation> SqliteConversationStore::FindByPickUpCode(std::string_view code_hash) {
  return FindOneBy(*connections_, "pickup_code_hash", code_hash);
}

Result<Conversation> SqliteConversationStore::FindByRequest(std::string_view request_hash) {
  return FindOneBy(*connections_, "request_hash", request_hash);
}

Result<std::vector<Conversation>> SqliteConversationStore::FindAll(
    std::span<const std::string> ids) {
  return connections_->WithReader([&](Connection& db) -> Result<std::vector<Conversation>> {
    std::vector<Conversation> found;
    for (const std::string& id : ids) {
      auto conversation = LoadConversation(db, id);
      if (conversation) {
        found.push_back(std::move(*conversation));
      } else if (conversation.error().code != core::Errc::not_found) {
        return conversation.error();
      }
    }
    return found;
  });
}

Result<std::vector<Conversation>> SqliteConversationStore::ListWaiting(WaitingIn queue) {
  static const std::string sql = std::string("SELECT ") + kConversationColumns +
                                 " FROM conversation WHERE status = 'waiting' AND offline = ?1"
                                 " ORDER BY urgency DESC, created_at ASC, id ASC";
  return connections_->WithReader([&](Connection& db) -> Result<std::vector<Conversation>> {
    UITWEG_TRY_ASSIGN(auto select, db.Prepare(sql));
    select.Bind(1, std::int64_t{queue == WaitingIn::messages_left ? 1 : 0});
    return ReadAll<Conversation>(select, ReadConversation<Statement>);
  });
}

Result<std::vector<Conversation>> SqliteConversationStore::ListActiveFor(
    std::int64_t counsellor_id) {
  static const std::string sql = std::string("SELECT ") + kConversationColumns +
                                 " FROM conversation WHERE status = 'active' AND counsellor_id = ?1"
                                 " ORDER BY accepted_at ASC, created_at ASC, id ASC";
  return connections_->WithReader([&](Connection& db) -> Result<std::vector<Conversation>> {
    UITWEG_TRY_ASSIGN(auto select, db.Prepare(sql));
    select.Bind(1, counsellor_id);
    return ReadAll<Conversation>(select, ReadConversation<Statement>);
  });
}

Result<std::vector<Conversation>> SqliteConversationStore::ListEndedFor(std::int64_t counsellor_id,
                                                                        UnixMillis since,
                                                                        UnixMillis until,
                                                                        std::size_t limit) {
  static const std::string sql = std::string("SELECT ") + kConversationColumns +
                                 " FROM conversation WHERE status = 'ended' AND counsellor_id = ?1"
                                 " AND ended_at >= ?2 AND ended_at < ?3 AND forget_requested = 0"
                                 " ORDER BY ended_at DESC, id ASC LIMIT ?4";
  return connections_->WithReader([&](Connection& db) -> Result<std::vector<Conversation>> {
    UITWEG_TRY_ASSIGN(auto select, db.Prepare(sql));
    select.Bind(1, counsellor_id)
        .Bind(2, since)
        .Bind(3, until)
        .Bind(4, static_cast<std::int64_t>(limit));
    return ReadAll<Conversation>(select, ReadConversation<Statement>);
  });
}

Result<std::vector<Message>> SqliteConversationStore::MessagesAfter(std::string_view id,
                                                                    std::int64_t after_seq,
                                                                    std::size_t limit) {
  static const std::string sql = std::string("SELECT ") + kMessageColumns +
                                 " FROM message WHERE conversation_id = ?1 AND seq > ?2"
                                 " ORDER BY seq ASC LIMIT ?3";
  return connections_->WithReader([&](Connection& db) -> Result<std::vector<Message>> {
    UITWEG_TRY_ASSIGN(auto select, db.Prepare(sql));
    const auto capped = static_cast<std::int64_t>(std::min<std::size_t>(limit, INT64_MAX));
    select.Bind(1, id).Bind(2, after_seq).Bind(3, capped);
    UITWEG_TRY_ASSIGN(auto messages, ReadAll<Message>(select, ReadMessage<Statement>));
    if (!messages.empty()) return messages;
    // Nothing after after_seq: tell an unknown conversation apart from a quiet one.
    UITWEG_TRY(LoadConversation(db, id));
    return messages;
  });
}

Result<std::vector<Message>> SqliteConversationStore::MessagesAfterEach(
    std::span<const EntriesAfter> wanted, std::size_t limit) {
  static const std::string sql = std::string("SELECT ") + kMessageColumns +
                                 " FROM message WHERE conversation_id = ?1 AND seq > ?2"
                                 " ORDER BY seq ASC LIMIT ?3";
  // In-process reads cost no round trip: one statement per conversation on one reader.
  return connections_->WithReader([&](Connection& db) -> Result<std::vector<Message>> {
    const auto capped = static_cast<std::int64_t>(std::min<std::size_t>(limit, INT64_MAX));
    std::vector<Message> all;
    for (const EntriesAfter& each : wanted) {
      UITWEG_TRY_ASSIGN(auto select, db.Prepare(sql));
      select.Bind(1, each.conversation_id).Bind(2, each.after_seq).Bind(3, capped);
      UITWEG_TRY_ASSIGN(auto messages, ReadAll<Message>(select, ReadMessage<Statement>));
      std::move(messages.begin(), messages.end(), std::back_inserter(all));
    }
    return all;
  });
}

Result<std::string> SqliteConversationStore::FindKey(std::string_view id) {
  return connections_->WithReader([&](Connection& db) -> Result<std::string> {
    UITWEG_TRY_ASSIGN(auto select, db.Prepare("SELECT data_key FROM conversation WHERE id = ?1"));
    select.Bind(1, id);
    return ReadOne<std::string>(
        select, [](const Statement& row) { return row.Blob(0); }, "conversation not found");
  });
}

Result<ConversationKey> SqliteConversationStore::FindAnyKey() {
  return connections_->WithReader([&](Connection& db) -> Result<ConversationKey> {
    UITWEG_TRY_ASSIGN(auto select, db.Prepare("SELECT id, data_key FROM conversation"
                                              " WHERE data_key IS NOT NULL LIMIT 1"));
    return ReadOne<ConversationKey>(
        select,
        [](const Statement& row) {
          return ConversationKey{row.Text(0), row.Blob(1)};
        },
        "no conversation has a data key");
  });
}

Result<std::vector<std::int64_t>> SqliteConversationStore::CounsellorsAway(UnixMillis seen_before) {
  return connections_->WithReader([&](Connection& db) -> Result<std::vector<std::int64_t>> {
    UITWEG_TRY_ASSIGN(auto select,
                      db.Prepare("SELECT DISTINCT c.counsellor_id FROM conversation c"
                                 " JOIN staff_account a ON a.id = c.counsellor_id"
                                 " WHERE c.status = 'active' AND c.accepted_at < ?1"
                                 " AND (a.console_seen_at IS NULL OR a.console_seen_at < ?1)"
                                 " ORDER BY c.counsellor_id"));
    select.Bind(1, seen_before);
    return ReadAll<std::int64_t>(select, [](const Statement& row) { return row.Int(0); });
  });
}

// --- writes

void SqliteConversationStore::Create(NewConversation conversation, Done<Conversation> done) {
  if (Status checked = CheckNewConversation(conversation); !checked) {
    return done(checked.error());
  }
  std::string key = conversation.id;
  connections_->writer().Submit<Conversation>(
      [conversation = std::move(conversation)](Connection& db) -> Result<Conversation> {
        const bool requested = !conversation.request_hash.empty();
        if (requested) {
          UITWEG_TRY_ASSIGN(auto give_up, db.Prepare(kGiveUpStaleRequest));
          UITWEG_TRY(give_up.Bind(1, conversation.request_hash)
                         .Bind(2, conversation.created_at - kRequestRepeatWindow)
                         .Run());
        }
        static const std::string sql =
            std::string(
                "INSERT INTO conversation (id, resume_token_hash, status, subject, "
                "nickname, urgency, last_seq, created_at, data_key, offline, "
                "pickup_code_hash, language, campaign, request_hash, request_try) VALUES "
                "(?1, ?2, 'waiting', ?3, ?4, ?5, 0, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)") +
            kRepeatedRequest + " RETURNING id";
        UITWEG_TRY_ASSIGN(auto insert, db.Prepare(sql));
        insert.Bind(1, conversation.id)
            .Bind(2, conversation.resume_token_hash)
            .Bind(3, model::SubjectName(conversation.subject))
            .BindBlob(4, conversation.nickname)
            .Bind(5, std::int64_t{conversation.urgency})
            .Bind(6, conversation.created_at);
        if (conversation.wrapped_key.empty()) {
          insert.BindNull(7);
        } else {
          insert.BindBlob(7, conversation.wrapped_key);
        }
        insert.Bind(8, std::int64_t{conversation.offline ? 1 : 0});
        if (conversation.pickup_code_hash.empty()) {
          insert.BindNull(9);
        } else {
          insert.Bind(9, conversation.pickup_code_hash);
        }
        insert.Bind(10, conversation.language).Bind(11, conversation.campaign);
        if (requested) {
          insert.Bind(12, conversation.request_hash).Bind(13, conversation.request_try);
        } else {
          insert.BindNull(12).BindNull(13);
        }
        Result<bool> answered = insert.Step();
        if (!answered) {
          if (answered.error().code == core::Errc::already_exists) {
            return core::Fail(core::Errc::already_exists, "conversation already exists");
          }
          return answered.error();
        }
        if (!*answered) {
          UITWEG_TRY_ASSIGN(auto holder,
                            db.Prepare("SELECT offline FROM conversation WHERE request_hash = ?1"));
          holder.Bind(1, conversation.request_hash);
          UITWEG_TRY_ASSIGN(const bool held, holder.Step());
          return RepeatRefused(held ? std::optional<bool>(holder.Int(0) != 0) : std::nullopt,
                               conversation.offline);
        }
        const std::string id = insert.Text(0);
        UITWEG_TRY(insert.Run());
        if (id == conversation.id) return Created(conversation);
        return LoadConversation(db, id);
      },
      std::move(done), std::move(key));
}

void SqliteConversationStore::Accept(std::string_view id, std::int64_t counsellor_id,
                                     UnixMillis now, Done<Transition> done) {
  connections_->writer().Submit<Transition>(
      [id = std::string(id), counsellor_id, now](Connection& db) -> Result<Transition> {
        UITWEG_TRY(CheckRoomToTake(db, id, counsellor_id));
        UITWEG_TRY_ASSIGN(auto update, db.Prepare("UPDATE conversation SET status = 'active',"
                                                  " counsellor_id = ?2, accepted_at = ?3"
                                                  " WHERE id = ?1 AND status = 'waiting'"));
        if (Status updated = update.Bind(1, id).Bind(2, counsellor_id).Bind(3, now).Run();
            !updated) {
          if (updated.error().code == core::Errc::not_found) {
            return core::Fail(core::Errc::not_found, "counsellor account not found");
          }
          return updated.error();
        }
        if (db.Changes() == 0) {
          return WhyNotChanged(db, id,
                               "conversation is not waiting; someone else took it or it ended");
        }
        return WriteTransition(db, id, AcceptedEvent(id, counsellor_id, now));
      },
      std::move(done), std::string(id));
}

void SqliteConversationStore::Release(std::string_view id, std::int64_t counsellor_id,
                                      UnixMillis now, Done<Transition> done) {
  connections_->writer().Submit<Transition>(
      [id = std::string(id), counsellor_id, now](Connection& db) -> Result<Transition> {
        UITWEG_TRY_ASSIGN(auto update,
                          db.Prepare("UPDATE conversation SET status = 'waiting',"
                                     " counsellor_id = NULL, accepted_at = NULL,"
                                     " offered_to = NULL, offered_at = NULL,"
                                     " visitor_seen_at = MAX(COALESCE(visitor_seen_at, ?3), ?3)"
                                     " WHERE id = ?1 AND status = 'active'"
                                     " AND counsellor_id = ?2"));
        UITWEG_TRY(update.Bind(1, id).Bind(2, counsellor_id).Bind(3, now).Run());
        if (db.Changes() == 0) {
          return WhyNotChanged(db, id, "conversation is not active with this counsellor");
        }
        return WriteTransition(db, id, ReleasedEvent(id, counsellor_id, now));
      },
      std::move(done), std::string(id));
}

void SqliteConversationStore::End(std::string_view id, EndReason reason, UnixMillis now,
                                  Done<Transition> done) {
  if (reason == EndReason::counsellor) {
    return done(core::Fail(core::Errc::invalid_argument, kCounsellorsEndByCounsellor));
  }
  connections_->writer().Submit<Transition>(
      [id = std::string(id), reason, now](Connection& db) -> Result<Transition> {
        return EndIn(db, id, reason, std::nullopt, now);
      },
      std::move(done), std::string(id));
}

void SqliteConversationStore::EndByCounsellor(std::string_view id, std::int64_t counsellor_id,
                                              UnixMillis now, Done<Transition> done) {
  connections_->writer().Submit<Transition>(
      [id = std::string(id), counsellor_id, now](Connection& db) -> Result<Transition> {
        return EndIn(db, id, EndReason::counsellor, counsellor_id, now);
      },
      std::move(done), std::string(id));
}

void SqliteConversationStore::Append(NewMessage message, Done<Appended> done) {
  if (Status checked = CheckNewMessage(message); !checked) return done(checked.error());
  std::string key = message.conversation_id;
  connections_->writer().Submit<Appended>(
      [message = std::move(message)](Connection& db) { return WriteMessage(db, message); },
      std::move(done), std::move(key));
}

void SqliteConversationStore::SetUrgency(std::string_view id, std::int32_t urgency,
                                         std::optional<std::int64_t> marked_by,
                                         Done<Conversation> done) {
  connections_->writer().Submit<Conversation>(
      [id = std::string(id), urgency, marked_by](Connection& db) -> Result<Conversation> {
        UITWEG_TRY_ASSIGN(
            auto update,
            db.Prepare("UPDATE conversation"
                       " SET urgency = CASE WHEN ?3 IS NULL THEN MAX(urgency, ?2) ELSE ?2 END,"
                       " urgency_marked_by = COALESCE(?3, urgency_marked_by)"
                       " WHERE id = ?1 AND (?3 IS NOT NULL OR urgency_marked_by IS NULL)"));
        UITWEG_TRY(update.Bind(1, id).Bind(2, std::int64_t{urgency}).Bind(3, marked_by).Run());
        return LoadConversation(db, id);
      },
      std::move(done), std::string(id));
}

void SqliteConversationStore::MarkVisitorSeen(std::string_view id, UnixMillis at, Done<void> done) {
  connections_->writer().Submit<void>(
      [id = std::string(id), at](Connection& db) -> Status {
        UITWEG_TRY_ASSIGN(auto mark, db.Prepare("UPDATE conversation SET visitor_seen_at ="
                                                " MAX(COALESCE(visitor_seen_at, 0), ?2)"
                                                " WHERE id = ?1 AND status = 'waiting'"));
        UITWEG_TRY(mark.Bind(1, id).Bind(2, at).Run());
        if (db.Changes() == 0) UITWEG_TRY(LoadConversation(db, id));
        return {};
      },
      std::move(done), std::string(id));
}

void SqliteConversationStore::Shred(std::string_view id, UnixMillis now, Done<bool> done) {
  connections_->writer().Submit<bool>(
      [id = std::string(id), now,
       connections = connections_.get()](Connection& db) -> Result<bool> {
        UITWEG_TRY_ASSIGN(
            auto forget, db.Prepare("UPDATE conversation SET data_key = NULL, nickname = X'',"
                                    " resume_token_hash = 'shredded:' || id,"
                                    " pickup_code_hash = NULL, language = '', shredded_at = ?2"
                                    " WHERE id = ?1 AND status = 'ended' AND shredded_at IS NULL"));
        UITWEG_TRY(forget.Bind(1, id).Bind(2, now).Run());
        if (db.Changes() == 0) {
          UITWEG_TRY_ASSIGN(auto earlier, db.Prepare("SELECT 1 FROM conversation WHERE id = ?1"
                                                     " AND shredded_at IS NOT NULL"));
          earlier.Bind(1, id);
          UITWEG_TRY_ASSIGN(const bool already, earlier.Step());
          if (already) return false;
          return WhyNotChanged(db, id, "only an ended conversation can be shredded");
        }
        UITWEG_TRY_ASSIGN(auto blank_review,
                          db.Prepare("UPDATE review SET comment = X'' WHERE conversation_id = ?1"));
        UITWEG_TRY(blank_review.Bind(1, id).Run());
        UITWEG_TRY_ASSIGN(auto blank, db.Prepare("UPDATE message SET body = X'', body_shredded = 1"
                                                 " WHERE conversation_id = ?1 AND kind IN ('text', "
                                                 "'note', 'whisper', 'consent_request',"
                                                 " 'consent_answer', 'referral')"));
        UITWEG_TRY(blank.Bind(1, id).Run());
        // The log keeps the versions of its pages from before, its key and texts among them.
        // Asked now, on the writer's thread, the truncation waits for this commit.
        connections->ScrubLogSoon();
        return true;
      },
      std::move(done), std::string(id));
}

void SqliteConversationStore::SetResumeToken(std::string_view id, std::string token_hash,
                                             Done<void> done) {
  connections_->writer().Submit<void>(
      [id = std::string(id), token_hash = std::move(token_hash)](Connection& db) -> Status {
        UITWEG_TRY_ASSIGN(auto update, db.Prepare("UPDATE conversation SET resume_token_hash = ?2"
                                                  " WHERE id = ?1 AND shredded_at IS NULL"));
        UITWEG_TRY(update.Bind(1, id).Bind(2, token_hash).Run());
        if (db.Changes() == 0) return core::Fail(core::Errc::not_found, "conversation not found");
        return {};
      },
      std::move(done), std::string(id));
}

void SqliteConversationStore::OfferTransfer(std::string_view id, std::int64_t from, std::int64_t to,
                                            UnixMillis now, Done<Conversation> done) {
  if (from == to) {
    return done(core::Fail(core::Errc::failed_precondition, "a transfer goes to a colleague"));
  }
  connections_->writer().Submit<Conversation>(
      [id = std::string(id), from, to, now](Connection& db) -> Result<Conversation> {
        UITWEG_TRY_ASSIGN(
            auto update, db.Prepare("UPDATE conversation SET offered_to = ?3, offered_at = ?4"
                                    " WHERE id = ?1 AND status = 'active' AND counsellor_id = ?2"));
        if (Status updated = update.Bind(1, id).Bind(2, from).Bind(3, to).Bind(4, now).Run();
            !updated) {
          if (updated.error().code == core::Errc::not_found) {
            return core::Fail(core::Errc::not_found, "colleague not found");
          }
          return updated.error();
        }
        if (db.Changes() == 0) {
          return WhyNotChanged(db, id, "conversation is not active with this counsellor");
        }
        return LoadConversation(db, id);
      },
      std::move(done), std::string(id));
}

void SqliteConversationStore::TakeTransfer(std::string_view id, std::int64_t to, UnixMillis now,
                                           Done<Transition> done) {
  connections_->writer().Submit<Transition>(
      [id = std::string(id), to, now](Connection& db) -> Result<Transition> {
        UITWEG_TRY(CheckRoomToTake(db, id, to));
        UITWEG_TRY_ASSIGN(auto update,
                          db.Prepare("UPDATE conversation SET counsellor_id = ?2,"
                                     " offered_to = NULL, offered_at = NULL"
                                     " WHERE id = ?1 AND status = 'active' AND offered_to = ?2"));
        UITWEG_TRY(update.Bind(1, id).Bind(2, to).Run());
        if (db.Changes() == 0) {
          return WhyNotChanged(db, id, "this conversation is not offered to you (any more)");
        }
        return WriteTransition(db, id, TransferredEvent(id, to, now));
      },
      std::move(done), std::string(id));
}

void SqliteConversationStore::WithdrawOffer(std::string_view id, std::int64_t to,
                                            UnixMillis offered_at, Done<Conversation> done) {
  connections_->writer().Submit<Conversation>(
      [id = std::string(id), to, offered_at](Connection& db) -> Result<Conversation> {
        UITWEG_TRY_ASSIGN(auto update,
                          db.Prepare("UPDATE conversation SET offered_to = NULL, offered_at = NULL"
                                     " WHERE id = ?1 AND offered_to = ?2 AND offered_at = ?3"));
        UITWEG_TRY(update.Bind(1, id).Bind(2, to).Bind(3, offered_at).Run());
        if (db.Changes() == 0) return WhyNotChanged(db, id, "no transfer is offered");
        return LoadConversation(db, id);
      },
      std::move(done), std::string(id));
}

Result<std::vector<Conversation>> SqliteConversationStore::ListOffered() {
  static const std::string sql = std::string("SELECT ") + kConversationColumns +
                                 " FROM conversation WHERE offered_to IS NOT NULL"
                                 " AND status = 'active' ORDER BY offered_at ASC, id ASC";
  return connections_->WithReader([&](Connection& db) -> Result<std::vector<Conversation>> {
    UITWEG_TRY_ASSIGN(auto select, db.Prepare(sql));
    return ReadAll<Conversation>(select, ReadConversation<Statement>);
  });
}

void SqliteConversationStore::RequestForget(std::string_view id, Done<void> done) {
  connections_->writer().Submit<void>(
      [id = std::string(id)](Connection& db) -> Status {
        UITWEG_TRY_ASSIGN(auto mark,
                          db.Prepare("UPDATE conversation SET forget_requested = 1 WHERE id = ?1"));
        UITWEG_TRY(mark.Bind(1, id).Run());
        if (db.Changes() == 0) return core::Fail(core::Errc::not_found, "conversation not found");
        return {};
      },
      std::move(done), std::string(id));
}

void SqliteConversationStore::RecordFeedback(std::string_view id, model::Feedback feedback,
                                             UnixMillis now, Done<void> done) {
  connections_->writer().Submit<void>(
      [id = std::string(id), feedback = std::move(feedback), now](Connection& db) -> Status {
        UITWEG_TRY_ASSIGN(auto mark, db.Prepare("UPDATE conversation SET feedback_given = 1"
                                                " WHERE id = ?1 AND status = 'ended'"
                                                " AND feedback_given = 0"));
        UITWEG_TRY(mark.Bind(1, id).Run());
        if (db.Changes() == 0) {
          UITWEG_TRY_ASSIGN(const Conversation conversation, LoadConversation(db, id));
          if (conversation.status != model::ConversationStatus::ended) {
            return core::Fail(core::Errc::failed_precondition, "the conversation has not ended");
          }
          return core::Fail(core::Errc::already_exists, "the questions were answered already");
        }
        UITWEG_TRY_ASSIGN(auto insert, db.Prepare("INSERT INTO visitor_feedback (day, helped,"
                                                  " would_return) VALUES (?1, NULLIF(?2, ''),"
                                                  " NULLIF(?3, ''))"));
        return insert.Bind(1, FeedbackDay(now))
            .Bind(2, feedback.helped)
            .Bind(3, feedback.would_return)
            .Run();
      },
      std::move(done), std::string(id));
}

Result<std::vector<std::string>> SqliteConversationStore::ListStartedBetween(UnixMillis from,
                                                                             UnixMillis until) {
  return connections_->WithReader([&](Connection& db) -> Result<std::vector<std::string>> {
    auto select = db.Prepare(
        "SELECT id FROM conversation WHERE created_at >= ?1 AND created_at < ?2"
        " AND shredded_at IS NULL AND forget_requested = 0 ORDER BY created_at, id");
    if (!select) return select.error();
    select->Bind(1, from).Bind(2, until);
    return ReadAll<std::string>(
        *select, [](const Statement& row) -> Result<std::string> { return row.Text(0); });
  });
}

Result<std::vector<std::string>> SqliteConversationStore::DueForShredding(UnixMillis ended_before,
                                                                          std::size_t limit) {
  return connections_->WithReader([&](Connection& db) -> Result<std::vector<std::string>> {
    auto select = db.Prepare(
        "SELECT id FROM conversation WHERE status = 'ended' AND shredded_at IS NULL"
        " AND (ended_at < ?1 OR forget_requested = 1 OR (offline = 1 AND end_reason = 'abandoned'))"
        " ORDER BY ended_at, id LIMIT ?2");
    if (!select) return select.error();
    select->Bind(1, ended_before).Bind(2, static_cast<std::int64_t>(limit));
    return ReadAll<std::string>(
        *select, [](const Statement& row) -> Result<std::string> { return row.Text(0); });
  });
}

}  // namespace uitweg::store::sqlite
