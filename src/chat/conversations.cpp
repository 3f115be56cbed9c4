#include "chat/conversations.hpp"

#include <algorithm>
#include <future>
#include <memory>
#include <set>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "chat/pick_up_code.hpp"
#include "chat/text_rules.hpp"
#include "core/log.hpp"
#include "core/utf8.hpp"
#include "crypto/random.hpp"
#include "model/permissions.hpp"

namespace uitweg::chat {
namespace {

using model::Conversation;
using model::EndReason;

constexpr int kFullQueueRetrySeconds = 60;

core::Error Invalid(std::string message) {
  return core::Fail(core::Errc::invalid_argument, std::move(message));
}

// Shredded at the next retention run, an ended conversation its visitor asked to be forgotten
// is read by nobody till then.
core::Error ForgottenSoon() {
  return core::Fail(core::Errc::not_found,
                    "its visitor asked for this conversation to be forgotten");
}

bool IsClientIdChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}

// Runs a write and waits on this (worker) thread until it has been answered, which is after
// its entries were published.
template <class T, class Start>
Result<T> Wait(Start start) {
  auto answer = std::make_shared<std::promise<Result<T>>>();
  std::future<Result<T>> answered = answer->get_future();
  start([answer](Result<T> result) { answer->set_value(std::move(result)); });
  return answered.get();
}

// Whether the conversation belongs in the live queue: waiting, and not a message left.
bool InLiveQueue(const Conversation& conversation) {
  return conversation.status == model::ConversationStatus::waiting && !conversation.offline;
}

core::Status CheckRequest(const RequestTry& request) {
  if (request.id.empty()) return {};
  if (request.id.size() != kRequestIdChars ||
      !std::all_of(request.id.begin(), request.id.end(), IsClientIdChar)) {
    return Invalid("request_id must be 22 characters of A-Z, a-z, 0-9, _ and -");
  }
  if (request.number < 1 || request.number > kMaxRequestTries) {
    return Invalid("request_try must be a whole number from 1 to 10000");
  }
  return {};
}

// Only the hash is stored: the id is the page's secret.
std::string RequestHash(std::string_view request_id) {
  return request_id.empty() ? std::string() : crypto::HashToken(request_id);
}

// Each conversation of `rung` once, in the order first named, with the larger of its changes: a
// conversation read twice would have its entries published twice.
std::vector<store::Rung> Merged(std::span<const store::Rung> rung) {
  std::vector<store::Rung> merged;
  std::unordered_map<std::string_view, std::size_t> place;
  for (const store::Rung& each : rung) {
    const auto [at, added] = place.try_emplace(each.conversation_id, merged.size());
    if (added) {
      merged.push_back(each);
    } else {
      merged[at->second].change = std::max(merged[at->second].change, each.change);
    }
  }
  return merged;
}

}  // namespace

core::Status CheckClientId(std::string_view client_id) {
  if (client_id.empty() || client_id.size() > kMaxClientIdChars) {
    return Invalid("client_id must be 1 to 64 characters");
  }
  for (char c : client_id) {
    if (!IsClientIdChar(c)) return Invalid("client_id may hold only A-Z, a-z, 0-9, _ and -");
  }
  return {};
}

Result<std::string> CleanBody(std::string_view body) {
  const std::string_view trimmed = TrimSpace(body);
  const std::optional<std::size_t> chars = core::CountCodePoints(trimmed);
  if (!chars) return Invalid("body is not valid UTF-8");
  if (*chars == 0) return Invalid("body must not be empty");
  if (*chars > kMaxBodyChars) return Invalid("body must be at most 4000 characters");
  if (HasControlCharacters(trimmed, "\n\r\t")) return Invalid("body holds control characters");
  return std::string(trimmed);
}

Result<std::string> CleanNickname(std::string_view nickname) {
  const std::string_view trimmed = TrimSpace(nickname);
  const std::optional<std::size_t> chars = core::CountCodePoints(trimmed);
  if (!chars) return Invalid("nickname is not valid UTF-8");
  if (*chars > kMaxNicknameChars) return Invalid("nickname must be at most 40 characters");
  // Bidi overrides, zero-width characters and the like would let a name pose as another or
  // hide text in the counsellor's console.
  if (core::HasControlOrFormat(trimmed)) {
    return Invalid("nickname holds control or invisible characters");
  }
  return std::string(trimmed);
}

bool Conversations::CanCounsel(model::Role role) {
  return model::RoleMay(role, model::Permission::counsel);
}

Conversations::Conversations(store::ConversationStore& store, store::AccountStore& accounts,
                             Hub& hub, Presence& presence, const core::Clock& clock,
                             std::size_t max_waiting, store::ChangeFeed* changes)
    : store_(store),
      accounts_(accounts),
      hub_(hub),
      presence_(presence),
      clock_(clock),
      max_waiting_(max_waiting),
      started_at_(clock.Now()),
      changes_(changes) {}

void Conversations::Ring(const std::string& conversation_id) {
  if (changes_ != nullptr) changes_->Ring(conversation_id, store::Change::conversation);
}

void Conversations::RingEntries(const std::string& conversation_id) {
  if (changes_ != nullptr) changes_->Ring(conversation_id, store::Change::entries);
}

void Conversations::RingWatch(std::string conversation_id, std::int64_t supervisor_id,
                              bool watching) {
  if (changes_ == nullptr) return;
  changes_->RingWatch(store::Watch{.conversation_id = std::move(conversation_id),
                                   .supervisor_id = supervisor_id,
                                   .watching = watching});
}

core::Status Conversations::LoadQueue() {
  UITWEG_TRY_ASSIGN(auto waiting, store_.ListWaiting(store::WaitingIn::live_queue));
  for (const Conversation& conversation : waiting) {
    hub_.Enqueue(QueueEntryOf(conversation));
    ReadVisitorTexts(conversation);
  }
  return {};
}

Assessment Conversations::Assess(std::string_view text) const {
  if (triage_ == nullptr) return {};
  return triage_->Assess(text);
}

void Conversations::NoteVisitorText(const std::string& conversation_id, std::string_view text) {
  // Most texts come from visitors already in a conversation: no need to assess them.
  if (!hub_.IsWaiting(conversation_id)) return;
  const std::optional<std::int32_t> raise =
      hub_.NoteVisitorText(conversation_id, text, Assess(text));
  if (!raise) return;
  store_.SetUrgency(conversation_id, *raise, std::nullopt, [this](Result<Conversation> raised) {
    if (!raised) {
      // The order of the queue suffers, nothing else: logged, not retried.
      core::Log(core::LogLevel::warn, "conversation.triage_failed",
                {{"code", core::ErrcName(raised.error().code)}});
      return;
    }
    hub_.MatchStored(QueueEntryOf(*raised), InLiveQueue(*raised));
    Ring(raised->id);
  });
}

void Conversations::ReadVisitorTexts(const Conversation& conversation) {
  const std::optional<std::int64_t> read = hub_.TextsRead(conversation.id);
  if (!read || *read >= conversation.last_seq) return;
  auto entries = store_.MessagesAfter(conversation.id, *read, kReplayPage);
  if (!entries) {
    // Only the queue's preview and triage are missing; everything else goes on.
    core::Log(core::LogLevel::warn, "conversation.first_line_failed",
              {{"code", core::ErrcName(entries.error().code)}});
    return;
  }
  for (const model::Message& message : *entries) {
    if (message.kind == model::MessageKind::text && message.sender == model::Sender::visitor) {
      NoteVisitorText(message.conversation_id, message.body);
    }
  }
  if (!entries->empty()) hub_.NoteTextsRead(conversation.id, entries->back().seq);
}

