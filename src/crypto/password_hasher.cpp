#include "crypto/password_hasher.hpp"

#include <sched.h>
#include <sodium.h>
#include <sys/resource.h>
#include <unistd.h>

#include <stdexcept>
#include <thread>

#include "crypto/random.hpp"

namespace uitweg::crypto {
namespace {

std::size_t ResolveConcurrency(std::size_t requested) {
  if (requested > 0) return requested;
  const unsigned hardware = std::thread::hardware_concurrency();
  return hardware > 0 ? hardware : 1;
}

const PasswordHashOptions& Checked(const PasswordHashOptions& options) {
  EnsureInitialized();
  if (options.opslimit < PasswordHashOptions::kMinOpslimit ||
      options.opslimit > crypto_pwhash_OPSLIMIT_MAX) {
    throw std::invalid_argument("argon2id opslimit must be at least 2");
  }
  if (options.memlimit_bytes < PasswordHashOptions::kMinMemlimitBytes ||
      options.memlimit_bytes > crypto_pwhash_MEMLIMIT_MAX) {
    throw std::invalid_argument("argon2id memory limit must be at least 19 MiB");
  }
  return options;
}

// Hashing threads give way to every other thread of the process.
void LowerThisThreadsPriority() {
  sched_param param{};
  if (sched_setscheduler(0, SCHED_IDLE, &param) == 0) return;
  setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), 19);
}

bool LooksLikeArgon2id(std::string_view encoded) {
  return encoded.starts_with(crypto_pwhash_argon2id_STRPREFIX) &&
         encoded.size() < crypto_pwhash_STRBYTES && encoded.find('\0') == std::string_view::npos;
}

}  // namespace

PasswordHasher::PasswordHasher(PasswordHashOptions options)
    : options_(Checked(options)), max_concurrent_(ResolveConcurrency(options.max_concurrent)) {
  threads_.reserve(max_concurrent_);
  for (std::size_t i = 0; i < max_concurrent_; ++i) {
    threads_.emplace_back([this] { HashingLoop(); });
  }
}

PasswordHasher::~PasswordHasher() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& thread : threads_) thread.join();
}

void PasswordHasher::HashingLoop() {
  LowerThisThreadsPriority();
  for (;;) {
    std::function<void()> job;
    {
      std::unique_lock lock(mu_);
      wake_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
      if (jobs_.empty()) return;
      job = std::move(jobs_.front());
      jobs_.pop_front();
    }
    job();
  }
}

void PasswordHasher::RunOnHashingThread(const std::function<void()>& job) {
  std::mutex done_mu;
  std::condition_variable done_cv;
  bool done = false;
  {
    std::lock_guard lock(mu_);
    jobs_.emplace_back([&] {
      job();
      std::lock_guard done_lock(done_mu);
      done = true;
      done_cv.notify_one();
    });
  }
  wake_.notify_one();
  std::unique_lock lock(done_mu);
  done_cv.wait(lock, [&] { return done; });
}

int PasswordHasher::HashingThreadPolicy() {
  int policy = -1;
  RunOnHashingThread([&] { policy = sched_getscheduler(0); });
  return policy;
}

Result<std::string> PasswordHasher::Hash(std::string_view password) {
  if (password.empty() || password.size() > kMaxPasswordBytes) {
    return core::Fail(core::Errc::invalid_argument, "password length is out of range");
  }
  char encoded[crypto_pwhash_STRBYTES];
  int rc = -1;
  RunOnHashingThread([&] {
    rc = crypto_pwhash_str_alg(encoded, password.data(), password.size(), options_.opslimit,
                               options_.memlimit_bytes, crypto_pwhash_ALG_ARGON2ID13);
  });
  if (rc != 0) {
    return core::Fail(core::Errc::resource_exhausted, "not enough memory to hash a password");
  }
  return std::string(encoded);
}

Result<bool> PasswordHasher::Verify(std::string_view encoded, std::string_view password) {
  if (!LooksLikeArgon2id(encoded)) {
    return core::Fail(core::Errc::invalid_argument, "not an argon2id password hash");
  }
  if (password.size() > kMaxPasswordBytes) return false;
  const std::string terminated(encoded);
  bool matches = false;
  RunOnHashingThread([&] {
    matches = crypto_pwhash_str_verify(terminated.c_str(), password.data(), password.size()) == 0;
  });
  return matches;
}

bool PasswordHasher::NeedsRehash(std::string_view encoded) const {
  if (!LooksLikeArgon2id(encoded)) return true;
  const std::string terminated(encoded);
  return crypto_pwhash_str_needs_rehash(terminated.c_str(), options_.opslimit,
                                        options_.memlimit_bytes) != 0;
}

}  // namespace uitweg::crypto
