// HTTPS served by the real binary (tls_cert / tls_key): pages, the API and the visitor's
// WebSocket over TLS with HSTS, a plain request refused, and settings that cannot work refused at
// start. The certificate is made for 127.0.0.1 by the `openssl` command for each test.

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <boost/json.hpp>

#include "support/command.hpp"
#include "support/http_client.hpp"
#include "support/server_process.hpp"
#include "support/visitor.hpp"

namespace uitweg::support {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

// A self-signed certificate for 127.0.0.1 and its key, in a folder of their own.
class Certificate {
 public:
  Certificate() {
    folder_ = std::filesystem::temp_directory_path() /
              ("uitweg-tls-" + std::to_string(::getpid()) + "-" + std::to_string(++made_));
    std::filesystem::create_directories(folder_);
  }
  ~Certificate() {
    std::error_code ignored;
    std::filesystem::remove_all(folder_, ignored);
  }

  core::Status Make(const std::string& name) {
    auto ran = RunProgram(
        "/usr/bin/openssl",
        {"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days",
         "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout",
         (folder_ / (name + ".key")).string(), "-out", (folder_ / (name + ".pem")).string()},
        {}, std::chrono::seconds(30));
    if (!ran) return ran.error();
    if (ran->exit_code != 0) return core::Fail(core::Errc::internal, "openssl: " + ran->err);
    return {};
  }
  // The key of `name` again, encrypted with a passphrase, as `name`.encrypted.key.
  core::Status Encrypt(const std::string& name) {
    auto ran = RunProgram("/usr/bin/openssl",
                          {"pkey", "-in", Key(name), "-aes256", "-passout", "pass:geheim", "-out",
                           (folder_ / (name + ".encrypted.key")).string()},
                          {}, std::chrono::seconds(30));
    if (!ran) return ran.error();
    if (ran->exit_code != 0) return core::Fail(core::Errc::internal, "openssl: " + ran->err);
    return {};
  }
  // The certificate and key of `name` in one file, as HAProxy's `crt` takes them.
  std::string Combined(const std::string& name) const {
    const std::filesystem::path combined = folder_ / (name + ".combined.pem");
    std::ofstream out(combined);
    out << std::ifstream(Pem(name)).rdbuf() << std::ifstream(Key(name)).rdbuf();
    return combined.string();
  }
  std::string Pem(const std::string& name) const { return (folder_ / (name + ".pem")).string(); }
  std::string Key(const std::string& name) const { return (folder_ / (name + ".key")).string(); }

 private:
  static inline int made_ = 0;
  std::filesystem::path folder_;
};

struct Answer {
  int status = 0;
  std::string body;
  http::response<http::string_body> response;
};

// A client that trusts only `trusted_pem` and checks that it speaks to 127.0.0.1.
class TlsClient {
 public:
  TlsClient(std::uint16_t port, const std::string& trusted_pem) : port_(port) {
    context_.set_verify_mode(ssl::verify_peer);
    context_.load_verify_file(trusted_pem);
  }

  // Offers TLS 1.2 at most, with only these (OpenSSL-named) ciphers.
  void OfferOnlyTls12(const char* ciphers) {
    SSL_CTX_set_max_proto_version(context_.native_handle(), TLS1_2_VERSION);
    SSL_CTX_set_cipher_list(context_.native_handle(), ciphers);
  }

  core::Result<Answer> Call(http::verb method, const std::string& target, std::string body = {}) {
    beast::ssl_stream<beast::tcp_stream> stream(io_, context_);
    if (auto ok = Open(stream); !ok) return ok.error();
    http::request<http::string_body> request(method, target, 11);
    request.set(http::field::host, Host());
    if (!body.empty()) {
      request.set(http::field::content_type, "application/json");
      request.set(http::field::origin, "https://" + Host());
      request.body() = std::move(body);
    }
    request.prepare_payload();
    beast::error_code ec;
    http::write(stream, request, ec);
    if (ec) return core::Fail(core::Errc::unavailable, "write: " + ec.message());
    beast::flat_buffer buffer;
    Answer answer;
    http::read(stream, buffer, answer.response, ec);
    if (ec) return core::Fail(core::Errc::unavailable, "read: " + ec.message());
    answer.status = answer.response.result_int();
    answer.body = answer.response.body();
    return answer;
  }

