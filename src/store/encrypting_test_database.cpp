#include "store/encrypting_test_database.hpp"

#include <utility>

#include "crypto/aead.hpp"
#include "store/encrypting_store.hpp"

namespace uitweg::store {
namespace {

class EncryptingTestDatabase final : public TestDatabase {
 public:
  explicit EncryptingTestDatabase(std::unique_ptr<TestDatabase> inner)
      : inner_(std::move(inner)), master_key_(crypto::Aead::Generate()) {}

  Result<std::unique_ptr<Store>> Open() override {
    auto opened = inner_->Open();
    if (!opened) return opened.error();
    return std::unique_ptr<Store>(
        std::make_unique<EncryptingStore>(std::move(*opened), master_key_));
  }

  Status ForceSchemaVersion(std::int64_t version) override {
    return inner_->ForceSchemaVersion(version);
  }

 private:
  std::unique_ptr<TestDatabase> inner_;
  crypto::Aead master_key_;
};

}  // namespace

StoreBackend EncryptingTestBackend(StoreBackend inner) {
  return StoreBackend{"encrypted_" + inner.name, [create = std::move(inner.create)] {
                        return std::make_unique<EncryptingTestDatabase>(create());
                      }};
}

}  // namespace uitweg::store
