#pragma once
// For tests: an executor that runs posted tasks one at a time, in order, on its own thread,
// standing in for the worker pool or the I/O strand that the server uses. Destruction runs
// what is queued, then joins.

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include "core/executor.hpp"

namespace uitweg::core::testing {

class TaskThread {
 public:
  TaskThread() : thread_([this] { Loop(); }) {}
  ~TaskThread() {
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
    }
    wake_.notify_one();
    thread_.join();
  }
  TaskThread(const TaskThread&) = delete;
  TaskThread& operator=(const TaskThread&) = delete;

  // A Post that queues tasks here; valid while this object lives.
  Post post() {
    return [this](Task task) {
      {
        std::lock_guard lock(mu_);
        tasks_.push_back(std::move(task));
      }
      wake_.notify_one();
    };
  }

  // Waits until every task posted so far has run.
  void Drain() {
    std::unique_lock lock(mu_);
    const std::uint64_t target = posted_ + tasks_.size();
    idle_.wait(lock, [&] { return ran_ >= target; });
  }

 private:
  void Loop() {
    std::unique_lock lock(mu_);
    for (;;) {
      wake_.wait(lock, [this] { return stopping_ || !tasks_.empty(); });
      if (tasks_.empty()) return;
      Task task = std::move(tasks_.front());
      tasks_.pop_front();
      ++posted_;
      lock.unlock();
      task();
      lock.lock();
      ++ran_;
      idle_.notify_all();
    }
  }

  std::mutex mu_;
  std::condition_variable wake_;
  std::condition_variable idle_;
  std::deque<Task> tasks_;
  std::uint64_t posted_ = 0;  // taken off the queue
  std::uint64_t ran_ = 0;
  bool stopping_ = false;
  std::thread thread_;  // last: starts after everything above exists
};

}  // namespace uitweg::core::testing