  // Opens the visitor WebSocket over TLS, says hello and returns the welcome; with `then_send`,
  // waits `pause` and sends it, and returns its ack.
  core::Result<boost::json::object> VisitorHello(const std::string& resume_token,
                                                 const std::string& then_send = {},
                                                 std::chrono::milliseconds pause = {}) {
    beast::websocket::stream<beast::ssl_stream<beast::tcp_stream>> ws(io_, context_);
    if (auto ok = Open(ws.next_layer()); !ok) return ok.error();
    beast::get_lowest_layer(ws).expires_never();
    ws.set_option(beast::websocket::stream_base::decorator(
        [origin = "https://" + Host()](beast::websocket::request_type& request) {
          request.set(http::field::origin, origin);
        }));
    beast::error_code ec;
    ws.handshake(Host(), "/api/v1/visitor/ws", ec);
    if (ec) return core::Fail(core::Errc::unavailable, "upgrade: " + ec.message());
    ws.text(true);
    ws.write(asio::buffer(boost::json::serialize(support::VisitorHello(resume_token, 0))), ec);
    if (!ec && !then_send.empty()) {
      // A socket that lives longer than one HTTP request's deadline.
      std::this_thread::sleep_for(pause);
      ws.write(asio::buffer(boost::json::serialize(VisitorSend("tls-1", then_send))), ec);
    }
    if (ec) return core::Fail(core::Errc::unavailable, "send: " + ec.message());
    std::string wanted = then_send.empty() ? "welcome" : "ack";
    for (int frames = 0; frames < 20; ++frames) {
      beast::flat_buffer buffer;
      ws.read(buffer, ec);
      if (ec) return core::Fail(core::Errc::unavailable, "read: " + ec.message());
      auto frame = boost::json::parse(beast::buffers_to_string(buffer.data()));
      if (frame.is_object() && FrameType(frame.get_object()) == wanted) {
        return frame.get_object();
      }
    }
    return core::Fail(core::Errc::not_found, "no " + wanted + " frame");
  }

 private:
  std::string Host() const { return "127.0.0.1:" + std::to_string(port_); }

  core::Status Open(beast::ssl_stream<beast::tcp_stream>& stream) {
    beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(10));
    beast::error_code ec;
    beast::get_lowest_layer(stream).connect(
        tcp::endpoint(asio::ip::make_address_v4("127.0.0.1"), port_), ec);
    if (ec) return core::Fail(core::Errc::unavailable, "connect: " + ec.message());
    stream.set_verify_callback(ssl::host_name_verification("127.0.0.1"));
    stream.handshake(ssl::stream_base::client, ec);
    if (ec) return core::Fail(core::Errc::unavailable, "handshake: " + ec.message());
    return {};
  }

  std::uint16_t port_;
  asio::io_context io_;
  ssl::context context_{ssl::context::tls_client};
};

class TlsTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(certificate_.Make("server")); }

  std::vector<std::string> TlsFlags() const {
    return {"--tls-cert", certificate_.Pem("server"), "--tls-key", certificate_.Key("server")};
  }

  Certificate certificate_;
};

TEST_F(TlsTest, PagesAndTheApiAreServedOverHttpsWithHsts) {
  ServerProcess server(TlsFlags());
  ASSERT_TRUE(server.Start());
  TlsClient client(server.port(), certificate_.Pem("server"));
  for (const char* target : {"/", "/console", "/healthz"}) {
    auto answer = client.Call(http::verb::get, target);
    ASSERT_TRUE(answer) << target << ": " << answer.error().message;
    EXPECT_EQ(answer->status, 200) << target;
    EXPECT_EQ(answer->response[http::field::strict_transport_security], "max-age=31536000")
        << target;
  }
}

TEST_F(TlsTest, AVisitorChatsOverTls) {
  ServerProcess server(TlsFlags());
  ASSERT_TRUE(server.Start());
  TlsClient client(server.port(), certificate_.Pem("server"));
  auto started = client.Call(http::verb::post, "/api/v1/visitor/conversations",
                             R"({"nickname":"Sam","subject":"self"})");
  ASSERT_TRUE(started) << started.error().message;
  ASSERT_EQ(started->status, 201) << started->body;
  const auto token = std::string(boost::json::parse(started->body).at("resume_token").as_string());

  auto welcome = client.VisitorHello(token);
  ASSERT_TRUE(welcome) << welcome.error().message;
  auto ack = client.VisitorHello(token, "Hallo, is daar iemand?");
  ASSERT_TRUE(ack) << ack.error().message;
  EXPECT_EQ(ack->at("client_id").as_string(), "tls-1");
  EXPECT_GT(ack->at("seq").as_int64(), 0);
}

