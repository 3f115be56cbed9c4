#pragma once
// A backend for the store contract suite that runs another backend's databases through
// EncryptingConversationStore, so that the decorator is held to the same contract as the stores it
// wraps. Each database gets its own random master key, kept for reopening.

#include "store/test_database.hpp"

namespace uitweg::store {

StoreBackend EncryptingTestBackend(StoreBackend inner);

}  // namespace uitweg::store
