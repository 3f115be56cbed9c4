#include "auth/audit_trail.hpp"

#include <unistd.h>

#include <array>

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

core::Result<std::optional<ChainBreak>> AuditTrail::Verify(
    const std::function<void(std::int64_t)>& progress) {
  std::int64_t expected_seq = 1;
  std::string previous_hash(store::kAuditGenesis);
  for (;;) {
    UITWEG_TRY_ASSIGN(const std::vector<store::AuditEntry> batch,
                      store_.After(expected_seq - 1, kVerifyBatch));
    if (batch.empty()) return std::optional<ChainBreak>();
    for (const store::AuditEntry& entry : batch) {
      if (entry.seq != expected_seq) {
        return ChainBreak{expected_seq, "entry " + std::to_string(expected_seq) +
                                            " is missing (the next is " +
                                            std::to_string(entry.seq) + ")"};
      }
      if (entry.prev_hash != previous_hash) {
        return ChainBreak{entry.seq, "it does not name the hash of the entry before it"};
      }
      if (entry.hash != store::AuditHash(entry)) {
        return ChainBreak{entry.seq, "its fields do not match its hash (it was changed)"};
      }
      previous_hash = entry.hash;
      ++expected_seq;
    }
    if (progress) progress(expected_seq - 1);
  }
}

std::string HostName() {
  std::array<char, 256> name{};
  if (::gethostname(name.data(), name.size() - 1) != 0) return "unknown";
  return name.data();
}

}  // namespace uitweg::auth
