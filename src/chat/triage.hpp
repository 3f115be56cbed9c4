#pragma once
// Triage: how urgent a waiting visitor's message sounds, and why. Chat owns this interface so
// that it does not depend on the matcher that implements it (app/ wires the outreach matcher
// with the risk lexicon behind it). Words of method and plan (a threat to family, a weapon,
// pills, "they know where I live", a debt to a recruiter) weigh more than words of feeling.
//
// Implementations are immutable and thread-safe, and fast enough to run on the thread that
// publishes entries (microseconds per message, no I/O).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace uitweg::chat {

struct Assessment {
  std::int32_t urgency = 0;          // model::kUrgencyNormal .. kUrgencyUrgent
  std::vector<std::string> matched;  // the words that counted, as the visitor wrote them
};

class Triage {
 public:
  virtual ~Triage() = default;
  virtual Assessment Assess(std::string_view text) const = 0;
};

// At most this many matched words are kept per conversation for the queue.
inline constexpr std::size_t kMaxTriageWords = 8;

}  // namespace uitweg::chat
