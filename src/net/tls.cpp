#include "net/tls.hpp"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>

#include <filesystem>
#include <fstream>
#include <memory>

namespace uitweg::net {
namespace ssl = boost::asio::ssl;

namespace {

core::Error Unusable(const std::string& what, const std::string& file, const std::string& why) {
  return core::Fail(core::Errc::invalid_argument, what + " " + file + ": " + why);
}

// Ciphers for TLS 1.2 clients: forward-secret key exchange and AEAD only (OpenSSL's default for
// 1.2 also allows CBC suites and RSA key exchange). TLS 1.3 suites are all of that kind.
constexpr const char* kTls12Ciphers = "ECDHE+AESGCM:ECDHE+CHACHA20";

using OwnedKey = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;

// OpenSSL asks for a passphrase on the terminal when a key is encrypted; a server that starts
// unattended answers none, and says so.
int NoPassphrase(char* /*buffer*/, int /*size*/, int /*rwflag*/, void* asked) {
  *static_cast<bool*>(asked) = true;
  return 0;
}

core::Result<OwnedKey> ReadPrivateKey(const std::string& file) {
  std::unique_ptr<BIO, decltype(&BIO_free)> in(BIO_new_file(file.c_str(), "r"), &BIO_free);
  if (!in) {
    ERR_clear_error();
    return Unusable("tls_key", file, "cannot be read (its permissions?)");
  }
  bool passphrase_asked = false;
  OwnedKey key(PEM_read_bio_PrivateKey(in.get(), nullptr, &NoPassphrase, &passphrase_asked),
               &EVP_PKEY_free);
  ERR_clear_error();
  if (passphrase_asked) {
    return Unusable("tls_key", file,
                    "is encrypted with a passphrase; serve starts unattended and needs the key "
                    "unencrypted (openssl pkey -in KEY -out KEY.plain), readable by its user only");
  }
  if (!key) return Unusable("tls_key", file, "not a PEM private key");
  return key;
}

}  // namespace

core::Result<std::shared_ptr<ssl::context>> MakeTlsContext(
    const std::string& certificate_chain_file, const std::string& private_key_file) {
  auto context = std::make_shared<ssl::context>(ssl::context::tls_server);
  boost::system::error_code ec;
  context->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                           ssl::context::no_sslv3 | ssl::context::no_tlsv1 |
                           ssl::context::no_tlsv1_1 | ssl::context::no_compression,
                       ec);
  SSL_CTX* native = context->native_handle();
  SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION);
  SSL_CTX_set_options(native, SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
  if (SSL_CTX_set_cipher_list(native, kTls12Ciphers) != 1) {
    ERR_clear_error();
    return core::Fail(core::Errc::internal, "this OpenSSL offers none of the TLS 1.2 ciphers");
  }
  // Idle connections are many; OpenSSL's read and write buffers are given back between records.
  SSL_CTX_set_mode(native, SSL_MODE_RELEASE_BUFFERS);

  if (!std::filesystem::is_regular_file(certificate_chain_file, ec)) {
    return Unusable("tls_cert", certificate_chain_file, "no such file");
  }
  if (!std::filesystem::is_regular_file(private_key_file, ec)) {
    return Unusable("tls_key", private_key_file, "no such file");
  }
  if (!std::ifstream(certificate_chain_file)) {
    return Unusable("tls_cert", certificate_chain_file, "cannot be read (its permissions?)");
  }
  context->use_certificate_chain_file(certificate_chain_file, ec);
  if (ec) return Unusable("tls_cert", certificate_chain_file, "not a PEM certificate chain");
  UITWEG_TRY_ASSIGN(const OwnedKey key, ReadPrivateKey(private_key_file));
  if (SSL_CTX_use_PrivateKey(native, key.get()) != 1 || SSL_CTX_check_private_key(native) != 1) {
    ERR_clear_error();
    return Unusable("tls_key", private_key_file, "does not belong to the certificate in tls_cert");
  }
  return context;
}

}  // namespace uitweg::net
