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
  cache.Put("c_1", Key('a'), cache.Epoch());
  EXPECT_EQ(KeyBytes(cache.Find("c_1")), std::string(32, 'a'));
  EXPECT_FALSE(cache.Find("c_2"));
}

TEST(KeyCacheTest, RemembersThatAConversationHasNoKey) {
  KeyCache cache(4);
  cache.Put("c_1", std::nullopt, cache.Epoch());
  const auto cached = cache.Find("c_1");
  ASSERT_TRUE(cached);
  EXPECT_FALSE(*cached);
}

TEST(KeyCacheTest, EvictsTheLeastRecentlyUsed) {
  KeyCache cache(2);
  cache.Put("c_1", Key('a'), cache.Epoch());
  cache.Put("c_2", Key('b'), cache.Epoch());
  ASSERT_TRUE(cache.Find("c_1"));  // c_2 is now the least recently used
  cache.Put("c_3", Key('c'), cache.Epoch());
  EXPECT_EQ(cache.Size(), 2u);
  EXPECT_TRUE(cache.Find("c_1"));
  EXPECT_FALSE(cache.Find("c_2"));
  EXPECT_TRUE(cache.Find("c_3"));
}

TEST(KeyCacheTest, PutReplacesWithoutGrowing) {
  KeyCache cache(2);
  cache.Put("c_1", Key('a'), cache.Epoch());
  cache.Put("c_1", Key('b'), cache.Epoch());
  EXPECT_EQ(cache.Size(), 1u);
  EXPECT_EQ(KeyBytes(cache.Find("c_1")), std::string(32, 'b'));
}

TEST(KeyCacheTest, EraseForgets) {
  KeyCache cache(4);
  cache.Put("c_1", Key('a'), cache.Epoch());
  cache.Erase("c_1");
  EXPECT_FALSE(cache.Find("c_1"));
  EXPECT_EQ(cache.Size(), 0u);
}

TEST(KeyCacheTest, PutFromBeforeAnEraseIsIgnored) {
  KeyCache cache(4);
  const std::uint64_t before = cache.Epoch();
  cache.Erase("c_1");
  cache.Put("c_1", Key('a'), before);
  EXPECT_FALSE(cache.Find("c_1"));
  cache.Put("c_1", Key('a'), cache.Epoch());
  EXPECT_TRUE(cache.Find("c_1"));
}

TEST(KeyCacheTest, CapacityIsAtLeastOne) {
  KeyCache cache(0);
  cache.Put("c_1", Key('a'), cache.Epoch());
  EXPECT_TRUE(cache.Find("c_1"));
}

}  // namespace
}  // namespace uitweg::store
