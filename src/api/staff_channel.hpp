#pragma once
// The staff WebSocket (docs/protocol.md, "Staff WebSocket"): the live queue (its window, then its
// changes), accepting a chat, following the chats assigned to this staff member, sending and
// ending. The member was authenticated at the upgrade; the session is checked again at most
// every kSessionRecheck while frames arrive (a signed-out or expired session closes the socket
// with 1008), and every action is checked by chat::Conversations. Sends are handled on the
// socket's strand; everything else that reads the store runs on the worker pool while reading
// is held. A frame that finds the session due for its check waits for it, except a send: that
// goes ahead while the session is checked beside it on the worker pool (see OnFrame).
//
// Lifetime: owned by its socket; holds the socket weakly. Thread safety: see api::Channel.

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "api/channel.hpp"
#include "api/feeds.hpp"
#include "api/frames.hpp"
#include "api/send_window.hpp"
#include "api/staff_sockets.hpp"
#include "auth/audit_trail.hpp"
#include "chat/conversations.hpp"
#include "chat/handovers.hpp"
#include "chat/hub.hpp"
#include "core/executor.hpp"
#include "model/permissions.hpp"

namespace uitweg::api {

struct StaffMember {
  chat::Counsellor counsellor;
  std::string username;  // shown to the member themself only
};

// Whether the session that opened the socket is still live, and the account's role unchanged;
// `user_action` keeps the session alive (a ping or a sweep does not). Blocking.
using SessionCheck = std::function<core::Status(bool user_action)>;

class StaffChannel final : public Channel,
                           public chat::HubListener,
                           public std::enable_shared_from_this<StaffChannel> {
 public:
  StaffChannel(chat::Conversations& conversations, chat::Hub& hub, const core::Clock& clock,
               core::Post blocking, StaffMember me, SessionCheck check_session,
               std::weak_ptr<FrameSink> sink, StaffSockets* sockets = nullptr,
               auth::AuditTrail* audit = nullptr, chat::Handovers* handovers = nullptr);

  static constexpr core::UnixMillis kSessionRecheck = 30'000;

  // False (and the socket closing) when the session has ended. Blocking.
  bool SessionStillLive(bool user_action);
  // The session has ended: says `why` in an error frame and closes the socket.
  void EndSession(std::string_view why);

  bool OnFrame(std::string_view frame) override;
  void OnClose() override;

  void OnEntry(const chat::Entry& entry, const Frame& frame) override;
  void OnSignal(chat::Side from, const Frame& frame) override;
  void OnQueueChanged(const Frame& frame) override;

  // A typing signal goes out at most this often per conversation.
  static constexpr core::UnixMillis kTypingEvery = 1000;

  std::int64_t account_id() const { return me_.counsellor.account_id; }
  // Whether this socket stands for a member who takes chats: their role (as it was when the
  // socket opened) does, and their session has not been ended here (a role change ends it; the
  // socket may linger a while until its client answers the close).
  bool counsels() const {
    return !session_ended_ && model::RoleMay(me_.counsellor.role, model::Permission::counsel);
  }

  // The transfers offered to this member and by them, when that changed since the last call:
  // an `offers` frame (docs/protocol.md, "Transfers").
  void SyncOffers(const std::vector<OfferView>& offers);

 private:
  // `on_worker`: blocking work may run right here. Returns whether to read on.
  bool Handle(StaffFrame frame, bool on_worker);
  // Whether this frame is to check the session: it is due (for what the member does, since the
  // last check that renewed the session; for what the console does by itself, since the last
  // check of any kind) and, for a send, no check is running already. If so, the check counts
  // as running until CheckSession ends.
  bool TakeSessionCheck(bool send, bool user_action);
  // SessionStillLive(user_action) for a check that TakeSessionCheck started.
  bool CheckSession(bool user_action);
  void Hello();
  // After an accept (of one conversation, or the next): `assigned` and its entries, or the
  // error (its ref: `ref`).
  // Assigned (accepted, or taken over): tells the console and follows it. Audited as `action`.
  void Accepted(const std::string& ref, const core::Result<model::Conversation>& conversation,
                std::string_view action = auth::audit_action::accept);
  void Subscribe(const SubscribeFrame& subscribe);
  // For ConversationFeeds::Open: the chat is still assigned to this counsellor once the feed
  // follows it (and its last seq then). A hand-back or a transfer between the first check and the
  // following would otherwise show in the replay only, which OnEntry never sees, and the feed would
  // go on with what the next counsellor and the visitor say.
  ConversationFeeds::Allowed StillAssigned(const std::string& conversation_id);
  // For ConversationFeeds: a hand-over came in a read of the store, not live (another node's,
  // which this node did not publish). As OnEntry does for a live one, the feed stops unless the
  // chat is still this counsellor's; a supervisor's watch of it ends. When the store cannot
  // tell, the socket closes: the console reconnects and asks again.
  bool StillFollows(const std::string& conversation_id);
  void End(const EndFrame& end);
  void Mark(const MarkFrame& mark);
  void WriteForStaff(const StaffNoteFrame& note);
  void Monitor(const MonitorFrame& monitor);
  void StopMonitoring(const std::string& conversation_id);
  // Whether this supervisor watches the conversation.
  bool Watches(const std::string& conversation_id);
  // The counsellor of the conversation when this supervisor began to watch it; none unless
  // they watch it.
  std::optional<std::int64_t> WatchedCounsellor(const std::string& conversation_id);
  // Forgets that this supervisor watches the conversation and tells its counsellor; false if
  // they did not watch it. The feed stays open.
  bool StopWatching(const std::string& conversation_id);
  void SetAvailability(model::Availability availability);
  void Transfer(const TransferFrame& transfer);
  void TakeTransfer(const TakeTransferFrame& take);
  void DeclineTransfer(const DeclineTransferFrame& decline);
  void AskConsent(const AskConsentFrame& ask);
  void Release(const ReleaseFrame& release);
  bool Send(const SendFrame& send);
  void Typing(const TypingFrame& typing);
  // Tells this socket whether the conversation's visitor is here, if this node can tell.
  void TellPresence(const model::Conversation& conversation);
  void Answer(const std::string& conversation_id, const std::string& client_id,
              const core::Result<chat::Sent>& sent);
  void Emit(std::string frame);
  // Appends to the audit trail (blocking; on a worker). A failure is logged by the trail; what
  // only an audited act may do checks the answer.
  core::Status Audit(std::string_view action, std::string_view conversation_id,
                     std::string_view detail = {});

  chat::Conversations& conversations_;
  chat::Hub& hub_;
  const core::Clock& clock_;
  const core::Post blocking_;
  const StaffMember me_;
  std::atomic<bool> session_ended_ = false;  // EndSession was called
  const SessionCheck check_session_;
  const std::weak_ptr<FrameSink> sink_;
  StaffSockets* const sockets_;       // may be null (tests)
  auth::AuditTrail* const audit_;     // may be null (tests)
  chat::Handovers* const handovers_;  // may be null (tests): ask_consent is refused
  SendWindow window_;
  ConversationFeeds feeds_;
  // On the connection's strand only: when this socket last said it types, per conversation.
  std::unordered_map<std::string, core::UnixMillis> typed_at_;

  // Guarded by mu_.
  std::mutex mu_;
  // 0 until the first check: opening the socket does not renew the session, so the first
  // thing the member does checks it.
  core::UnixMillis session_checked_at_ = 0;  // by any check
  core::UnixMillis session_renewed_at_ = 0;  // by a check for something the member did
  int session_checks_ = 0;                   // running
  bool watching_queue_ = false;
  // The conversations this supervisor watches silently, each with its counsellor then.
  std::map<std::string, std::int64_t, std::less<>> monitoring_;
  std::string offers_told_;  // the last `offers` frame sent
};

}  // namespace uitweg::api