Result<Marked> Conversations::Mark(std::string_view conversation_id, std::int32_t urgency,
                                   const Counsellor& counsellor) {
  if (urgency < model::kUrgencyNormal || urgency > model::kUrgencyUrgent) {
    return Invalid("urgency must be 0 (normal), 1 (raised) or 2 (urgent)");
  }
  UITWEG_TRY_ASSIGN(Conversation conversation, store_.Find(conversation_id));
  if (conversation.status != model::ConversationStatus::waiting) {
    return core::Fail(core::Errc::failed_precondition, "the conversation no longer waits");
  }
  UITWEG_TRY_ASSIGN(Conversation marked, Wait<Conversation>([&](store::Done<Conversation> done) {
                      store_.SetUrgency(
                          conversation_id, urgency, counsellor.account_id,
                          [this, done = std::move(done)](Result<Conversation> set) mutable {
                            // In the store's answer, in commit order: of two marks at once, the
                            // queue keeps the one the store kept (an urgency leaves the last seq as
                            // it is, so a later match could not tell the older one apart).
                            if (set) hub_.MatchStored(QueueEntryOf(*set), InLiveQueue(*set));
                            done(std::move(set));
                          });
                    }));
  Ring(marked.id);
  return Marked{.conversation = std::move(marked), .was = conversation.urgency};
}

Result<Started> Conversations::Start(std::string_view nickname, std::string_view subject,
                                     const Arrival& arrival, const RequestTry& request) {
  UITWEG_TRY_ASSIGN(std::string clean_nickname, CleanNickname(nickname));
  UITWEG_TRY_ASSIGN(Arrival kept, Kept(arrival));
  model::Subject parsed_subject = model::Subject::self;
  if (!subject.empty() && !model::ParseSubject(subject, parsed_subject)) {
    return Invalid("subject must be \"self\" or \"other\"");
  }
  UITWEG_TRY(CheckRequest(request));
  std::string request_hash = RequestHash(request.id);
  // A try again of a start that was made has its chat, whatever the hours or the queue say now.
  // Asked only before a refusal, and once: a read of the store.
  std::optional<bool> made;
  const auto repeats = [&] {
    if (!made) made = StartMade(request_hash);
    return *made;
  };
  if (hours_ != nullptr && !hours_->Now().open && !repeats()) {
    return core::Fail(core::Errc::failed_precondition, "the chat is closed now");
  }
  // A place held from the check until the conversation is queued or was not made, whichever
  // way that ends.
  std::shared_ptr<void> place;
  if (max_waiting_ != 0) {
    bool full = false;
    {
      std::lock_guard lock(admission_mu_);
      full = hub_.WaitingCount() + starting_ >= max_waiting_;
      if (!full) ++starting_;
    }
    if (full && !repeats()) {
      core::Error busy = core::Fail(core::Errc::unavailable,
                                    "it is very busy right now; please try again in a few minutes");
      busy.retry_after_seconds = kFullQueueRetrySeconds;
      return busy;
    }
    if (!full) {
      place = std::shared_ptr<void>(this, [this](void*) {
        std::lock_guard lock(admission_mu_);
        --starting_;
      });
    }
  }
  std::string resume_token = crypto::RandomToken();
  store::NewConversation fresh{.id = crypto::RandomId("c_"),
                               .resume_token_hash = crypto::HashToken(resume_token),
                               .subject = parsed_subject,
                               .nickname = std::move(clean_nickname),
                               .urgency = 0,
                               .created_at = clock_.Now(),
                               .language = std::move(kept.language),
                               .campaign = std::move(kept.campaign),
                               .request_hash = std::move(request_hash),
                               .request_try = request.number};
  const std::string fresh_id = fresh.id;
  UITWEG_TRY_ASSIGN(Started started, Wait<Started>([&](store::Done<Started> done) {
                      store_.Create(std::move(fresh),
                                    [this, &fresh_id, place = std::move(place),
                                     resume_token = std::move(resume_token),
                                     done = std::move(done)](Result<Conversation> created) mutable {
                                      // The place held since the check is the queue's now, or free.
                                      if (!created) {
                                        place.reset();
                                        return done(created.error());
                                      }
                                      const std::int64_t position =
                                          created->id == fresh_id
                                              ? hub_.Enqueue(QueueEntryOf(*created))
                                              : PlaceOfRepeated(*created);
                                      place.reset();
                                      Ring(created->id);
                                      done(Started{std::move(*created), resume_token, position});
                                    });
                    }));
  if (started.conversation.id != fresh_id) {
    TokenReissued(started.conversation);
    return started;
  }
  core::Log(core::LogLevel::info, "conversation.started",
            {{"conversation", started.conversation.id},
             {"subject", model::SubjectName(parsed_subject)},
             {"queue_position", started.queue_position}});
  CountFor(CampaignMetric::chat_started, started.conversation.campaign);
  return started;
}

Result<Left> Conversations::LeaveMessage(std::string_view nickname, std::string_view subject,
                                         std::string_view body, const Arrival& arrival,
                                         const RequestTry& request) {
  UITWEG_TRY_ASSIGN(std::string clean_nickname, CleanNickname(nickname));
  UITWEG_TRY_ASSIGN(Arrival kept, Kept(arrival));
  model::Subject parsed_subject = model::Subject::self;
  if (!subject.empty() && !model::ParseSubject(subject, parsed_subject)) {
    return Invalid("subject must be \"self\" or \"other\"");
  }
  UITWEG_TRY_ASSIGN(std::string clean_body, CleanBody(body));
  UITWEG_TRY(CheckRequest(request));
  Left left{
      .conversation = {}, .pick_up_code = NewPickUpCode(), .resume_token = crypto::RandomToken()};
  const core::UnixMillis now = clock_.Now();
  store::NewConversation fresh{.id = crypto::RandomId("c_"),
                               .resume_token_hash = crypto::HashToken(left.resume_token),
                               .subject = parsed_subject,
                               .nickname = std::move(clean_nickname),
                               .urgency = 0,
                               .created_at = now,
                               .offline = true,
                               .pickup_code_hash = crypto::HashToken(left.pick_up_code),
                               .language = std::move(kept.language),
                               .campaign = std::move(kept.campaign),
                               .request_hash = RequestHash(request.id),
                               .request_try = request.number};
  const std::string fresh_id = fresh.id;
  UITWEG_TRY_ASSIGN(left.conversation, Wait<Conversation>([&](store::Done<Conversation> done) {
                      store_.Create(std::move(fresh), std::move(done));
                    }));
  const bool repeated = left.conversation.id != fresh_id;
  // A repeat stores the text only if the first request did not get that far: the same client_id
  // finds it stored.
  const Result<store::Appended> first =
      Wait<store::Appended>([&](store::Done<store::Appended> done) {
        store_.Append(store::NewMessage{.conversation_id = left.conversation.id,
                                        .sender = model::Sender::visitor,
                                        .author_id = std::nullopt,
                                        .client_id = "left-1",
                                        .body = std::move(clean_body),
                                        .created_at = now},
                      [this, done = std::move(done)](Result<store::Appended> stored) {
                        if (stored && !stored->duplicate) hub_.Publish(Entry{stored->message, {}});
                        done(std::move(stored));
                      });
      });
  if (!first) {
    // Without its text it is nobody's message: the visitor is told it was not sent, and
    // counsellors must not find an empty one among the messages left. Should this end fail too,
    // the retention sweep ends it in time. Nor is one ended that has its text from another try.
    if (!repeated) {
      const Result<Conversation> stored = store_.Find(left.conversation.id);
      if (stored && stored->last_seq == 0) {
        (void)Wait<store::Transition>([&](store::Done<store::Transition> done) {
          store_.End(left.conversation.id, model::EndReason::abandoned, now, std::move(done));
        });
      }
    }
    return first.error();
  }
  left.conversation.last_seq = std::max(left.conversation.last_seq, first->message.seq);
  Ring(left.conversation.id);
  if (repeated) {
    TokenReissued(left.conversation);
    return left;
  }
  core::Log(core::LogLevel::info, "conversation.message_left",
            {{"conversation", left.conversation.id}});
  CountFor(CampaignMetric::chat_started, left.conversation.campaign);
  return left;
}

