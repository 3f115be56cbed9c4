#include "api/staff_channel.hpp"

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include "api/wire.hpp"

namespace uitweg::api {
namespace {

// Errors about a transfer point at "transfer:ID", not at the conversation itself: a refused
// transfer says nothing about the conversation.
std::string TransferRef(std::string_view conversation_id) {
  return "transfer:" + std::string(conversation_id);
}

}  // namespace

StaffChannel::StaffChannel(chat::Conversations& conversations, chat::Hub& hub,
                           const core::Clock& clock, core::Post blocking, StaffMember me,
                           SessionCheck check_session, std::weak_ptr<FrameSink> sink,
                           StaffSockets* sockets, auth::AuditTrail* audit,
                           chat::Handovers* handovers)
    : conversations_(conversations),
      hub_(hub),
      clock_(clock),
      blocking_(blocking),
      me_(std::move(me)),
      check_session_(std::move(check_session)),
      sink_(sink),
      sockets_(sockets),
      audit_(audit),
      handovers_(handovers),
      window_(kSendWindow),
      feeds_(Audience::staff, conversations, hub, std::move(blocking), std::move(sink),
             [this](const chat::Entry& hand_over) {
               return StillFollows(hand_over.message.conversation_id);
             }) {}

core::Status StaffChannel::Audit(std::string_view action, std::string_view conversation_id,
                                 std::string_view detail) {
  if (audit_ == nullptr) return {};
  return audit_->Record(auth::Actor{me_.counsellor.account_id, me_.counsellor.role}, action,
                        conversation_id, detail);
}

void StaffChannel::Emit(std::string frame) {
  if (auto sink = sink_.lock()) sink->Send(MakeFrame(std::move(frame)));
}

bool StaffChannel::TakeSessionCheck(bool send, bool user_action) {
  std::lock_guard lock(mu_);
  const core::UnixMillis last = user_action ? session_renewed_at_ : session_checked_at_;
  if (clock_.Now() - last < kSessionRecheck) return false;
  if (send && session_checks_ > 0) return false;
  ++session_checks_;
  return true;
}

bool StaffChannel::CheckSession(bool user_action) {
  // Counted down whatever the check does, a throw included: a count left up would spare every
  // later send its check.
  struct Ended {
    StaffChannel& channel;
    ~Ended() {
      std::lock_guard lock(channel.mu_);
      --channel.session_checks_;
    }
  } ended{*this};
  return SessionStillLive(user_action);
}

bool StaffChannel::SessionStillLive(bool user_action) {
  const core::UnixMillis now = clock_.Now();
  core::Status live = check_session_(user_action);
  if (live) {
    std::lock_guard lock(mu_);
    session_checked_at_ = now;
    if (user_action) session_renewed_at_ = now;
    return true;
  }
  if (live.error().code != core::Errc::unauthenticated) return true;  // the store is down: retry
  EndSession(live.error().message);
  return false;
}

void StaffChannel::EndSession(std::string_view why) {
  session_ended_ = true;
  Emit(ErrorFrame(core::Fail(core::Errc::unauthenticated, std::string(why))));
  if (auto sink = sink_.lock()) sink->Close(1008, "session ended");
}

bool StaffChannel::OnFrame(std::string_view text) {
  std::string ref;
  core::Result<StaffFrame> frame = DecodeStaffFrame(text, ref);
  if (!frame) {
    Emit(ErrorFrame(frame.error(), ref));
    return true;
  }
  if (const auto needs = NeededFor(*frame);
      !needs || !model::RoleMay(me_.counsellor.role, *needs)) {
    Emit(ErrorFrame(core::Fail(core::Errc::permission_denied, "your role may not do this"), ref));
    return true;
  }
  // A ping is the console's, not the person's: it does not keep the session alive (the sweep
  // of StaffSockets closes the socket once the session has ended).
  if (std::holds_alternative<PingFrame>(*frame)) {
    Emit(R"({"type":"pong"})");
    return true;
  }
  const bool send = std::holds_alternative<SendFrame>(*frame);
  // The console says hello and follows its chats again (watched ones too) by itself after every
  // reconnect.
  const bool user_action = !std::holds_alternative<HelloFrame>(*frame) &&
                           !std::holds_alternative<SubscribeFrame>(*frame) &&
                           !std::holds_alternative<MonitorFrame>(*frame);
  if (!TakeSessionCheck(send, user_action)) return Handle(std::move(*frame), false);
  // A message does not wait for the check, which reads the session and the account and may write
  // the session's last use: a counsellor who writes less often than every kSessionRecheck would
  // wait for that before nearly every message. Should the session have ended, the socket closes
  // once the check says so; the messages sent meanwhile are stored, as those between two checks.
  if (send) {
    blocking_([self = shared_from_this()] { (void)self->CheckSession(true); });
    return Handle(std::move(*frame), false);
  }
  blocking_([self = shared_from_this(), frame = std::move(*frame), user_action]() mutable {
    if (!self->CheckSession(user_action) || !self->Handle(std::move(frame), true)) return;
    if (auto sink = self->sink_.lock()) sink->ResumeReading();
  });
  return false;
}

bool StaffChannel::Handle(StaffFrame frame, bool on_worker) {
  if (auto* send = std::get_if<SendFrame>(&frame)) return Send(*send);
  if (auto* typing = std::get_if<TypingFrame>(&frame)) {
    Typing(*typing);
    return true;
  }
  auto work = [this, decoded = std::move(frame)] {
    std::visit(
        [this](const auto& read) {
          using Frame = std::decay_t<decltype(read)>;
          if constexpr (std::is_same_v<Frame, HelloFrame>) {
            Hello();
          } else if constexpr (std::is_same_v<Frame, AcceptFrame>) {
            Accepted(read.conversation_id,
                     conversations_.Accept(read.conversation_id, me_.counsellor));
          } else if constexpr (std::is_same_v<Frame, AcceptNextFrame>) {
            Accepted({}, conversations_.AcceptNext(me_.counsellor));
          } else if constexpr (std::is_same_v<Frame, SubscribeFrame>) {
            Subscribe(read);
          } else if constexpr (std::is_same_v<Frame, EndFrame>) {
            End(read);
          } else if constexpr (std::is_same_v<Frame, MarkFrame>) {
            Mark(read);
          } else if constexpr (std::is_same_v<Frame, StaffNoteFrame>) {
            WriteForStaff(read);
          } else if constexpr (std::is_same_v<Frame, MonitorFrame>) {
            Monitor(read);
          } else if constexpr (std::is_same_v<Frame, UnmonitorFrame>) {
            StopMonitoring(read.conversation_id);
          } else if constexpr (std::is_same_v<Frame, AvailabilityFrame>) {
            SetAvailability(read.availability);
          } else if constexpr (std::is_same_v<Frame, TransferFrame>) {
            Transfer(read);
          } else if constexpr (std::is_same_v<Frame, TakeTransferFrame>) {
            TakeTransfer(read);
          } else if constexpr (std::is_same_v<Frame, DeclineTransferFrame>) {
            DeclineTransfer(read);
          } else if constexpr (std::is_same_v<Frame, AskConsentFrame>) {
            AskConsent(read);
          } else if constexpr (std::is_same_v<Frame, ReleaseFrame>) {
            Release(read);
          }
        },
        decoded);
  };
  if (on_worker) {
    work();
    return true;
  }
  blocking_([self = shared_from_this(), work = std::move(work)] {
    work();
    if (auto sink = self->sink_.lock()) sink->ResumeReading();
  });
  return false;
}

void StaffChannel::Hello() {
  const bool counsels = chat::Conversations::CanCounsel(me_.counsellor.role);
  boost::json::array active;
  if (counsels) {
    auto mine = conversations_.ActiveFor(me_.counsellor);
    if (!mine) return Emit(ErrorFrame(mine.error()));
    for (const model::Conversation& conversation : *mine) {
      active.push_back(ConversationJson(conversation));
    }
  }
  boost::json::object me;
  me["username"] = me_.username;
  me["role"] = model::RoleName(me_.counsellor.role);
  me["display_name"] = me_.counsellor.display_name;
  if (counsels) {
    auto account = conversations_.AccountOf(me_.counsellor.account_id);
    if (!account) return Emit(ErrorFrame(account.error()));
    me["availability"] = model::AvailabilityName(account->availability);
  }
  boost::json::object welcome;
  welcome["type"] = "welcome";
  welcome["me"] = std::move(me);
  welcome["active"] = std::move(active);
  Emit(boost::json::serialize(welcome));
  if (!counsels) return;
  {
    std::lock_guard lock(mu_);
    if (watching_queue_) return;
    watching_queue_ = true;
  }
  hub_.WatchQueue(weak_from_this(), [this](const chat::QueueSnapshot& snapshot) {
    Emit(QueueSnapshotFrame(snapshot, clock_.Now()));
  });
}

void StaffChannel::Accepted(const std::string& ref,
                            const core::Result<model::Conversation>& conversation,
                            std::string_view action) {
  if (!conversation) {
    // Set away or busy in another tab or on another node: this console learns it with the
    // refusal, and says so instead of "someone else was quicker".
    if (conversation.error().code == core::Errc::failed_precondition) {
      auto account = conversations_.AccountOf(me_.counsellor.account_id);
      if (account && account->availability != model::Availability::available) {
        Emit(AvailabilityFrameJson(account->availability));
      }
    }
    return Emit(ErrorFrame(conversation.error(), ref));
  }
  (void)Audit(action, conversation->id, action == auth::audit_action::transfer ? "taken" : "");
  // A supervisor who watched it and takes it over counsels it now: they type, and no longer
  // watch silently (an `unmonitor` must not close their own chat).
  StopWatching(conversation->id);
  boost::json::object assigned;
  assigned["type"] = "assigned";
  assigned["conversation"] = ConversationJson(*conversation);
  Emit(boost::json::serialize(assigned));
  if (core::Status opened = feeds_.Open(conversation->id, 0, shared_from_this(),
                                        StillAssigned(conversation->id), conversation->last_seq);
      !opened) {
    return Emit(ErrorFrame(opened.error(), conversation->id));
  }
  TellPresence(*conversation);
}

ConversationFeeds::Allowed StaffChannel::StillAssigned(const std::string& conversation_id) {
  return [this, conversation_id]() -> core::Result<std::int64_t> {
    UITWEG_TRY_ASSIGN(auto assigned, conversations_.OpenFor(conversation_id, me_.counsellor));
    return assigned.last_seq;
  };
}

bool StaffChannel::StillFollows(const std::string& conversation_id) {
  // A watch ends at a hand-over, as OnEntry ends it for a live one.
  if (StopWatching(conversation_id)) return false;
  auto assigned = conversations_.OpenFor(conversation_id, me_.counsellor);
  if (assigned) return true;
  // Taken by a colleague, or ended and to be forgotten: no longer followed. Anything else may
  // pass, and the console is asked to come back.
  const core::Errc why = assigned.error().code;
  if (why != core::Errc::permission_denied && why != core::Errc::not_found) {
    if (auto sink = sink_.lock()) sink->Close(1013, "try again");
  }
  return false;
}

void StaffChannel::Subscribe(const SubscribeFrame& subscribe) {
  auto conversation = conversations_.OpenFor(subscribe.conversation_id, me_.counsellor);
  if (!conversation) return Emit(ErrorFrame(conversation.error(), subscribe.conversation_id));
  if (subscribe.last_seq > conversation->last_seq) {
    return Emit(
        ErrorFrame(core::Fail(core::Errc::invalid_argument, "last_seq is beyond the conversation"),
                   subscribe.conversation_id));
  }
  (void)Audit(auth::audit_action::read, conversation->id);
  if (core::Status opened = feeds_.Open(conversation->id, subscribe.last_seq, shared_from_this(),
                                        StillAssigned(conversation->id), conversation->last_seq);
      !opened) {
    return Emit(ErrorFrame(opened.error(), subscribe.conversation_id));
  }
  TellPresence(*conversation);
}

void StaffChannel::End(const EndFrame& end) {
  auto ended = conversations_.EndAsCounsellor(end.conversation_id, me_.counsellor);
  if (!ended) return Emit(ErrorFrame(ended.error(), end.conversation_id));
  (void)Audit(auth::audit_action::end, ended->id);
}

void StaffChannel::Mark(const MarkFrame& mark) {
  auto marked = conversations_.Mark(mark.conversation_id, mark.urgency, me_.counsellor);
  if (!marked) return Emit(ErrorFrame(marked.error(), mark.conversation_id));
  (void)Audit(auth::audit_action::urgency_changed, marked->conversation.id,
              std::to_string(marked->was) + " -> " + std::to_string(marked->conversation.urgency));
}

void StaffChannel::WriteForStaff(const StaffNoteFrame& note) {
  const SendFrame& send = note.send;
  // A supervisor whispers to the counsellor of a conversation they watch: one whose watch ended
  // at a hand-over would whisper to a counsellor who was never told of them. Nor may it land in
  // the chat of a colleague who took it over on another node, before this node heard of it:
  // the write checks the counsellor the watch began with.
  const std::optional<std::int64_t> watched = WatchedCounsellor(send.conversation_id);
  if (note.kind == model::MessageKind::whisper &&
      model::RoleMay(me_.counsellor.role, model::Permission::monitor) && !watched) {
    return Emit(ErrorFrame(
        core::Fail(core::Errc::failed_precondition, "you do not watch this conversation"),
        send.client_id));
  }
  auto sent = conversations_.WriteForStaff(note.kind, send.conversation_id, me_.counsellor,
                                           send.client_id, send.body, this, watched);
  Answer(send.conversation_id, send.client_id, sent);
  if (sent && !sent->duplicate) {
    (void)Audit(note.kind == model::MessageKind::note ? auth::audit_action::note
                                                      : auth::audit_action::whisper,
                send.conversation_id);
  }
}

void StaffChannel::Monitor(const MonitorFrame& monitor) {
  auto conversation = conversations_.OpenToMonitor(monitor.conversation_id, me_.counsellor);
  if (!conversation) return Emit(ErrorFrame(conversation.error(), monitor.conversation_id));
  if (monitor.last_seq > conversation->last_seq || monitor.since > conversation->last_seq) {
    return Emit(ErrorFrame(
        core::Fail(core::Errc::invalid_argument, "last_seq or since is beyond the conversation"),
        monitor.conversation_id));
  }
  // A console watching again after a reconnect watched up to last_seq, from `since`: a hand-over
  // since then would have ended its watch, had it been connected. So it ends now, before any
  // whisper it still has to send for the counsellor before could reach the one who took over.
  const std::int64_t watch_began = std::max(monitor.last_seq, monitor.since);
  if (watch_began > 0 && watch_began < conversation->last_seq) {
    auto handed_over =
        conversations_.HandedOverBetween(conversation->id, watch_began, conversation->last_seq);
    if (!handed_over) return Emit(ErrorFrame(handed_over.error(), monitor.conversation_id));
    if (*handed_over) {
      return Emit(ErrorFrame(core::Fail(core::Errc::failed_precondition,
                                        "the conversation was handed over since your watch began"),
                             monitor.conversation_id));
    }
  }
  // Every watch is audited: a watch the trail cannot hold does not begin.
  if (core::Status audited = Audit(auth::audit_action::monitor, conversation->id); !audited) {
    return Emit(ErrorFrame(audited.error(), monitor.conversation_id));
  }
  boost::json::object monitoring;
  monitoring["type"] = "monitoring";
  monitoring["conversation"] = ConversationJson(*conversation);
  Emit(boost::json::serialize(monitoring));
  // Watching before the feed follows: a hand-over that comes while it opens ends the watch
  // (OnEntry, StillFollows) instead of slipping past it. The counsellor is told first, so that
  // such an end is told after it.
  {
    std::lock_guard lock(mu_);
    monitoring_.insert_or_assign(conversation->id, conversation->counsellor_id.value_or(0));
  }
  hub_.Signal(conversation->id, chat::Side::supervisor,
              MakeFrame(WatchedSignal(conversation->id, me_.counsellor.display_name, true)), this);
  conversations_.RingWatch(conversation->id, me_.counsellor.account_id, true);
  // Hand-overs before the watch began do not end it.
  if (core::Status opened = feeds_.Open(conversation->id, monitor.last_seq, shared_from_this(), {},
                                        conversation->last_seq);
      !opened) {
    StopWatching(conversation->id);
    return Emit(ErrorFrame(opened.error(), conversation->id));
  }
  TellPresence(*conversation);
}

void StaffChannel::SetAvailability(model::Availability availability) {
  auto released = conversations_.SetAvailability(me_.counsellor, availability);
  if (!released) return Emit(ErrorFrame(released.error()));
  (void)Audit(auth::audit_action::availability_changed, {}, model::AvailabilityName(availability));
  Emit(AvailabilityFrameJson(availability));
}

void StaffChannel::Transfer(const TransferFrame& transfer) {
  // The note is a note as any other, audited as one, also when the offer then fails.
  auto offered = conversations_.OfferTransfer(
      transfer.conversation_id, me_.counsellor, transfer.to, transfer.note,
      [this, &transfer] { (void)Audit(auth::audit_action::note, transfer.conversation_id); });
  if (!offered) return Emit(ErrorFrame(offered.error(), TransferRef(transfer.conversation_id)));
  (void)Audit(auth::audit_action::transfer, offered->id,
              "offered to " + std::to_string(transfer.to));
  boost::json::object answer;
  answer["type"] = "transfer_offered";
  answer["conversation_id"] = offered->id;
  answer["to"] = transfer.to;
  Emit(boost::json::serialize(answer));
}

void StaffChannel::TakeTransfer(const TakeTransferFrame& take) {
  Accepted(TransferRef(take.conversation_id),
           conversations_.TakeTransfer(take.conversation_id, me_.counsellor),
           auth::audit_action::transfer);
}

void StaffChannel::DeclineTransfer(const DeclineTransferFrame& decline) {
  auto withdrawn = conversations_.WithdrawTransfer(decline.conversation_id, me_.counsellor);
  if (!withdrawn) return Emit(ErrorFrame(withdrawn.error(), TransferRef(decline.conversation_id)));
  (void)Audit(auth::audit_action::transfer, withdrawn->id,
              withdrawn->counsellor_id == me_.counsellor.account_id ? "taken back" : "declined");
  boost::json::object answer;
  answer["type"] = "transfer_withdrawn";
  answer["conversation_id"] = withdrawn->id;
  Emit(boost::json::serialize(answer));
}

void StaffChannel::Release(const ReleaseFrame& release) {
  auto released =
      conversations_.Release(release.conversation_id, me_.counsellor.account_id, "handed_back");
  if (!released) return Emit(ErrorFrame(released.error(), TransferRef(release.conversation_id)));
  (void)Audit(auth::audit_action::transfer, released->id, "to the queue");
}

void StaffChannel::AskConsent(const AskConsentFrame& ask) {
  if (handovers_ == nullptr) {
    return Emit(ErrorFrame(core::Fail(core::Errc::failed_precondition, "no handovers here"),
                           ask.client_id));
  }
  // Delivered to this console too (origin null), where the request drives the handover form;
  // so the ack leaves the feed alone.
  auto sent = handovers_->AskConsent(ask.conversation_id, me_.counsellor, ask.organisation_id,
                                     ask.client_id, nullptr);
  if (!sent) return Emit(ErrorFrame(sent.error(), ask.client_id));
  Emit(AckFrame(ask.conversation_id, ask.client_id, *sent));
  if (!sent->duplicate) {
    (void)Audit(auth::audit_action::referral, ask.conversation_id,
                "consent asked for " + std::to_string(ask.organisation_id));
  }
}

void StaffChannel::SyncOffers(const std::vector<OfferView>& offers) {
  if (!chat::Conversations::CanCounsel(me_.counsellor.role)) return;
  const std::int64_t me = me_.counsellor.account_id;
  boost::json::array to_me;
  boost::json::array from_me;
  for (const OfferView& offer : offers) {
    const model::Conversation& conversation = offer.conversation;
    if (conversation.offered_to == me) {
      to_me.push_back(boost::json::object{
          {"conversation", ConversationJson(conversation)},
          {"from", boost::json::object{{"id", conversation.counsellor_id.value_or(0)},
                                       {"display_name", offer.from_name}}},
          {"lapses_at", offer.lapses_at}});
    } else if (conversation.counsellor_id == me) {
      from_me.push_back(boost::json::object{
          {"conversation_id", conversation.id},
          {"to", boost::json::object{{"id", conversation.offered_to.value_or(0)},
                                     {"display_name", offer.to_name}}},
          {"lapses_at", offer.lapses_at}});
    }
  }
  std::string frame = boost::json::serialize(boost::json::object{
      {"type", "offers"}, {"to_me", std::move(to_me)}, {"from_me", std::move(from_me)}});
  {
    std::lock_guard lock(mu_);
    if (frame == offers_told_) return;
    offers_told_ = frame;
  }
  Emit(std::move(frame));
}

void StaffChannel::StopMonitoring(const std::string& conversation_id) {
  if (!StopWatching(conversation_id)) {
    return Emit(ErrorFrame(core::Fail(core::Errc::not_found, "you do not watch this conversation"),
                           conversation_id));
  }
  feeds_.Close(conversation_id, this);
}

bool StaffChannel::Watches(const std::string& conversation_id) {
  std::lock_guard lock(mu_);
  return monitoring_.contains(conversation_id);
}

std::optional<std::int64_t> StaffChannel::WatchedCounsellor(const std::string& conversation_id) {
  std::lock_guard lock(mu_);
  const auto watched = monitoring_.find(conversation_id);
  if (watched == monitoring_.end()) return std::nullopt;
  return watched->second;
}

bool StaffChannel::StopWatching(const std::string& conversation_id) {
  {
    std::lock_guard lock(mu_);
    if (monitoring_.erase(conversation_id) == 0) return false;
  }
  hub_.Signal(conversation_id, chat::Side::supervisor,
              MakeFrame(WatchedSignal(conversation_id, me_.counsellor.display_name, false)), this);
  conversations_.RingWatch(conversation_id, me_.counsellor.account_id, false);
  return true;
}

bool StaffChannel::Send(const SendFrame& send) {
  const bool room = window_.Take();
  conversations_.SendAsCounsellor(
      send.conversation_id, me_.counsellor, send.client_id, send.body, this,
      [self = shared_from_this(), conversation_id = send.conversation_id,
       client_id = send.client_id](core::Result<chat::Sent> sent) {
        self->Answer(conversation_id, client_id, sent);
        // Not waited for: a worker blocked on every message's audit commit would cost more
        // than the message.
        if (sent && !sent->duplicate && self->audit_ != nullptr) {
          self->audit_->RecordLater(
              auth::Actor{self->me_.counsellor.account_id, self->me_.counsellor.role},
              auth::audit_action::send, conversation_id);
        }
        if (!self->window_.Release()) return;
        if (auto sink = self->sink_.lock()) sink->ResumeReading();
      });
  return room;
}

void StaffChannel::Answer(const std::string& conversation_id, const std::string& client_id,
                          const core::Result<chat::Sent>& sent) {
  if (!sent) return Emit(ErrorFrame(sent.error(), client_id));
  Emit(AckFrame(conversation_id, client_id, *sent));
  if (!sent->duplicate) feeds_.SentHere(conversation_id, sent->seq);
}

void StaffChannel::OnClose() {
  if (sockets_ != nullptr) sockets_->Remove(this);
  std::vector<std::string> watched;
  {
    std::lock_guard lock(mu_);
    for (const auto& [id, counsellor] : monitoring_) watched.push_back(id);
  }
  for (const std::string& id : watched) StopMonitoring(id);
  hub_.UnwatchQueue(this);
  feeds_.CloseAll(this);
}

void StaffChannel::OnEntry(const chat::Entry& entry, const Frame& frame) {
  // Not a hand-over, or one from before this socket's part (another node's, arriving late).
  if (!feeds_.IsNewHandOver(entry)) return feeds_.OnEntry(entry, frame);
  const model::MessageKind kind = entry.message.kind;
  const std::string& id = entry.message.conversation_id;
  const bool by_me = entry.message.author_id == me_.counsellor.account_id;
  // Handed back to the queue, or taken over by a colleague: what a colleague and the visitor
  // say next is not for this socket.
  const bool left_me = kind == model::MessageKind::released ? by_me : !by_me;
  // A watch follows one counsellor's conversation: handed back or taken over, it ends (the
  // console shows why), so that nobody is watched without being told. The supervisor may watch
  // the new counsellor's again, who is then told as usual.
  const bool watch_ended = !by_me && StopWatching(id);
  // Decided before the entry is offered: entries after it that arrived first must stay out.
  // A watch ended is ended even by a hand-over a new check has seen: the counsellor was told.
  if (left_me || watch_ended) return feeds_.EndWith(entry, frame, this, !watch_ended);
  feeds_.OnEntry(entry, frame);
}

void StaffChannel::Typing(const TypingFrame& typing) {
  if (!feeds_.Follows(typing.conversation_id)) {
    return Emit(ErrorFrame(core::Fail(core::Errc::not_found, "you are not in this conversation"),
                           typing.conversation_id));
  }
  // A supervisor watches silently: the visitor must not see someone typing who is not there for
  // them, nor learn that someone watches.
  if (Watches(typing.conversation_id)) {
    return Emit(ErrorFrame(
        core::Fail(core::Errc::permission_denied, "a supervisor who watches does not type"),
        typing.conversation_id));
  }
  const core::UnixMillis now = clock_.Now();
  core::UnixMillis& typed_at = typed_at_[typing.conversation_id];
  if (now - typed_at < kTypingEvery) return;
  typed_at = now;
  hub_.Signal(typing.conversation_id, chat::Side::staff,
              MakeFrame(TypingSignal(typing.conversation_id, "counsellor")), this);
}

void StaffChannel::TellPresence(const model::Conversation& conversation) {
  const auto presence = conversations_.VisitorPresenceOf(conversation);
  if (!presence) return;
  Emit(PresenceSignal(conversation.id, presence->connected, presence->since));
}

void StaffChannel::OnSignal(chat::Side from, const Frame& frame) {
  if (from == chat::Side::staff) return;
  if (auto sink = sink_.lock()) sink->Send(frame);
}

void StaffChannel::OnQueueChanged(const Frame& frame) {
  if (auto sink = sink_.lock()) sink->Send(frame);
}

}  // namespace uitweg::api
