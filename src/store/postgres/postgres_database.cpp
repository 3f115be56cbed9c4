#include "store/postgres/postgres_database.hpp"

#include <fmt/format.h>

#include <random>

#include "store/postgres/change_feed.hpp"
#include "store/postgres/connections.hpp"
#include "store/postgres/postgres_account_store.hpp"
#include "store/postgres/postgres_audit_store.hpp"
#include "store/postgres/postgres_canned_response_store.hpp"
#include "store/postgres/postgres_content_store.hpp"
#include "store/postgres/postgres_conversation_store.hpp"
#include "store/postgres/postgres_handover_store.hpp"
#include "store/postgres/postgres_insights_store.hpp"
#include "store/postgres/postgres_outreach_store.hpp"
#include "store/postgres/postgres_registration_store.hpp"
#include "store/postgres/postgres_review_store.hpp"
#include "store/postgres/postgres_sealed_secret_store.hpp"
#include "store/postgres/postgres_setting_store.hpp"

namespace uitweg::store {

namespace {

// How this node signs its rings: random, so that two nodes never share one.
std::string NewNodeId() {
  std::random_device random;
  std::string id = "n";
  for (int i = 0; i < 4; ++i) id += fmt::format("{:08x}", random());
  return id;
}

}  // namespace

Result<Database> OpenPostgresDatabase(const PostgresOptions& options) {
  UITWEG_TRY_ASSIGN(auto connections, postgres::Connections::Open(options));
  return Database{
      .backend = "postgresql",
      .accounts = std::make_unique<postgres::PostgresAccountStore>(connections),
      .conversations = std::make_unique<postgres::PostgresConversationStore>(connections),
      .audit = std::make_unique<postgres::PostgresAuditStore>(connections),
      .sealed = std::make_unique<postgres::PostgresSealedSecretStore>(connections),
      .canned = std::make_unique<postgres::PostgresCannedResponseStore>(connections),
      .settings = std::make_unique<postgres::PostgresSettingStore>(connections),
      .registrations = std::make_unique<postgres::PostgresRegistrationStore>(connections),
      .handovers = std::make_unique<postgres::PostgresHandoverStore>(connections),
      .content = std::make_unique<postgres::PostgresContentStore>(connections),
      .campaigns = std::make_unique<postgres::PostgresCampaignStore>(connections),
      .outreach = std::make_unique<postgres::PostgresOutreachStore>(connections),
      .insights = std::make_unique<postgres::PostgresInsightsStore>(connections),
      .reviews = std::make_unique<postgres::PostgresReviewStore>(connections),
      .changes = std::make_unique<postgres::PostgresChangeFeed>(options.url, NewNodeId())};
}

}  // namespace uitweg::store