bool Conversations::StartMade(const std::string& request_hash) {
  if (request_hash.empty()) return false;
  const Result<Conversation> made = store_.FindByRequest(request_hash);
  return made && !made->offline && made->status != model::ConversationStatus::ended &&
         made->created_at >= clock_.Now() - store::kRequestRepeatWindow;
}

std::int64_t Conversations::PlaceOfRepeated(const Conversation& conversation) {
  // Made here, it is in this node's queue; made on a node that died before it answered, this one
  // may not have read it yet.
  if (!hub_.IsWaiting(conversation.id) && InLiveQueue(conversation)) {
    MatchQueue(conversation, true);
  }
  return hub_.PositionOf(conversation.id);
}

void Conversations::TokenReissued(const Conversation& conversation) {
  // Sockets opened with the token the visitor never got give way, as after a pick-up.
  presence_.TokenReplaced(conversation.id, conversation.resume_token_hash, presence_.Now());
  core::Log(core::LogLevel::info, "conversation.request_repeated",
            {{"conversation", conversation.id}});
}

Result<PickedUp> Conversations::PickUp(std::string_view code) {
  const auto unknown = [] {
    return core::Fail(core::Errc::unauthenticated, "unknown pick-up code");
  };
  const std::optional<std::string> canonical = CanonicalPickUpCode(code);
  if (!canonical) return unknown();
  Result<Conversation> found = store_.FindByPickUpCode(crypto::HashToken(*canonical));
  if (!found && found.error().code == core::Errc::not_found) return unknown();
  if (!found) return found.error();
  if (found->ended_at && clock_.Now() - *found->ended_at >= kPickUpAfterEnd) return unknown();
  PickedUp picked{.conversation = std::move(*found), .resume_token = crypto::RandomToken()};
  picked.conversation.resume_token_hash = crypto::HashToken(picked.resume_token);
  core::Status replaced = Wait<void>([&](store::Done<void> done) {
    store_.SetResumeToken(picked.conversation.id, picked.conversation.resume_token_hash,
                          std::move(done));
  });
  // Shredded since it was found: the code is gone with it.
  if (!replaced && replaced.error().code == core::Errc::not_found) return unknown();
  UITWEG_TRY(replaced);
  presence_.TokenReplaced(picked.conversation.id, picked.conversation.resume_token_hash,
                          presence_.Now());
  Ring(picked.conversation.id);
  core::Log(core::LogLevel::info, "conversation.picked_up",
            {{"conversation", picked.conversation.id}});
  return picked;
}

Result<std::vector<MessageLeft>> Conversations::MessagesLeft(const Counsellor& counsellor) {
  if (!CanCounsel(counsellor.role)) {
    return core::Fail(core::Errc::permission_denied, "this role does not take chats");
  }
  UITWEG_TRY_ASSIGN(auto left, store_.ListWaiting(store::WaitingIn::messages_left));
  std::sort(left.begin(), left.end(), [](const Conversation& a, const Conversation& b) {
    return a.created_at < b.created_at;
  });
  if (left.size() > kMaxMessagesLeftListed) left.resize(kMaxMessagesLeftListed);
  std::vector<MessageLeft> listed;
  for (Conversation& conversation : left) {
    UITWEG_TRY_ASSIGN(auto entries, store_.MessagesAfter(conversation.id, 0, kReplayPage));
    std::string first_line;
    for (const model::Message& message : entries) {
      if (message.kind == model::MessageKind::text && message.sender == model::Sender::visitor) {
        first_line = FirstLine(message.body);
        break;
      }
    }
    listed.push_back(
        MessageLeft{.conversation = std::move(conversation), .first_line = std::move(first_line)});
  }
  return listed;
}

Result<Conversation> Conversations::Resume(std::string_view resume_token) {
  if (resume_token.empty() || resume_token.size() > 256) {
    return core::Fail(core::Errc::unauthenticated, "unknown resume token");
  }
  Result<Conversation> found = store_.FindByResumeToken(crypto::HashToken(resume_token));
  if (!found && found.error().code == core::Errc::not_found) {
    return core::Fail(core::Errc::unauthenticated, "unknown resume token");
  }
  if (!found) return found;
  // A message left is read again through its pick-up code for as long as that code works.
  const core::UnixMillis readable_after_end =
      found->offline ? std::max(resume_after_end_ms_, kPickUpAfterEnd) : resume_after_end_ms_;
  if (found->ended_at && clock_.Now() - *found->ended_at >= readable_after_end) {
    return core::Fail(core::Errc::unauthenticated, "unknown resume token");
  }
  return found;
}

Result<std::vector<Conversation>> Conversations::ActiveFor(const Counsellor& counsellor) {
  if (!CanCounsel(counsellor.role)) {
    return core::Fail(core::Errc::permission_denied, "this role does not take chats");
  }
  return store_.ListActiveFor(counsellor.account_id);
}

Result<Conversation> Conversations::Accept(std::string_view conversation_id,
                                           const Counsellor& counsellor) {
  if (!CanCounsel(counsellor.role)) {
    return core::Fail(core::Errc::permission_denied, "this role does not take chats");
  }
  UITWEG_TRY(CheckCapacity(counsellor));
  UITWEG_TRY_ASSIGN(
      Conversation conversation, Wait<Conversation>([&](store::Done<Conversation> done) {
        store_.Accept(conversation_id, counsellor.account_id, clock_.Now(),
                      [this, author = counsellor.display_name,
                       done = std::move(done)](Result<store::Transition> accepted) {
                        if (!accepted) return done(accepted.error());
                        hub_.Publish(Entry{std::move(accepted->event), author});
                        if (!accepted->conversation.offline) {
                          hub_.Dequeue(accepted->conversation.id, accepted->event.seq);
                          wait_estimate_.Left(accepted->event.created_at);
                        }
                        Ring(accepted->conversation.id);
                        done(std::move(accepted->conversation));
                      });
      }));
  core::Log(core::LogLevel::info, "conversation.accepted",
            {{"conversation", conversation.id},
             {"waited_ms", conversation.accepted_at.value_or(0) - conversation.created_at}});
  return conversation;
}

