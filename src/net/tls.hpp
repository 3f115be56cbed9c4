#pragma once
// HTTPS: the TLS context the server's connections share, made from a certificate chain and its
// private key in PEM files. TLS 1.2 and 1.3 only, with forward-secret AEAD suites only (ECDHE
// with AES-GCM or ChaCha20-Poly1305 for 1.2); no compression, no renegotiation.
//
// Start-up only. Errors are values: a missing or unreadable file, a file that holds no
// certificate or key, a key encrypted with a passphrase (never asked for on a terminal), or a
// key that does not belong to the certificate is invalid_argument naming the file, never its
// contents; internal when this OpenSSL offers none of those cipher suites.

#include <memory>
#include <string>

#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include "core/error.hpp"

namespace uitweg::net {

// One TLS connection, with the timeouts of beast::tcp_stream underneath.
using TlsStream = boost::beast::ssl_stream<boost::beast::tcp_stream>;

core::Result<std::shared_ptr<boost::asio::ssl::context>> MakeTlsContext(
    const std::string& certificate_chain_file, const std::string& private_key_file);

}  // namespace uitweg::net
