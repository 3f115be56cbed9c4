#pragma once
// The audit trail: who (account and role) did what (sign-in, failed sign-in, sign-out, reading a
// conversation, sending, accepting, ending, account and role changes, reading the trail
// itself), in which conversation, when, from which node. Appended to a hash chain in the store
// (store/audit_store.hpp); Verify walks the chain and names the first entry that was changed,
// removed or put in. Ids and actions only, never content, never a name: a failed sign-in
// names the account by the log's keyed hash.
//
// Thread-safe. Record blocks until its entry is committed, so call it from worker threads;
// RecordLater does not block. The store and clock must outlive this object.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "model/staff.hpp"
#include "store/audit_store.hpp"

namespace uitweg::auth {

// Who acts: a staff account in its role, or nobody known (a visitor, a failed sign-in, the
// terminal, the retention job).
struct Actor {
  std::optional<std::int64_t> account_id = {};
  std::optional<model::Role> role = {};

  static Actor Staff(const model::StaffAccount& account) { return {account.id, account.role}; }
  static Actor Nobody() { return {}; }
};

namespace audit_action {
inline constexpr std::string_view sign_in = "sign_in";
inline constexpr std::string_view sign_in_failed = "sign_in_failed";
inline constexpr std::string_view sign_out = "sign_out";
inline constexpr std::string_view session_ended = "session_ended";
inline constexpr std::string_view read = "read";
inline constexpr std::string_view send = "send";
inline constexpr std::string_view accept = "accept";
inline constexpr std::string_view end = "end";
inline constexpr std::string_view account_created = "account_created";
inline constexpr std::string_view account_disabled = "account_disabled";
inline constexpr std::string_view account_enabled = "account_enabled";
inline constexpr std::string_view second_factor_reset = "second_factor_reset";
inline constexpr std::string_view audit_read = "audit_read";
inline constexpr std::string_view deleted = "deleted";
inline constexpr std::string_view role_changed = "role_changed";
inline constexpr std::string_view password_reset = "password_reset";
inline constexpr std::string_view account_set_up = "account_set_up";
inline constexpr std::string_view key_rotated = "key_rotated";
inline constexpr std::string_view capacity_changed = "capacity_changed";
inline constexpr std::string_view key_retired = "key_retired";
inline constexpr std::string_view urgency_changed = "urgency_changed";
inline constexpr std::string_view note = "note";
inline constexpr std::string_view whisper = "whisper";
inline constexpr std::string_view monitor = "monitor";
inline constexpr std::string_view availability_changed = "availability_changed";
inline constexpr std::string_view history_read = "history_read";
inline constexpr std::string_view canned_changed = "canned_changed";
inline constexpr std::string_view opening_hours_changed = "opening_hours_changed";
inline constexpr std::string_view transfer = "transfer";
inline constexpr std::string_view registration_saved = "registration_saved";
inline constexpr std::string_view referral = "referral";
inline constexpr std::string_view directory_changed = "directory_changed";
inline constexpr std::string_view content_changed = "content_changed";
inline constexpr std::string_view campaign_changed = "campaign_changed";
inline constexpr std::string_view outreach_verdict = "outreach_verdict";
inline constexpr std::string_view outreach_exported = "outreach_exported";
inline constexpr std::string_view outreach_scan_started = "outreach_scan_started";
inline constexpr std::string_view outreach_scan_cancelled = "outreach_scan_cancelled";
inline constexpr std::string_view outreach_scan_deleted = "outreach_scan_deleted";
inline constexpr std::string_view lexicon_changed = "lexicon_changed";
inline constexpr std::string_view partners_changed = "partners_changed";
inline constexpr std::string_view insights_report = "insights_report";
inline constexpr std::string_view review_sample_drawn = "review_sample_drawn";
inline constexpr std::string_view review_read = "review_read";
inline constexpr std::string_view review_saved = "review_saved";
inline constexpr std::string_view emerging_words_run = "emerging_words_run";
}  // namespace audit_action

struct ChainBreak {
  std::int64_t seq = 0;  // the first entry that does not fit
  std::string why = {};
};

// An entry as one verification saw it, kept apart from the database (a scheduled job's log). The
// chain alone cannot show a rewrite by someone who recomputed every hash after their change, or
// entries cut from its end; a later verification given this anchor can: the entry must still be
// there, with the same hash.
struct ChainAnchor {
  std::int64_t seq = 0;
  std::string hash = {};
};
// "SEQ:HASH" both ways; nullopt for text not of that shape.
std::optional<ChainAnchor> ParseChainAnchor(std::string_view text);
std::string ChainAnchorText(const ChainAnchor& anchor);

struct ChainCheck {
  std::optional<ChainBreak> broken = {};
  ChainAnchor last = {};  // the last entry checked; seq 0 for an empty trail
};

class AuditTrail {
 public:
  AuditTrail(store::AuditStore& store, const core::Clock& clock, std::string node)
      : store_(store), clock_(clock), node_(std::move(node)) {}

  // Appends an entry. A failure is logged (with the action, never more) and returned.
  core::Status Record(const Actor& actor, std::string_view action,
                      std::string_view conversation_id = {}, std::string_view detail = {});

  // Appends an entry without waiting for the commit (the hot path: a counsellor's message); a
  // failure is logged. Does not block.
  void RecordLater(const Actor& actor, std::string_view action,
                   std::string_view conversation_id = {}, std::string_view detail = {});

  // Matching entries, newest first.
  core::Result<std::vector<store::AuditEntry>> Find(const store::AuditQuery& query);

  // Walks the whole chain: no break when every entry follows from the one before, and the
  // `anchor` (if any) is still in it as it was; otherwise the first entry that does not fit.
  // `progress` is told how many entries were checked, now and then.
  core::Result<ChainCheck> Verify(const std::function<void(std::int64_t checked)>& progress = {},
                                  const std::optional<ChainAnchor>& anchor = {});

 private:
  store::NewAuditEntry Entry(const Actor& actor, std::string_view action,
                             std::string_view conversation_id, std::string_view detail) const;

  store::AuditStore& store_;
  const core::Clock& clock_;
  const std::string node_;
};

// This machine's name, for the node of audit entries.
std::string HostName();

}  // namespace uitweg::auth
