#include "net/run_on.hpp"

#include <stdexcept>
#include <thread>

#include <gtest/gtest.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>

namespace uitweg::net {
namespace {

namespace asio = boost::asio;

// Counts its lives: every one that began must end exactly once.
struct Counted {
  static inline int alive = 0;
  Counted() { ++alive; }
  Counted(const Counted&) { ++alive; }
  Counted(Counted&&) noexcept { ++alive; }
  ~Counted() { --alive; }
};

template <typename Body>
void RunCoroutine(asio::io_context& io, Body body) {
  std::exception_ptr failed;
  asio::co_spawn(io, std::move(body), [&](std::exception_ptr e) { failed = e; });
  io.run();
  if (failed) std::rethrow_exception(failed);
}

TEST(RunOn, RunsOnTheOtherExecutorAndResumesOnItsOwn) {
  asio::io_context io;
  asio::thread_pool pool(1);
  std::thread::id worked_on;
  std::thread::id resumed_on;
  int result = 0;
  RunCoroutine(io, [&]() -> asio::awaitable<void> {
    auto work = [&] {
      worked_on = std::this_thread::get_id();
      return 42;
    };
    result = co_await RunOn(pool, work);
    resumed_on = std::this_thread::get_id();
  });
  pool.join();
  EXPECT_EQ(result, 42);
  EXPECT_NE(worked_on, std::this_thread::get_id());
  EXPECT_EQ(resumed_on, std::this_thread::get_id());
}

TEST(RunOn, WhatTheWorkHoldsIsReleasedExactlyOnce) {
  asio::io_context io;
  asio::thread_pool pool(1);
  RunCoroutine(io, [&]() -> asio::awaitable<void> {
    auto work = [counted = Counted()] { return Counted::alive; };
    EXPECT_GE(co_await RunOn(pool, work), 1);
  });
  pool.join();
  // One release too many is how a captured weak_ptr freed a live WebSocket session.
  EXPECT_EQ(Counted::alive, 0);
}

TEST(RunOn, AThrowingWorkRethrowsInTheCaller) {
  asio::io_context io;
  asio::thread_pool pool(1);
  bool caught = false;
  RunCoroutine(io, [&]() -> asio::awaitable<void> {
    auto work = []() -> int { throw std::runtime_error("no"); };
    try {
      (void)co_await RunOn(pool, work);
    } catch (const std::runtime_error&) {
      caught = true;
    }
  });
  pool.join();
  EXPECT_TRUE(caught);
}

}  // namespace
}  // namespace uitweg::net
