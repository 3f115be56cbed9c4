#include "api/visitor_channel.hpp"

#include <boost/json/serialize.hpp>

#include "api/wire.hpp"

namespace uitweg::api {
namespace {

constexpr std::uint16_t kPolicyClose = 1008;

}  // namespace

VisitorChannel::VisitorChannel(chat::Conversations& conversations, chat::Hub& hub, Post post,
                               const std::weak_ptr<FrameSink>& sink)
    : conversations_(conversations),
      hub_(hub),
      sink_(sink),
      window_(kSendWindow),
      feeds_(conversations, hub, std::move(post), [sink](const chat::Entry& entry) {
        if (auto strong = sink.lock()) strong->Send(MessageFrame(entry));
      }) {}

void VisitorChannel::Emit(std::string frame) {
  if (auto sink = sink_.lock()) sink->Send(std::move(frame));
}

void VisitorChannel::Fail(const core::Error& error, std::string_view ref, bool close) {
  Emit(ErrorFrame(error, ref));
  if (!close) return;
  if (auto sink = sink_.lock()) sink->Close(kPolicyClose, core::ErrcName(error.code));
}

void VisitorChannel::OnFrame(std::string_view text) {
  std::string ref;
  core::Result<VisitorFrame> frame = DecodeVisitorFrame(text, ref);
  bool said_hello = false;
  {
    std::lock_guard lock(mu_);
    said_hello = !conversation_id_.empty();
  }
  if (!frame) {
    Fail(frame.error(), ref, !said_hello);
    return;
  }
  if (auto* hello = std::get_if<HelloFrame>(&*frame)) {
    if (said_hello) {
      Fail(core::Fail(core::Errc::invalid_argument, "hello was said already"), {}, false);
      return;
    }
    Hello(*hello);
    return;
  }
  if (!said_hello) {
    Fail(core::Fail(core::Errc::invalid_argument, "the first frame must be hello"), ref, true);
    return;
  }
  if (auto* send = std::get_if<SendFrame>(&*frame)) {
    Send(*send);
  } else if (std::holds_alternative<EndFrame>(*frame)) {
    End();
  } else {
    Emit(R"({"type":"pong"})");
  }
}

void VisitorChannel::Hello(const HelloFrame& hello) {
  core::Result<store::Conversation> conversation = conversations_.Resume(hello.resume_token);
  if (!conversation) {
    Fail(conversation.error(), {}, true);
    return;
  }
  if (hello.last_seq > conversation->last_seq) {
    Fail(core::Fail(core::Errc::invalid_argument, "last_seq is beyond the conversation"), {},
         true);
    return;
  }
  const bool waiting = conversation->status == store::ConversationStatus::waiting;
  {
    std::lock_guard lock(mu_);
    conversation_id_ = conversation->id;
  }
  std::int64_t position = 0;
  if (waiting) {
    core::Result<chat::QueueSnapshot> queue = conversations_.WatchQueue(weak_from_this());
    if (!queue) {
      Fail(queue.error(), {}, true);
      return;
    }
    position = chat::PositionIn(*queue, conversation->id);
  }
  {
    std::lock_guard lock(mu_);
    // A snapshot that came while this one was read is newer.
    if (early_queue_) position = chat::PositionIn(early_queue_, conversation_id_);
    early_queue_.reset();
    queue_position_ = position;
    watching_queue_ = waiting;
    welcomed_ = true;
    boost::json::object welcome;
    welcome["type"] = "welcome";
    welcome["conversation"] = ConversationJson(*conversation);
    welcome["queue_position"] = PositionJson(position);
    Emit(boost::json::serialize(welcome));
  }
  if (core::Status opened = feeds_.Open(conversation->id, hello.last_seq, shared_from_this());
      !opened) {
    Fail(opened.error(), {}, true);
  }
}

void VisitorChannel::Send(const SendFrame& send) {
  std::string id;
  {
    std::lock_guard lock(mu_);
    id = conversation_id_;
  }
  window_.Acquire();
  conversations_.SendAsVisitorAsync(
      id, send.client_id, send.body,
      [self = shared_from_this(), client_id = send.client_id](core::Result<chat::Sent> sent) {
        self->Answer(client_id, sent);
        self->window_.Release();
      });
}

void VisitorChannel::Answer(std::string_view client_id, const core::Result<chat::Sent>& sent) {
  if (!sent) {
    Fail(sent.error(), client_id, false);
    return;
  }
  boost::json::object ack;
  ack["type"] = "ack";
  ack["client_id"] = client_id;
  ack["seq"] = sent->entry.message.seq;
  ack["duplicate"] = sent->duplicate;
  Emit(boost::json::serialize(ack));
}

void VisitorChannel::End() {
  std::string id;
  {
    std::lock_guard lock(mu_);
    id = conversation_id_;
  }
  core::Result<store::Conversation> ended = conversations_.EndAsVisitor(id);
  if (!ended) Fail(ended.error(), {}, false);
}

void VisitorChannel::OnClose() {
  hub_.UnwatchQueue(this);
  feeds_.CloseAll(this);
}

void VisitorChannel::OnEntry(const chat::Entry& entry) { feeds_.OnEntry(entry); }

void VisitorChannel::OnConversationChanged(const store::Conversation& conversation) {
  if (conversation.status == store::ConversationStatus::waiting) return;
  bool was_watching = false;
  {
    std::lock_guard lock(mu_);
    was_watching = watching_queue_;
    watching_queue_ = false;
  }
  if (was_watching) hub_.UnwatchQueue(this);
}

void VisitorChannel::OnQueueChanged(const chat::QueueSnapshot& queue) {
  std::lock_guard lock(mu_);
  if (!welcomed_) {
    early_queue_ = queue;
    return;
  }
  if (!watching_queue_) return;
  const std::int64_t position = chat::PositionIn(queue, conversation_id_);
  if (position == 0 || position == queue_position_) return;
  queue_position_ = position;
  boost::json::object frame;
  frame["type"] = "queue";
  frame["queue_position"] = position;
  Emit(boost::json::serialize(frame));
}

}  // namespace uitweg::api
