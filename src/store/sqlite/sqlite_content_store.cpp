#include "store/sqlite/sqlite_content_store.hpp"

#include "store/sqlite/rows.hpp"

namespace uitweg::store::sqlite {
namespace {

constexpr std::string_view kVersionColumns = "slug, language, version, body, author_id, created_at";

ContentVersion ReadVersion(const Statement& row) {
  return ContentVersion{.slug = row.Text(0),
                        .language = row.Text(1),
                        .version = row.Int(2),
                        .body = row.Text(3),
                        .author_id = row.Int(4),
                        .created_at = row.Int(5)};
}

Campaign ReadCampaign(const Statement& row) {
  return Campaign{.code = row.Text(0),
                  .label = row.Text(1),
                  .created_by = row.Int(2),
                  .created_at = row.Int(3),
                  .retired_at = row.OptionalInt(4)};
}

constexpr std::string_view kCampaignColumns = "code, label, created_by, created_at, retired_at";

}  // namespace

core::Result<ContentVersion> SqliteContentStore::AddContentVersion(
    std::string_view slug, std::string_view language, std::string_view body, std::int64_t based_on,
    std::int64_t author_id, core::UnixMillis now) {
  return connections_->writer().Run<ContentVersion>(
      [&](Connection& db) -> core::Result<ContentVersion> {
        UITWEG_TRY_ASSIGN(auto newest,
                          db.Prepare("SELECT coalesce(max(version), 0) FROM content_version"
                                     " WHERE slug = ?1 AND language = ?2"));
        newest.Bind(1, slug).Bind(2, language);
        UITWEG_TRY(newest.Step());
        const std::int64_t current = newest.Int(0);
        if (current != based_on) {
          return core::Fail(core::Errc::failed_precondition,
                            "someone saved this page since you opened it; reload it first");
        }
        ContentVersion added{.slug = std::string(slug),
                             .language = std::string(language),
                             .version = current + 1,
                             .body = std::string(body),
                             .author_id = author_id,
                             .created_at = now};
        UITWEG_TRY_ASSIGN(auto insert,
                          db.Prepare("INSERT INTO content_version (slug, language, version, body,"
                                     " author_id, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"));
        UITWEG_TRY(insert.Bind(1, slug)
                       .Bind(2, language)
                       .Bind(3, added.version)
                       .Bind(4, body)
                       .Bind(5, author_id)
                       .Bind(6, now)
                       .Run());
        return added;
      },
      "content");
}

core::Result<std::optional<ContentVersion>> SqliteContentStore::ReadContentVersion(
    std::string_view slug, std::string_view language, std::int64_t version) {
  return connections_->WithReader(
      [&](Connection& db) -> core::Result<std::optional<ContentVersion>> {
        UITWEG_TRY_ASSIGN(
            auto select, db.Prepare(std::string("SELECT ") + std::string(kVersionColumns) +
                                    " FROM content_version WHERE slug = ?1 AND language = ?2"
                                    " AND (version = ?3 OR ?3 = 0) ORDER BY version DESC LIMIT 1"));
        select.Bind(1, slug).Bind(2, language).Bind(3, version);
        UITWEG_TRY_ASSIGN(const bool row, select.Step());
        if (!row) return std::optional<ContentVersion>();
        return std::optional<ContentVersion>(ReadVersion(select));
      });
}

core::Result<std::vector<ContentVersion>> SqliteContentStore::NewestContentVersions() {
  return connections_->WithReader([&](Connection& db) -> core::Result<std::vector<ContentVersion>> {
    UITWEG_TRY_ASSIGN(
        auto select,
        db.Prepare(std::string("SELECT ") + std::string(kVersionColumns) +
                   " FROM content_version AS v WHERE version = (SELECT max(version)"
                   " FROM content_version WHERE slug = v.slug AND language = v.language)"
                   " ORDER BY slug, language"));
    return ReadAll<ContentVersion>(select, ReadVersion);
  });
}

core::Result<std::vector<ContentVersion>> SqliteContentStore::ListContentVersions(
    std::string_view slug, std::string_view language) {
  return connections_->WithReader([&](Connection& db) -> core::Result<std::vector<ContentVersion>> {
    UITWEG_TRY_ASSIGN(auto select,
                      db.Prepare("SELECT slug, language, version, '', author_id, created_at"
                                 " FROM content_version WHERE slug = ?1 AND language = ?2"
                                 " ORDER BY version DESC"));
    select.Bind(1, slug).Bind(2, language);
    return ReadAll<ContentVersion>(select, ReadVersion);
  });
}

core::Status SqliteCampaignStore::CreateCampaign(const Campaign& campaign) {
  return connections_->writer().Run<void>(
      [&](Connection& db) -> core::Status {
        UITWEG_TRY_ASSIGN(auto insert,
                          db.Prepare("INSERT INTO campaign (code, label, created_by, created_at)"
                                     " VALUES (?1, ?2, ?3, ?4)"));
        core::Status inserted = insert.Bind(1, campaign.code)
                                    .Bind(2, campaign.label)
                                    .Bind(3, campaign.created_by)
                                    .Bind(4, campaign.created_at)
                                    .Run();
        if (!inserted && inserted.error().code == core::Errc::already_exists) {
          return core::Fail(core::Errc::already_exists, "that campaign code exists already");
        }
        return inserted;
      },
      "campaign");
}

core::Result<bool> SqliteCampaignStore::RetireCampaign(std::string_view code,
                                                       core::UnixMillis now) {
  return connections_->writer().Run<bool>([&](Connection& db) -> core::Result<bool> {
    UITWEG_TRY_ASSIGN(auto update, db.Prepare("UPDATE campaign SET retired_at = ?2"
                                              " WHERE code = ?1 AND retired_at IS NULL"));
    UITWEG_TRY(update.Bind(1, code).Bind(2, now).Run());
    if (db.Changes() > 0) return true;
    UITWEG_TRY_ASSIGN(auto known, db.Prepare("SELECT COUNT(*) FROM campaign WHERE code = ?1"));
    known.Bind(1, code);
    UITWEG_TRY(known.Step());
    if (known.Int(0) == 0) return core::Fail(core::Errc::not_found, "no such campaign code");
    return false;
  });
}

core::Result<std::vector<Campaign>> SqliteCampaignStore::ListCampaigns() {
  return connections_->WithReader([&](Connection& db) -> core::Result<std::vector<Campaign>> {
    UITWEG_TRY_ASSIGN(auto select,
                      db.Prepare(std::string("SELECT ") + std::string(kCampaignColumns) +
                                 " FROM campaign ORDER BY created_at DESC, code"));
    return ReadAll<Campaign>(select, ReadCampaign);
  });
}

core::Result<std::optional<Campaign>> SqliteCampaignStore::FindCampaign(std::string_view code) {
  return connections_->WithReader([&](Connection& db) -> core::Result<std::optional<Campaign>> {
    UITWEG_TRY_ASSIGN(auto select,
                      db.Prepare(std::string("SELECT ") + std::string(kCampaignColumns) +
                                 " FROM campaign WHERE code = ?1"));
    select.Bind(1, code);
    UITWEG_TRY_ASSIGN(const bool row, select.Step());
    if (!row) return std::optional<Campaign>();
    return std::optional<Campaign>(ReadCampaign(select));
  });
}

core::Status SqliteCampaignStore::CountCampaignEvent(std::string_view day, std::string_view code,
                                                     std::string_view metric) {
  return connections_->writer().Run<void>([&](Connection& db) -> core::Status {
    UITWEG_TRY_ASSIGN(auto upsert,
                      db.Prepare("INSERT INTO campaign_count (day, code, metric, count)"
                                 " VALUES (?1, ?2, ?3, 1) ON CONFLICT (day, code, metric)"
                                 " DO UPDATE SET count = count + 1"));
    return upsert.Bind(1, day).Bind(2, code).Bind(3, metric).Run();
  });
}

core::Result<std::vector<CampaignCount>> SqliteCampaignStore::ReadCampaignCounts(
    std::string_view first_day, std::string_view last_day) {
  return connections_->WithReader([&](Connection& db) -> core::Result<std::vector<CampaignCount>> {
    UITWEG_TRY_ASSIGN(auto select,
                      db.Prepare("SELECT day, code, metric, count FROM campaign_count"
                                 " WHERE day >= ?1 AND day <= ?2 ORDER BY day, code, metric"));
    select.Bind(1, first_day).Bind(2, last_day);
    return ReadAll<CampaignCount>(select, [](const Statement& row) {
      return CampaignCount{
          .day = row.Text(0), .code = row.Text(1), .metric = row.Text(2), .count = row.Int(3)};
    });
  });
}

}  // namespace uitweg::store::sqlite
