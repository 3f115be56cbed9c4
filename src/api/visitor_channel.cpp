#include "api/visitor_channel.hpp"

#include <boost/json/serialize.hpp>

#include "api/wire.hpp"

namespace uitweg::api {
namespace {

constexpr std::uint16_t kPolicyClose = 1008;

}  // namespace

VisitorChannel::VisitorChannel(chat::Conversations& conversations, chat::Hub& hub,
                               chat::Presence& presence, const core::Clock& clock,
                               core::Post blocking, std::weak_ptr<FrameSink> sink,
                               chat::Handovers* handovers)
    : conversations_(conversations),
      handovers_(handovers),
      hub_(hub),
      presence_(presence),
      clock_(clock),
      blocking_(blocking),
      sink_(sink),
      window_(kSendWindow),
      feeds_(Audience::visitor, conversations, hub, std::move(blocking), std::move(sink),
             // A hand-back another node stored, read to fill a gap: OnEntry never sees it.
             [this](const chat::Entry& hand_over) {
               if (hand_over.message.kind == model::MessageKind::released) {
                 WatchPlaceAgain(hand_over.message.conversation_id, true);
               }
               return true;
             }) {}

void VisitorChannel::Emit(std::string frame) {
  if (auto sink = sink_.lock()) sink->Send(MakeFrame(std::move(frame)));
}

void VisitorChannel::Fail(const core::Error& error, std::string_view ref, bool close) {
  Emit(ErrorFrame(error, ref));
  if (!close) return;
  if (auto sink = sink_.lock()) sink->Close(kPolicyClose, core::ErrcName(error.code));
}

bool VisitorChannel::Closed() {
  std::lock_guard lock(mu_);
  return closed_;
}

std::string VisitorChannel::ConversationId() {
  std::lock_guard lock(mu_);
  return conversation_id_;
}

void VisitorChannel::OnWorker(std::function<void()> work) {
  blocking_([self = shared_from_this(), work = std::move(work)] {
    work();
    if (auto sink = self->sink_.lock()) sink->ResumeReading();
  });
}

bool VisitorChannel::OnFrame(std::string_view text) {
  heard_at_ = clock_.Now();
  std::string ref;
  core::Result<VisitorFrame> frame = DecodeVisitorFrame(text, ref);
  const bool said_hello = !ConversationId().empty();
  if (!frame) {
    Fail(frame.error(), ref, !said_hello);
    return true;
  }
  if (auto* hello = std::get_if<HelloFrame>(&*frame)) {
    if (said_hello) {
      Fail(core::Fail(core::Errc::invalid_argument, "hello was said already"), {}, false);
      return true;
    }
    OnWorker([this, hello = std::move(*hello)] { Hello(hello); });
    return false;
  }
  if (!said_hello) {
    Fail(core::Fail(core::Errc::invalid_argument, "the first frame must be hello"), ref, true);
    return true;
  }
  if (auto* send = std::get_if<SendFrame>(&*frame)) return Send(*send);
  if (std::holds_alternative<EndFrame>(*frame)) {
    OnWorker([this] {
      if (auto ended = conversations_.EndAsVisitor(ConversationId()); !ended) {
        Fail(ended.error(), "end", false);
      }
    });
    return false;
  }
  if (auto* consent = std::get_if<ConsentFrame>(&*frame)) {
    OnWorker([this, consent = std::move(*consent)] {
      if (handovers_ == nullptr) {
        return Fail(core::Fail(core::Errc::failed_precondition, "no handovers here"),
                    consent.client_id, false);
      }
      Answer(consent.client_id, handovers_->AnswerConsent(ConversationId(), consent.request_seq,
                                                          consent.yes, consent.client_id, this));
    });
    return false;
  }
  if (std::holds_alternative<ForgetFrame>(*frame)) {
    OnWorker([this] {
      if (core::Status noted = conversations_.ForgetWhenEnded(ConversationId()); !noted) {
        return Fail(noted.error(), "forget", false);
      }
      Emit(R"({"type":"forget_noted"})");
    });
    return false;
  }
  if (std::holds_alternative<TypingFrame>(*frame)) {
    Typing();
    return true;
  }
  Emit(R"({"type":"pong"})");
  return true;
}

void VisitorChannel::Typing() {
  const core::UnixMillis now = clock_.Now();
  if (now - typed_at_ < kTypingEvery) return;
  typed_at_ = now;
  const std::string id = ConversationId();
  hub_.Signal(id, chat::Side::visitor, MakeFrame(TypingSignal(id, "visitor")), this);
}

void VisitorChannel::OnSignal(chat::Side from, const Frame& frame) {
  if (from != chat::Side::staff) return;
  if (auto sink = sink_.lock()) sink->Send(frame);
}

chat::VisitorSocket VisitorChannel::AsPresenceSeesIt(std::string token_hash,
                                                     std::uint64_t checked_at) {
  const std::weak_ptr<VisitorChannel> weak = weak_from_this();
  auto heard_at = [weak] {
    const auto self = weak.lock();
    return self ? self->heard_at_.load() : core::UnixMillis{0};
  };
  // Told so and closed; the page reconnects if it is still there.
  auto give_way = [weak](core::Error why) {
    const auto self = weak.lock();
    if (!self) return;
    self->Fail(std::move(why), {}, true);
  };
  return {.heard_at = std::move(heard_at),
          .give_way = std::move(give_way),
          .token_hash = std::move(token_hash),
          .checked_at = checked_at};
}

void VisitorChannel::Hello(const HelloFrame& hello) {
  const std::uint64_t checked_at = presence_.Now();
  core::Result<model::Conversation> conversation = conversations_.Resume(hello.resume_token);
  if (!conversation) return Fail(conversation.error(), {}, true);
  if (hello.last_seq > conversation->last_seq) {
    return Fail(core::Fail(core::Errc::invalid_argument, "last_seq is beyond the conversation"), {},
                true);
  }
  // A socket already gone must not push out another one for its place.
  if (Closed()) return;
  core::Result<chat::Presence::SocketId> joined =
      presence_.Join(conversation->id, clock_.Now(),
                     AsPresenceSeesIt(conversation->resume_token_hash, checked_at));
  if (!joined) return Fail(joined.error(), {}, true);
  bool closed = false;
  {
    std::lock_guard lock(mu_);
    closed = closed_;
    if (!closed) {
      conversation_id_ = conversation->id;
      joined_ = true;
      socket_ = *joined;
    }
  }
  if (closed) {
    // The socket ended while this ran, and OnClose found nothing to leave.
    presence_.Leave(conversation->id, *joined, clock_.Now(), hub_.IsWaiting(conversation->id));
    return;
  }
  if (conversation->status == model::ConversationStatus::ended) ended_ = true;
  conversations_.NoteVisitorConnected(*conversation);
  hub_.Signal(conversation->id, chat::Side::visitor,
              MakeFrame(PresenceSignal(conversation->id, true, clock_.Now())), this);
  hub_.WatchPosition(
      conversation->id, weak_from_this(),
      [&](std::int64_t position) {
        const std::optional<core::UnixMillis> wait = conversations_.ExpectedWait(position);
        (void)TellsSomethingNew(position, wait);
        boost::json::object welcome;
        welcome["type"] = "welcome";
        welcome["conversation"] = ConversationJson(*conversation);
        welcome["queue_position"] = PositionJson(position);
        welcome["expected_wait_ms"] = ExpectedWaitJson(wait);
        Emit(boost::json::serialize(welcome));
      },
      conversation->status == model::ConversationStatus::waiting);
  // Hand-overs up to the conversation as read are its past, which the welcome reflects.
  if (core::Status opened = feeds_.Open(conversation->id, hello.last_seq, shared_from_this(), {},
                                        conversation->last_seq);
      !opened) {
    Fail(opened.error(), {}, true);
  }
  // The socket may have ended between the lock above and here, and OnClose stopped watching
  // before this started: stop again.
  if (Closed()) StopFollowing(conversation->id);
}

bool VisitorChannel::Send(const SendFrame& send) {
  const bool room = window_.Take();
  conversations_.SendAsVisitor(
      ConversationId(), send.client_id, send.body, this,
      [self = shared_from_this(), client_id = send.client_id](core::Result<chat::Sent> sent) {
        self->Answer(client_id, sent);
        if (!self->window_.Release()) return;
        if (auto sink = self->sink_.lock()) sink->ResumeReading();
      });
  return room;
}

void VisitorChannel::Answer(const std::string& client_id, const core::Result<chat::Sent>& sent) {
  if (!sent) return Fail(sent.error(), client_id, false);
  Emit(AckFrame({}, client_id, *sent));
  if (!sent->duplicate) feeds_.SentHere(ConversationId(), sent->seq);
}

void VisitorChannel::StopFollowing(const std::string& conversation_id) {
  hub_.UnwatchPosition(conversation_id, this);
  feeds_.CloseAll(this);
}

void VisitorChannel::OnClose() {
  std::string id;
  bool joined = false;
  chat::Presence::SocketId socket = 0;
  {
    std::lock_guard lock(mu_);
    closed_ = true;
    id = conversation_id_;
    joined = joined_;
    socket = socket_;
  }
  StopFollowing(id);
  if (joined) {
    // Kept while the conversation runs, so that staff learn when the visitor left.
    presence_.Leave(id, socket, clock_.Now(), !ended_.load());
    if (presence_.AbsentSince(id, 0)) {
      hub_.Signal(id, chat::Side::visitor, MakeFrame(PresenceSignal(id, false, clock_.Now())),
                  this);
    }
  }
}

void VisitorChannel::OnEntry(const chat::Entry& entry, const Frame& frame) {
  feeds_.OnEntry(entry, frame);
  if (entry.message.kind == model::MessageKind::ended) ended_ = true;
  if (entry.message.kind == model::MessageKind::released) {
    WatchPlaceAgain(entry.message.conversation_id, false);
  }
}

void VisitorChannel::WatchPlaceAgain(const std::string& conversation_id, bool read_waiting) {
  {
    std::lock_guard lock(mu_);
    told_place_.reset();
  }
  hub_.WatchPosition(
      conversation_id, weak_from_this(),
      [this](std::int64_t position) {
        // Not known here yet: its place comes at the first tick after it arrives.
        if (position > 0) OnQueuePosition(position);
      },
      read_waiting);
}

void VisitorChannel::OnQueuePosition(std::int64_t position) {
  const std::optional<core::UnixMillis> wait = conversations_.ExpectedWait(position);
  // Told again now and then (Hub::Tick), place moved or not: sent when what the page shows
  // changed.
  if (!TellsSomethingNew(position, wait)) return;
  Emit(PositionFrame(position, wait));
}

bool VisitorChannel::TellsSomethingNew(std::int64_t position,
                                       std::optional<core::UnixMillis> wait) {
  std::optional<core::UnixMillis> minutes;
  if (wait) minutes = (*wait + 30'000) / 60'000;
  std::lock_guard lock(mu_);
  if (told_place_ && told_place_->first == position && told_place_->second == minutes) {
    return false;
  }
  told_place_.emplace(position, minutes);
  return true;
}

}  // namespace uitweg::api
