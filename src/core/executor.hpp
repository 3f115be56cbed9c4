#pragma once
// Where work is sent to run later: a worker pool, a strand of the I/O threads, a test's own
// thread. A Post queues the task and returns at once; whether tasks run one at a time and in
// order is a property of the executor behind it, stated where one is required.

#include <functional>

namespace uitweg::core {

using Task = std::function<void()>;
using Post = std::function<void(Task)>;

}  // namespace uitweg::core