core::Status Conversations::CheckCapacity(const Counsellor& counsellor) {
  UITWEG_TRY_ASSIGN(const model::StaffAccount account,
                    accounts_.FindAccount(counsellor.account_id));
  if (account.availability != model::Availability::available) {
    return core::Fail(core::Errc::failed_precondition,
                      "you are set to " +
                          std::string(model::AvailabilityName(account.availability)) +
                          "; set yourself available to take a conversation");
  }
  UITWEG_TRY_ASSIGN(const auto active, store_.ListActiveFor(counsellor.account_id));
  // Answering a message left takes no live place.
  const auto live =
      std::count_if(active.begin(), active.end(), [](const Conversation& c) { return !c.offline; });
  if (live >= account.capacity) {
    return core::Fail(
        core::Errc::resource_exhausted,
        "you are helping " + std::to_string(live) + " people already, as many as your capacity");
  }
  return {};
}

Result<Conversation> Conversations::AcceptNext(const Counsellor& counsellor) {
  if (!CanCounsel(counsellor.role)) {
    return core::Fail(core::Errc::permission_denied, "this role does not take chats");
  }
  // Not available (set so in another window, or on another node): said as such, not as
  // "nobody is waiting" after every try was refused.
  UITWEG_TRY_ASSIGN(const model::StaffAccount account,
                    accounts_.FindAccount(counsellor.account_id));
  if (account.availability != model::Availability::available) {
    return core::Fail(core::Errc::failed_precondition,
                      "you are not available; set yourself available to take a conversation");
  }
  // Colleagues press the same button: tries down the queue, most urgent first, each time from
  // the queue as it is then (one taken a moment ago may still be in it), each conversation once.
  constexpr std::size_t kTries = 20;
  std::set<std::string> tried;
  for (std::size_t attempt = 0; attempt < kTries; ++attempt) {
    std::optional<std::string> next;
    for (const QueueEntry& entry : hub_.Top(tried.size() + 1)) {
      if (!tried.contains(entry.conversation_id)) {
        next = entry.conversation_id;
        break;
      }
    }
    if (!next) return core::Fail(core::Errc::not_found, "nobody is waiting");
    tried.insert(*next);
    Result<Conversation> accepted = Accept(*next, counsellor);
    if (accepted || accepted.error().code != core::Errc::failed_precondition) return accepted;
  }
  return core::Fail(core::Errc::failed_precondition,
                    "colleagues were quicker each time; try again");
}

Result<Conversation> Conversations::Release(std::string_view conversation_id,
                                            std::int64_t counsellor_id, std::string_view why) {
  UITWEG_TRY_ASSIGN(
      Conversation conversation, Wait<Conversation>([&](store::Done<Conversation> done) {
        store_.Release(conversation_id, counsellor_id, clock_.Now(),
                       [this, done = std::move(done)](Result<store::Transition> released) {
                         if (!released) return done(released.error());
                         std::string author = AuthorName(released->event);
                         // Queued first, so that its visitor, told by the entry, finds a place.
                         // A message left goes back to the messages left.
                         if (!released->conversation.offline) {
                           hub_.Enqueue(QueueEntryOf(released->conversation));
                         }
                         hub_.Publish(Entry{std::move(released->event), std::move(author)});
                         Ring(released->conversation.id);
                         done(std::move(released->conversation));
                       });
      }));
  core::Log(core::LogLevel::info, "conversation.released",
            {{"conversation", conversation.id}, {"why", std::string(why)}});
  // The visitor waits again: their time away and their messages while waiting count afresh.
  presence_.Requeued(conversation.id, clock_.Now());
  ReadVisitorTexts(conversation);
  return conversation;
}

Result<std::size_t> Conversations::SetAvailability(const Counsellor& counsellor,
                                                   model::Availability availability) {
  if (!CanCounsel(counsellor.role)) {
    return core::Fail(core::Errc::permission_denied, "this role does not take chats");
  }
  UITWEG_TRY(accounts_.SetAvailability(counsellor.account_id, availability));
  if (availability != model::Availability::away) return std::size_t{0};
  return ReleaseAllOf(counsellor.account_id, "away");
}

Result<std::size_t> Conversations::ReleaseAllOf(std::int64_t counsellor_id, std::string_view why) {
  // Nor can they take what a colleague offered them: the colleague learns it now, not when the
  // offer lapses while their visitor waits. A withdrawal that fails leaves that to the lapse;
  // their own visitors still go back to the queue.
  if (auto withdrawn = WithdrawOffers(
          [counsellor_id](const Conversation& offered) {
            return offered.offered_to == counsellor_id;
          },
          why);
      !withdrawn) {
    core::Log(core::LogLevel::warn, "conversation.withdraw_failed",
              {{"code", core::ErrcName(withdrawn.error().code)}});
  }
  UITWEG_TRY_ASSIGN(auto active, store_.ListActiveFor(counsellor_id));
  std::size_t released = 0;
  for (const Conversation& conversation : active) {
    Result<Conversation> done = Release(conversation.id, counsellor_id, why);
    // Ended or handed over meanwhile: nothing to release.
    if (!done && done.error().code == core::Errc::failed_precondition) continue;
    if (!done) return done.error();
    ++released;
  }
  return released;
}

std::optional<Conversations::VisitorPresence> Conversations::VisitorPresenceOf(
    const Conversation& conversation) const {
  const auto absent = presence_.AbsentSince(conversation.id, conversation.created_at);
  if (!absent) return VisitorPresence{.connected = true};
  if (changes_ != nullptr) return std::nullopt;
  return VisitorPresence{.connected = false, .since = *absent};
}

Result<std::size_t> Conversations::ReleaseFromGoneConsoles(
    std::span<const std::int64_t> connected_here, core::UnixMillis gone_after) {
  const core::UnixMillis now = clock_.Now();
  UITWEG_TRY(accounts_.MarkConsoleSeen(connected_here, now));
  if (gone_after <= 0 || now - started_at_ < gone_after) return std::size_t{0};
  UITWEG_TRY_ASSIGN(const std::vector<std::int64_t> away, store_.CounsellorsAway(now - gone_after));
  std::size_t released = 0;
  for (const std::int64_t counsellor : away) {
    UITWEG_TRY_ASSIGN(const std::size_t theirs, ReleaseAllOf(counsellor, "console_gone"));
    released += theirs;
  }
  return released;
}

Result<Conversation> Conversations::OpenFor(std::string_view conversation_id,
                                            const Counsellor& counsellor) {
  UITWEG_TRY_ASSIGN(Conversation conversation, CheckAssigned(conversation_id, counsellor));
  // A live one stays open to its counsellor: the request takes effect when it ends.
  if (conversation.status == model::ConversationStatus::ended && conversation.forget_requested) {
    return ForgottenSoon();
  }
  return conversation;
}

