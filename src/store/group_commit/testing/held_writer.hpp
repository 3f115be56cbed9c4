#pragma once
// For tests of a GroupCommitWriter: hold its thread inside a unit so that the units queued
// meanwhile go into one batch, then let it go.

#include <chrono>
#include <cstddef>
#include <latch>
#include <memory>
#include <thread>

#include <gtest/gtest.h>

#include "core/error.hpp"

namespace uitweg::store::testing {

// Runs a unit on `writer` that waits for `open` to count down; returns once the writer is in it.
// Join the returned thread after counting `open` down.
template <class Writer>
std::thread HoldWriter(Writer& writer, std::latch& open) {
  auto entered = std::make_shared<std::latch>(1);
  std::thread holder([&writer, &open, entered] {
    EXPECT_TRUE(writer.template Run<void>([&open, entered](auto&) -> core::Status {
      entered->count_down();
      open.wait();
      return {};
    }));
  });
  entered->wait();
  return holder;
}

// Waits until `count` units are queued behind the one being written.
template <class Writer>
void WaitPending(const Writer& writer, std::size_t count) {
  while (writer.Pending() < count) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

}  // namespace uitweg::store::testing
