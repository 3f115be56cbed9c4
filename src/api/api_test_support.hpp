#pragma once
// What the api tests share: a real SQLite store whose writes are answered on their own thread
// (as on the server's publish strand), a hub that encodes frames as the server does, a worker
// thread for blocking work, and FakeSink, which records what a channel sends.

#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/json/parse.hpp>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <future>
#include <mutex>
#include <stdexcept>
#include <vector>

#include "api/channel.hpp"
#include "api/wire.hpp"
#include "chat/conversations.hpp"
#include "chat/hub.hpp"
#include "chat/presence.hpp"
#include "core/testing/task_thread.hpp"
#include "core/testing/test_folder.hpp"
#include "store/sqlite/sqlite_database.hpp"

namespace uitweg::api {

// Records what a channel sends, as the socket would write it. Frames come from the store's
// answers and from workers, hence the lock. WhenDrained runs at once unless `hold_drains`; then
// Drain() runs what waited, as the socket would once it wrote its queue.
class FakeSink : public FrameSink {
 public:
  void Send(Frame frame) override {
    std::lock_guard lock(mu_);
    frames.push_back(boost::json::parse(*frame).as_object());
    raw.push_back(frame);
    changed_.notify_all();
  }
  void Close(std::uint16_t code, std::string_view) override {
    std::lock_guard lock(mu_);
    close_code = code;
  }
  void ResumeReading() override {
    std::lock_guard lock(mu_);
    ++resumes_;
    changed_.notify_all();
  }
  void WhenDrained(std::function<void()> drained) override {
    {
      std::lock_guard lock(mu_);
      if (hold_drains) {
        drains_.push_back(std::move(drained));
        changed_.notify_all();
        return;
      }
    }
    drained();
  }

  // Runs the callbacks that waited for a drain; false if there were none.
  bool Drain() {
    std::vector<std::function<void()>> waiting;
    {
      std::lock_guard lock(mu_);
      waiting.swap(drains_);
    }
    for (auto& drained : waiting) drained();
    return !waiting.empty();
  }
  bool AwaitDrainRequest() {
    std::unique_lock lock(mu_);
    return changed_.wait_for(lock, std::chrono::seconds(30), [&] { return !drains_.empty(); });
  }
  // Waits until reading has been resumed `count` times in all.
  bool AwaitResumes(int count) {
    std::unique_lock lock(mu_);
    return changed_.wait_for(lock, std::chrono::seconds(30), [&] { return resumes_ >= count; });
  }
  int resumes() {
    std::lock_guard lock(mu_);
    return resumes_;
  }

  std::vector<std::string> Types() {
    std::lock_guard lock(mu_);
    std::vector<std::string> types;
    for (const auto& frame : frames) types.emplace_back(frame.at("type").as_string());
    return types;
  }
  boost::json::object Last(std::string_view type) {
    std::lock_guard lock(mu_);
    for (auto it = frames.rbegin(); it != frames.rend(); ++it) {
      if (it->at("type").as_string() == type) return *it;
    }
    throw std::runtime_error("no frame of type " + std::string(type));
  }
  // Waits until `count` frames of `type` have come; they are returned in order.
  std::vector<boost::json::object> Await(std::string_view type, std::size_t count) {
    std::unique_lock lock(mu_);
    std::vector<boost::json::object> found;
    changed_.wait_for(lock, std::chrono::seconds(30), [&] {
      found.clear();
      for (const auto& frame : frames) {
        if (frame.at("type").as_string() == type) found.push_back(frame);
      }
      return found.size() >= count;
    });
    return found;
  }
  std::uint16_t CloseCode() {
    std::lock_guard lock(mu_);
    return close_code;
  }

  bool hold_drains = false;
  std::vector<boost::json::object> frames;
  std::vector<Frame> raw;
  std::uint16_t close_code = 0;

 private:
  std::mutex mu_;
  std::condition_variable changed_;
  int resumes_ = 0;
  std::vector<std::function<void()>> drains_;
};

class ApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    database_ =
        store::OpenSqliteDatabase(store::SqliteOptions{.path = (folder_ / "uitweg.db").string(),
                                                       .completions = completions_.post()})
            .value();
    conversations_ = std::make_unique<chat::Conversations>(
        *database_.conversations, *database_.accounts, hub_, presence_, clock_, 0);
  }

  void TearDown() override {
    workers_.Drain();
    completions_.Drain();
    conversations_.reset();
    database_ = store::Database{};
    completions_.Drain();
  }

  chat::Counsellor AddStaff(const std::string& username, model::Role role) {
    auto created = database_.accounts->CreateAccount(
        store::NewStaffAccount{username, role, "Alice", "h", clock_.Now()});
    EXPECT_TRUE(created);
    return chat::Counsellor{created->id, role, "Alice"};
  }

  core::Result<chat::Sent> Say(const std::string& id, const std::string& client_id,
                               const std::string& body = "text") {
    std::promise<core::Result<chat::Sent>> answer;
    conversations_->SendAsVisitor(id, client_id, body, nullptr, [&](core::Result<chat::Sent> sent) {
      answer.set_value(std::move(sent));
    });
    return answer.get_future().get();
  }

  // Hands a frame to the channel as net/ does: when it holds reading, waits until it resumes.
  bool Frame(Channel& channel, FakeSink& sink, const std::string& text) {
    const int resumes = sink.resumes();
    if (channel.OnFrame(text)) return true;
    return sink.AwaitResumes(resumes + 1);
  }

  core::testing::TaskThread completions_;
  core::testing::TaskThread workers_;
  core::testing::TestFolder folder_{"api"};
  core::ManualClock clock_{1'700'000'000'000};
  chat::Hub hub_{
      chat::FrameEncoders{.entry = [](const chat::Entry& entry) { return MessageFrame(entry); },
                          .queue_change =
                              [this](const chat::QueueChange& change) {
                                return QueueChangeFrame(change, clock_.Now());
                              }}};
  chat::Presence presence_{chat::PresenceLimits{.sockets_per_conversation = 2,
                                                .abandon_after_ms = 600'000,
                                                .messages_per_minute = 0,
                                                .messages_while_waiting = 0},
                           clock_.Now()};
  store::Database database_;
  std::unique_ptr<chat::Conversations> conversations_;
};

}  // namespace uitweg::api
