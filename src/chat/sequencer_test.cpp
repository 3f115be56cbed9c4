#include "chat/sequencer.hpp"

#include <gtest/gtest.h>

namespace uitweg::chat {
namespace {

SequencedFrame At(std::int64_t seq) {
  return SequencedFrame{seq, std::make_shared<const std::string>(std::to_string(seq))};
}

std::vector<std::int64_t> Seqs(const std::vector<Frame>& frames) {
  std::vector<std::int64_t> seqs;
  for (const Frame& frame : frames) seqs.push_back(std::stoll(*frame));
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

TEST(SequencerTest, AnEntryWithoutAFrameCountsButIsNotHandedOut) {
  Sequencer sequencer;
  EXPECT_TRUE(sequencer.Offer(SequencedFrame{1, nullptr}).empty());
  EXPECT_EQ(sequencer.delivered(), 1);
  EXPECT_EQ(Seqs(sequencer.Offer(At(2))), (std::vector<std::int64_t>{2}));
}

TEST(SequencerTest, PastItsLimitItDropsAndRemembersTheGap) {
  Sequencer sequencer(0, /*paused=*/true, /*max_waiting=*/2);
  for (std::int64_t seq = 4; seq <= 9; ++seq) EXPECT_TRUE(sequencer.Offer(At(seq)).empty());
  EXPECT_TRUE(sequencer.OfferAll({At(1), At(2), At(3)}).empty());
  EXPECT_EQ(Seqs(sequencer.Unpause()), (std::vector<std::int64_t>{1, 2, 3, 4, 5}));
  EXPECT_TRUE(sequencer.HasGap()) << "6 to 9 were dropped and must be read from the store";
  EXPECT_EQ(Seqs(sequencer.OfferAll({At(6), At(7), At(8), At(9)})),
            (std::vector<std::int64_t>{6, 7, 8, 9}));
  EXPECT_FALSE(sequencer.HasGap());
}

TEST(SequencerTest, AReaderStoppedAfterASeqGetsNothingAfterIt) {
  Sequencer sequencer;
  EXPECT_EQ(Seqs(sequencer.Offer(At(1))), (std::vector<std::int64_t>{1}));
  EXPECT_TRUE(sequencer.Offer(At(3)).empty());
  sequencer.StopAfter(2);
  EXPECT_TRUE(sequencer.HasGap()) << "seq 2 is still wanted";
  EXPECT_TRUE(sequencer.Offer(At(4)).empty());
  std::vector<SequencedFrame> page{At(2), At(3)};
  EXPECT_EQ(Seqs(sequencer.OfferAll(std::move(page))), (std::vector<std::int64_t>{2}));
  EXPECT_EQ(sequencer.delivered(), 2);
  EXPECT_FALSE(sequencer.HasGap()) << "nothing after seq 2 is wanted";
}

}  // namespace
}  // namespace uitweg::chat
