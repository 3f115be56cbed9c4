#include "store/encrypting_test_database.hpp"

#include <utility>

#include "core/testing/task_thread.hpp"
#include "crypto/aead.hpp"
#include "store/encrypting_conversation_store.hpp"
#include "store/encrypting_review_store.hpp"

namespace uitweg::store {
namespace {

class EncryptingTestDatabase final : public TestDatabase {
 public:
  explicit EncryptingTestDatabase(std::unique_ptr<TestDatabase> inner)
      : inner_(std::move(inner)),
        master_keys_(crypto::MasterKeys::Fixed({crypto::Aead::Generate()}).value()) {}

  Result<Database> Open() override {
    UITWEG_TRY_ASSIGN(Database database, inner_->Open());
    auto encrypting = std::make_unique<EncryptingConversationStore>(
        std::move(database.conversations), master_keys_, key_reads_.post());
    EncryptingConversationStore& keys = *encrypting;
    database.conversations = std::move(encrypting);
    database.reviews = std::make_unique<EncryptingReviewStore>(std::move(database.reviews), keys);
    return database;
  }

  Status ForceSchemaVersion(std::int64_t version) override {
    return inner_->ForceSchemaVersion(version);
  }

 private:
  core::testing::TaskThread key_reads_;  // outlives the stores it serves
  std::unique_ptr<TestDatabase> inner_;
  std::shared_ptr<crypto::MasterKeys> master_keys_;
};

}  // namespace

StoreBackend EncryptingTestBackend(StoreBackend inner) {
  return StoreBackend{"encrypted_" + inner.name, [create = std::move(inner.create)] {
                        return std::make_unique<EncryptingTestDatabase>(create());
                      }};
}

}  // namespace uitweg::store