Result<Sent> Conversations::WriteForStaff(model::MessageKind kind, std::string_view conversation_id,
                                          const Counsellor& author, std::string_view client_id,
                                          std::string_view body, const HubListener* origin,
                                          std::optional<std::int64_t> assigned_to) {
  if (!model::IsStaffOnly(kind)) return Invalid("only notes and whispers are for staff only");
  const bool supervises = model::RoleMay(author.role, model::Permission::monitor);
  if (kind == model::MessageKind::whisper && !supervises) {
    return core::Fail(core::Errc::permission_denied, "only supervisors whisper");
  }
  UITWEG_TRY_ASSIGN(Conversation conversation, store_.Find(conversation_id));
  if (!supervises && conversation.counsellor_id != author.account_id) {
    return core::Fail(core::Errc::permission_denied, "this conversation is not assigned to you");
  }
  return Wait<Sent>([&](SendDone done) {
    Send(store::NewMessage{.conversation_id = std::string(conversation_id),
                           .kind = kind,
                           .sender = model::Sender::counsellor,
                           .author_id = author.account_id,
                           .assigned_to = assigned_to ? assigned_to : conversation.counsellor_id,
                           .client_id = std::string(client_id),
                           .body = std::string(body),
                           .created_at = clock_.Now()},
         author.display_name, origin, std::move(done));
  });
}

Result<Conversation> Conversations::OfferTransfer(std::string_view conversation_id,
                                                  const Counsellor& from, std::int64_t to,
                                                  std::string_view note,
                                                  const std::function<void()>& noted) {
  UITWEG_TRY(CheckAssigned(conversation_id, from));
  if (to == from.account_id) {
    return core::Fail(core::Errc::failed_precondition, "offer it to a colleague, not yourself");
  }
  UITWEG_TRY_ASSIGN(const model::StaffAccount colleague, accounts_.FindAccount(to));
  if (colleague.disabled || !CanCounsel(colleague.role)) {
    return core::Fail(core::Errc::failed_precondition, "this colleague does not take chats");
  }
  if (colleague.availability != model::Availability::available) {
    return core::Fail(core::Errc::failed_precondition, "this colleague is not available now");
  }
  if (!TrimSpace(note).empty()) {
    UITWEG_TRY(CleanBody(note));
    // To every console that follows it, the offering one too: its feed has no ack for it.
    UITWEG_TRY(WriteForStaff(model::MessageKind::note, conversation_id, from,
                             crypto::RandomId("transfer-"), note, nullptr));
    if (noted) noted();
  }
  UITWEG_TRY_ASSIGN(Conversation offered, Wait<Conversation>([&](store::Done<Conversation> done) {
                      store_.OfferTransfer(conversation_id, from.account_id, to, clock_.Now(),
                                           std::move(done));
                    }));
  Ring(offered.id);
  core::Log(core::LogLevel::info, "conversation.transfer_offered", {{"conversation", offered.id}});
  return offered;
}

Result<Conversation> Conversations::TakeTransfer(std::string_view conversation_id,
                                                 const Counsellor& to) {
  if (!CanCounsel(to.role)) {
    return core::Fail(core::Errc::permission_denied, "this role does not take chats");
  }
  UITWEG_TRY_ASSIGN(const Conversation offered, store_.Find(conversation_id));
  if (offered.offered_to != to.account_id) {
    return core::Fail(core::Errc::failed_precondition,
                      "this conversation is not offered to you (any more)");
  }
  if (!offered.offline) UITWEG_TRY(CheckCapacity(to));
  // The chat may have been accepted long ago: until the taker's own node marks their console,
  // another node's sweep would find it theirs and their console gone (ReleaseFromGoneConsoles).
  UITWEG_TRY(accounts_.MarkConsoleSeen(std::span(&to.account_id, 1), clock_.Now()));
  UITWEG_TRY_ASSIGN(Conversation taken, Wait<Conversation>([&](store::Done<Conversation> done) {
                      store_.TakeTransfer(
                          conversation_id, to.account_id, clock_.Now(),
                          [this, author = to.display_name,
                           done = std::move(done)](Result<store::Transition> transferred) {
                            if (!transferred) return done(transferred.error());
                            hub_.Publish(Entry{std::move(transferred->event), author});
                            Ring(transferred->conversation.id);
                            done(std::move(transferred->conversation));
                          });
                    }));
  core::Log(core::LogLevel::info, "conversation.transferred", {{"conversation", taken.id}});
  return taken;
}

Result<Conversation> Conversations::WithdrawTransfer(std::string_view conversation_id,
                                                     const Counsellor& who) {
  UITWEG_TRY_ASSIGN(const Conversation offered, store_.Find(conversation_id));
  if (!offered.offered_to) {
    return core::Fail(core::Errc::failed_precondition, "no transfer is offered");
  }
  if (offered.offered_to != who.account_id && offered.counsellor_id != who.account_id) {
    return core::Fail(core::Errc::permission_denied, "this transfer is not yours");
  }
  UITWEG_TRY_ASSIGN(Conversation withdrawn, Wait<Conversation>([&](store::Done<Conversation> done) {
                      store_.WithdrawOffer(conversation_id, *offered.offered_to,
                                           offered.offered_at.value_or(0), std::move(done));
                    }));
  Ring(withdrawn.id);
  return withdrawn;
}

Result<std::size_t> Conversations::WithdrawLapsedOffers(core::UnixMillis lapse_after) {
  const core::UnixMillis now = clock_.Now();
  return WithdrawOffers(
      [&](const Conversation& offered) {
        return now - offered.offered_at.value_or(now) >= lapse_after;
      },
      "lapsed");
}

Result<std::size_t> Conversations::WithdrawOffers(
    const std::function<bool(const Conversation& offered)>& which, std::string_view why) {
  UITWEG_TRY_ASSIGN(const auto offered, store_.ListOffered());
  std::size_t withdrawn = 0;
  for (const Conversation& conversation : offered) {
    if (!which(conversation)) continue;
    Result<Conversation> gone = Wait<Conversation>([&](store::Done<Conversation> done) {
      store_.WithdrawOffer(conversation.id, *conversation.offered_to,
                           conversation.offered_at.value_or(0), std::move(done));
    });
    // Taken, declined, withdrawn or offered anew meanwhile (here or on another node).
    if (!gone && gone.error().code == core::Errc::failed_precondition) continue;
    if (!gone) return gone.error();
    Ring(gone->id);
    ++withdrawn;
    core::Log(core::LogLevel::info, "conversation.transfer_withdrawn",
              {{"conversation", gone->id}, {"why", why}});
  }
  return withdrawn;
}

Result<Sent> Conversations::WriteHandoverEntry(model::MessageKind kind,
                                               std::string_view conversation_id,
                                               const Counsellor* counsellor,
                                               std::string_view client_id, std::string_view body,
                                               const HubListener* origin) {
  const bool from_visitor = kind == model::MessageKind::consent_answer;
  const bool handover = from_visitor || kind == model::MessageKind::consent_request ||
                        kind == model::MessageKind::referral;
  if (!handover || from_visitor != (counsellor == nullptr)) {
    return Invalid("not a handover entry of this sender");
  }
  if (counsellor != nullptr) UITWEG_TRY(CheckAssigned(conversation_id, *counsellor));
  return Wait<Sent>([&](SendDone done) {
    Send(
        store::NewMessage{
            .conversation_id = std::string(conversation_id),
            .kind = kind,
            .sender = from_visitor ? model::Sender::visitor : model::Sender::counsellor,
            .author_id = from_visitor ? std::nullopt : std::optional(counsellor->account_id),
            .client_id = std::string(client_id),
            .body = std::string(body),
            .created_at = clock_.Now()},
        from_visitor ? std::string() : counsellor->display_name, origin, std::move(done));
  });
}

