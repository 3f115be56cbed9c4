#include "api/feeds.hpp"

#include <algorithm>
#include <optional>
#include <utility>

#include "api/wire.hpp"
#include "core/log.hpp"

namespace uitweg::api {

ConversationFeeds::ConversationFeeds(Audience audience, chat::Conversations& conversations,
                                     chat::Hub& hub, core::Post blocking,
                                     std::weak_ptr<FrameSink> sink, StillFollows still_follows)
    : audience_(audience),
      conversations_(conversations),
      hub_(hub),
      blocking_(std::move(blocking)),
      sink_(std::move(sink)),
      still_follows_(std::move(still_follows)) {}

namespace {

// What a feed hands the socket at once; the rest waits for it to drain.
constexpr std::size_t kChunkBytes = 32 * 1024;

bool IsHandOver(const chat::Entry& entry) {
  return model::IsHandOver(entry.message.kind);
}

}  // namespace

core::Status ConversationFeeds::Open(std::string_view conversation_id, std::int64_t last_seq,
                                     const std::shared_ptr<chat::HubListener>& listener,
                                     const Allowed& allowed, std::int64_t checked_at) {
  const std::string id(conversation_id);
  bool open_already = false;
  {
    std::lock_guard lock(mu_);
    // A feed stopped at a hand-over is followed anew (the chat came back).
    if (auto open = feeds_.find(id); open != feeds_.end()) {
      if (open->second.stopped) {
        feeds_.erase(open);
      } else {
        // Asked again (accepted again, say): a read under way must not stop it for a hand-over
        // this check has seen.
        open->second.checked_at = std::max(open->second.checked_at, checked_at);
        open_already = true;
      }
    }
    if (!open_already) {
      listener_ = listener;
      feeds_.emplace(id, Feed{.sequencer = chat::Sequencer(last_seq),
                              .reading = true,
                              .created = ++next_number_,
                              .checked_at = std::max(last_seq, checked_at)});
    }
  }
  if (open_already) {
    // The newer check moves what is past. Should it fail, the hand-over that took the chat away
    // stops the feed.
    if (!allowed) return {};
    auto checked = allowed();
    if (!checked) return {};
    {
      std::lock_guard lock(mu_);
      if (auto open = feeds_.find(id); open != feeds_.end() && !open->second.stopped) {
        open->second.checked_at = std::max(open->second.checked_at, *checked);
        return {};
      }
    }
    // Stopped (or gone) meanwhile, at a hand-over that arrived late: followed anew.
    return Open(conversation_id, last_seq, listener, allowed, *checked);
  }
  // Following before reading: whatever commits from here on arrives live or is in the read.
  hub_.Follow(id, listener);
  core::Status replayed;
  if (allowed) {
    if (auto checked = allowed(); !checked) {
      replayed = checked.error();
    } else {
      std::lock_guard lock(mu_);
      if (auto open = feeds_.find(id); open != feeds_.end()) {
        open->second.checked_at = std::max(open->second.checked_at, *checked);
      }
    }
  }
  if (replayed) replayed = ReadPage(id);
  if (!replayed) {
    std::lock_guard lock(mu_);
    hub_.Unfollow(id, listener.get());
    feeds_.erase(id);
  }
  return replayed;
}

core::Status ConversationFeeds::ReadPage(const std::string& conversation_id) {
  std::int64_t after = 0;
  std::uint64_t created = 0;
  bool stopped = false;
  std::int64_t checked_at = 0;
  {
    std::lock_guard lock(mu_);
    auto it = feeds_.find(conversation_id);
    if (it == feeds_.end()) return {};
    after = it->second.sequencer.delivered();
    created = it->second.created;
    stopped = it->second.stopped;
    checked_at = it->second.checked_at;
  }
  UITWEG_TRY_ASSIGN(auto page, conversations_.Replay(conversation_id, after));
  const bool full = page.size() >= chat::kReplayPage;
  // Asked before anything of the page goes out: what follows the hand-over may be the next
  // counsellor's. Hand-overs the access check saw are past; a stopped feed knows where it ends.
  std::optional<std::int64_t> stop_after;
  if (!stopped && still_follows_) {
    for (const chat::Entry& entry : page) {
      if (!IsHandOver(entry) || entry.message.seq <= checked_at) continue;
      if (!still_follows_(entry)) {
        stop_after = entry.message.seq;
        break;
      }
    }
  }
  std::vector<chat::SequencedFrame> frames;
  frames.reserve(page.size());
  for (const chat::Entry& entry : page) {
    frames.push_back(
        chat::SequencedFrame{entry.message.seq, For(entry, MakeFrame(MessageFrame(entry)))});
  }
  std::lock_guard lock(mu_);
  auto it = feeds_.find(conversation_id);
  // Closed meanwhile, and perhaps opened anew: that feed reads for itself.
  if (it == feeds_.end() || it->second.created != created) return {};
  Feed& feed = it->second;
  // Not when an access check since has seen the hand-over (the chat came back), nor when the
  // feed stopped at a live hand-over meanwhile (which knows its end).
  if (stop_after && *stop_after > feed.checked_at && !feed.stopped) {
    std::erase_if(frames, [&](const chat::SequencedFrame& f) { return f.seq > *stop_after; });
    feed.sequencer.StopAfter(*stop_after);
    feed.stopped = true;
    // Under mu_: an Open that follows the chat anew must come after this, not be undone by it.
    if (auto listener = listener_.lock()) hub_.Unfollow(conversation_id, listener.get());
  }
  for (Frame& frame : feed.sequencer.OfferAll(std::move(frames))) {
    feed.backlog.push_back(std::move(frame));
  }
  feed.reading = false;
  // A stopped feed reads on only to fill a gap before its hand-over.
  feed.more = feed.sequencer.HasGap() || (!feed.stopped && full);
  Pump(it);
  return {};
}

void ConversationFeeds::Pump(Feeds::iterator it) {
  Feed& feed = it->second;
  if (feed.draining) return;
  std::shared_ptr<FrameSink> sink = sink_.lock();
  if (!sink) return;
  std::size_t handed = 0;
  while (feed.handed < feed.backlog.size() && handed < kChunkBytes) {
    Frame& frame = feed.backlog[feed.handed++];
    handed += frame->size();
    sink->Send(std::move(frame));
  }
  if (feed.handed == feed.backlog.size()) {
    feed.handed = 0;
    feed.live_bytes = 0;
    std::vector<Frame>().swap(feed.backlog);
  }
  if (!feed.backlog.empty()) {
    feed.draining = true;
    PumpWhenDrained(it->first);
  } else if (feed.more && !feed.reading) {
    if (handed == 0) {
      feed.reading = true;
      ReadLater(it->first);
    } else {
      // The next page waits until what was just handed has been written. Live entries that come
      // in meanwhile are handed first (the drain's Pump), and the read follows once they are out.
      feed.draining = true;
      PumpWhenDrained(it->first);
    }
  } else if (feed.stopped && !feed.reading) {
    // All it had to say is out: following it anew starts a feed of its own.
    feeds_.erase(it);
  }
}

void ConversationFeeds::PumpWhenDrained(const std::string& conversation_id) {
  std::shared_ptr<chat::HubListener> owner = listener_.lock();
  std::shared_ptr<FrameSink> sink = sink_.lock();
  if (!owner || !sink) return;
  sink->WhenDrained([this, owner, conversation_id] {
    std::lock_guard lock(mu_);
    auto it = feeds_.find(conversation_id);
    if (it == feeds_.end()) return;
    it->second.draining = false;
    Pump(it);
  });
}

void ConversationFeeds::ReadLater(const std::string& conversation_id) {
  std::shared_ptr<chat::HubListener> owner = listener_.lock();
  if (!owner) return;
  blocking_([this, owner, conversation_id] {
    if (core::Status read = ReadPage(conversation_id); !read) {
      core::Log(core::LogLevel::warn, "feed.read_failed",
                {{"conversation", conversation_id}, {"code", core::ErrcName(read.error().code)}});
      // What is missing could never reach this socket, nor anything behind it: end the socket
      // (1013, try again later), and the client resumes from its last seq on a new one.
      if (std::shared_ptr<FrameSink> sink = sink_.lock()) sink->Close(1013, "try again");
    }
  });
}

Frame ConversationFeeds::For(const chat::Entry& entry, Frame frame) const {
  if (audience_ == Audience::visitor && model::IsStaffOnly(entry.message.kind)) return nullptr;
  return frame;
}

void ConversationFeeds::OnEntry(const chat::Entry& entry, const Frame& frame) {
  Offer(entry.message.conversation_id, chat::SequencedFrame{entry.message.seq, For(entry, frame)});
}

void ConversationFeeds::SentHere(std::string_view conversation_id, std::int64_t seq) {
  Offer(conversation_id, chat::SequencedFrame{seq, nullptr});
}

void ConversationFeeds::Offer(std::string_view conversation_id, chat::SequencedFrame entry) {
  std::lock_guard lock(mu_);
  auto it = feeds_.find(conversation_id);
  if (it != feeds_.end()) OfferHere(it, std::move(entry));
}

void ConversationFeeds::OfferHere(Feeds::iterator it, chat::SequencedFrame entry) {
  Feed& feed = it->second;
  // A stopped feed still takes what comes before its hand-over; its sequencer drops the rest.
  for (Frame& frame : feed.sequencer.Offer(std::move(entry))) {
    feed.live_bytes += frame->size();
    feed.backlog.push_back(std::move(frame));
  }
  if (feed.live_bytes > kMaxLiveBacklogBytes) {
    core::Log(core::LogLevel::info, "feed.client_too_slow",
              {{"live_bytes", static_cast<std::int64_t>(feed.live_bytes)}});
    // The socket goes, and with it everything it follows: nothing more is kept for it.
    feed.backlog.clear();
    feed.handed = 0;
    feed.live_bytes = 0;
    if (std::shared_ptr<FrameSink> sink = sink_.lock()) sink->Close(1008, "too slow");
    return;
  }
  if (feed.sequencer.HasGap()) feed.more = true;
  Pump(it);
}

bool ConversationFeeds::Follows(std::string_view conversation_id) {
  std::lock_guard lock(mu_);
  auto it = feeds_.find(conversation_id);
  return it != feeds_.end() && !it->second.stopped;
}

bool ConversationFeeds::IsNewHandOver(const chat::Entry& entry) {
  if (!IsHandOver(entry)) return false;
  std::lock_guard lock(mu_);
  // No feed yet (one opening): its first read asks StillFollows about a hand-over this new.
  auto it = feeds_.find(entry.message.conversation_id);
  return it != feeds_.end() && entry.message.seq > it->second.checked_at;
}

void ConversationFeeds::EndWith(const chat::Entry& entry, const Frame& frame,
                                const chat::HubListener* listener, bool unless_past) {
  const std::string& id = entry.message.conversation_id;
  std::lock_guard lock(mu_);
  auto it = feeds_.find(id);
  // An access check since it was judged new has seen it (the chat came back meanwhile).
  if (unless_past && it != feeds_.end() && entry.message.seq <= it->second.checked_at) {
    return OfferHere(it, chat::SequencedFrame{entry.message.seq, For(entry, frame)});
  }
  // Under mu_: an Open that follows the chat anew must come after this, not be undone by it.
  hub_.Unfollow(id, listener);
  if (it == feeds_.end() || it->second.stopped) return;
  Feed& feed = it->second;
  feed.sequencer.StopAfter(entry.message.seq);
  feed.stopped = true;
  // From here it reads only to fill a gap before the hand-over, which OfferHere notes.
  feed.more = false;
  OfferHere(it, chat::SequencedFrame{entry.message.seq, For(entry, frame)});
}

void ConversationFeeds::Close(std::string_view conversation_id, const chat::HubListener* listener) {
  std::lock_guard lock(mu_);
  if (auto it = feeds_.find(conversation_id); it != feeds_.end()) feeds_.erase(it);
  // Under mu_, as in EndWith.
  hub_.Unfollow(conversation_id, listener);
}

void ConversationFeeds::CloseAll(const chat::HubListener* listener) {
  Feeds closing;
  {
    std::lock_guard lock(mu_);
    closing.swap(feeds_);
  }
  for (const auto& [id, feed] : closing) hub_.Unfollow(id, listener);
}

}  // namespace uitweg::api
