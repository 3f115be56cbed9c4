#include "api/feeds.hpp"

#include <future>

#include "api/api_test_support.hpp"
#include "store/sqlite/connection.hpp"

namespace uitweg::api {
namespace {

// Forwards hub entries to the feeds under test, as a channel does: the entry `ends_at` is the
// hand-over that ends this listener's part.
class Forwarder : public chat::HubListener {
 public:
  void OnEntry(const chat::Entry& entry, const Frame& frame) override {
    if (entry.message.seq == ends_at) return feeds->EndWith(entry, frame, this, true);
    feeds->OnEntry(entry, frame);
  }
  ConversationFeeds* feeds = nullptr;
  std::int64_t ends_at = 0;
};

class ConversationFeedsTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    sink_ = std::make_shared<FakeSink>();
    feeds_ = std::make_unique<ConversationFeeds>(Audience::staff, *conversations_, hub_,
                                                 workers_.post(), sink_);
    listener_ = std::make_shared<Forwarder>();
    listener_->feeds = feeds_.get();
    auto started = conversations_->Start("Sam", "self");
    ASSERT_TRUE(started);
    id_ = started->conversation.id;
  }

  void TearDown() override {
    workers_.Drain();
    completions_.Drain();
    feeds_->CloseAll(listener_.get());
    ApiTest::TearDown();
  }

  std::vector<std::int64_t> Delivered() {
    completions_.Drain();
    std::vector<std::int64_t> seqs;
    for (const auto& frame : sink_->frames)
      seqs.push_back(frame.at("message").at("seq").as_int64());
    return seqs;
  }

  // A conversation of exactly one full page, replayed chunk by chunk: once all of it is handed
  // out, the feed waits for the socket to drain before it reads again (a full page says more may
  // follow).
  void HandOutOneFullPage() {
    for (std::size_t i = 0; i < chat::kReplayPage; ++i) {
      ASSERT_TRUE(Say(id_, "m-" + std::to_string(i)));
    }
    sink_->hold_drains = true;
    ASSERT_TRUE(feeds_->Open(id_, 0, listener_));
    while (Delivered().size() < chat::kReplayPage) {
      ASSERT_TRUE(sink_->AwaitDrainRequest());
      ASSERT_TRUE(sink_->Drain());
      workers_.Drain();
    }
    ASSERT_TRUE(sink_->AwaitDrainRequest()) << "the next read waits for the drain";
  }

  // Entry `seq` as the store holds it, as another node's doorbell would bring it here.
  chat::Entry Stored(std::int64_t seq) {
    auto entries = conversations_->Replay(id_, seq - 1);
    EXPECT_TRUE(entries && !entries->empty());
    return entries && !entries->empty() ? entries->front() : chat::Entry{};
  }

  // Every entry delivered so far, in order from seq 1.
  void ExpectDeliveredInOrder() {
    const std::vector<std::int64_t> delivered = Delivered();
    for (std::size_t i = 0; i < delivered.size(); ++i) {
      EXPECT_EQ(delivered[i], static_cast<std::int64_t>(i + 1));
    }
  }

  std::shared_ptr<FakeSink> sink_;
  std::unique_ptr<ConversationFeeds> feeds_;
  std::shared_ptr<Forwarder> listener_;
  std::string id_;
};

TEST_F(ConversationFeedsTest, OpenReplaysAfterLastSeqThenFollows) {
  for (const char* id : {"m-1", "m-2", "m-3"}) ASSERT_TRUE(Say(id_, id));
  ASSERT_TRUE(feeds_->Open(id_, 1, listener_));
  EXPECT_EQ(Delivered(), (std::vector<std::int64_t>{2, 3}));
  ASSERT_TRUE(Say(id_, "m-4"));
  EXPECT_EQ(Delivered(), (std::vector<std::int64_t>{2, 3, 4}));
  EXPECT_EQ(hub_.FollowerCount(id_), 1u);
}