Result<Conversation> Conversations::OpenToMonitor(std::string_view conversation_id,
                                                  const Counsellor& supervisor) {
  if (!model::RoleMay(supervisor.role, model::Permission::monitor)) {
    return core::Fail(core::Errc::permission_denied, "only supervisors monitor");
  }
  UITWEG_TRY_ASSIGN(Conversation conversation, store_.Find(conversation_id));
  if (conversation.status != model::ConversationStatus::active) {
    return core::Fail(core::Errc::failed_precondition, "only a live conversation is monitored");
  }
  if (conversation.counsellor_id == supervisor.account_id) {
    // Watching it would turn the supervisor's own chat read-only on their desk, and stopping the
    // watch would take it off: its visitor would be left with nobody.
    return core::Fail(core::Errc::failed_precondition,
                      "this conversation is yours; it is on your desk already");
  }
  return conversation;
}

Result<std::vector<Conversation>> Conversations::HistoryOf(const Counsellor& counsellor,
                                                           core::UnixMillis since,
                                                           core::UnixMillis until) {
  if (!CanCounsel(counsellor.role)) {
    return core::Fail(core::Errc::permission_denied, "this role does not take chats");
  }
  if (since < 0 || until <= since) return Invalid("the period must run forward");
  return store_.ListEndedFor(counsellor.account_id, since, until, kHistoryPage);
}

Result<Conversations::Transcript> Conversations::OpenFromHistory(std::string_view conversation_id,
                                                                 const Counsellor& counsellor) {
  if (!CanCounsel(counsellor.role)) {
    return core::Fail(core::Errc::permission_denied, "this role does not take chats");
  }
  UITWEG_TRY_ASSIGN(Conversation conversation, store_.Find(conversation_id));
  // Another's conversation reads as an unknown one: the history tells nothing of colleagues'.
  if (conversation.status != model::ConversationStatus::ended ||
      conversation.counsellor_id != counsellor.account_id) {
    return core::Fail(core::Errc::not_found, "no such conversation in your history");
  }
  return ReadTranscript(std::move(conversation));
}

Result<Conversations::Transcript> Conversations::OpenForReview(std::string_view conversation_id) {
  UITWEG_TRY_ASSIGN(Conversation conversation, store_.Find(conversation_id));
  if (conversation.status != model::ConversationStatus::ended) {
    return core::Fail(core::Errc::failed_precondition, "the conversation has not ended");
  }
  return ReadTranscript(std::move(conversation));
}

Result<Conversations::Transcript> Conversations::ReadTranscript(Conversation conversation) {
  // Also a review sample drawn before its visitor asked, or its counsellor's history.
  if (conversation.forget_requested) return ForgottenSoon();
  const std::string conversation_id = conversation.id;
  Transcript transcript{.conversation = std::move(conversation)};
  while (transcript.entries.size() < kMaxTranscript) {
    const std::int64_t after =
        transcript.entries.empty() ? 0 : transcript.entries.back().message.seq;
    UITWEG_TRY_ASSIGN(auto page, Replay(conversation_id, after));
    if (page.empty()) break;
    for (Entry& entry : page) transcript.entries.push_back(std::move(entry));
  }
  transcript.truncated = !transcript.entries.empty() &&
                         transcript.entries.back().message.seq < transcript.conversation.last_seq;
  return transcript;
}

core::Status Conversations::GiveFeedback(std::string_view resume_token,
                                         const model::Feedback& feedback) {
  const auto one_of = [](const std::string& answer,
                         std::initializer_list<std::string_view> allowed) {
    return answer.empty() || std::find(allowed.begin(), allowed.end(), answer) != allowed.end();
  };
  if (!one_of(feedback.helped, {"yes", "somewhat", "no"})) {
    return Invalid("helped must be \"yes\", \"somewhat\" or \"no\"");
  }
  if (!one_of(feedback.would_return, {"yes", "maybe", "no"})) {
    return Invalid("would_return must be \"yes\", \"maybe\" or \"no\"");
  }
  if (feedback.helped.empty() && feedback.would_return.empty()) {
    return Invalid("answer at least one of the questions");
  }
  UITWEG_TRY_ASSIGN(const Conversation conversation, Resume(resume_token));
  return Wait<void>([&](store::Done<void> done) {
    store_.RecordFeedback(conversation.id, feedback, clock_.Now(), std::move(done));
  });
}

Result<Conversation> Conversations::CheckAssigned(std::string_view conversation_id,
                                                  const Counsellor& counsellor) {
  if (!CanCounsel(counsellor.role)) {
    return core::Fail(core::Errc::permission_denied, "this role does not take chats");
  }
  UITWEG_TRY_ASSIGN(Conversation conversation, store_.Find(conversation_id));
  if (conversation.counsellor_id != counsellor.account_id) {
    return core::Fail(core::Errc::permission_denied, "this conversation is not assigned to you");
  }
  return conversation;
}

void Conversations::SendAsVisitor(std::string_view conversation_id, std::string_view client_id,
                                  std::string_view body, const HubListener* origin, SendDone done) {
  const core::UnixMillis now = clock_.Now();
  const bool waiting = hub_.IsWaiting(conversation_id);
  if (core::Status allowed = presence_.SpendMessage(conversation_id, waiting, now); !allowed) {
    return done(allowed.error());
  }
  Send(store::NewMessage{.conversation_id = std::string(conversation_id),
                         .sender = model::Sender::visitor,
                         .author_id = std::nullopt,
                         .client_id = std::string(client_id),
                         .body = std::string(body),
                         .created_at = now},
       {}, origin, std::move(done), waiting);
}

void Conversations::SendAsCounsellor(std::string_view conversation_id, const Counsellor& counsellor,
                                     std::string_view client_id, std::string_view body,
                                     const HubListener* origin, SendDone done) {
  if (!CanCounsel(counsellor.role)) {
    return done(core::Fail(core::Errc::permission_denied, "this role does not take chats"));
  }
  Send(store::NewMessage{.conversation_id = std::string(conversation_id),
                         .sender = model::Sender::counsellor,
                         .author_id = counsellor.account_id,
                         .client_id = std::string(client_id),
                         .body = std::string(body),
                         .created_at = clock_.Now()},
       counsellor.display_name, origin, std::move(done));
}

void Conversations::Send(store::NewMessage message, std::string author, const HubListener* origin,
                         SendDone done, std::optional<bool> spent_while_waiting) {
  if (core::Status status = CheckClientId(message.client_id); !status) {
    return done(status.error());
  }
  Result<std::string> body = CleanBody(message.body);
  if (!body) return done(body.error());
  message.body = std::move(*body);
  std::string conversation_id = message.conversation_id;
  store_.Append(std::move(message), [this, author = std::move(author), origin, spent_while_waiting,
                                     conversation_id = std::move(conversation_id),
                                     done = std::move(done)](Result<store::Appended> appended) {
    // A page resends what was not acknowledged before it reconnected: a message stored already,
    // or not stored because the store failed (the page tries again), costs the visitor nothing.
    // One refused (the chat has ended, say) costs as any other, or refusals would be free.
    const bool store_failed = !appended && (appended.error().code == core::Errc::unavailable ||
                                            appended.error().code == core::Errc::internal);
    if (spent_while_waiting && (store_failed || (appended && appended->duplicate))) {
      presence_.RefundMessage(conversation_id, *spent_while_waiting);
    }
    if (!appended) return done(appended.error());
    const Sent sent{appended->message.seq, appended->duplicate, appended->message.created_at};
    if (!sent.duplicate) {
      if (appended->message.sender == model::Sender::visitor &&
          appended->message.kind == model::MessageKind::text) {
        NoteVisitorText(appended->message.conversation_id, appended->message.body);
      }
      RingEntries(appended->message.conversation_id);
      hub_.Publish(Entry{std::move(appended->message), author}, origin);
    }
    done(sent);
  });
}

