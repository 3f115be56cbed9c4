#include "chat/sequencer.hpp"

#include <gtest/gtest.h>

namespace uitweg::chat {
namespace {

Entry At(std::int64_t seq) {
  Entry entry;
  entry.message.conversation_id = "c_1";
  entry.message.seq = seq;
  return entry;
}

std::vector<std::int64_t> Seqs(const std::vector<Entry>& entries) {
  std::vector<std::int64_t> seqs;
  for (const Entry& entry : entries) seqs.push_back(entry.message.seq);
  return seqs;
}

TEST(SequencerTest, HandsOutInOrder) {
  Sequencer sequencer;
  EXPECT_EQ(Seqs(sequencer.Offer(At(1))), (std::vector<std::int64_t>{1}));
  EXPECT_EQ(Seqs(sequencer.Offer(At(2))), (std::vector<std::int64_t>{2}));
  EXPECT_EQ(sequencer.delivered(), 2);
  EXPECT_FALSE(sequencer.HasGap());
}

TEST(SequencerTest, EarlyEntryWaitsForTheMissingOne) {
  Sequencer sequencer(4);
  EXPECT_TRUE(sequencer.Offer(At(6)).empty());
  EXPECT_TRUE(sequencer.HasGap());
  EXPECT_EQ(Seqs(sequencer.Offer(At(5))), (std::vector<std::int64_t>{5, 6}));
  EXPECT_FALSE(sequencer.HasGap());
}

TEST(SequencerTest, DropsWhatWasHandedOut) {
  Sequencer sequencer(3);
  EXPECT_TRUE(sequencer.Offer(At(2)).empty());
  EXPECT_TRUE(sequencer.Offer(At(3)).empty());
  EXPECT_EQ(Seqs(sequencer.Offer(At(4))), (std::vector<std::int64_t>{4}));
  EXPECT_TRUE(sequencer.Offer(At(4)).empty());
}

TEST(SequencerTest, ReplayMergesWithLiveEntriesThatCameFirst) {
  Sequencer sequencer(0);
  EXPECT_TRUE(sequencer.Offer(At(4)).empty());  // live, while the replay is being read
  EXPECT_EQ(Seqs(sequencer.OfferAll({At(1), At(2), At(3), At(4)})),
            (std::vector<std::int64_t>{1, 2, 3, 4}));
  EXPECT_EQ(sequencer.delivered(), 4);
}

TEST(SequencerTest, PausedSequencerHoldsEverythingBack) {
  Sequencer sequencer(2, /*paused=*/true);
  EXPECT_TRUE(sequencer.Offer(At(3)).empty());
  EXPECT_FALSE(sequencer.HasGap());
  EXPECT_TRUE(sequencer.OfferAll({At(4)}).empty());
  EXPECT_EQ(Seqs(sequencer.Unpause()), (std::vector<std::int64_t>{3, 4}));
  EXPECT_EQ(Seqs(sequencer.Offer(At(5))), (std::vector<std::int64_t>{5}));
}

}  // namespace
}  // namespace uitweg::chat
