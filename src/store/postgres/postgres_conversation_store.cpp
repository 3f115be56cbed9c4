#include "store/postgres/postgres_conversation_store.hpp"

#include <algorithm>
#include <cstdint>
#include <string>

#include "store/rows.hpp"
#include "store/write_rules.hpp"
#include "store/write_steps.hpp"

namespace uitweg::store::postgres {
namespace {

using model::Conversation;
using model::ConversationStatus;
using model::EndReason;
using model::Message;
using model::MessageKind;
using model::Sender;

// A live conversation needs a live place with the counsellor who takes it, checked in the write
// itself: two accepts at once (two tabs, two nodes, or an accept and a transfer taken) cannot
// both fill the last place, nor can an accept slip past a change to away. The account's row is
// locked first, so that the count, read by the next statement, includes every other write
// that held it. The lock is NO KEY, so that inserts referring to the account still pass; and,
// as for a message (SendMessage), a row another node's writer holds fails the unit at once
// unless the writer asks to wait, and the writer puts it off to its next batch: units are
// ordered by conversation, not by account, so two nodes that waited for each other's
// counsellors could deadlock. A message left (or a conversation that does not exist, which the
// write then reports) needs no place.
Status CheckRoomToTake(Connection& db, std::string_view id, std::int64_t counsellor_id) {
  static const std::string lock =
      "SELECT (availability = 'available')::int, capacity FROM staff_account WHERE id = $1"
      " FOR NO KEY UPDATE";
  static const std::string lock_at_once = lock + " NOWAIT";
  UITWEG_TRY_ASSIGN(Rows account,
                    db.Query(db.WaitsForLocks() ? lock : lock_at_once, {counsellor_id}));
  if (account.empty()) return core::Fail(core::Errc::not_found, "counsellor account not found");
  UITWEG_TRY_ASSIGN(Rows held,
                    db.Query("SELECT (SELECT COUNT(*) FROM conversation WHERE counsellor_id = $1"
                             " AND status = 'active' AND offline = 0),"
                             " (SELECT offline FROM conversation WHERE id = $2)",
                             {counsellor_id, std::string(id)}));
  if (held[0].OptionalInt(1).value_or(1) != 0) return {};
  return CheckLivePlace(
      {.available = account[0].Int(0) != 0, .live = held[0].Int(0), .capacity = account[0].Int(1)});
}

// Ends conversation `id`: abandoned while it waits, by the visitor while it has not ended, by
// counsellor `by` while it is active with them.
Result<Transition> EndIn(Connection& db, const std::string& id, EndReason reason,
                         std::optional<std::int64_t> by, UnixMillis now) {
  const std::string update =
      std::string(
          "UPDATE conversation SET status = 'ended', ended_at = $2,"
          " end_reason = $3, offered_to = NULL, offered_at = NULL"
          " WHERE id = $1 AND ") +
      (reason == EndReason::abandoned    ? "status = 'waiting'"
       : reason == EndReason::counsellor ? "status = 'active' AND counsellor_id = $4"
                                         : "status <> 'ended'") +
      " RETURNING counsellor_id";
  // EndReasonName's text lives for the program: a Param points at the text it is given.
  std::vector<Param> params{id, now, model::EndReasonName(reason)};
  if (by) params.emplace_back(*by);
  UITWEG_TRY_ASSIGN(Rows ended, db.Query(update, params));
  if (ended.empty()) return WhyNotChanged(db, id, WhyNotEnded(reason));
  const std::optional<std::int64_t> counsellor = ended[0].OptionalInt(0);
  return WriteTransition(db, id, EndedEvent(id, reason, counsellor, now));
}

}  // namespace

// Takes the next seq of the conversation and stores `entry` (an event) under it. not_found when
// the conversation is missing.
Result<Message> AppendEvent(Connection& db, Message entry) {
  UITWEG_TRY_ASSIGN(Rows bumped, db.Query("UPDATE conversation SET last_seq = last_seq + 1"
                                          " WHERE id = $1 RETURNING last_seq",
                                          {entry.conversation_id}));
  if (bumped.empty()) return core::Fail(core::Errc::not_found, "conversation not found");
  entry.seq = bumped[0].Int(0);
  UITWEG_TRY(
      db.Query("INSERT INTO message (conversation_id, seq, kind, sender, author_id, "
               "client_id, body, created_at) VALUES ($1, $2, $3, $4, $5, NULL, '', $6)",
               {entry.conversation_id, entry.seq, model::MessageKindName(entry.kind),
                model::SenderName(entry.sender), entry.author_id, entry.created_at}));
  return entry;
}

// The entry stored earlier under the message's (conversation, sender, client_id); not_found if
// there is none.
Result<Message> FindResend(Connection& db, const NewMessage& message) {
  static const std::string sql =
      std::string("SELECT ") + kMessageColumns +
      " FROM message WHERE conversation_id = $1 AND sender = $2 AND client_id = $3";
  UITWEG_TRY_ASSIGN(Rows rows,
                    db.Query(sql, {message.conversation_id, model::SenderName(message.sender),
                                   message.client_id}));
  return ReadOne<Message>(rows, ReadMessage<Row>, "no earlier message with this client_id");
}

namespace {

// The one conversation whose `column` (a unique one) holds `value`.
Result<Conversation> FindOneBy(Connections& connections, std::string_view column,
                               std::string_view value) {
  const std::string sql = std::string("SELECT ") + kConversationColumns +
                          " FROM conversation WHERE " + std::string(column) + " = $1";
  return connections.WithReader([&](Connection& db) -> Result<Conversation> {
    UITWEG_TRY_ASSIGN(Rows rows, db.Query(sql, {value}));
    return ReadOne<Conversation>(rows, ReadConversation<Row>, "conversation not found");
  });
}

// The writer's unit for one message. The common case costs one UPDATE and one INSERT; resends
// and refusals are told apart only when one of them changes nothing.
// A message's one statement: take the next seq and insert under it, answering what the bump and
// the insert each did.
void SendMessage(Connection& db, const NewMessage& message) {
  static const std::string tail =
      " RETURNING last_seq),"
      " inserted AS (INSERT INTO message (conversation_id, seq, kind, sender, author_id,"
      " client_id, body, created_at) SELECT $1, last_seq, $7, $2, $3, $4, $5, $6 FROM bumped"
      " ON CONFLICT (conversation_id, sender, client_id) DO NOTHING RETURNING seq)"
      " SELECT (SELECT last_seq FROM bumped), (SELECT seq FROM inserted)";
  // The bump takes the conversation's row. Unless the writer asks to wait, a row that another
  // node's writer holds fails the statement at once (NOWAIT), and the writer puts the message
  // off to its next batch instead of stalling this one until that node commits. The lock is the
  // one the UPDATE takes anyway (NO KEY), so inserts that refer to the conversation still pass.
  static const std::string waiting =
      "WITH bumped AS (UPDATE conversation SET last_seq = last_seq + 1 WHERE id = $1";
  static const std::string not_waiting =
      "WITH locked AS (SELECT id FROM conversation WHERE id = $1 FOR NO KEY UPDATE NOWAIT),"
      " bumped AS (UPDATE conversation SET last_seq = last_seq + 1"
      " WHERE id = (SELECT id FROM locked)";
  static const std::string as_counsellor = " AND status = 'active' AND counsellor_id = $3" + tail;
  static const std::string as_visitor = " AND status <> 'ended'" + tail;
  static const std::string staff_only =
      " AND status = 'active' AND ($8::BIGINT IS NULL OR counsellor_id = $8)" + tail;
  static const std::string referral =
      " AND counsellor_id = $3 AND shredded_at IS NULL"
      " AND status IN ('active', 'ended')" +
      tail;
  static const std::string statements[2][4] = {
      {not_waiting + staff_only, not_waiting + as_counsellor, not_waiting + as_visitor,
       not_waiting + referral},
      {waiting + staff_only, waiting + as_counsellor, waiting + as_visitor, waiting + referral}};
  const int who = message.kind == model::MessageKind::referral ? 3
                  : model::IsStaffOnly(message.kind)           ? 0
                  : message.sender == Sender::counsellor       ? 1
                                                               : 2;
  // Only a note's or whisper's statement names $8, the counsellor it must still be assigned to.
  const Param params[] = {message.conversation_id,
                          model::SenderName(message.sender),
                          message.author_id,
                          message.client_id,
                          Param::Bytes(message.body),
                          message.created_at,
                          model::MessageKindName(message.kind),
                          message.assigned_to};
  db.Send(statements[db.WaitsForLocks() ? 1 : 0][who],
          std::span<const Param>(params).first(who == 0 ? 8 : 7));
}

// The message as stored when its statement bumped and inserted; nothing when it was refused or
// a resend (or failed), which WriteMessage then tells apart.
std::optional<Appended> StoredBy(Result<Rows>& written, const NewMessage& message) {
  if (!written || written->empty() || (*written)[0].IsNull(0) || (*written)[0].IsNull(1)) {
    return std::nullopt;
  }
  return Appended{Stored(message, (*written)[0].Int(0)), false};
}

// The whole append, on its own: the statement, then what a refusal or a resend needs.
Result<Appended> WriteMessage(Connection& db, const NewMessage& message) {
  UITWEG_TRY(db.OpenPipeline());
  SendMessage(db, message);
  Status sent = db.SyncPipeline();
  Result<Rows> written = sent ? db.Next() : Result<Rows>(sent.error());
  UITWEG_TRY(db.ClosePipeline());
  if (std::optional<Appended> stored = StoredBy(written, message)) return *std::move(stored);
  if (!written) return written.error();
  if ((*written)[0].IsNull(0)) return Refuse(db, message);
  // A resend: give back the seq the bump took, and answer the stored entry.
  UITWEG_TRY(db.Query("UPDATE conversation SET last_seq = last_seq - 1 WHERE id = $1",
                      {message.conversation_id}));
  UITWEG_TRY_ASSIGN(auto resend, FindResend(db, message));
  return Appended{std::move(resend), true};
}

}  // namespace

// --- reads

Result<Conversation> PostgresConversationStore::Find(std::string_view id) {
  return connections_->WithReader([&](Connection& db) { return LoadConversation(db, id); });
}

Result<Conversation> PostgresConversationStore::FindByResumeToken(std::string_view token_hash) {
  return FindOneBy(*connections_, "resume_token_hash", token_hash);
}

Result<Conversation> PostgresConversationStore::FindByPickUpCode(std::string_view code_hash) {
  return FindOneBy(*connections_, "pickup_code_hash", code_hash);
}

Result<Conversation> PostgresConversationStore::FindByRequest(std::string_view request_hash) {
  return FindOneBy(*connections_, "request_hash", request_hash);
}

Result<std::vector<Conversation>> PostgresConversationStore::FindAll(
    std::span<const std::string> ids) {
  static const std::string sql = std::string("SELECT ") + kConversationColumns +
                                 " FROM conversation WHERE id = ANY($1::text[])";
  return connections_->WithReader([&](Connection& db) -> Result<std::vector<Conversation>> {
    UITWEG_TRY_ASSIGN(Rows rows, db.Query(sql, {TextArray(ids)}));
    return ReadAll<Conversation>(rows, ReadConversation<Row>);
  });
}

Result<std::vector<Conversation>> PostgresConversationStore::ListWaiting(WaitingIn queue) {
  static const std::string sql = std::string("SELECT ") + kConversationColumns +
                                 " FROM conversation WHERE status = 'waiting' AND offline = $1"
                                 " ORDER BY urgency DESC, created_at ASC, id ASC";
  return connections_->WithReader([&](Connection& db) -> Result<std::vector<Conversation>> {
    UITWEG_TRY_ASSIGN(Rows rows,
                      db.Query(sql, {std::int64_t{queue == WaitingIn::messages_left ? 1 : 0}}));
    return ReadAll<Conversation>(rows, ReadConversation<Row>);
  });
}

Result<std::vector<Conversation>> PostgresConversationStore::ListActiveFor(
    std::int64_t counsellor_id) {
  static const std::string sql = std::string("SELECT ") + kConversationColumns +
                                 " FROM conversation WHERE status = 'active' AND counsellor_id = $1"
                                 " ORDER BY accepted_at ASC, created_at ASC, id ASC";
  return connections_->WithReader([&](Connection& db) -> Result<std::vector<Conversation>> {
    UITWEG_TRY_ASSIGN(Rows rows, db.Query(sql, {counsellor_id}));
    return ReadAll<Conversation>(rows, ReadConversation<Row>);
  });
}

Result<std::vector<Conversation>> PostgresConversationStore::ListEndedFor(
    std::int64_t counsellor_id, UnixMillis since, UnixMillis until, std::size_t limit) {
  static const std::string sql = std::string("SELECT ") + kConversationColumns +
                                 " FROM conversation WHERE status = 'ended' AND counsellor_id = $1"
                                 " AND ended_at >= $2 AND ended_at < $3 AND forget_requested = 0"
                                 " ORDER BY ended_at DESC, id COLLATE \"C\" ASC LIMIT $4";
  return connections_->WithReader([&](Connection& db) -> Result<std::vector<Conversation>> {
    UITWEG_TRY_ASSIGN(
        Rows rows, db.Query(sql, {counsellor_id, since, until, static_cast<std::int64_t>(limit)}));
    return ReadAll<Conversation>(rows, ReadConversation<Row>);
  });
}

Result<std::vector<Message>> PostgresConversationStore::MessagesAfter(std::string_view id,
                                                                      std::int64_t after_seq,
                                                                      std::size_t limit) {
  static const std::string sql = std::string("SELECT ") + kMessageColumns +
                                 " FROM message WHERE conversation_id = $1 AND seq > $2"
                                 " ORDER BY seq ASC LIMIT $3";
  return connections_->WithReader([&](Connection& db) -> Result<std::vector<Message>> {
    const auto capped = static_cast<std::int64_t>(std::min<std::size_t>(limit, INT64_MAX));
    UITWEG_TRY_ASSIGN(Rows rows, db.Query(sql, {id, after_seq, capped}));
    UITWEG_TRY_ASSIGN(auto messages, ReadAll<Message>(rows, ReadMessage<Row>));
    if (!messages.empty()) return messages;
    // Nothing after after_seq: tell an unknown conversation apart from a quiet one.
    UITWEG_TRY(LoadConversation(db, id));
    return messages;
  });
}

Result<std::vector<Message>> PostgresConversationStore::MessagesAfterEach(
    std::span<const EntriesAfter> wanted, std::size_t limit) {
  // One round trip for any number of conversations: each (id, after) pair drives an index range
  // scan of its own, and the pairs' order is kept.
  static const std::string sql =
      std::string(
          "SELECT m.* FROM unnest($1::text[], $2::bigint[]) WITH ORDINALITY"
          " AS w(conversation_id, after_seq, place)"
          " CROSS JOIN LATERAL (SELECT ") +
      kMessageColumns +
      " FROM message WHERE conversation_id = w.conversation_id AND seq > w.after_seq"
      " ORDER BY seq ASC LIMIT $3) m ORDER BY w.place, m.seq";
  if (wanted.empty()) return std::vector<Message>{};
  std::vector<std::string> ids;
  std::vector<std::int64_t> afters;
  for (const EntriesAfter& each : wanted) {
    ids.push_back(each.conversation_id);
    afters.push_back(each.after_seq);
  }
  return connections_->WithReader([&](Connection& db) -> Result<std::vector<Message>> {
    const auto capped = static_cast<std::int64_t>(std::min<std::size_t>(limit, INT64_MAX));
    UITWEG_TRY_ASSIGN(Rows rows, db.Query(sql, {TextArray(ids), IntArray(afters), capped}));
    return ReadAll<Message>(rows, ReadMessage<Row>);
  });
}

Result<std::string> PostgresConversationStore::FindKey(std::string_view id) {
  return connections_->WithReader([&](Connection& db) -> Result<std::string> {
    UITWEG_TRY_ASSIGN(Rows rows, db.Query("SELECT data_key FROM conversation WHERE id = $1", {id}));
    return ReadOne<std::string>(
        rows, [](const Row& row) -> Result<std::string> { return row.Blob(0); },
        "conversation not found");
  });
}

Result<ConversationKey> PostgresConversationStore::FindAnyKey() {
  return connections_->WithReader([&](Connection& db) -> Result<ConversationKey> {
    UITWEG_TRY_ASSIGN(Rows rows, db.Query("SELECT id, data_key FROM conversation"
                                          " WHERE data_key IS NOT NULL LIMIT 1"));
    return ReadOne<ConversationKey>(
        rows,
        [](const Row& row) -> Result<ConversationKey> {
          return ConversationKey{row.Text(0), row.Blob(1)};
        },
        "no conversation has a data key");
  });
}

Result<std::vector<std::int64_t>> PostgresConversationStore::CounsellorsAway(
    UnixMillis seen_before) {
  return connections_->WithReader([&](Connection& db) -> Result<std::vector<std::int64_t>> {
    UITWEG_TRY_ASSIGN(Rows rows,
                      db.Query("SELECT DISTINCT c.counsellor_id FROM conversation c"
                               " JOIN staff_account a ON a.id = c.counsellor_id"
                               " WHERE c.status = 'active' AND c.accepted_at < $1"
                               " AND (a.console_seen_at IS NULL OR a.console_seen_at < $1)"
                               " ORDER BY c.counsellor_id",
                               {seen_before}));
    return ReadAll<std::int64_t>(rows,
                                 [](const Row& row) -> Result<std::int64_t> { return row.Int(0); });
  });
}

// --- writes

namespace {

// Tries of one request on several nodes take their turns, each finding what the one before it
// committed; and the row a try changes (the conversation the request made, which the unit's lock
// key does not name) is taken before the statements that change it. So a unit that must not wait
// for another node's transaction fails at once instead, and the writer puts it off to its next
// batch (see group_commit/writer.hpp).
Status LockRequest(Connection& db, const std::string& request_hash) {
  std::uint64_t fnv = 14695981039346656037ULL;  // FNV-1a: the same key on every node
  for (const unsigned char c : request_hash) {
    fnv = (fnv ^ c) * 1099511628211ULL;
  }
  UITWEG_TRY(LockForTransaction(db, static_cast<std::int64_t>(fnv >> 1)));
  static const std::string take = "SELECT id FROM conversation WHERE request_hash = $1 FOR UPDATE";
  static const std::string take_at_once = take + " NOWAIT";
  UITWEG_TRY(db.Query(db.WaitsForLocks() ? take : take_at_once, {request_hash}));
  return {};
}

}  // namespace

void PostgresConversationStore::Create(NewConversation conversation, Done<Conversation> done) {
  if (Status checked = CheckNewConversation(conversation); !checked) {
    return done(checked.error());
  }
  std::string key = conversation.id;
  connections_->writer().Submit<Conversation>(
      [conversation = std::move(conversation)](Connection& db) -> Result<Conversation> {
        const bool requested = !conversation.request_hash.empty();
        if (requested) {
          UITWEG_TRY(LockRequest(db, conversation.request_hash));
          // A request_hash no repeat may find any more is given up.
          UITWEG_TRY(db.Query(
              "UPDATE conversation SET request_hash = NULL WHERE request_hash = $1"
              " AND (created_at < $2 OR status = 'ended'"
              " OR shredded_at IS NOT NULL)",
              {conversation.request_hash, conversation.created_at - kRequestRepeatWindow}));
        }
        static const std::string insert =
            std::string(
                "INSERT INTO conversation (id, resume_token_hash, status, subject, "
                "nickname, urgency, last_seq, created_at, data_key, offline, "
                "pickup_code_hash, language, campaign, request_hash, request_try) VALUES "
                "($1, $2, 'waiting', $3, $4, $5, 0, $6, $7, $8, $9, $10, $11, $12, $13)") +
            kRepeatedRequest + " RETURNING id";
        auto inserted = db.Query(
            insert, {conversation.id, conversation.resume_token_hash,
                     model::SubjectName(conversation.subject), Param::Bytes(conversation.nickname),
                     conversation.urgency, conversation.created_at,
                     conversation.wrapped_key.empty() ? Param::Null()
                                                      : Param::Bytes(conversation.wrapped_key),
                     conversation.offline ? 1 : 0,
                     conversation.pickup_code_hash.empty() ? Param::Null()
                                                           : Param(conversation.pickup_code_hash),
                     conversation.language, conversation.campaign,
                     requested ? Param(conversation.request_hash) : Param::Null(),
                     requested ? Param(conversation.request_try) : Param::Null()});
        if (!inserted) {
          if (inserted.error().code == core::Errc::already_exists) {
            return core::Fail(core::Errc::already_exists, "conversation already exists");
          }
          return inserted.error();
        }
        if (inserted->empty()) {
          UITWEG_TRY_ASSIGN(Rows holder,
                            db.Query("SELECT offline FROM conversation WHERE request_hash = $1",
                                     {conversation.request_hash}));
          return RepeatRefused(
              holder.empty() ? std::nullopt : std::optional<bool>(holder[0].Int(0) != 0),
              conversation.offline);
        }
        const std::string id = (*inserted)[0].Text(0);
        if (id == conversation.id) return Created(conversation);
        return LoadConversation(db, id);
      },
      std::move(done), std::move(key));
}

void PostgresConversationStore::Accept(std::string_view id, std::int64_t counsellor_id,
                                       UnixMillis now, Done<Transition> done) {
  connections_->writer().Submit<Transition>(
      [id = std::string(id), counsellor_id, now](Connection& db) -> Result<Transition> {
        UITWEG_TRY(CheckRoomToTake(db, id, counsellor_id));
        auto updated = db.Query(
            "UPDATE conversation SET status = 'active', counsellor_id = $2, accepted_at = $3"
            " WHERE id = $1 AND status = 'waiting'",
            {id, counsellor_id, now});
        if (!updated) {
          if (updated.error().code == core::Errc::not_found) {
            return core::Fail(core::Errc::not_found, "counsellor account not found");
          }
          return updated.error();
        }
        if (updated->affected() == 0) {
          return WhyNotChanged(db, id,
                               "conversation is not waiting; someone else took it or it ended");
        }
        return WriteTransition(db, id, AcceptedEvent(id, counsellor_id, now));
      },
      std::move(done), std::string(id));
}

void PostgresConversationStore::Release(std::string_view id, std::int64_t counsellor_id,
                                        UnixMillis now, Done<Transition> done) {
  connections_->writer().Submit<Transition>(
      [id = std::string(id), counsellor_id, now](Connection& db) -> Result<Transition> {
        UITWEG_TRY_ASSIGN(
            Rows updated,
            db.Query("UPDATE conversation SET status = 'waiting', counsellor_id = NULL,"
                     " accepted_at = NULL, offered_to = NULL, offered_at = NULL,"
                     " visitor_seen_at = GREATEST(visitor_seen_at, $3)"
                     " WHERE id = $1 AND status = 'active'"
                     " AND counsellor_id = $2",
                     {id, counsellor_id, now}));
        if (updated.affected() == 0) {
          return WhyNotChanged(db, id, "conversation is not active with this counsellor");
        }
        return WriteTransition(db, id, ReleasedEvent(id, counsellor_id, now));
      },
      std::move(done), std::string(id));
}

void PostgresConversationStore::End(std::string_view id, EndReason reason, UnixMillis now,
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

void PostgresConversationStore::EndByCounsellor(std::string_view id, std::int64_t counsellor_id,
                                                UnixMillis now, Done<Transition> done) {
  connections_->writer().Submit<Transition>(
      [id = std::string(id), counsellor_id, now](Connection& db) -> Result<Transition> {
        return EndIn(db, id, EndReason::counsellor, counsellor_id, now);
      },
      std::move(done), std::string(id));
}

void PostgresConversationStore::Append(NewMessage message, Done<Appended> done) {
  if (Status checked = CheckNewMessage(message); !checked) return done(checked.error());
  std::string key = message.conversation_id;
  // One statement in the common case: the writer sends it along with those of the other
  // messages in its batch.
  auto shared = std::make_shared<const NewMessage>(std::move(message));
  connections_->writer().SubmitStatement<Appended>(
      [shared](Connection& db) { SendMessage(db, *shared); },
      [shared](Result<Rows>& written) { return StoredBy(written, *shared); },
      [shared](Connection& db) { return WriteMessage(db, *shared); }, std::move(done),
      std::move(key));
}

void PostgresConversationStore::SetUrgency(std::string_view id, std::int32_t urgency,
                                           std::optional<std::int64_t> marked_by,
                                           Done<Conversation> done) {
  connections_->writer().Submit<Conversation>(
      [id = std::string(id), urgency, marked_by](Connection& db) -> Result<Conversation> {
        UITWEG_TRY(
            db.Query("UPDATE conversation SET urgency = CASE WHEN $3::BIGINT IS NULL"
                     " THEN GREATEST(urgency, $2) ELSE $2 END,"
                     " urgency_marked_by = COALESCE($3, urgency_marked_by)"
                     " WHERE id = $1 AND ($3::BIGINT IS NOT NULL OR urgency_marked_by IS NULL)",
                     {id, urgency, marked_by}));
        return LoadConversation(db, id);
      },
      std::move(done), std::string(id));
}

void PostgresConversationStore::MarkVisitorSeen(std::string_view id, UnixMillis at,
                                                Done<void> done) {
  connections_->writer().Submit<void>(
      [id = std::string(id), at](Connection& db) -> Status {
        UITWEG_TRY_ASSIGN(Rows marked, db.Query("UPDATE conversation SET visitor_seen_at ="
                                                " GREATEST(visitor_seen_at, $2)"
                                                " WHERE id = $1 AND status = 'waiting'",
                                                {id, at}));
        if (marked.affected() == 0) UITWEG_TRY(LoadConversation(db, id));
        return {};
      },
      std::move(done), std::string(id));
}

void PostgresConversationStore::Shred(std::string_view id, UnixMillis now, Done<bool> done) {
  connections_->writer().Submit<bool>(
      [id = std::string(id), now](Connection& db) -> Result<bool> {
        UITWEG_TRY_ASSIGN(Rows forgot,
                          db.Query("UPDATE conversation SET data_key = NULL, nickname = '',"
                                   " resume_token_hash = 'shredded:' || id,"
                                   " pickup_code_hash = NULL, language = '', shredded_at = $2"
                                   " WHERE id = $1 AND status = 'ended' AND shredded_at IS NULL",
                                   {id, now}));
        if (forgot.affected() == 0) {
          UITWEG_TRY_ASSIGN(Rows earlier, db.Query("SELECT 1 FROM conversation WHERE id = $1"
                                                   " AND shredded_at IS NOT NULL",
                                                   {id}));
          if (!earlier.empty()) return false;
          return WhyNotChanged(db, id, "only an ended conversation can be shredded");
        }
        UITWEG_TRY(db.Query("UPDATE review SET comment = '' WHERE conversation_id = $1", {id}));
        UITWEG_TRY(db.Query(
            "UPDATE message SET body = '', body_shredded = 1"
            " WHERE conversation_id = $1 AND kind IN ('text', 'note', 'whisper', 'consent_request',"
            " 'consent_answer', 'referral')",
            {id}));
        return true;
      },
      std::move(done), std::string(id));
}

void PostgresConversationStore::SetResumeToken(std::string_view id, std::string token_hash,
                                               Done<void> done) {
  connections_->writer().Submit<void>(
      [id = std::string(id), token_hash = std::move(token_hash)](Connection& db) -> Status {
        UITWEG_TRY_ASSIGN(Rows updated, db.Query("UPDATE conversation SET resume_token_hash = $2"
                                                 " WHERE id = $1 AND shredded_at IS NULL",
                                                 {id, token_hash}));
        if (updated.affected() == 0) {
          return core::Fail(core::Errc::not_found, "conversation not found");
        }
        return {};
      },
      std::move(done), std::string(id));
}

void PostgresConversationStore::OfferTransfer(std::string_view id, std::int64_t from,
                                              std::int64_t to, UnixMillis now,
                                              Done<Conversation> done) {
  if (from == to) {
    return done(core::Fail(core::Errc::failed_precondition, "a transfer goes to a colleague"));
  }
  connections_->writer().Submit<Conversation>(
      [id = std::string(id), from, to, now](Connection& db) -> Result<Conversation> {
        auto updated = db.Query(
            "UPDATE conversation SET offered_to = $3, offered_at = $4"
            " WHERE id = $1 AND status = 'active' AND counsellor_id = $2",
            {id, from, to, now});
        if (!updated) {
          if (updated.error().code == core::Errc::not_found) {
            return core::Fail(core::Errc::not_found, "colleague not found");
          }
          return updated.error();
        }
        if (updated->affected() == 0) {
          return WhyNotChanged(db, id, "conversation is not active with this counsellor");
        }
        return LoadConversation(db, id);
      },
      std::move(done), std::string(id));
}

void PostgresConversationStore::TakeTransfer(std::string_view id, std::int64_t to, UnixMillis now,
                                             Done<Transition> done) {
  connections_->writer().Submit<Transition>(
      [id = std::string(id), to, now](Connection& db) -> Result<Transition> {
        UITWEG_TRY(CheckRoomToTake(db, id, to));
        UITWEG_TRY_ASSIGN(Rows updated,
                          db.Query("UPDATE conversation SET counsellor_id = $2,"
                                   " offered_to = NULL, offered_at = NULL"
                                   " WHERE id = $1 AND status = 'active' AND offered_to = $2",
                                   {id, to}));
        if (updated.affected() == 0) {
          return WhyNotChanged(db, id, "this conversation is not offered to you (any more)");
        }
        return WriteTransition(db, id, TransferredEvent(id, to, now));
      },
      std::move(done), std::string(id));
}

void PostgresConversationStore::WithdrawOffer(std::string_view id, std::int64_t to,
                                              UnixMillis offered_at, Done<Conversation> done) {
  connections_->writer().Submit<Conversation>(
      [id = std::string(id), to, offered_at](Connection& db) -> Result<Conversation> {
        UITWEG_TRY_ASSIGN(Rows updated,
                          db.Query("UPDATE conversation SET offered_to = NULL, offered_at = NULL"
                                   " WHERE id = $1 AND offered_to = $2 AND offered_at = $3",
                                   {id, to, offered_at}));
        if (updated.affected() == 0) return WhyNotChanged(db, id, "no transfer is offered");
        return LoadConversation(db, id);
      },
      std::move(done), std::string(id));
}

Result<std::vector<Conversation>> PostgresConversationStore::ListOffered() {
  static const std::string sql = std::string("SELECT ") + kConversationColumns +
                                 " FROM conversation WHERE offered_to IS NOT NULL"
                                 " AND status = 'active' ORDER BY offered_at ASC, id ASC";
  return connections_->WithReader([&](Connection& db) -> Result<std::vector<Conversation>> {
    UITWEG_TRY_ASSIGN(Rows rows, db.Query(sql));
    return ReadAll<Conversation>(rows, ReadConversation<Row>);
  });
}

void PostgresConversationStore::RequestForget(std::string_view id, Done<void> done) {
  connections_->writer().Submit<void>(
      [id = std::string(id)](Connection& db) -> Status {
        UITWEG_TRY_ASSIGN(
            Rows marked,
            db.Query("UPDATE conversation SET forget_requested = 1 WHERE id = $1", {id}));
        if (marked.affected() == 0) {
          return core::Fail(core::Errc::not_found, "conversation not found");
        }
        return {};
      },
      std::move(done), std::string(id));
}

void PostgresConversationStore::RecordFeedback(std::string_view id, model::Feedback feedback,
                                               UnixMillis now, Done<void> done) {
  connections_->writer().Submit<void>(
      [id = std::string(id), feedback = std::move(feedback), now](Connection& db) -> Status {
        UITWEG_TRY_ASSIGN(Rows marked, db.Query("UPDATE conversation SET feedback_given = 1"
                                                " WHERE id = $1 AND status = 'ended'"
                                                " AND feedback_given = 0",
                                                {id}));
        if (marked.affected() == 0) {
          UITWEG_TRY_ASSIGN(const Conversation conversation, LoadConversation(db, id));
          if (conversation.status != model::ConversationStatus::ended) {
            return core::Fail(core::Errc::failed_precondition, "the conversation has not ended");
          }
          return core::Fail(core::Errc::already_exists, "the questions were answered already");
        }
        UITWEG_TRY(
            db.Query("INSERT INTO visitor_feedback (day, helped, would_return)"
                     " VALUES ($1, NULLIF($2, ''), NULLIF($3, ''))",
                     {FeedbackDay(now), feedback.helped, feedback.would_return}));
        return {};
      },
      std::move(done), std::string(id));
}

Result<std::vector<std::string>> PostgresConversationStore::ListStartedBetween(UnixMillis from,
                                                                               UnixMillis until) {
  return connections_->WithReader([&](Connection& db) -> Result<std::vector<std::string>> {
    UITWEG_TRY_ASSIGN(Rows rows,
                      db.Query("SELECT id FROM conversation WHERE created_at >= $1::BIGINT"
                               " AND created_at < $2::BIGINT AND shredded_at IS NULL"
                               " AND forget_requested = 0 ORDER BY created_at, id COLLATE \"C\"",
                               {from, until}));
    return ReadAll<std::string>(rows,
                                [](const Row& row) -> Result<std::string> { return row.Text(0); });
  });
}

Result<std::vector<std::string>> PostgresConversationStore::DueForShredding(UnixMillis ended_before,
                                                                            std::size_t limit) {
  return connections_->WithReader([&](Connection& db) -> Result<std::vector<std::string>> {
    UITWEG_TRY_ASSIGN(
        Rows rows,
        db.Query("SELECT id FROM conversation WHERE status = 'ended' AND shredded_at IS NULL"
                 " AND (ended_at < $1::BIGINT OR forget_requested = 1"
                 " OR (offline = 1 AND end_reason = 'abandoned'))"
                 " ORDER BY ended_at, id COLLATE \"C\" LIMIT $2",
                 {ended_before, static_cast<std::int64_t>(limit)}));
    return ReadAll<std::string>(rows,
                                [](const Row& row) -> Result<std::string> { return row.Text(0); });
  });
}

}  // namespace uitweg::store::postgres