TEST_F(ConversationFeedsTest, ALongReplayIsPacedByTheSocketsWrites) {
  const int count = 3 * static_cast<int>(chat::kReplayPage) + 20;
  for (int i = 0; i < count; ++i) ASSERT_TRUE(Say(id_, "m-" + std::to_string(i)));
  sink_->hold_drains = true;
  ASSERT_TRUE(feeds_->Open(id_, 0, listener_));
  const std::size_t first = Delivered().size();
  EXPECT_GT(first, 0u);
  EXPECT_LT(first, chat::kReplayPage) << "a chunk, then wait for the socket to drain";
  ASSERT_TRUE(Say(id_, "live"));
  EXPECT_EQ(Delivered().size(), first) << "a live entry waits behind the replay";
  for (int round = 0; Delivered().size() < static_cast<std::size_t>(count + 1); ++round) {
    ASSERT_LT(round, 1000) << "the replay stalled";
    ASSERT_TRUE(sink_->AwaitDrainRequest());
    const std::size_t before = Delivered().size();
    ASSERT_TRUE(sink_->Drain());
    workers_.Drain();
    std::size_t bytes = 0;
    for (std::size_t i = before; i < sink_->raw.size(); ++i) bytes += sink_->raw[i]->size();
    EXPECT_LE(bytes, 64u * 1024) << "more than a chunk at once";
  }
  ASSERT_EQ(Delivered().size(), static_cast<std::size_t>(count + 1));
  ExpectDeliveredInOrder();
}

// A full page says more may follow, so once it is handed out the feed reads again after the
// drain. A live entry that comes in before that drain is handed first; the read must still
// follow, or the feed never reads again and misses every later gap.
TEST_F(ConversationFeedsTest, ALiveEntryDuringTheLastDrainDoesNotStopLaterReads) {
  HandOutOneFullPage();
  ASSERT_FALSE(HasFatalFailure());
  ASSERT_TRUE(Say(id_, "live"));
  hub_.Unfollow(id_, listener_.get());
  ASSERT_TRUE(Say(id_, "missed"));  // only a read of the store brings it
  hub_.Follow(id_, listener_);
  ASSERT_TRUE(Say(id_, "after"));
  for (int round = 0; Delivered().size() < chat::kReplayPage + 3; ++round) {
    ASSERT_LT(round, 100) << "the feed stopped reading; delivered " << Delivered().size();
    if (!sink_->Drain()) {
      ASSERT_TRUE(sink_->AwaitDrainRequest());
    }
    workers_.Drain();
  }
  ExpectDeliveredInOrder();
}

// A page that cannot be read leaves entries behind a gap: the socket is closed, so that its
// client resumes on a new one, rather than kept open with nothing more coming.
TEST_F(ConversationFeedsTest, APageThatCannotBeReadClosesTheSocket) {
  HandOutOneFullPage();
  ASSERT_FALSE(HasFatalFailure());
  auto other = store::sqlite::Connection::Open((folder_ / "uitweg.db").string(),
                                               store::sqlite::Connection::Mode::read_write, 5000);
  ASSERT_TRUE(other);
  ASSERT_TRUE((*other)->Exec("ALTER TABLE message RENAME TO message_elsewhere"));
  ASSERT_TRUE(sink_->Drain());
  workers_.Drain();
  EXPECT_EQ(sink_->CloseCode(), 1013);
  EXPECT_EQ(Delivered().size(), chat::kReplayPage);
}

