#pragma once
// The PostgreSQL ConversationStore. A write that gives an entry its seq takes "last_seq + 1"
// with an UPDATE that locks the conversation's row until the batch commits, so nodes appending
// to one conversation at once queue behind each other and never share or skip a seq; the UPDATE
// and the INSERT share the unit's savepoint. Reads use the pool.
//
// Thread safety and errors: as ConversationStore. Writes never block the caller.

#include <memory>

#include "store/conversation_store.hpp"
#include "store/postgres/connections.hpp"

namespace uitweg::store::postgres {

class PostgresConversationStore final : public ConversationStore {
 public:
  explicit PostgresConversationStore(std::shared_ptr<Connections> connections)
      : connections_(std::move(connections)) {}

  // Group-commit figures since opening: mean batch size is units / batches.
  WriterStats Stats() const { return connections_->writer().Stats(); }

  Result<model::Conversation> Find(std::string_view id) override;
  Result<model::Conversation> FindByResumeToken(std::string_view token_hash) override;
  Result<model::Conversation> FindByPickUpCode(std::string_view code_hash) override;
  Result<model::Conversation> FindByRequest(std::string_view request_hash) override;
  Result<std::vector<model::Conversation>> FindAll(std::span<const std::string> ids) override;
  Result<std::vector<model::Conversation>> ListWaiting(WaitingIn queue) override;
  Result<std::vector<model::Conversation>> ListActiveFor(std::int64_t counsellor_id) override;
  Result<std::vector<model::Conversation>> ListEndedFor(std::int64_t counsellor_id,
                                                        UnixMillis since, UnixMillis until,
                                                        std::size_t limit) override;
  Result<std::vector<model::Message>> MessagesAfter(std::string_view id, std::int64_t after_seq,
                                                    std::size_t limit) override;
  Result<std::vector<model::Message>> MessagesAfterEach(std::span<const EntriesAfter> wanted,
                                                        std::size_t limit) override;
  Result<std::string> FindKey(std::string_view id) override;
  Result<ConversationKey> FindAnyKey() override;
  Result<std::vector<std::int64_t>> CounsellorsAway(UnixMillis seen_before) override;

  void Create(NewConversation conversation, Done<model::Conversation> done) override;
  void Accept(std::string_view id, std::int64_t counsellor_id, UnixMillis now,
              Done<Transition> done) override;
  void Release(std::string_view id, std::int64_t counsellor_id, UnixMillis now,
               Done<Transition> done) override;
  void End(std::string_view id, model::EndReason reason, UnixMillis now,
           Done<Transition> done) override;
  void EndByCounsellor(std::string_view id, std::int64_t counsellor_id, UnixMillis now,
                       Done<Transition> done) override;
  void Append(NewMessage message, Done<Appended> done) override;
  void SetUrgency(std::string_view id, std::int32_t urgency, std::optional<std::int64_t> marked_by,
                  Done<model::Conversation> done) override;
  void MarkVisitorSeen(std::string_view id, UnixMillis at, Done<void> done) override;
  void Shred(std::string_view id, UnixMillis now, Done<bool> done) override;
  void RequestForget(std::string_view id, Done<void> done) override;
  void OfferTransfer(std::string_view id, std::int64_t from, std::int64_t to, UnixMillis now,
                     Done<model::Conversation> done) override;
  void TakeTransfer(std::string_view id, std::int64_t to, UnixMillis now,
                    Done<Transition> done) override;
  void WithdrawOffer(std::string_view id, std::int64_t to, UnixMillis offered_at,
                     Done<model::Conversation> done) override;
  Result<std::vector<model::Conversation>> ListOffered() override;
  void SetResumeToken(std::string_view id, std::string token_hash, Done<void> done) override;
  void RecordFeedback(std::string_view id, model::Feedback feedback, UnixMillis now,
                      Done<void> done) override;
  Result<std::vector<std::string>> ListStartedBetween(UnixMillis from, UnixMillis until) override;
  Result<std::vector<std::string>> DueForShredding(UnixMillis ended_before,
                                                   std::size_t limit) override;

 private:
  std::shared_ptr<Connections> connections_;
};

}  // namespace uitweg::store::postgres
