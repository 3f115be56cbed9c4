#include "store/key_cache.hpp"

#include <gtest/gtest.h>

namespace uitweg::store {
namespace {

crypto::Aead Key(char fill) {
  return crypto::Aead::FromKey(std::string(32, fill)).value();
}

std::string KeyBytes(const std::optional<DataKey>& cached) {
  if (!cached || !*cached) return {};
  return std::string((**cached).key());
}

TEST(KeyCacheTest, FindsWhatWasPut) {
  KeyCache cache(4);
  cache.Put("c_1", Key('a'), cache.Epoch(), KeyUse::closed);
  EXPECT_EQ(KeyBytes(cache.Find("c_1")), std::string(32, 'a'));
  EXPECT_FALSE(cache.Find("c_2"));
}

TEST(KeyCacheTest, RemembersThatAConversationHasNoKey) {
  KeyCache cache(4);
  cache.Put("c_1", std::nullopt, cache.Epoch(), KeyUse::closed);
  const auto cached = cache.Find("c_1");
  ASSERT_TRUE(cached);
  EXPECT_FALSE(*cached);
}

TEST(KeyCacheTest, EvictsTheLeastRecentlyUsed) {
  KeyCache cache(2);
  cache.Put("c_1", Key('a'), cache.Epoch(), KeyUse::closed);
  cache.Put("c_2", Key('b'), cache.Epoch(), KeyUse::closed);
  ASSERT_TRUE(cache.Find("c_1"));  // c_2 is now the least recently used
  cache.Put("c_3", Key('c'), cache.Epoch(), KeyUse::closed);
  EXPECT_EQ(cache.Size(), 2u);
  EXPECT_TRUE(cache.Find("c_1"));
  EXPECT_FALSE(cache.Find("c_2"));
  EXPECT_TRUE(cache.Find("c_3"));
}

TEST(KeyCacheTest, PutReplacesWithoutGrowing) {
  KeyCache cache(2);
  cache.Put("c_1", Key('a'), cache.Epoch(), KeyUse::closed);
  cache.Put("c_1", Key('b'), cache.Epoch(), KeyUse::closed);
  EXPECT_EQ(cache.Size(), 1u);
  EXPECT_EQ(KeyBytes(cache.Find("c_1")), std::string(32, 'b'));
}

TEST(KeyCacheTest, EraseForgets) {
  KeyCache cache(4);
  cache.Put("c_1", Key('a'), cache.Epoch(), KeyUse::closed);
  cache.Erase("c_1");
  EXPECT_FALSE(cache.Find("c_1"));
  EXPECT_EQ(cache.Size(), 0u);
}

TEST(KeyCacheTest, PutFromBeforeAnEraseIsIgnored) {
  KeyCache cache(4);
  const std::uint64_t before = cache.Epoch();
  cache.Erase("c_1");
  cache.Put("c_1", Key('a'), before, KeyUse::closed);
  EXPECT_FALSE(cache.Find("c_1"));
  cache.Put("c_1", Key('a'), cache.Epoch(), KeyUse::closed);
  EXPECT_TRUE(cache.Find("c_1"));
}

TEST(KeyCacheTest, KeepsTheKeysOfOpenConversationsBeyondCapacity) {
  KeyCache cache(1);
  cache.Put("c_1", Key('a'), cache.Epoch(), KeyUse::open);
  cache.Put("c_2", Key('b'), cache.Epoch(), KeyUse::open);
  cache.Put("c_3", Key('c'), cache.Epoch(), KeyUse::closed);
  cache.Put("c_4", Key('d'), cache.Epoch(), KeyUse::closed);
  EXPECT_TRUE(cache.Find("c_1"));
  EXPECT_TRUE(cache.Find("c_2"));
  EXPECT_FALSE(cache.Find("c_3"));
  EXPECT_TRUE(cache.Find("c_4"));
}

TEST(KeyCacheTest, AClosedConversationsKeyMayBeEvicted) {
  KeyCache cache(1);
  cache.Put("c_1", Key('a'), cache.Epoch(), KeyUse::open);
  cache.Put("c_2", Key('b'), cache.Epoch(), KeyUse::closed);
  cache.Close("c_1");
  EXPECT_TRUE(cache.Find("c_1"));
  EXPECT_FALSE(cache.Find("c_2"));
  EXPECT_EQ(cache.Size(), 1u);
}

TEST(KeyCacheTest, PuttingAsClosedLeavesAnOpenKeyOpen) {
  KeyCache cache(1);
  cache.Put("c_1", Key('a'), cache.Epoch(), KeyUse::open);
  cache.Put("c_1", Key('a'), cache.Epoch(), KeyUse::closed);
  cache.Put("c_2", Key('b'), cache.Epoch(), KeyUse::closed);
  cache.Put("c_3", Key('c'), cache.Epoch(), KeyUse::closed);
  EXPECT_TRUE(cache.Find("c_1"));
}

TEST(KeyCacheTest, EraseForgetsAnOpenKey) {
  KeyCache cache(4);
  cache.Put("c_1", Key('a'), cache.Epoch(), KeyUse::open);
  cache.Erase("c_1");
  EXPECT_FALSE(cache.Find("c_1"));
}

TEST(KeyCacheTest, CapacityIsAtLeastOne) {
  KeyCache cache(0);
  cache.Put("c_1", Key('a'), cache.Epoch(), KeyUse::closed);
  EXPECT_TRUE(cache.Find("c_1"));
}

// Another node may shred a conversation without this one hearing of it: a key, open or closed,
// leaves the cache once unused for a while, and one in use stays.
TEST(KeyCacheTest, AKeyNotUsedForAWhileIsDropped) {
  KeyCache::Clock::time_point now{};
  KeyCache cache(4, std::chrono::minutes(10), [&] { return now; });
  cache.Put("c_open", Key('a'), cache.Epoch(), KeyUse::open);
  cache.Put("c_closed", Key('b'), cache.Epoch(), KeyUse::closed);
  cache.Put("c_used", Key('c'), cache.Epoch(), KeyUse::open);
  now += std::chrono::minutes(6);
  EXPECT_TRUE(cache.Find("c_used"));
  now += std::chrono::minutes(5);
  EXPECT_TRUE(cache.Find("c_used"));
  cache.DropIdle();
  EXPECT_FALSE(cache.Find("c_open"));
  EXPECT_FALSE(cache.Find("c_closed"));
  EXPECT_EQ(cache.Size(), 1u);
  now += std::chrono::minutes(11);
  cache.Put("c_new", Key('d'), cache.Epoch(), KeyUse::closed);
  cache.DropIdle();
  EXPECT_FALSE(cache.Find("c_used"));
  EXPECT_TRUE(cache.Find("c_new"));
}

// A key goes once unused for the whole idle time, not before.
TEST(KeyCacheTest, AnIdleCacheIsSweptWhenAsked) {
  KeyCache::Clock::time_point now{};
  KeyCache cache(4, std::chrono::minutes(10), [&] { return now; });
  cache.Put("c_1", Key('a'), cache.Epoch(), KeyUse::open);
  now += std::chrono::minutes(9);
  cache.DropIdle();
  EXPECT_EQ(cache.Size(), 1u);
  now += std::chrono::minutes(1);
  cache.DropIdle();
  EXPECT_EQ(cache.Size(), 0u);
}

}  // namespace
}  // namespace uitweg::store