// Live entries that come in order wait behind a chunk the socket has not written. A socket that
// never drains must not make them pile up for as long as the chat goes on.
TEST_F(ConversationFeedsTest, LiveEntriesPilingUpBehindAnUndrainedSocketCloseIt) {
  const std::string longest(4000, 'x');
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(Say(id_, "m-" + std::to_string(i), longest));
  sink_->hold_drains = true;
  ASSERT_TRUE(feeds_->Open(id_, 0, listener_));
  ASSERT_TRUE(sink_->AwaitDrainRequest());
  const std::size_t handed = Delivered().size();
  ASSERT_LT(handed, 20u) << "the replay waits for the socket to drain";
  // A frame is the text and under 256 bytes of JSON around it.
  const std::size_t frame_bytes = longest.size() + 256;
  std::size_t said = 0;
  while (sink_->CloseCode() == 0) {
    ASSERT_LT(said * longest.size(), 2 * kMaxLiveBacklogBytes) << "never closed";
    ASSERT_TRUE(Say(id_, "live-" + std::to_string(said), longest));
    ++said;
  }
  EXPECT_EQ(sink_->CloseCode(), 1008);
  EXPECT_GT(said * frame_bytes, kMaxLiveBacklogBytes) << "closed while within the limit";
  EXPECT_EQ(Delivered().size(), handed);
}

TEST_F(ConversationFeedsTest, AccessIsCheckedOnceFollowingAndBeforeAnythingIsRead) {
  ASSERT_TRUE(Say(id_, "m-1"));
  bool following_when_asked = false;
  core::Status refused = feeds_->Open(id_, 0, listener_, [&]() -> core::Result<std::int64_t> {
    following_when_asked = hub_.FollowerCount(id_) == 1;
    return core::Fail(core::Errc::permission_denied, "no longer yours");
  });
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, core::Errc::permission_denied);
  EXPECT_TRUE(following_when_asked);
  EXPECT_TRUE(Delivered().empty()) << "nothing replayed";
  EXPECT_EQ(hub_.FollowerCount(id_), 0u);
  EXPECT_FALSE(feeds_->Follows(id_));
  ASSERT_TRUE(feeds_->Open(id_, 0, listener_, [] { return core::Result<std::int64_t>(1); }));
  EXPECT_EQ(Delivered(), (std::vector<std::int64_t>{1}));
}

TEST_F(ConversationFeedsTest, EntriesSentHereCountWithoutAFrame) {
  ASSERT_TRUE(feeds_->Open(id_, 0, listener_));
  feeds_->SentHere(id_, 1);
  ASSERT_TRUE(Say(id_, "m-1"));
  ASSERT_TRUE(Say(id_, "m-2"));
  EXPECT_EQ(Delivered(), (std::vector<std::int64_t>{2})) << "seq 1 was this socket's own";
}

TEST_F(ConversationFeedsTest, MissingEntriesAreReadFromTheStore) {
  ASSERT_TRUE(feeds_->Open(id_, 0, listener_));
  ASSERT_TRUE(Say(id_, "m-1"));
  hub_.Unfollow(id_, listener_.get());
  ASSERT_TRUE(Say(id_, "m-2"));  // its hub event never reaches this socket
  hub_.Follow(id_, listener_);
  ASSERT_TRUE(Say(id_, "m-3"));
  workers_.Drain();
  EXPECT_EQ(Delivered(), (std::vector<std::int64_t>{1, 2, 3}));
}

TEST_F(ConversationFeedsTest, DuplicatesAreDeliveredOnce) {
  ASSERT_TRUE(feeds_->Open(id_, 0, listener_));
  ASSERT_TRUE(Say(id_, "m-1"));
  ASSERT_TRUE(Say(id_, "m-1"));
  ASSERT_TRUE(feeds_->Open(id_, 0, listener_));
  EXPECT_EQ(Delivered(), (std::vector<std::int64_t>{1}));
}

TEST_F(ConversationFeedsTest, BadLastSeqIsRefusedAndNothingIsFollowed) {
  EXPECT_EQ(feeds_->Open(id_, 5, listener_).error().code, core::Errc::invalid_argument);
  EXPECT_EQ(hub_.FollowerCount(id_), 0u);
}

