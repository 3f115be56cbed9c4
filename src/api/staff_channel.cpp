#include "api/staff_channel.hpp"

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include "api/wire.hpp"

namespace uitweg::api {

StaffChannel::StaffChannel(chat::Conversations& conversations, chat::Hub& hub,
                           const core::Clock& clock, Post post, StaffMember me,
                           SessionCheck check_session, const std::weak_ptr<FrameSink>& sink)
    : conversations_(conversations),
      hub_(hub),
      clock_(clock),
      me_(std::move(me)),
      check_session_(std::move(check_session)),
      sink_(sink),
      window_(kSendWindow),
      feeds_(conversations, hub, std::move(post),
             [sink](const chat::Entry& entry) {
               if (auto strong = sink.lock()) strong->Send(MessageFrame(entry));
             }),
      session_checked_at_(clock.Now()) {}

void StaffChannel::Emit(std::string frame) {
  if (auto sink = sink_.lock()) sink->Send(std::move(frame));
}

bool StaffChannel::SessionStillLive() {
  const core::UnixMillis now = clock_.Now();
  {
    std::lock_guard lock(mu_);
    if (now - session_checked_at_ < kSessionRecheck) return true;
  }
  core::Status live = check_session_();
  if (live) {
    std::lock_guard lock(mu_);
    session_checked_at_ = now;
    return true;
  }
  if (live.error().code != core::Errc::unauthenticated) return true;  // the store is down: retry
  Emit(ErrorFrame(live.error()));
  if (auto sink = sink_.lock()) sink->Close(1008, "session ended");
  return false;
}

void StaffChannel::OnFrame(std::string_view text) {
  if (!SessionStillLive()) return;
  std::string ref;
  core::Result<StaffFrame> frame = DecodeStaffFrame(text, ref);
  if (!frame) {
    Emit(ErrorFrame(frame.error(), ref));
    return;
  }
  std::visit(
      [this](const auto& decoded) {
        using Frame = std::decay_t<decltype(decoded)>;
        if constexpr (std::is_same_v<Frame, HelloFrame>) {
          Hello();
        } else if constexpr (std::is_same_v<Frame, AcceptFrame>) {
          Accept(decoded);
        } else if constexpr (std::is_same_v<Frame, SubscribeFrame>) {
          Subscribe(decoded);
        } else if constexpr (std::is_same_v<Frame, SendFrame>) {
          Send(decoded);
        } else if constexpr (std::is_same_v<Frame, EndFrame>) {
          End(decoded);
        } else {
          Emit(R"({"type":"pong"})");
        }
      },
      *frame);
}

void StaffChannel::Hello() {
  const bool counsels = chat::Conversations::CanCounsel(me_.counsellor.role);
  boost::json::array active;
  if (counsels) {
    auto mine = conversations_.ActiveFor(me_.counsellor);
    if (!mine) {
      Emit(ErrorFrame(mine.error()));
      return;
    }
    for (const store::Conversation& conversation : *mine) {
      active.push_back(ConversationJson(conversation));
    }
  }
  boost::json::object me;
  me["username"] = me_.username;
  me["role"] = store::RoleName(me_.counsellor.role);
  me["display_name"] = me_.counsellor.display_name;
  boost::json::object welcome;
  welcome["type"] = "welcome";
  welcome["me"] = std::move(me);
  welcome["active"] = std::move(active);
  Emit(boost::json::serialize(welcome));
  if (!counsels) return;
  {
    std::lock_guard lock(mu_);
    if (queue_requested_) return;
    queue_requested_ = true;
  }
  auto queue = conversations_.WatchQueue(weak_from_this());
  std::lock_guard lock(mu_);
  if (!queue) {
    queue_requested_ = false;
    Emit(ErrorFrame(queue.error()));
    return;
  }
  // Snapshots that reached OnQueueChanged meanwhile are newer: they go out after this one.
  Emit(QueueFrame(*queue));
  if (early_queue_) Emit(QueueFrame(early_queue_));
  early_queue_.reset();
  watching_queue_ = true;
}

void StaffChannel::Accept(const AcceptFrame& accept) {
  auto conversation = conversations_.Accept(accept.conversation_id, me_.counsellor);
  if (!conversation) {
    Emit(ErrorFrame(conversation.error(), accept.conversation_id));
    return;
  }
  boost::json::object assigned;
  assigned["type"] = "assigned";
  assigned["conversation"] = ConversationJson(*conversation);
  Emit(boost::json::serialize(assigned));
  if (core::Status opened = feeds_.Open(conversation->id, 0, shared_from_this()); !opened) {
    Emit(ErrorFrame(opened.error(), accept.conversation_id));
  }
}

void StaffChannel::Subscribe(const SubscribeFrame& subscribe) {
  auto conversation = conversations_.OpenFor(subscribe.conversation_id, me_.counsellor);
  if (!conversation) {
    Emit(ErrorFrame(conversation.error(), subscribe.conversation_id));
    return;
  }
  if (subscribe.last_seq > conversation->last_seq) {
    Emit(ErrorFrame(core::Fail(core::Errc::invalid_argument, "last_seq is beyond the conversation"),
                    subscribe.conversation_id));
    return;
  }
  if (core::Status opened = feeds_.Open(conversation->id, subscribe.last_seq, shared_from_this());
      !opened) {
    Emit(ErrorFrame(opened.error(), subscribe.conversation_id));
  }
}

void StaffChannel::Send(const SendFrame& send) {
  window_.Acquire();
  conversations_.SendAsCounsellorAsync(
      send.conversation_id, me_.counsellor, send.client_id, send.body,
      [self = shared_from_this(), conversation_id = send.conversation_id,
       client_id = send.client_id](core::Result<chat::Sent> sent) {
        self->Answer(conversation_id, client_id, sent);
        self->window_.Release();
      });
}

void StaffChannel::Answer(std::string_view conversation_id, std::string_view client_id,
                          const core::Result<chat::Sent>& sent) {
  if (!sent) {
    Emit(ErrorFrame(sent.error(), client_id));
    return;
  }
  boost::json::object ack;
  ack["type"] = "ack";
  ack["conversation_id"] = conversation_id;
  ack["client_id"] = client_id;
  ack["seq"] = sent->entry.message.seq;
  ack["duplicate"] = sent->duplicate;
  Emit(boost::json::serialize(ack));
}

void StaffChannel::End(const EndFrame& end) {
  auto ended = conversations_.EndAsCounsellor(end.conversation_id, me_.counsellor);
  if (!ended) Emit(ErrorFrame(ended.error(), end.conversation_id));
}

void StaffChannel::OnClose() {
  hub_.UnwatchQueue(this);
  feeds_.CloseAll(this);
}

void StaffChannel::OnEntry(const chat::Entry& entry) { feeds_.OnEntry(entry); }

void StaffChannel::OnConversationChanged(const store::Conversation&) {
  // The `accepted` and `ended` entries already tell the console.
}

void StaffChannel::OnQueueChanged(const chat::QueueSnapshot& queue) {
  std::lock_guard lock(mu_);
  if (watching_queue_) {
    Emit(QueueFrame(queue));
  } else {
    early_queue_ = queue;
  }
}

std::string StaffChannel::QueueFrame(const chat::QueueSnapshot& queue) const {
  boost::json::array waiting;
  const core::UnixMillis now = clock_.Now();
  for (const store::Conversation& conversation : *queue) {
    waiting.push_back(QueueEntryJson(conversation, now));
  }
  boost::json::object frame;
  frame["type"] = "queue";
  frame["waiting"] = std::move(waiting);
  return boost::json::serialize(frame);
}

}  // namespace uitweg::api
