#include "api/send_window.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

namespace uitweg::api {
namespace {

TEST(SendWindowTest, AcquireWaitsWhileTheWindowIsFull) {
  SendWindow window(2);
  window.Acquire();
  window.Acquire();
  std::atomic<bool> acquired{false};
  std::thread third([&] {
    window.Acquire();
    acquired = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_FALSE(acquired.load());
  window.Release();
  third.join();
  EXPECT_TRUE(acquired.load());
}

}  // namespace
}  // namespace uitweg::api
