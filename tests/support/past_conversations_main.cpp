// uitweg-test-past-conversations: support/past_conversations.hpp for the browser tests.
//
//   uitweg-test-past-conversations DATA_DIR COUNT DAYS_AGO TEXT

#include <charconv>
#include <iostream>
#include <string_view>

#include "support/past_conversations.hpp"

namespace {

bool ParseInt(std::string_view text, int& value) {
  const auto [end, failed] = std::from_chars(text.data(), text.data() + text.size(), value);
  return failed == std::errc() && end == text.data() + text.size() && value >= 0;
}

}  // namespace

int main(int argc, char** argv) {
  int count = 0;
  int days_ago = 0;
  if (argc != 5 || !ParseInt(argv[2], count) || !ParseInt(argv[3], days_ago)) {
    std::cerr << "usage: uitweg-test-past-conversations DATA_DIR COUNT DAYS_AGO TEXT\n";
    return 2;
  }
  if (const uitweg::core::Status added =
          uitweg::support::AddPastConversations(argv[1], count, days_ago, argv[4]);
      !added) {
    std::cerr << "uitweg-test-past-conversations: " << added.error().message << "\n";
    return 1;
  }
  return 0;
}
