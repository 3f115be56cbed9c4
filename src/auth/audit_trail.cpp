#include "auth/audit_trail.hpp"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <utility>

#include "core/log.hpp"

namespace uitweg::auth {
namespace {

constexpr std::size_t kVerifyBatch = 10'000;

}  // namespace

store::NewAuditEntry AuditTrail::Entry(const Actor& actor, std::string_view action,
                                       std::string_view conversation_id,
                                       std::string_view detail) const {
  return store::NewAuditEntry{
      .at = clock_.Now(),
      .node = node_,
      .account_id = actor.account_id,
      .role = actor.role ? std::string(model::RoleName(*actor.role)) : std::string(),
      .action = std::string(action),
      .conversation_id = std::string(conversation_id),
      .detail = std::string(detail)};
}

void AuditTrail::RecordLater(const Actor& actor, std::string_view action,
                             std::string_view conversation_id, std::string_view detail) {
  store_.AppendLater(Entry(actor, action, conversation_id, detail), [action = std::string(action)](
                                                                        core::Status appended) {
    if (appended) return;
    core::Log(core::LogLevel::error, "audit.append_failed",
              {{"action", action}, {"code", core::ErrcName(appended.error().code)}});
  });
}

core::Status AuditTrail::Record(const Actor& actor, std::string_view action,
                                std::string_view conversation_id, std::string_view detail) {
  auto appended = store_.Append(Entry(actor, action, conversation_id, detail));
  if (!appended) {
    core::Log(core::LogLevel::error, "audit.append_failed",
              {{"action", action}, {"code", core::ErrcName(appended.error().code)}});
    return appended.error();
  }
  return {};
}

core::Result<std::vector<store::AuditEntry>> AuditTrail::Find(const store::AuditQuery& query) {
  return store_.Find(query);
}

core::Result<ChainCheck> AuditTrail::Verify(const std::function<void(std::int64_t)>& progress,
                                            const std::optional<ChainAnchor>& anchor) {
  ChainCheck check;
  const auto broken = [&check](std::int64_t seq, std::string why) {
    check.broken = ChainBreak{seq, std::move(why)};
    return check;
  };
  std::string previous_hash(store::kAuditGenesis);
  for (;;) {
    UITWEG_TRY_ASSIGN(const std::vector<store::AuditEntry> batch,
                      store_.After(check.last.seq, kVerifyBatch));
    if (batch.empty()) break;
    for (const store::AuditEntry& entry : batch) {
      const std::int64_t expected_seq = check.last.seq + 1;
      if (entry.seq != expected_seq) {
        return broken(expected_seq, "entry " + std::to_string(expected_seq) +
                                        " is missing (the next is " + std::to_string(entry.seq) +
                                        ")");
      }
      if (entry.prev_hash != previous_hash) {
        return broken(entry.seq, "it does not name the hash of the entry before it");
      }
      if (entry.hash != store::AuditHash(entry)) {
        return broken(entry.seq, "its fields do not match its hash (it was changed)");
      }
      if (anchor && entry.seq == anchor->seq && entry.hash != anchor->hash) {
        return broken(entry.seq,
                      "it is not the entry an earlier verification recorded (the trail was "
                      "rewritten up to here)");
      }
      previous_hash = entry.hash;
      check.last = ChainAnchor{entry.seq, entry.hash};
    }
    if (progress) progress(check.last.seq);
  }
  if (anchor && check.last.seq < anchor->seq) {
    return broken(check.last.seq + 1, "the trail ends at entry " + std::to_string(check.last.seq) +
                                          ", before entry " + std::to_string(anchor->seq) +
                                          " that an earlier verification recorded (entries were "
                                          "removed from its end)");
  }
  return check;
}

std::optional<ChainAnchor> ParseChainAnchor(std::string_view text) {
  const std::size_t colon = text.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == text.size()) return {};
  std::int64_t seq = 0;
  const std::string_view digits = text.substr(0, colon);
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), seq);
  if (error != std::errc() || end != digits.data() + digits.size() || seq < 1) return {};
  const std::string_view hash = text.substr(colon + 1);
  if (hash.size() > 256 || !std::all_of(hash.begin(), hash.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
      })) {
    return {};
  }
  return ChainAnchor{seq, std::string(hash)};
}

std::string ChainAnchorText(const ChainAnchor& anchor) {
  return std::to_string(anchor.seq) + ":" + anchor.hash;
}

std::string HostName() {
  std::array<char, 256> name{};
  if (::gethostname(name.data(), name.size() - 1) != 0) return "unknown";
  return name.data();
}

}  // namespace uitweg::auth
