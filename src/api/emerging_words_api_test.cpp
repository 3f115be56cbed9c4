#include "api/emerging_words_api.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <condition_variable>
#include <fstream>
#include <future>
#include <sstream>

#include "api/signed_in_test_support.hpp"

namespace uitweg::api {
namespace {

constexpr std::int64_t kToday = 20'800;

// Lets a test put a finished run between a request's read of the latest result and the rest of
// its answer: the run's write waits until a read has happened, and that read then waits until
// the run has finished before it returns what it read.
class RacedSettings : public store::SettingStore {
 public:
  RacedSettings(store::SettingStore& settings, insights::EmergingWordsJob*& job)
      : settings_(settings), job_(job) {}

  core::Result<std::optional<store::Setting>> ReadSetting(std::string_view name) override {
    auto read = settings_.ReadSetting(name);
    {
      std::lock_guard lock(mu_);
      read_ = true;
    }
    changed_.notify_all();
    while (job_->running()) std::this_thread::yield();
    return read;
  }

  core::Status WriteSetting(std::string_view name, std::string_view value,
                            core::UnixMillis now) override {
    std::unique_lock lock(mu_);
    changed_.wait(lock, [this] { return read_; });
    return settings_.WriteSetting(name, value, now);
  }
  core::Result<bool> WriteSettingIf(std::string_view name, std::string_view value,
                                    std::optional<std::string_view> expected,
                                    core::UnixMillis now) override {
    return settings_.WriteSettingIf(name, value, expected, now);
  }

 private:
  store::SettingStore& settings_;
  insights::EmergingWordsJob*& job_;
  std::mutex mu_;
  std::condition_variable changed_;
  bool read_ = false;
};

class EmergingWordsApiTest : public SignedInTest {
 protected:
  void SetUp() override {
    SignedInTest::SetUp();
    session_token_ = SignIn("anouk", model::Role::analyst);
    settings_ = std::make_unique<RacedSettings>(*database_stores_.settings, job_);
    job_owner_ = std::make_unique<insights::EmergingWordsJob>(
        *database_stores_.conversations, *settings_, clock_,
        [](std::int64_t day) { return day * 24 * 60 * 60 * 1000; },
        insights::EmergingOptions{.min_conversations = 10, .min_ratio = 3.0, .limit = 50});
    job_ = job_owner_.get();
    audit_ = std::make_unique<auth::AuditTrail>(*database_stores_.audit, clock_, "n1");
    std::ifstream in(UITWEG_RECRUITMENT_LEXICON);
    std::stringstream shipped;
    shipped << in.rdbuf();
    api_ = std::make_unique<EmergingWordsApi>(
        *auth_, *job_, *database_stores_.outreach, shipped.str(),
        [](std::string_view) { return false; }, *audit_, [] { return kToday; });
  }

  void TearDown() override {
    api_.reset();
    job_owner_.reset();  // joins the run
  }

  boost::json::object Get() {
    Request request;
    request.session_token = session_token_;
    auto answer = api_->Get(request);
    EXPECT_TRUE(answer) << answer.error().message;
    return boost::json::parse(answer->body).as_object();
  }

  std::string session_token_;
  insights::EmergingWordsJob* job_ = nullptr;
  std::unique_ptr<RacedSettings> settings_;
  std::unique_ptr<insights::EmergingWordsJob> job_owner_;
  std::unique_ptr<auth::AuditTrail> audit_;
  std::unique_ptr<EmergingWordsApi> api_;
};

// The console asks again only while the answer says a run is going on: an answer that holds
// neither the run's result nor "running" would leave the analyst looking at "not computed yet".
TEST_F(EmergingWordsApiTest, ARunThatEndsWhileTheListIsReadShowsAsRunningOrDone) {
  ASSERT_TRUE(job_->Start(insights::EmergingWindowsBefore(kToday)));
  const boost::json::object answer = Get();
  ASSERT_FALSE(job_->running());
  EXPECT_TRUE(answer.at("running").as_bool() || !answer.at("computed_at").is_null())
      << boost::json::serialize(answer);
}

}  // namespace
}  // namespace uitweg::api
