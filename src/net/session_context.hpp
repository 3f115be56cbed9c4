#pragma once
// What every connection shares: the routes, the static files, the worker pool for blocking
// calls, admission control and the limits. Owned by Server, which outlives every session; all
// members are read-only after start-up except the pool, the open sockets and admission, which
// are thread-safe.

#include <chrono>
#include <cstddef>
#include <vector>

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/thread_pool.hpp>

#include "net/admission.hpp"
#include "net/client_key.hpp"
#include "net/limits.hpp"
#include "net/open_sockets.hpp"
#include "net/router.hpp"
#include "net/static_files.hpp"

namespace uitweg::net {

struct SessionContext {
  const Router& router;
  const StaticFiles& files;
  const ClientKeys& client_keys;
  boost::asio::thread_pool& workers;
  OpenSockets& sockets;
  Admission& admission;  // owned (shared) by the Server
  Limits limits;
  // Set when the server speaks HTTPS itself: every connection starts with a TLS handshake, and
  // responses carry HSTS.
  boost::asio::ssl::context* tls_context = nullptr;
  bool tls = false;
  // Peers whose X-Forwarded-For names the client (ServerOptions::trusted_proxies).
  std::vector<boost::asio::ip::address> trusted_proxies = {};
};

}  // namespace uitweg::net
