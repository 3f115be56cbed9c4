#pragma once
// The SQLite ContentStore and CampaignStore: reads from the reader pool, writes through the one
// writer.

#include <memory>

#include "store/campaign_store.hpp"
#include "store/content_store.hpp"
#include "store/sqlite/connections.hpp"

namespace uitweg::store::sqlite {

class SqliteContentStore final : public ContentStore {
 public:
  explicit SqliteContentStore(std::shared_ptr<Connections> connections)
      : connections_(std::move(connections)) {}

  core::Result<ContentVersion> AddContentVersion(std::string_view slug, std::string_view language,
                                                 std::string_view body, std::int64_t based_on,
                                                 std::int64_t author_id,
                                                 core::UnixMillis now) override;
  core::Result<std::optional<ContentVersion>> ReadContentVersion(std::string_view slug,
                                                                 std::string_view language,
                                                                 std::int64_t version) override;
  core::Result<std::vector<ContentVersion>> NewestContentVersions() override;
  core::Result<std::vector<ContentVersion>> ListContentVersions(std::string_view slug,
                                                                std::string_view language) override;

 private:
  std::shared_ptr<Connections> connections_;
};

class SqliteCampaignStore final : public CampaignStore {
 public:
  explicit SqliteCampaignStore(std::shared_ptr<Connections> connections)
      : connections_(std::move(connections)) {}

  core::Status CreateCampaign(const Campaign& campaign) override;
  core::Result<bool> RetireCampaign(std::string_view code, core::UnixMillis now) override;
  core::Result<std::vector<Campaign>> ListCampaigns() override;
  core::Result<std::optional<Campaign>> FindCampaign(std::string_view code) override;
  core::Status CountCampaignEvent(std::string_view day, std::string_view code,
                                  std::string_view metric) override;
  core::Result<std::vector<CampaignCount>> ReadCampaignCounts(std::string_view first_day,
                                                              std::string_view last_day) override;

 private:
  std::shared_ptr<Connections> connections_;
};

}  // namespace uitweg::store::sqlite
