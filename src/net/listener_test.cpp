#include "net/listener.hpp"

#include <gtest/gtest.h>

#include <boost/asio/ip/address.hpp>

namespace uitweg::net {
namespace {

using boost::asio::ip::make_address;

// A node listening on [::] sees an IPv4 balancer as ::ffff:127.0.0.1; trusted_proxies names it
// 127.0.0.1, and its clients' keys must not depend on how the node listens.
TEST(ListenerTest, IPv4PeersOfAnIPv6SocketAreTheirIPv4Address) {
  EXPECT_EQ(Unmapped(make_address("::ffff:127.0.0.1")), make_address("127.0.0.1"));
  EXPECT_EQ(Unmapped(make_address("192.0.2.7")), make_address("192.0.2.7"));
  EXPECT_EQ(Unmapped(make_address("2001:db8::1")), make_address("2001:db8::1"));
}

}  // namespace
}  // namespace uitweg::net