TEST_F(TlsTest, ASocketOutlivesTheRequestsReadDeadline) {
  ServerProcess server(TlsFlags());
  ASSERT_TRUE(server.UseConfig("[limits]\nread_timeout_seconds = 1\n"));
  ASSERT_TRUE(server.Start());
  TlsClient client(server.port(), certificate_.Pem("server"));
  auto started = client.Call(http::verb::post, "/api/v1/visitor/conversations",
                             R"({"nickname":"Sam","subject":"self"})");
  ASSERT_TRUE(started && started->status == 201);
  const auto token = std::string(boost::json::parse(started->body).at("resume_token").as_string());
  auto ack = client.VisitorHello(token, "Nog steeds verbonden?", std::chrono::milliseconds(2500));
  ASSERT_TRUE(ack) << "the socket was cut at the upgrade request's deadline: "
                   << ack.error().message;
}

TEST_F(TlsTest, PlainHttpGetsNoAnswerFromTheTlsPort) {
  ServerProcess server(TlsFlags());
  ASSERT_TRUE(server.Start());
  auto plain = HttpGet(server.port(), "/healthz");
  EXPECT_FALSE(plain && plain->status == 200);
  // The server lives on for those who speak TLS.
  TlsClient client(server.port(), certificate_.Pem("server"));
  auto answer = client.Call(http::verb::get, "/healthz");
  ASSERT_TRUE(answer) << answer.error().message;
  EXPECT_EQ(answer->status, 200);
}

TEST_F(TlsTest, AClientThatDoesNotTrustTheCertificateIsNotServed) {
  ASSERT_TRUE(certificate_.Make("other"));
  ServerProcess server(TlsFlags());
  ASSERT_TRUE(server.Start());
  TlsClient client(server.port(), certificate_.Pem("other"));
  auto answer = client.Call(http::verb::get, "/healthz");
  ASSERT_FALSE(answer);
  EXPECT_NE(answer.error().message.find("handshake"), std::string::npos) << answer.error().message;
}

TEST_F(TlsTest, ATls12ClientGetsForwardSecretAeadCiphersOnly) {
  ServerProcess server(TlsFlags());
  ASSERT_TRUE(server.Start());
  TlsClient aead(server.port(), certificate_.Pem("server"));
  aead.OfferOnlyTls12("ECDHE-ECDSA-AES128-GCM-SHA256");
  auto served = aead.Call(http::verb::get, "/healthz");
  ASSERT_TRUE(served) << served.error().message;
  EXPECT_EQ(served->status, 200);
  for (const char* weak : {"ECDHE-ECDSA-AES128-SHA", "ECDHE-ECDSA-AES256-SHA384"}) {
    TlsClient cbc(server.port(), certificate_.Pem("server"));
    cbc.OfferOnlyTls12(weak);
    auto refused = cbc.Call(http::verb::get, "/healthz");
    ASSERT_FALSE(refused) << weak;
    EXPECT_NE(refused.error().message.find("handshake"), std::string::npos)
        << refused.error().message;
  }
}

// A browser told over HTTPS to come back later learns HSTS from that answer too.
TEST_F(TlsTest, AConnectionPastACapIsToldWhyWithHsts) {
  ServerProcess server(TlsFlags());
  ASSERT_TRUE(server.UseConfig("[limits]\nmax_connections_per_address = 1\n"));
  ASSERT_TRUE(server.Start());
  asio::io_context io;
  tcp::socket held(io);
  held.connect(tcp::endpoint(asio::ip::make_address_v4("127.0.0.1"), server.port()));
  TlsClient client(server.port(), certificate_.Pem("server"));
  auto refused = client.Call(http::verb::get, "/healthz");
  ASSERT_TRUE(refused) << refused.error().message;
  EXPECT_EQ(refused->status, 429);
  EXPECT_EQ(refused->response[http::field::strict_transport_security], "max-age=31536000");
}