Result<Arrival> Conversations::Kept(const Arrival& arrival) {
  const bool letters = std::all_of(arrival.language.begin(), arrival.language.end(),
                                   [](char c) { return c >= 'a' && c <= 'z'; });
  if (!arrival.language.empty() &&
      (!letters || arrival.language.size() < 2 || arrival.language.size() > 3)) {
    return Invalid("language must be 2 or 3 letters a-z");
  }
  Arrival kept{.language = arrival.language, .campaign = {}};
  if (campaigns_ != nullptr && !arrival.campaign.empty()) {
    UITWEG_TRY_ASSIGN(kept.campaign, campaigns_->LiveCode(arrival.campaign));
  }
  return kept;
}

// A counter that cannot be written is logged, never a reason to refuse the visitor.
void Conversations::CountFor(CampaignMetric metric, std::string_view campaign) {
  if (campaigns_ == nullptr) return;
  // The code was checked when the conversation kept it.
  if (core::Status counted = campaigns_->CountChecked(metric, campaign); !counted) {
    core::Log(
        core::LogLevel::warn, "campaign.count_failed",
        {{"metric", CampaignMetricName(metric)}, {"code", core::ErrcName(counted.error().code)}});
  }
}

Result<Conversation> Conversations::End(std::string_view conversation_id, EndReason reason,
                                        const Counsellor* by) {
  UITWEG_TRY_ASSIGN(Conversation ended, EndInStore(conversation_id, reason, by));
  // Counted once, when it ends: a conversation handed back and taken again is one chat held.
  if (ended.accepted_at) CountFor(CampaignMetric::chat_held, ended.campaign);
  return ended;
}

Result<Conversation> Conversations::EndInStore(std::string_view conversation_id, EndReason reason,
                                               const Counsellor* by) {
  return Wait<Conversation>([&](store::Done<Conversation> done) {
    auto published = [this, author = by != nullptr ? by->display_name : std::string(),
                      done = std::move(done)](Result<store::Transition> ended) {
      if (!ended) return done(ended.error());
      hub_.Publish(Entry{std::move(ended->event), author});
      if (!ended->conversation.accepted_at) {
        hub_.Dequeue(ended->conversation.id, ended->event.seq);
        // A message left never waited in the live queue.
        if (!ended->conversation.offline) wait_estimate_.Left(ended->event.created_at);
      }
      presence_.Forget(ended->conversation.id);
      Ring(ended->conversation.id);
      done(std::move(ended->conversation));
    };
    if (by != nullptr) {
      store_.EndByCounsellor(conversation_id, by->account_id, clock_.Now(), std::move(published));
    } else {
      store_.End(conversation_id, reason, clock_.Now(), std::move(published));
    }
  });
}

Result<Conversation> Conversations::EndAsVisitor(std::string_view conversation_id) {
  UITWEG_TRY_ASSIGN(Conversation ended, End(conversation_id, EndReason::visitor, nullptr));
  core::Log(core::LogLevel::info, "conversation.ended",
            {{"conversation", ended.id}, {"by", "visitor"}});
  return ended;
}

core::Status Conversations::ForgetWhenEnded(std::string_view conversation_id) {
  UITWEG_TRY(Wait<void>(
      [&](store::Done<void> done) { store_.RequestForget(conversation_id, std::move(done)); }));
  core::Log(core::LogLevel::info, "conversation.forget_requested",
            {{"conversation", conversation_id}});
  return {};
}

Result<Conversation> Conversations::EndAsCounsellor(std::string_view conversation_id,
                                                    const Counsellor& counsellor) {
  UITWEG_TRY(CheckAssigned(conversation_id, counsellor));
  UITWEG_TRY_ASSIGN(Conversation ended, End(conversation_id, EndReason::counsellor, &counsellor));
  core::Log(core::LogLevel::info, "conversation.ended",
            {{"conversation", ended.id}, {"by", "counsellor"}});
  return ended;
}

void Conversations::NoteVisitorConnected(const Conversation& conversation) {
  if (changes_ == nullptr || conversation.status != model::ConversationStatus::waiting) return;
  store_.MarkVisitorSeen(conversation.id, clock_.Now(), [](core::Status) {});
}

Result<std::size_t> Conversations::AbandonAbsent() {
  const core::UnixMillis abandon_after = presence_.limits().abandon_after_ms;
  if (abandon_after == 0) return std::size_t{0};
  const core::UnixMillis now = clock_.Now();
  std::vector<std::string> absent_here;
  for (const QueueEntry& waiting : hub_.Waiting()) {
    const auto absent = presence_.AbsentSince(waiting.conversation_id, waiting.created_at);
    if (absent && now - *absent >= abandon_after) absent_here.push_back(waiting.conversation_id);
  }
  std::unordered_set<std::string> seen_elsewhere;
  if (changes_ != nullptr) {
    for (const std::string& id : presence_.Connected()) {
      if (hub_.IsWaiting(id)) store_.MarkVisitorSeen(id, now, [](core::Status) {});
    }
    if (!absent_here.empty()) {
      UITWEG_TRY_ASSIGN(auto stored, store_.FindAll(absent_here));
      for (const Conversation& conversation : stored) {
        if (conversation.visitor_seen_at && now - *conversation.visitor_seen_at < abandon_after) {
          seen_elsewhere.insert(conversation.id);
        }
      }
    }
  }
  std::size_t abandoned = 0;
  for (const std::string& id : absent_here) {
    if (seen_elsewhere.contains(id)) continue;
    Result<Conversation> ended = End(id, EndReason::abandoned, nullptr);
    // Accepted or ended meanwhile: nothing to abandon.
    if (!ended && ended.error().code == core::Errc::failed_precondition) continue;
    if (!ended) return ended.error();
    ++abandoned;
    core::Log(core::LogLevel::info, "conversation.abandoned",
              {{"conversation", ended->id}, {"waited_ms", clock_.Now() - ended->created_at}});
  }
  return abandoned;
}

