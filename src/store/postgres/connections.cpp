#include "store/postgres/connections.hpp"

#include <algorithm>

#include "core/log.hpp"
#include "store/postgres/migrations.hpp"
#include "store/rows.hpp"

namespace uitweg::store::postgres {

Result<std::shared_ptr<Connections>> Connections::Open(const PostgresOptions& options) {
  if (!IsPostgresUrl(options.url)) {
    return core::Fail(core::Errc::invalid_argument,
                      "a PostgreSQL database is named by a postgresql:// URL");
  }
  UITWEG_TRY_ASSIGN(auto writer, Connection::Open(options.url));
  UITWEG_TRY(Migrate(*writer, Migrations()));
  std::vector<std::unique_ptr<Connection>> readers;
  for (std::size_t i = 0; i < std::max<std::size_t>(1, options.reader_count); ++i) {
    UITWEG_TRY_ASSIGN(auto reader, Connection::Open(options.url));
    readers.push_back(std::move(reader));
  }
  core::Log(
      core::LogLevel::info, "store.opened",
      {{"backend", "postgresql"}, {"readers", readers.size()}, {"max_batch", options.max_batch}});
  return std::shared_ptr<Connections>(new Connections(
      std::make_unique<Writer>(std::move(writer), options.max_batch,
                               std::chrono::microseconds(options.commit_linger_micros),
                               options.completions),
      std::make_unique<ReaderPool>(std::move(readers))));
}

Connections::~Connections() {
  writer_->Close();
}

Result<model::Conversation> LoadConversation(Connection& connection, std::string_view id) {
  static const std::string sql =
      std::string("SELECT ") + kConversationColumns + " FROM conversation WHERE id = $1";
  UITWEG_TRY_ASSIGN(Rows rows, connection.Query(sql, {id}));
  return ReadOne<model::Conversation>(rows, ReadConversation<Row>, "conversation not found");
}

}  // namespace uitweg::store::postgres
