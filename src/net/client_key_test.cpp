#include "net/client_key.hpp"

#include <gtest/gtest.h>

namespace uitweg::net {
namespace {

TEST(ClientKeysTest, AnIPv6ClientIsItsSlash64) {
  const ClientKeys keys;
  EXPECT_EQ(keys.KeyFor("2001:db8:1:2::1"), keys.KeyFor("2001:db8:1:2:ffff:ffff:ffff:fffe"))
      << "a client picking addresses in its own /64";
  EXPECT_NE(keys.KeyFor("2001:db8:1:2::1"), keys.KeyFor("2001:db8:1:3::1"));
}

// NAT64 and Teredo put many IPv4 clients in one prefix: each address is its own client there.
TEST(ClientKeysTest, IPv4ClientsCarriedInIPv6AreEachTheirOwnClient) {
  const ClientKeys keys;
  EXPECT_NE(keys.KeyFor("64:ff9b::c000:207"), keys.KeyFor("64:ff9b::c000:208"));
  EXPECT_NE(keys.KeyFor("64:ff9b:1:c000::207"), keys.KeyFor("64:ff9b:1:c000::208"));
  EXPECT_NE(keys.KeyFor("2001:0:4136:e378:8000:63bf:3fff:fdd2"),
            keys.KeyFor("2001:0:4136:e378:8000:63bf:3fff:fdd3"));
  // Teredo: the client 192.0.2.45 (bytes 12-15 inverted), whatever port and flags it takes.
  EXPECT_EQ(keys.KeyFor("2001:0:4136:e378:8000:63bf:3fff:fdd2"),
            keys.KeyFor("2001:0:4136:e378:0:1234:3fff:fdd2"));
  EXPECT_EQ(keys.KeyFor("2001:0:4136:e378:8000:63bf:3fff:fdd2"), keys.KeyFor("192.0.2.45"));
  EXPECT_EQ(keys.KeyFor("2001:db8:0:1::1"), keys.KeyFor("2001:db8:0:1::2")) << "not Teredo";
}

TEST(ClientKeysTest, IPv4AddressesAreEachTheirOwnClient) {
  const ClientKeys keys;
  EXPECT_NE(keys.KeyFor("192.0.2.7"), keys.KeyFor("192.0.2.8"));
  EXPECT_EQ(keys.KeyFor("192.0.2.7"), keys.KeyFor("192.0.2.7"));
  EXPECT_EQ(keys.KeyFor("192.0.2.7").size(), 64u);
}

TEST(ClientKeysTest, NodesWithOneSaltKeyAClientAlike) {
  ClientKeys a;
  ClientKeys b;
  EXPECT_NE(a.KeyFor("192.0.2.7"), b.KeyFor("192.0.2.7")) << "random salts";
  a.UseSalt("shared");
  b.UseSalt("shared");
  EXPECT_EQ(a.KeyFor("2001:db8::1"), b.KeyFor("2001:db8::2"));
}

}  // namespace
}  // namespace uitweg::net