// The hand-over that ends a feed must reach a slow socket too, or its console keeps the chat.
TEST_F(ConversationFeedsTest, WhatWaitsBehindASlowSocketGoesOutUpToTheHandOver) {
  const std::size_t count = chat::kReplayPage - 1;
  for (std::size_t i = 0; i < count; ++i) ASSERT_TRUE(Say(id_, "m-" + std::to_string(i)));
  sink_->hold_drains = true;
  ASSERT_TRUE(feeds_->Open(id_, 0, listener_));
  ASSERT_LT(Delivered().size(), count) << "a chunk, then wait for the socket to drain";
  listener_->ends_at = static_cast<std::int64_t>(count) + 1;
  ASSERT_TRUE(Say(id_, "handover"));
  EXPECT_FALSE(feeds_->Follows(id_));
  EXPECT_EQ(hub_.FollowerCount(id_), 0u);
  ASSERT_TRUE(Say(id_, "after-handover"));
  for (int round = 0; sink_->Drain() || round == 0; ++round) {
    ASSERT_LT(round, 100);
    workers_.Drain();
  }
  EXPECT_EQ(Delivered().size(), count + 1) << "up to the hand-over, nothing after it";
  ExpectDeliveredInOrder();
  EXPECT_TRUE(feeds_->Open(id_, count + 1, listener_)) << "followed anew when it comes back";
}

// Another node's hand-over reaches this node after this node's next entry, and after an entry
// its hub never brought: the feed reads what is missing up to the hand-over, and the entry that
// came first, the next counsellor's, never goes out.
TEST_F(ConversationFeedsTest, AHandOverThatArrivesLateEndsTheFeedBeforeWhatCameFirst) {
  ASSERT_TRUE(feeds_->Open(id_, 0, listener_));
  ASSERT_TRUE(Say(id_, "m-1"));
  hub_.Unfollow(id_, listener_.get());
  ASSERT_TRUE(Say(id_, "missed"));
  auto handover = Say(id_, "handover");
  ASSERT_TRUE(handover);
  hub_.Follow(id_, listener_);
  // The read for the gap waits until the hand-over has come.
  std::promise<void> arrived;
  workers_.post()([done = arrived.get_future().share()] { done.wait(); });
  ASSERT_TRUE(Say(id_, "next-counsellors"));
  const chat::Entry entry = Stored(handover->seq);
  feeds_->EndWith(entry, MakeFrame(MessageFrame(entry)), listener_.get(), true);
  arrived.set_value();
  workers_.Drain();
  EXPECT_EQ(Delivered(), (std::vector<std::int64_t>{1, 2, 3}));
  EXPECT_FALSE(feeds_->Follows(id_));
  EXPECT_EQ(hub_.FollowerCount(id_), 0u);
}

// A hand-over behind more than a page of missing entries: the stopped feed reads page after
// page up to it, and drops what follows it in the last page.
TEST_F(ConversationFeedsTest, AStoppedFeedReadsEveryPageUpToItsHandOver) {
  sink_->hold_drains = true;
  ASSERT_TRUE(feeds_->Open(id_, 0, listener_));
  hub_.Unfollow(id_, listener_.get());
  const std::size_t missed = chat::kReplayPage + 5;
  for (std::size_t i = 0; i < missed; ++i) ASSERT_TRUE(Say(id_, "m-" + std::to_string(i)));
  auto handover = Say(id_, "handover");
  ASSERT_TRUE(handover);
  ASSERT_TRUE(Say(id_, "next-counsellors"));
  const chat::Entry late = Stored(handover->seq);
  feeds_->EndWith(late, MakeFrame(MessageFrame(late)), listener_.get(), true);
  for (int round = 0;; ++round) {
    ASSERT_LT(round, 1000);
    workers_.Drain();
    if (Delivered().size() >= missed + 1) break;
    if (!sink_->Drain()) {
      ASSERT_TRUE(sink_->AwaitDrainRequest())
          << "the feed stopped; delivered " << Delivered().size();
    }
  }
  // Whatever else the feed would hand out.
  for (int round = 0; sink_->Drain(); ++round) {
    ASSERT_LT(round, 100);
    workers_.Drain();
  }
  EXPECT_EQ(Delivered().size(), missed + 1) << "up to the hand-over, nothing after it";
  ExpectDeliveredInOrder();
  EXPECT_FALSE(feeds_->Follows(id_));
}

