#include "chat/conversations.hpp"

#include <future>
#include <memory>
#include <utility>

#include "chat/text_rules.hpp"
#include "core/log.hpp"
#include "core/utf8.hpp"
#include "crypto/random.hpp"

namespace uitweg::chat {
namespace {

core::Error Invalid(std::string message) {
  return core::Fail(core::Errc::invalid_argument, std::move(message));
}

bool IsClientIdChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}

// Runs an asynchronous send and waits for its answer.
Result<Sent> AwaitSent(const std::function<void(Conversations::SendDone)>& start) {
  auto promise = std::make_shared<std::promise<Result<Sent>>>();
  std::future<Result<Sent>> answer = promise->get_future();
  start([promise](Result<Sent> sent) { promise->set_value(std::move(sent)); });
  return answer.get();
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
  if (HasControlCharacters(trimmed, "")) return Invalid("nickname holds control characters");
  return std::string(trimmed);
}

bool Conversations::CanCounsel(store::Role role) {
  return role == store::Role::counsellor || role == store::Role::supervisor;
}

Conversations::Conversations(store::Store& store, Hub& hub, const core::Clock& clock)
    : store_(store), hub_(hub), clock_(clock) {}

Conversations::~Conversations() {
  std::unique_lock lock(sends_mu_);
  sends_answered_.wait(lock, [this] { return sends_in_flight_ == 0; });
}

Result<Started> Conversations::Start(std::string_view nickname, std::string_view subject) {
  Result<std::string> clean_nickname = CleanNickname(nickname);
  if (!clean_nickname) return clean_nickname.error();
  store::Subject parsed_subject = store::Subject::self;
  if (!subject.empty() && !store::ParseSubject(subject, parsed_subject)) {
    return Invalid("subject must be \"self\" or \"other\"");
  }
  Started started;
  started.resume_token = crypto::RandomToken();
  store::NewConversation fresh;
  fresh.id = crypto::RandomId("c_");
  fresh.resume_token_hash = crypto::HashToken(started.resume_token);
  fresh.subject = parsed_subject;
  fresh.nickname = std::move(*clean_nickname);
  fresh.created_at = clock_.Now();
  Result<store::Conversation> created = store_.CreateConversation(fresh);
  if (!created) return created.error();
  started.conversation = std::move(*created);
  Result<QueueSnapshot> queue = PublishQueue();
  if (!queue) return queue.error();
  started.queue_position = PositionIn(*queue, started.conversation.id);
  core::Log(core::LogLevel::info, "conversation.started",
            {{"conversation", started.conversation.id},
             {"subject", store::SubjectName(parsed_subject)},
             {"queue_position", started.queue_position}});
  return started;
}

Result<store::Conversation> Conversations::Resume(std::string_view resume_token) {
  if (resume_token.empty() || resume_token.size() > 256) {
    return core::Fail(core::Errc::unauthenticated, "unknown resume token");
  }
  Result<store::Conversation> found =
      store_.FindConversationByResumeToken(crypto::HashToken(resume_token));
  if (!found && found.error().code == core::Errc::not_found) {
    return core::Fail(core::Errc::unauthenticated, "unknown resume token");
  }
  return found;
}

Result<QueueSnapshot> Conversations::Waiting() {
  Result<std::vector<store::Conversation>> waiting = store_.ListWaiting();
  if (!waiting) return waiting.error();
  return QueueSnapshot(std::make_shared<const std::vector<store::Conversation>>(std::move(*waiting)));
}

Result<QueueSnapshot> Conversations::WatchQueue(std::weak_ptr<HubListener> listener) {
  std::lock_guard lock(queue_mu_);
  Result<QueueSnapshot> queue = Waiting();
  if (queue) hub_.WatchQueue(std::move(listener));
  return queue;
}

Result<std::vector<store::Conversation>> Conversations::ActiveFor(const Counsellor& counsellor) {
  if (!CanCounsel(counsellor.role)) {
    return core::Fail(core::Errc::permission_denied, "this role does not take chats");
  }
  return store_.ListActiveFor(counsellor.account_id);
}

Result<store::Conversation> Conversations::Accept(std::string_view conversation_id,
                                                  const Counsellor& counsellor) {
  if (!CanCounsel(counsellor.role)) {
    return core::Fail(core::Errc::permission_denied, "this role does not take chats");
  }
  Result<store::Transition> accepted =
      store_.AcceptConversation(conversation_id, counsellor.account_id, clock_.Now());
  if (!accepted) return accepted.error();
  PublishTransition(*accepted, counsellor.display_name);
  if (Result<QueueSnapshot> queue = PublishQueue(); !queue) return queue.error();
  const store::Conversation& conversation = accepted->conversation;
  core::Log(core::LogLevel::info, "conversation.accepted",
            {{"conversation", conversation.id},
             {"waited_ms", conversation.accepted_at.value_or(0) - conversation.created_at}});
  return conversation;
}

Result<store::Conversation> Conversations::OpenFor(std::string_view conversation_id,
                                                   const Counsellor& counsellor) {
  return CheckAssigned(conversation_id, counsellor);
}

Result<store::Conversation> Conversations::CheckAssigned(std::string_view conversation_id,
                                                         const Counsellor& counsellor) {
  if (!CanCounsel(counsellor.role)) {
    return core::Fail(core::Errc::permission_denied, "this role does not take chats");
  }
  Result<store::Conversation> conversation = store_.FindConversation(conversation_id);
  if (!conversation) return conversation.error();
  if (conversation->counsellor_id != counsellor.account_id) {
    return core::Fail(core::Errc::permission_denied, "this conversation is not assigned to you");
  }
  return conversation;
}

Result<Sent> Conversations::SendAsVisitor(std::string_view conversation_id,
                                          std::string_view client_id, std::string_view body) {
  return AwaitSent([&](SendDone done) {
    SendAsVisitorAsync(conversation_id, client_id, body, std::move(done));
  });
}

Result<Sent> Conversations::SendAsCounsellor(std::string_view conversation_id,
                                             const Counsellor& counsellor,
                                             std::string_view client_id, std::string_view body) {
  return AwaitSent([&](SendDone done) {
    SendAsCounsellorAsync(conversation_id, counsellor, client_id, body, std::move(done));
  });
}

void Conversations::SendAsVisitorAsync(std::string_view conversation_id, std::string_view client_id,
                                       std::string_view body, SendDone done) {
  store::NewMessage message;
  message.conversation_id = std::string(conversation_id);
  message.sender = store::Sender::visitor;
  message.client_id = std::string(client_id);
  message.body = std::string(body);
  Send(std::move(message), {}, std::move(done));
}

void Conversations::SendAsCounsellorAsync(std::string_view conversation_id,
                                          const Counsellor& counsellor, std::string_view client_id,
                                          std::string_view body, SendDone done) {
  Result<store::Conversation> conversation = CheckAssigned(conversation_id, counsellor);
  if (!conversation) return done(conversation.error());
  store::NewMessage message;
  message.conversation_id = std::string(conversation_id);
  message.sender = store::Sender::counsellor;
  message.author_id = counsellor.account_id;
  message.client_id = std::string(client_id);
  message.body = std::string(body);
  Send(std::move(message), counsellor.display_name, std::move(done));
}

void Conversations::Send(store::NewMessage message, std::string author, SendDone done) {
  if (core::Status status = CheckClientId(message.client_id); !status) {
    return done(status.error());
  }
  Result<std::string> body = CleanBody(message.body);
  if (!body) return done(body.error());
  message.body = std::move(*body);
  message.created_at = clock_.Now();
  {
    std::lock_guard lock(sends_mu_);
    ++sends_in_flight_;
  }
  store_.AppendMessageAsync(
      std::move(message), [this, author = std::move(author),
                           done = std::move(done)](Result<store::AppendedMessage> appended) {
        if (!appended) {
          done(appended.error());
        } else {
          Sent sent{Entry{std::move(appended->message), author}, appended->duplicate};
          if (!sent.duplicate) hub_.PublishEntry(sent.entry);
          done(std::move(sent));
        }
        std::lock_guard lock(sends_mu_);
        --sends_in_flight_;
        sends_answered_.notify_all();
      });
}

Result<store::Conversation> Conversations::EndAsVisitor(std::string_view conversation_id) {
  Result<store::Transition> ended =
      store_.EndConversation(conversation_id, store::Sender::visitor, clock_.Now());
  if (!ended) return ended.error();
  PublishTransition(*ended, {});
  if (!ended->conversation.accepted_at) {
    if (Result<QueueSnapshot> queue = PublishQueue(); !queue) return queue.error();
  }
  core::Log(core::LogLevel::info, "conversation.ended",
            {{"conversation", ended->conversation.id}, {"by", "visitor"}});
  return ended->conversation;
}

Result<store::Conversation> Conversations::EndAsCounsellor(std::string_view conversation_id,
                                                           const Counsellor& counsellor) {
  Result<store::Conversation> conversation = CheckAssigned(conversation_id, counsellor);
  if (!conversation) return conversation.error();
  Result<store::Transition> ended =
      store_.EndConversation(conversation_id, store::Sender::counsellor, clock_.Now());
  if (!ended) return ended.error();
  PublishTransition(*ended, counsellor.display_name);
  core::Log(core::LogLevel::info, "conversation.ended",
            {{"conversation", ended->conversation.id}, {"by", "counsellor"}});
  return ended->conversation;
}

Result<std::vector<Entry>> Conversations::Replay(std::string_view conversation_id,
                                                 std::int64_t after_seq) {
  Result<store::Conversation> conversation = store_.FindConversation(conversation_id);
  if (!conversation) return conversation.error();
  if (after_seq < 0 || after_seq > conversation->last_seq) {
    return Invalid("last_seq must be between 0 and the conversation's last seq");
  }
  Result<std::vector<store::Message>> messages =
      store_.MessagesAfter(conversation_id, after_seq, kReplayPage);
  if (!messages) return messages.error();
  std::vector<Entry> entries;
  entries.reserve(messages->size());
  for (store::Message& message : *messages) {
    std::string author = AuthorName(message);
    entries.push_back(Entry{std::move(message), std::move(author)});
  }
  return entries;
}

Result<QueueSnapshot> Conversations::PublishQueue() {
  std::lock_guard lock(queue_mu_);
  Result<QueueSnapshot> queue = Waiting();
  if (!queue) return queue.error();
  hub_.PublishQueue(*queue);
  return queue;
}

void Conversations::PublishTransition(const store::Transition& transition, std::string author) {
  hub_.PublishEntry(Entry{transition.event, std::move(author)});
  hub_.PublishConversation(transition.conversation);
}

std::string Conversations::AuthorName(const store::Message& message) {
  if (!message.author_id) return {};
  {
    std::lock_guard lock(names_mu_);
    if (auto it = names_.find(*message.author_id); it != names_.end()) return it->second;
  }
  Result<store::StaffAccount> account = store_.FindAccount(*message.author_id);
  if (!account) return {};
  std::lock_guard lock(names_mu_);
  names_[account->id] = account->display_name;
  return account->display_name;
}

}  // namespace uitweg::chat
