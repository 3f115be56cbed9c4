#include "store/postgres/postgres_content_store.hpp"

namespace uitweg::store::postgres {
namespace {

constexpr std::string_view kVersionColumns = "slug, language, version, body, author_id, created_at";
constexpr std::string_view kCampaignColumns = "code, label, created_by, created_at, retired_at";

core::Result<ContentVersion> ReadVersion(const Row& row) {
  return ContentVersion{.slug = row.Text(0),
                        .language = row.Text(1),
                        .version = row.Int(2),
                        .body = row.Text(3),
                        .author_id = row.Int(4),
                        .created_at = row.Int(5)};
}

core::Result<Campaign> ReadCampaign(const Row& row) {
  return Campaign{.code = row.Text(0),
                  .label = row.Text(1),
                  .created_by = row.Int(2),
                  .created_at = row.Int(3),
                  .retired_at = row.OptionalInt(4)};
}

}  // namespace

core::Result<ContentVersion> PostgresContentStore::AddContentVersion(
    std::string_view slug, std::string_view language, std::string_view body, std::int64_t based_on,
    std::int64_t author_id, core::UnixMillis now) {
  core::Result<ContentVersion> added = connections_->writer().Run<ContentVersion>(
      [&](Connection& db) -> core::Result<ContentVersion> {
        UITWEG_TRY_ASSIGN(Rows newest,
                          db.Query("SELECT coalesce(max(version), 0) FROM content_version"
                                   " WHERE slug = $1 AND language = $2",
                                   {std::string(slug), std::string(language)}));
        const std::int64_t current = newest[0].Int(0);
        if (current != based_on) {
          return core::Fail(core::Errc::failed_precondition,
                            "someone saved this page since you opened it; reload it first");
        }
        ContentVersion version{.slug = std::string(slug),
                               .language = std::string(language),
                               .version = current + 1,
                               .body = std::string(body),
                               .author_id = author_id,
                               .created_at = now};
        UITWEG_TRY(db.Query(
            "INSERT INTO content_version (slug, language, version, body,"
            " author_id, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
            {version.slug, version.language, version.version, version.body, author_id, now}));
        return version;
      },
      "content");
  // Another node took the same number at once: to this editor that is a concurrent save.
  if (!added && added.error().code == core::Errc::already_exists) {
    return core::Fail(core::Errc::failed_precondition,
                      "someone saved this page since you opened it; reload it first");
  }
  return added;
}

core::Result<std::optional<ContentVersion>> PostgresContentStore::ReadContentVersion(
    std::string_view slug, std::string_view language, std::int64_t version) {
  return connections_->WithReader(
      [&](Connection& db) -> core::Result<std::optional<ContentVersion>> {
        UITWEG_TRY_ASSIGN(
            Rows rows, db.Query(std::string("SELECT ") + std::string(kVersionColumns) +
                                    " FROM content_version WHERE slug = $1 AND language = $2"
                                    " AND (version = $3 OR $3 = 0) ORDER BY version DESC LIMIT 1",
                                {std::string(slug), std::string(language), version}));
        if (rows.size() == 0) return std::optional<ContentVersion>();
        UITWEG_TRY_ASSIGN(ContentVersion found, ReadVersion(rows[0]));
        return std::optional<ContentVersion>(std::move(found));
      });
}

core::Result<std::vector<ContentVersion>> PostgresContentStore::NewestContentVersions() {
  return connections_->WithReader([&](Connection& db) -> core::Result<std::vector<ContentVersion>> {
    UITWEG_TRY_ASSIGN(Rows rows,
                      db.Query(std::string("SELECT DISTINCT ON (slug, language) ") +
                               std::string(kVersionColumns) +
                               " FROM content_version ORDER BY slug, language, version DESC"));
    return ReadAll<ContentVersion>(rows, ReadVersion);
  });
}

core::Result<std::vector<ContentVersion>> PostgresContentStore::ListContentVersions(
    std::string_view slug, std::string_view language) {
  return connections_->WithReader([&](Connection& db) -> core::Result<std::vector<ContentVersion>> {
    UITWEG_TRY_ASSIGN(Rows rows,
                      db.Query("SELECT slug, language, version, '', author_id, created_at"
                               " FROM content_version WHERE slug = $1 AND language = $2"
                               " ORDER BY version DESC",
                               {std::string(slug), std::string(language)}));
    return ReadAll<ContentVersion>(rows, ReadVersion);
  });
}

core::Status PostgresCampaignStore::CreateCampaign(const Campaign& campaign) {
  core::Status created = connections_->writer().Run<void>(
      [&](Connection& db) -> core::Status {
        UITWEG_TRY(
            db.Query("INSERT INTO campaign (code, label, created_by, created_at)"
                     " VALUES ($1, $2, $3, $4)",
                     {campaign.code, campaign.label, campaign.created_by, campaign.created_at}));
        return {};
      },
      "campaign");
  if (!created && created.error().code == core::Errc::already_exists) {
    return core::Fail(core::Errc::already_exists, "that campaign code exists already");
  }
  return created;
}

core::Result<bool> PostgresCampaignStore::RetireCampaign(std::string_view code,
                                                         core::UnixMillis now) {
  return connections_->writer().Run<bool>([&](Connection& db) -> core::Result<bool> {
    UITWEG_TRY_ASSIGN(Rows rows, db.Query("UPDATE campaign SET retired_at = $2"
                                          " WHERE code = $1 AND retired_at IS NULL",
                                          {std::string(code), now}));
    if (rows.affected() > 0) return true;
    UITWEG_TRY_ASSIGN(Rows known,
                      db.Query("SELECT 1 FROM campaign WHERE code = $1", {std::string(code)}));
    if (known.empty()) return core::Fail(core::Errc::not_found, "no such campaign code");
    return false;
  });
}

core::Result<std::vector<Campaign>> PostgresCampaignStore::ListCampaigns() {
  return connections_->WithReader([&](Connection& db) -> core::Result<std::vector<Campaign>> {
    UITWEG_TRY_ASSIGN(Rows rows, db.Query(std::string("SELECT ") + std::string(kCampaignColumns) +
                                          " FROM campaign ORDER BY created_at DESC, code"));
    return ReadAll<Campaign>(rows, ReadCampaign);
  });
}

core::Result<std::optional<Campaign>> PostgresCampaignStore::FindCampaign(std::string_view code) {
  return connections_->WithReader([&](Connection& db) -> core::Result<std::optional<Campaign>> {
    UITWEG_TRY_ASSIGN(Rows rows, db.Query(std::string("SELECT ") + std::string(kCampaignColumns) +
                                              " FROM campaign WHERE code = $1",
                                          {std::string(code)}));
    if (rows.size() == 0) return std::optional<Campaign>();
    UITWEG_TRY_ASSIGN(Campaign found, ReadCampaign(rows[0]));
    return std::optional<Campaign>(std::move(found));
  });
}

core::Status PostgresCampaignStore::CountCampaignEvent(std::string_view day, std::string_view code,
                                                       std::string_view metric) {
  return connections_->writer().Run<void>([&](Connection& db) -> core::Status {
    UITWEG_TRY(
        db.Query("INSERT INTO campaign_count (day, code, metric, count)"
                 " VALUES ($1, $2, $3, 1) ON CONFLICT (day, code, metric)"
                 " DO UPDATE SET count = campaign_count.count + 1",
                 {std::string(day), std::string(code), std::string(metric)}));
    return {};
  });
}

core::Result<std::vector<CampaignCount>> PostgresCampaignStore::ReadCampaignCounts(
    std::string_view first_day, std::string_view last_day) {
  return connections_->WithReader([&](Connection& db) -> core::Result<std::vector<CampaignCount>> {
    UITWEG_TRY_ASSIGN(Rows rows,
                      db.Query("SELECT day, code, metric, count FROM campaign_count"
                               " WHERE day >= $1 AND day <= $2 ORDER BY day, code, metric",
                               {std::string(first_day), std::string(last_day)}));
    return ReadAll<CampaignCount>(rows, [](const Row& row) -> core::Result<CampaignCount> {
      return CampaignCount{
          .day = row.Text(0), .code = row.Text(1), .metric = row.Text(2), .count = row.Int(3)};
    });
  });
}

}  // namespace uitweg::store::postgres
