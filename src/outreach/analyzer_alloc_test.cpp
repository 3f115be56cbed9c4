// Analyze allocates nothing for a post without a hit once the Worker's buffers have grown: the
// global operator new of this test binary counts allocations while a test asks it to.

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <string>
#include <vector>

#include "outreach/analyzer.hpp"
#include "outreach/lexicon.hpp"

namespace {
std::atomic<bool> counting{false};
std::atomic<long> allocations{0};
}  // namespace

void* operator new(std::size_t size) {
  if (counting.load(std::memory_order_relaxed)) allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
// The matching operator delete is libstdc++'s, which frees with std::free.

namespace uitweg::outreach {
namespace {

constexpr const char* kLexicon = R"toml(
[[term]]
text = "pinpas uitlenen"
category = "money_mule"
weight = 5

[[term]]
text = "snel geld"
category = "quick_money"
weight = 2
regex = '\bsnel(le)? \d{3,5}\b'

[signals.bank_card]
category = "money_mule"
weight = 3
)toml";

TEST(AnalyzerAllocationTest, InnocentPostsAllocateNothing) {
  const Lexicon lexicon = Lexicon::Parse(kLexicon, "alloc.toml").value();
  auto analyzer = Analyzer::Create(lexicon).value();
  auto worker = analyzer->NewWorker();
  const std::string texts[] = {
      "Hoi allemaal, morgen training om 19:00 in de sporthal 🏐",
      "WIE HEEFT DE AANTEKENINGEN van wiskunde?? ik was ziek 😷 b.v.d.",
      "Café créme, ❄️ sneeuw en een link: https://example.org/x?y=1",
  };
  Post post;
  post.entities.push_back({"hashtag", "#school"});
  for (const std::string& text : texts) {  // grow the buffers
    post.text = text;
    analyzer->Analyze(post, *worker);
  }
  allocations = 0;
  counting = true;
  double total = 0;
  for (int round = 0; round < 100; ++round) {
    for (const std::string& text : texts) {
      post.text.assign(text);  // fits the capacity already there
      total += analyzer->Analyze(post, *worker).score;
    }
  }
  counting = false;
  EXPECT_EQ(total, 0);
  EXPECT_EQ(allocations.load(), 0);
}

TEST(AnalyzerAllocationTest, InnocentBatchesAllocateNothing) {
  const Lexicon lexicon = Lexicon::Parse(kLexicon, "alloc.toml").value();
  auto analyzer = Analyzer::Create(lexicon).value();
  auto worker = analyzer->NewWorker();
  const std::string texts[] = {
      "Hoi allemaal, morgen training om 19:00 in de sporthal 🏐",
      "WIE HEEFT DE AANTEKENINGEN van wiskunde?? ik was ziek 😷 b.v.d.",
      "Café créme, ❄️ sneeuw en een link: https://example.org/x?y=1",
  };
  std::vector<Post> posts(3000);
  for (std::size_t i = 0; i < posts.size(); ++i) {
    posts[i].text = texts[i % 3];
    posts[i].entities.push_back({"hashtag", "#school"});
  }
  std::vector<PostFinding> found;
  analyzer->AnalyzeBatch(posts, *worker, 0, found);  // grow the buffers
  allocations = 0;
  counting = true;
  for (int round = 0; round < 5; ++round) analyzer->AnalyzeBatch(posts, *worker, 0, found);
  counting = false;
  EXPECT_TRUE(found.empty());
  EXPECT_EQ(allocations.load(), 0);
}

}  // namespace
}  // namespace uitweg::outreach
