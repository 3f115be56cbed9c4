#pragma once
// The column lists that every backend selects, and the functions that turn a row of them into a
// domain struct. A Row is anything with IsNull, Text, Int, OptionalInt and Blob by column index
// (sqlite::Statement, postgres::Row). A stored enum name that this binary does not know is
// reported as internal (a corrupt or foreign database), never guessed.

#include <concepts>
#include <cstdint>
#include <optional>
#include <string>

#include "core/error.hpp"
#include "model/conversation.hpp"
#include "model/message.hpp"
#include "model/staff.hpp"

namespace uitweg::store {

// Where the backends' SQL differs: numbered parameters (?1 for SQLite, $1 for PostgreSQL) and
// bytewise ordering of text (SQLite's BINARY, PostgreSQL's COLLATE "C").
enum class SqlDialect { sqlite, postgres };

// `AND <kLeavesAnAdmin>` in an UPDATE of the staff_account whose id is parameter 1 that may take
// away its being an enabled administrator: it is not one, or another enabled one remains.
inline constexpr const char* kLeavesAnAdmin =
    "(role <> 'admin' OR disabled <> 0 OR EXISTS (SELECT 1 FROM staff_account AS other"
    " WHERE other.role = 'admin' AND other.disabled = 0 AND other.id <> staff_account.id))";
inline constexpr const char* kLastAdmin =
    "this would leave no enabled administrator; make another one first";
inline constexpr const char* kPasswordChanged = "the password was changed meanwhile";

// SELECT <kAccountColumns> FROM staff_account ...
inline constexpr const char* kAccountColumns =
    "id, username, role, display_name, password_hash, disabled, created_at, totp_secret, "
    "last_sign_in_at, capacity, availability, console_seen_at";
inline constexpr const char* kSessionColumns =
    "token_hash, account_id, csrf_token, created_at, last_seen_at";
inline constexpr const char* kConversationColumns =
    "id, status, subject, nickname, counsellor_id, urgency, last_seq, created_at, accepted_at, "
    "ended_at, end_reason, visitor_seen_at, urgency_marked_by, offline, offered_to, offered_at, "
    "language, campaign, resume_token_hash, forget_requested";
inline constexpr const char* kMessageColumns =
    "conversation_id, seq, kind, sender, author_id, client_id, body, created_at, body_shredded";

template <class R>
concept StoredRow = requires(const R& row, int column) {
  { row.IsNull(column) } -> std::same_as<bool>;
  { row.Text(column) } -> std::convertible_to<std::string>;
  { row.Int(column) } -> std::same_as<std::int64_t>;
  { row.OptionalInt(column) } -> std::same_as<std::optional<std::int64_t>>;
  { row.Blob(column) } -> std::convertible_to<std::string>;
};

// internal: a stored value this binary does not know.
core::Error CorruptValue(const char* what);

template <StoredRow Row>
core::Result<model::StaffAccount> ReadAccount(const Row& row) {
  model::StaffAccount account;
  account.id = row.Int(0);
  account.username = row.Text(1);
  if (!model::ParseRole(row.Text(2), account.role)) return CorruptValue("role");
  account.display_name = row.Text(3);
  account.password_hash = row.Text(4);
  account.disabled = row.Int(5) != 0;
  account.created_at = row.Int(6);
  if (!row.IsNull(7)) account.sealed_totp_secret = row.Blob(7);
  account.last_sign_in_at = row.OptionalInt(8);
  account.capacity = static_cast<std::int32_t>(row.Int(9));
  if (!model::ParseAvailability(row.Text(10), account.availability)) {
    return CorruptValue("availability");
  }
  account.console_seen_at = row.OptionalInt(11);
  return account;
}

template <StoredRow Row>
core::Result<model::AccountSetup> ReadAccountSetup(const Row& row) {
  model::AccountSetup setup;
  setup.token_hash = row.Text(0);
  setup.account_id = row.Int(1);
  if (!model::ParseSetupPurpose(row.Text(2), setup.purpose)) return CorruptValue("purpose");
  setup.expires_at = row.Int(3);
  return setup;
}

template <StoredRow Row>
model::StaffSession ReadSession(const Row& row) {
  model::StaffSession session;
  session.token_hash = row.Text(0);
  session.account_id = row.Int(1);
  session.csrf_token = row.Text(2);
  session.created_at = row.Int(3);
  session.last_seen_at = row.Int(4);
  return session;
}

template <StoredRow Row>
core::Result<model::Conversation> ReadConversation(const Row& row) {
  model::Conversation conversation;
  conversation.id = row.Text(0);
  if (!model::ParseConversationStatus(row.Text(1), conversation.status)) {
    return CorruptValue("status");
  }
  if (!model::ParseSubject(row.Text(2), conversation.subject)) return CorruptValue("subject");
  conversation.nickname = row.Blob(3);
  conversation.counsellor_id = row.OptionalInt(4);
  conversation.urgency = static_cast<std::int32_t>(row.Int(5));
  conversation.last_seq = row.Int(6);
  conversation.created_at = row.Int(7);
  conversation.accepted_at = row.OptionalInt(8);
  conversation.ended_at = row.OptionalInt(9);
  if (!row.IsNull(10)) {
    model::EndReason reason{};
    if (!model::ParseEndReason(row.Text(10), reason)) return CorruptValue("end reason");
    conversation.end_reason = reason;
  }
  conversation.visitor_seen_at = row.OptionalInt(11);
  conversation.urgency_marked_by = row.OptionalInt(12);
  conversation.offline = row.Int(13) != 0;
  conversation.offered_to = row.OptionalInt(14);
  conversation.offered_at = row.OptionalInt(15);
  conversation.language = row.Text(16);
  conversation.campaign = row.Text(17);
  conversation.resume_token_hash = row.Text(18);
  conversation.forget_requested = row.Int(19) != 0;
  return conversation;
}

template <StoredRow Row>
core::Result<model::Message> ReadMessage(const Row& row) {
  model::Message message;
  message.conversation_id = row.Text(0);
  message.seq = row.Int(1);
  if (!model::ParseMessageKind(row.Text(2), message.kind)) return CorruptValue("message kind");
  if (!model::ParseSender(row.Text(3), message.sender)) return CorruptValue("sender");
  message.author_id = row.OptionalInt(4);
  message.client_id = row.Text(5);
  message.body = row.Blob(6);
  message.created_at = row.Int(7);
  message.body_shredded = row.Int(8) != 0;
  return message;
}

}  // namespace uitweg::store
