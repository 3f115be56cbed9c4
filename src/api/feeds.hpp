#pragma once
// The conversations one socket follows, each delivered to it in seq order, once: a replay from
// the store when it starts following, live entries from the hub, and a catch-up read of the
// store whenever entries are missing (the hub's were dropped while a long replay ran, or another
// node's entry came after this node's next one). Should such a read fail, the socket is closed, so
// that its client resumes on a new one instead of waiting behind the gap for good. Replays
// are read a page at a time and handed to the socket a chunk at a time, the next chunk only
// once the socket has written most of the last one (FrameSink::WhenDrained); live entries wait
// behind them. So resuming a conversation of any length never floods the socket's queue. A
// socket whose live entries pile up past kMaxLiveBacklogBytes while it drains is too slow and is
// closed (1008), as the socket closes one whose own queue passes its limit: its client resumes.
//
// Thread safety: all methods may be called from any thread. Open blocks on the store (call it
// on a worker); OnEntry does not block; later pages are read on the `blocking` executor.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "api/channel.hpp"
#include "chat/conversations.hpp"
#include "chat/hub.hpp"
#include "chat/sequencer.hpp"
#include "core/executor.hpp"

namespace uitweg::api {

// Who reads the feeds: a visitor never receives staff-only entries (notes, whispers); their
// seqs count as delivered without a frame.
enum class Audience { visitor, staff };

// Live entries that may wait behind one feed's undrained chunk before its socket is too slow.
inline constexpr std::size_t kMaxLiveBacklogBytes = 1024 * 1024;

class ConversationFeeds {
 public:
  // Asked, on the blocking executor, when a read of the store brings a hand-over entry
  // (`released`, `transferred`) newer than the access check (Open's `allowed`, or its
  // `checked_at`), before any of the read goes out: one this node did not publish, so the
  // listener's OnEntry never saw it. Asked for each such entry, in order, until it says no.
  // Whether the listener still follows the conversation: if not, the feed delivers up to that
  // entry and nothing after it.
  using StillFollows = std::function<bool(const chat::Entry& hand_over)>;
  // The access check of Open: the conversation's last seq when it held, or why it did not.
  using Allowed = std::function<core::Result<std::int64_t>()>;

  ConversationFeeds(Audience audience, chat::Conversations& conversations, chat::Hub& hub,
                    core::Post blocking, std::weak_ptr<FrameSink> sink,
                    StillFollows still_follows = {});

  // Follows the conversation for `listener` (whose OnEntry must call OnEntry here) and delivers
  // every entry after last_seq: the first page before returning, the rest as the socket drains.
  // Already open: nothing happens but a newer access check (stopped at a hand-over: followed
  // anew). `listener` is kept alive while pages are still to come.
  // `allowed`, if given, is asked once following and before anything is read: an access check
  // made then holds for the replay, and a change of access after it arrives live. Its error is
  // Open's, and then nothing is followed. `checked_at`: the conversation's last seq at the
  // caller's own check before Open. The hand-overs up to it, or up to the seq `allowed` gives,
  // are the conversation's past (before this socket's part began), which neither StillFollows
  // nor IsNewHandOver looks at.
  core::Status Open(std::string_view conversation_id, std::int64_t last_seq,
                    const std::shared_ptr<chat::HubListener>& listener, const Allowed& allowed = {},
                    std::int64_t checked_at = 0);
  void OnEntry(const chat::Entry& entry, const Frame& frame);
  // The socket sent entry `seq` itself and its ack went out: it counts as delivered, with no
  // frame of its own (the hub does not echo a send to its socket).
  void SentHere(std::string_view conversation_id, std::int64_t seq);
  // Whether this socket follows the conversation (and has not stopped at a hand-over).
  bool Follows(std::string_view conversation_id);
  // Whether this hand-over entry came after the feed's access check: one that may end the
  // listener's part. An older one (another node's, arriving late) is past: offer it as any other.
  // False without a feed (one still opening: its first read asks StillFollows instead).
  bool IsNewHandOver(const chat::Entry& entry);
  // The listener's part ends with this live hand-over entry (`released`, `transferred`): what
  // comes before it and the entry itself go out, in order (a gap before it is read from the
  // store), and nothing after it, even what arrived first (another node's hand-over may reach
  // this node after its own next entry). Call it instead of OnEntry.
  // `unless_past`: a hand-over an access check has seen since IsNewHandOver (the chat came back
  // meanwhile) is offered as any other instead.
  void EndWith(const chat::Entry& entry, const Frame& frame, const chat::HubListener* listener,
               bool unless_past);
  // Stops following one conversation (it is no longer this socket's to read).
  void Close(std::string_view conversation_id, const chat::HubListener* listener);
  // Stops following everything.
  void CloseAll(const chat::HubListener* listener);

 private:
  struct Feed {
    chat::Sequencer sequencer;
    // In order; backlog[handed] on are not yet handed to the socket. A vector, not a deque:
    // an empty deque already holds over half a kilobyte, and every socket has a feed.
    std::vector<Frame> backlog = {};
    std::size_t handed = 0;
    // Bytes of live entries put in the backlog since it was last empty: what a socket that does
    // not drain lets pile up, beyond the socket's own send limit.
    std::size_t live_bytes = 0;
    bool reading = false;   // a page read is running
    bool more = false;      // the last page was full, or entries are missing
    bool draining = false;  // waiting for the socket to drain before the next chunk
    // Stopped at a hand-over: what is up to it goes out (read, if missing), nothing after it.
    bool stopped = false;
    // Which feed this is, numbered by next_number_ (a feed closed and opened again is another):
    // a read that began in another must not touch this one.
    std::uint64_t created = 0;
    // The conversation's last seq at the latest access check: hand-overs up to it are past, and
    // a read's answer about one of them is overtaken.
    std::int64_t checked_at = 0;
  };
  using Feeds = std::map<std::string, Feed, std::less<>>;

  // Reads the page after what was delivered and queues it for the socket.
  core::Status ReadPage(const std::string& conversation_id);
  void Offer(std::string_view conversation_id, chat::SequencedFrame entry);
  // Offer, for a feed found. Caller holds mu_.
  void OfferHere(Feeds::iterator feed, chat::SequencedFrame entry);
  // Hands the socket the next chunk of the backlog, or reads the next page once the backlog is
  // out. Caller holds mu_.
  void Pump(Feeds::iterator feed);
  // Runs Pump for the conversation again once the socket has drained. Caller holds mu_.
  void PumpWhenDrained(const std::string& conversation_id);
  // Reads the next page on the blocking executor; if that fails, closes the socket (the client
  // resumes on a new one). Caller holds mu_.
  void ReadLater(const std::string& conversation_id);

  // The frame this audience gets for the entry: null for what it must not see.
  Frame For(const chat::Entry& entry, Frame frame) const;

  const Audience audience_;
  chat::Conversations& conversations_;
  chat::Hub& hub_;
  const core::Post blocking_;
  const std::weak_ptr<FrameSink> sink_;
  const StillFollows still_follows_;

  // Guarded by mu_.
  std::mutex mu_;
  Feeds feeds_;
  std::uint64_t next_number_ = 0;
  std::weak_ptr<chat::HubListener> listener_;
};

}  // namespace uitweg::api
