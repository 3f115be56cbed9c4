#pragma once
// Wall-clock time behind a seam, so that tests can move time by hand. All times in the
// system are UnixMillis: milliseconds since 1970-01-01 UTC.

#include <atomic>
#include <cstdint>
#include <string>

namespace uitweg::core {

using UnixMillis = std::int64_t;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual UnixMillis Now() const = 0;
};

// The real clock. Thread-safe.
class SystemClock final : public Clock {
 public:
  UnixMillis Now() const override;
};

// A clock that only moves when told. Thread-safe.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(UnixMillis start = 1'700'000'000'000) : now_(start) {}
  UnixMillis Now() const override { return now_.load(); }
  void Advance(UnixMillis by) { now_ += by; }
  void Set(UnixMillis to) { now_ = to; }

 private:
  std::atomic<UnixMillis> now_;
};

// "2026-11-29T20:27:03.123Z"
std::string FormatIso8601(UnixMillis at);

}  // namespace uitweg::core