// The access check at Open saw the hand-overs up to its seq: one of them arriving late is past,
// not the end of this listener's part.
TEST_F(ConversationFeedsTest, AHandOverTheAccessCheckSawIsPast) {
  ASSERT_TRUE(Say(id_, "m-1"));
  auto handover = Say(id_, "handover");
  ASSERT_TRUE(handover);
  ASSERT_TRUE(feeds_->Open(id_, 0, listener_,
                           [seq = handover->seq] { return core::Result<std::int64_t>(seq); }));
  chat::Entry late = Stored(handover->seq);
  late.message.kind = model::MessageKind::released;
  EXPECT_FALSE(feeds_->IsNewHandOver(late));
  late.message.seq = handover->seq + 1;
  EXPECT_TRUE(feeds_->IsNewHandOver(late));
  chat::Entry text = Stored(handover->seq);
  text.message.seq = handover->seq + 1;
  EXPECT_FALSE(feeds_->IsNewHandOver(text)) << "not a hand-over";
}

// While Open checks access again, a hand-over the caller's own check saw (another node's,
// published here late) is past already.
TEST_F(ConversationFeedsTest, TheCallersCheckCountsWhileOpenChecksAgain) {
  ASSERT_TRUE(Say(id_, "m-1"));
  auto handover = Say(id_, "handover");
  ASSERT_TRUE(handover);
  chat::Entry late = Stored(handover->seq);
  late.message.kind = model::MessageKind::released;
  bool new_while_checking = true;
  ASSERT_TRUE(feeds_->Open(
      id_, 0, listener_,
      [&]() -> core::Result<std::int64_t> {
        new_while_checking = feeds_->IsNewHandOver(late);
        return handover->seq;
      },
      handover->seq));
  EXPECT_FALSE(new_while_checking);
}

// Judged new, then seen by an access check before it ends the feed (the chat came back): it is
// offered as any other, unless a watch ended at it.
TEST_F(ConversationFeedsTest, AHandOverACheckSawMeanwhileEndsTheFeedOnlyWhenAskedAnyway) {
  ASSERT_TRUE(Say(id_, "m-1"));
  auto handover = Say(id_, "handover");
  ASSERT_TRUE(handover);
  const chat::Entry entry = Stored(handover->seq);
  ASSERT_TRUE(feeds_->Open(id_, 0, listener_, {}, handover->seq));
  feeds_->EndWith(entry, MakeFrame(MessageFrame(entry)), listener_.get(), true);
  EXPECT_TRUE(feeds_->Follows(id_));
  EXPECT_EQ(hub_.FollowerCount(id_), 1u);
  feeds_->EndWith(entry, MakeFrame(MessageFrame(entry)), listener_.get(), false);
  EXPECT_FALSE(feeds_->Follows(id_));
  EXPECT_EQ(hub_.FollowerCount(id_), 0u);
  EXPECT_EQ(Delivered(), (std::vector<std::int64_t>{1, 2}));
}

TEST_F(ConversationFeedsTest, CloseAllStopsDelivery) {
  ASSERT_TRUE(feeds_->Open(id_, 0, listener_));
  feeds_->CloseAll(listener_.get());
  ASSERT_TRUE(Say(id_, "m-1"));
  EXPECT_TRUE(Delivered().empty());
  EXPECT_EQ(hub_.FollowerCount(id_), 0u);
}

}  // namespace
}  // namespace uitweg::api
