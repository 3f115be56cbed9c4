#pragma once
// The stores of one database, opened together (by OpenSqliteDatabase, say) and closed together
// when this is destroyed: queued writes are committed and answered first.

#include <memory>
#include <string>
#include <string_view>

#include "store/account_store.hpp"
#include "store/audit_store.hpp"
#include "store/campaign_store.hpp"
#include "store/canned_response_store.hpp"
#include "store/change_feed.hpp"
#include "store/content_store.hpp"
#include "store/conversation_store.hpp"
#include "store/handover_store.hpp"
#include "store/insights_store.hpp"
#include "store/outreach_store.hpp"
#include "store/registration_store.hpp"
#include "store/review_store.hpp"
#include "store/sealed_secret_store.hpp"
#include "store/setting_store.hpp"

namespace uitweg::store {

struct Database {
  std::string backend;  // "sqlite" or "postgresql"; named by GET /healthz
  std::unique_ptr<AccountStore> accounts;
  std::unique_ptr<ConversationStore> conversations;
  std::unique_ptr<AuditStore> audit;
  std::unique_ptr<SealedSecretStore> sealed;
  std::unique_ptr<CannedResponseStore> canned;
  std::unique_ptr<SettingStore> settings;
  std::unique_ptr<RegistrationStore> registrations;
  std::unique_ptr<HandoverStore> handovers;
  std::unique_ptr<ContentStore> content;
  std::unique_ptr<CampaignStore> campaigns;
  std::unique_ptr<OutreachStore> outreach;
  std::unique_ptr<InsightsStore> insights;
  std::unique_ptr<ReviewStore> reviews;
  // For a database that several nodes share (PostgreSQL): what the others commit. Null for one
  // node alone (SQLite).
  std::unique_ptr<ChangeFeed> changes;
};

// Whether `database` names PostgreSQL (postgresql:// or postgres://) rather than a file.
inline bool IsPostgresUrl(std::string_view database) {
  return database.starts_with("postgresql://") || database.starts_with("postgres://");
}

}  // namespace uitweg::store
