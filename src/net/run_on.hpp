#pragma once
// Moves a step of a coroutine onto another executor (the worker pool) and back: the one way the
// HTTP side runs blocking work.
//
// Only a reference to `work` crosses. With g++ 12 and Boost 1.81, a function awaited through
// co_spawn(..., use_awaitable) is destroyed once more than it is constructed, so whatever it
// holds by value is released twice: a captured weak_ptr to a WebSocket session left the
// session's weak count one short, and the session was freed while a channel still pointed at it.
// `work` lives in the caller's frame for as long as the caller awaits.

#include <type_traits>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace uitweg::net {

// Runs `work()` on `where` (an executor or an execution context such as a thread_pool); the
// caller resumes on its own executor with the result. What `work` throws is rethrown in the caller.
template <typename Where, typename Work>
boost::asio::awaitable<std::invoke_result_t<Work&>> RunOn(Where& where, Work& work) {
  using Result = std::invoke_result_t<Work&>;
  co_return co_await boost::asio::co_spawn(
      where, [&work]() -> boost::asio::awaitable<Result> { co_return work(); },
      boost::asio::use_awaitable);
}

}  // namespace uitweg::net
