#include "store/sqlite/sqlite_database.hpp"

#include "store/sqlite/connections.hpp"
#include "store/sqlite/sqlite_account_store.hpp"
#include "store/sqlite/sqlite_audit_store.hpp"
#include "store/sqlite/sqlite_canned_response_store.hpp"
#include "store/sqlite/sqlite_content_store.hpp"
#include "store/sqlite/sqlite_conversation_store.hpp"
#include "store/sqlite/sqlite_handover_store.hpp"
#include "store/sqlite/sqlite_insights_store.hpp"
#include "store/sqlite/sqlite_outreach_store.hpp"
#include "store/sqlite/sqlite_registration_store.hpp"
#include "store/sqlite/sqlite_review_store.hpp"
#include "store/sqlite/sqlite_sealed_secret_store.hpp"
#include "store/sqlite/sqlite_setting_store.hpp"

namespace uitweg::store {

Result<Database> OpenSqliteDatabase(const SqliteOptions& options) {
  UITWEG_TRY_ASSIGN(auto connections, sqlite::Connections::Open(options));
  return Database{.backend = "sqlite",
                  .accounts = std::make_unique<sqlite::SqliteAccountStore>(connections),
                  .conversations = std::make_unique<sqlite::SqliteConversationStore>(connections),
                  .audit = std::make_unique<sqlite::SqliteAuditStore>(connections),
                  .sealed = std::make_unique<sqlite::SqliteSealedSecretStore>(connections),
                  .canned = std::make_unique<sqlite::SqliteCannedResponseStore>(connections),
                  .settings = std::make_unique<sqlite::SqliteSettingStore>(connections),
                  .registrations = std::make_unique<sqlite::SqliteRegistrationStore>(connections),
                  .handovers = std::make_unique<sqlite::SqliteHandoverStore>(connections),
                  .content = std::make_unique<sqlite::SqliteContentStore>(connections),
                  .campaigns = std::make_unique<sqlite::SqliteCampaignStore>(connections),
                  .outreach = std::make_unique<sqlite::SqliteOutreachStore>(connections),
                  .insights = std::make_unique<sqlite::SqliteInsightsStore>(connections),
                  .reviews = std::make_unique<sqlite::SqliteReviewStore>(connections),
                  .changes = nullptr};
}

}  // namespace uitweg::store