// deploy/haproxy/uitweg.cfg as the guide has it run in production: TLS at the proxy (with HSTS on
// every answer, the proxy's own refusals among them) and plain HTTP sent there.
TEST_F(TlsTest, TheLoadBalancerExampleTerminatesTlsAndSendsPlainHttpThere) {
  ServerProcess node;
  ASSERT_TRUE(node.Start());
  const std::uint16_t https_port = FreeLoopbackPort();
  std::uint16_t http_port = FreeLoopbackPort();
  for (int tries = 0; http_port == https_port && tries < 20; ++tries)
    http_port = FreeLoopbackPort();
  ASSERT_NE(https_port, 0);
  ASSERT_NE(http_port, 0);
  ASSERT_NE(http_port, https_port);
  const std::string node_address = "127.0.0.1:" + std::to_string(node.port());
  auto haproxy = BackgroundProgram::Start(
      "/usr/sbin/haproxy",
      {"-f", std::string(UITWEG_SOURCE_DIR) + "/deploy/haproxy/uitweg.cfg", "-db"},
      {"UITWEG_LB_CERT=" + certificate_.Combined("server"),
       "UITWEG_LB_BIND=127.0.0.1:" + std::to_string(https_port),
       "UITWEG_LB_HTTP_BIND=127.0.0.1:" + std::to_string(http_port), "UITWEG_NODE1=" + node_address,
       "UITWEG_NODE2=" + node_address, "UITWEG_NODE3=" + node_address,
       "UITWEG_CHECK_INTERVAL=200ms", "UITWEG_LB_MAXCONN=100", "UITWEG_LB_CLIENT_EVENTS=0"});
  ASSERT_TRUE(haproxy) << haproxy.error().message;
  TlsClient client(https_port, certificate_.Pem("server"));
  core::Result<Answer> health = core::Fail(core::Errc::unavailable, "never asked");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    health = client.Call(http::verb::get, "/healthz");
    if (health && health->status == 200) break;
    ASSERT_FALSE((*haproxy)->Exited()) << "haproxy stopped:\n" << (*haproxy)->Output();
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_TRUE(health) << health.error().message << "\n" << (*haproxy)->Output();
  EXPECT_EQ(health->status, 200);
  EXPECT_EQ(health->response[http::field::strict_transport_security], "max-age=31536000");
  auto refused = client.Call(http::verb::get, "/api/v1/visitor/events");
  ASSERT_TRUE(refused) << refused.error().message;
  EXPECT_EQ(refused->status, 429) << "the proxy's own answer";
  EXPECT_EQ(refused->response[http::field::strict_transport_security], "max-age=31536000");

  auto plain = HttpGet(http_port, "/console");
  ASSERT_TRUE(plain) << plain.error().message;
  EXPECT_EQ(plain->status, 301);
  EXPECT_EQ(plain->Header("location").rfind("https://", 0), 0u) << plain->Header("location");
}

TEST_F(TlsTest, UnusableSettingsStopTheStartWithAMessage) {
  ASSERT_TRUE(certificate_.Make("other"));
  ASSERT_TRUE(certificate_.Encrypt("server"));
  struct Case {
    std::vector<std::string> flags;
    std::string says;
  };
  const std::vector<Case> cases{
      {{"--tls-cert", certificate_.Pem("server")}, "tls_cert and tls_key go together"},
      {{"--tls-cert", certificate_.Pem("server"), "--tls-key", certificate_.Key("other")},
       "does not belong to the certificate"},
      {{"--tls-cert", certificate_.Pem("server") + ".missing", "--tls-key",
        certificate_.Key("server")},
       "no such file"},
      {{"--tls-cert", certificate_.Key("server"), "--tls-key", certificate_.Key("server")},
       "not a PEM certificate chain"},
      {{"--tls-cert", certificate_.Pem("server"), "--tls-key",
        certificate_.Key("server.encrypted")},
       "is encrypted with a passphrase"},
  };
  for (const Case& c : cases) {
    std::vector<std::string> args{
        "serve", "--listen", "127.0.0.1:0", "--data",
        (std::filesystem::temp_directory_path() / "uitweg-tls-never").string()};
    args.insert(args.end(), c.flags.begin(), c.flags.end());
    auto ran = RunCommand(args);
    ASSERT_TRUE(ran) << ran.error().message;
    EXPECT_EQ(ran->exit_code, 2) << c.says;
    EXPECT_NE(ran->err.find(c.says), std::string::npos) << ran->err;
  }
}

}  // namespace
}  // namespace uitweg::support