Result<std::size_t> Conversations::AbandonMessagesLeft(core::UnixMillis left_before) {
  UITWEG_TRY_ASSIGN(const auto waiting, store_.ListWaiting(store::WaitingIn::messages_left));
  std::size_t abandoned = 0;
  for (const Conversation& conversation : waiting) {
    if (conversation.created_at >= left_before) continue;
    // Untouched since its last entry: the visitor's latest text, or the hand-back after an answer.
    const auto last = store_.MessagesAfter(conversation.id, conversation.last_seq - 1, 1);
    // One that cannot be read (shredded by another node meanwhile, say) stops no other.
    if (!last) {
      core::Log(core::LogLevel::warn, "conversation.message_left_unread",
                {{"conversation", conversation.id}, {"code", core::ErrcName(last.error().code)}});
      continue;
    }
    if (!last->empty() && last->back().created_at >= left_before) continue;
    Result<Conversation> ended = End(conversation.id, EndReason::abandoned, nullptr);
    // Taken or ended meanwhile (on another node too): nothing to abandon.
    if (!ended && ended.error().code == core::Errc::failed_precondition) continue;
    if (!ended) return ended.error();
    ++abandoned;
    core::Log(core::LogLevel::info, "conversation.message_left_expired",
              {{"conversation", conversation.id}});
  }
  return abandoned;
}

Result<bool> Conversations::HandedOverBetween(std::string_view conversation_id, std::int64_t after,
                                              std::int64_t until) {
  while (after < until) {
    UITWEG_TRY_ASSIGN(auto page, store_.MessagesAfter(conversation_id, after, kReplayPage));
    for (const model::Message& message : page) {
      if (message.seq > until) return false;
      if (model::IsHandOver(message.kind)) return true;
    }
    if (page.size() < kReplayPage) return false;
    after = page.back().seq;
  }
  return false;
}

Result<std::vector<Entry>> Conversations::Replay(std::string_view conversation_id,
                                                 std::int64_t after_seq) {
  UITWEG_TRY_ASSIGN(Conversation conversation, store_.Find(conversation_id));
  if (after_seq < 0 || after_seq > conversation.last_seq) {
    return Invalid("last_seq must be between 0 and the conversation's last seq");
  }
  UITWEG_TRY_ASSIGN(auto messages, store_.MessagesAfter(conversation_id, after_seq, kReplayPage));
  std::vector<Entry> entries;
  entries.reserve(messages.size());
  for (model::Message& message : messages) {
    std::string author = AuthorName(message);
    entries.push_back(Entry{std::move(message), std::move(author)});
  }
  return entries;
}

core::Status Conversations::CatchUp(std::span<const store::Rung> rung) {
  std::vector<std::string> changed;
  std::vector<store::EntriesAfter> unpublished;
  std::size_t read_straight = 0;  // the first of `unpublished`, read without their conversation
  for (const store::Rung& each : Merged(rung)) {
    const std::string& id = each.conversation_id;
    // New entries alone change nothing here but what a socket here follows, unless the
    // conversation waits here: then they are the visitor's texts that the queue shows. Entries
    // after the last published here are read straight away; before anything was published, the
    // conversation is read as well, for only its last seq says where the newest page starts.
    if (each.change == store::Change::entries && !hub_.IsWaiting(id)) {
      const std::optional<std::int64_t> published = hub_.LastPublished(id);
      if (!published) continue;
      if (*published > 0) {
        unpublished.push_back({id, *published});
        ++read_straight;
        continue;
      }
    }
    changed.push_back(id);
  }
  if (!changed.empty()) {
    const std::uint64_t read_at = presence_.Now();
    UITWEG_TRY_ASSIGN(auto stored, store_.FindAll(changed));
    for (const Conversation& conversation : stored) {
      if (auto after = Reflect(conversation, read_at)) {
        unpublished.push_back({conversation.id, *after});
      }
    }
  }
  if (unpublished.empty()) return {};
  // One read for every conversation rung, however many: the store's costliest statement here.
  UITWEG_TRY_ASSIGN(auto messages, store_.MessagesAfterEach(unpublished, kReplayPage));
  // A full page read straight may not be the newest: read those conversations whole, which
  // publishes their newest page (a socket's feed reads what lies between itself).
  std::unordered_map<std::string_view, std::size_t> counts;
  for (const model::Message& message : messages) ++counts[message.conversation_id];
  std::vector<store::Rung> more;
  for (std::size_t i = 0; i < read_straight; ++i) {
    const std::string& id = unpublished[i].conversation_id;
    if (counts[id] >= kReplayPage) more.push_back({id, store::Change::conversation});
  }
  counts.clear();
  for (model::Message& message : messages) {
    std::string author = AuthorName(message);
    hub_.Publish(Entry{std::move(message), std::move(author)});
  }
  return more.empty() ? core::Status{} : CatchUp(more);
}

core::Result<std::vector<store::Rung>> Conversations::ListForPoll() {
  UITWEG_TRY_ASSIGN(auto waiting, store_.ListWaiting(store::WaitingIn::live_queue));
  std::unordered_set<std::string> stored_waiting;
  for (const Conversation& conversation : waiting) {
    stored_waiting.insert(conversation.id);
    MatchQueue(conversation, true);
    // What a missed ring would have brought: the preview and triage words (read only when
    // behind).
    ReadVisitorTexts(conversation);
  }
  // Waiting here but not in the list: read again, for it may have started after the list was.
  std::vector<store::Rung> check;
  for (std::string& id : hub_.Followed())
    check.push_back({std::move(id), store::Change::conversation});
  for (const QueueEntry& entry : hub_.Waiting()) {
    if (!stored_waiting.contains(entry.conversation_id)) {
      check.push_back({entry.conversation_id, store::Change::conversation});
    }
  }
  return check;
}

QueueMatch Conversations::MatchQueue(const Conversation& stored, bool waiting) {
  const QueueMatch matched = hub_.MatchStored(QueueEntryOf(stored), waiting);
  // Back in the queue here, by a hand-back on another node: its visitor here waits afresh, as
  // Release has it on its own node.
  if (matched == QueueMatch::entered) presence_.RequeuedElsewhere(stored.id, clock_.Now());
  return matched;
}

std::optional<std::int64_t> Conversations::Reflect(const Conversation& stored,
                                                   std::uint64_t read_at) {
  const bool waiting = InLiveQueue(stored);
  // Another node took it (or it ended) while it waited here: the queue moved.
  if (MatchQueue(stored, waiting) == QueueMatch::left) {
    wait_estimate_.Left(stored.accepted_at.value_or(stored.ended_at.value_or(clock_.Now())));
  }
  // Written on another node: the queue here shows it too.
  if (waiting) ReadVisitorTexts(stored);
  if (stored.status == model::ConversationStatus::ended) {
    presence_.Forget(stored.id);
  } else {
    // Picked up with its code on another node: the sockets here with the old token go.
    presence_.TokenReplaced(stored.id, stored.resume_token_hash, read_at);
  }
  const std::optional<std::int64_t> published = hub_.LastPublished(stored.id);
  if (!published || stored.last_seq <= *published) return std::nullopt;
  // Feeds that lack older entries read them themselves; one page of the newest is enough here.
  return std::max(*published, stored.last_seq - static_cast<std::int64_t>(kReplayPage));
}

std::string Conversations::AuthorName(const model::Message& message) {
  if (!message.author_id) return {};
  {
    std::lock_guard lock(names_mu_);
    if (auto it = names_.find(*message.author_id); it != names_.end()) return it->second;
  }
  Result<model::StaffAccount> account = accounts_.FindAccount(*message.author_id);
  if (!account) return {};
  std::lock_guard lock(names_mu_);
  names_[account->id] = account->display_name;
  return account->display_name;
}

}  // namespace uitweg::chat
