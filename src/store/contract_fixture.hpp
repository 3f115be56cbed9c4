#pragma once
// The fixture of the store contract suites: a fresh database of the backend under test, with
// helpers that make accounts and conversations and wait for writes.

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "store/test_database.hpp"

namespace uitweg::store {

// The backends the suite runs on: each plain and wrapped in EncryptingConversationStore. The
// suite's cases are compiled once and linked twice, each time with one definition of this:
// store_contract_test with contract_backends_sqlite.cpp, store_contract_postgres_test (which needs
// the tests' PostgreSQL running) with contract_backends_postgres.cpp.
std::vector<StoreBackend> ContractBackends();

inline constexpr UnixMillis kT0 = 1'700'000'000'000;

class StoreContractTest : public ::testing::TestWithParam<StoreBackend> {
 protected:
  void SetUp() override {
    test_database_ = GetParam().create();
    Reopen();
  }

  // Closes the stores (committing what is queued) and opens them again on the same data.
  void Reopen() {
    database_ = Database{};
    auto opened = test_database_->Open();
    ASSERT_TRUE(opened) << opened.error().message;
    database_ = std::move(*opened);
  }

  AccountStore& accounts() { return *database_.accounts; }
  ConversationStore& conversations() { return *database_.conversations; }
  AuditStore& audit() { return *database_.audit; }
  SealedSecretStore& sealed() { return *database_.sealed; }
  CannedResponseStore& canned() { return *database_.canned; }
  SettingStore& settings() { return *database_.settings; }
  RegistrationStore& registrations() { return *database_.registrations; }
  HandoverStore& handovers() { return *database_.handovers; }
  ContentStore& content() { return *database_.content; }
  CampaignStore& campaigns() { return *database_.campaigns; }
  OutreachStore& outreach() { return *database_.outreach; }
  ReviewStore& reviews() { return *database_.reviews; }

  model::StaffAccount Counsellor(const std::string& username) {
    return accounts()
        .CreateAccount(NewStaffAccount{.username = username,
                                       .role = model::Role::counsellor,
                                       .display_name = "C " + username,
                                       .password_hash = "$argon2id$placeholder-hash",
                                       .created_at = kT0})
        .value();
  }

  Result<model::Conversation> Create(NewConversation conversation) {
    return Await<model::Conversation>(
        [&](Done<model::Conversation> done) { conversations().Create(conversation, done); });
  }

  model::Conversation Waiting(const std::string& id, std::int32_t urgency = 0, UnixMillis at = kT0,
                              const std::string& nickname = "") {
    return Create(NewConversation{.id = id,
                                  .resume_token_hash = "resume-" + id,
                                  .subject = model::Subject::self,
                                  .nickname = nickname,
                                  .urgency = urgency,
                                  .created_at = at})
        .value();
  }

  Result<Transition> Accept(const std::string& id, std::int64_t counsellor, UnixMillis at = kT0) {
    return Await<Transition>(
        [&](Done<Transition> done) { conversations().Accept(id, counsellor, at, done); });
  }

  Result<Transition> Release(const std::string& id, std::int64_t counsellor, UnixMillis at = kT0) {
    return Await<Transition>(
        [&](Done<Transition> done) { conversations().Release(id, counsellor, at, done); });
  }

  // For EndReason::counsellor, ended by the counsellor it is with.
  Result<Transition> End(const std::string& id, model::EndReason reason, UnixMillis at = kT0) {
    if (reason == model::EndReason::counsellor) {
      UITWEG_TRY_ASSIGN(const model::Conversation found, conversations().Find(id));
      return EndByCounsellor(id, found.counsellor_id.value_or(0), at);
    }
    return Await<Transition>(
        [&](Done<Transition> done) { conversations().End(id, reason, at, done); });
  }

  Result<Transition> EndByCounsellor(const std::string& id, std::int64_t counsellor,
                                     UnixMillis at = kT0) {
    return Await<Transition>(
        [&](Done<Transition> done) { conversations().EndByCounsellor(id, counsellor, at, done); });
  }

  Result<model::Conversation> SetUrgency(const std::string& id, std::int32_t urgency,
                                         std::optional<std::int64_t> marked_by = {}) {
    return Await<model::Conversation>([&](Done<model::Conversation> done) {
      conversations().SetUrgency(id, urgency, marked_by, done);
    });
  }

  Status RecordFeedback(const std::string& id, model::Feedback feedback) {
    return Await<void>(
        [&](Done<void> done) { conversations().RecordFeedback(id, feedback, kT0 + 5000, done); });
  }

  // True when this call shredded it.
  Result<bool> Shred(const std::string& id) {
    return Await<bool>([&](Done<bool> done) { conversations().Shred(id, kT0 + 1000, done); });
  }

  // A text from the visitor, or from counsellor `author` when one is given.
  Result<Appended> Send(const std::string& conversation, const std::string& client_id,
                        const std::string& body = "hoi",
                        std::optional<std::int64_t> author = std::nullopt) {
    return Append(NewMessage{.conversation_id = conversation,
                             .sender = author ? model::Sender::counsellor : model::Sender::visitor,
                             .author_id = author,
                             .client_id = client_id,
                             .body = body,
                             .created_at = kT0 + 1});
  }

  Result<Appended> Append(NewMessage message) {
    return Await<Appended>(
        [&](Done<Appended> done) { conversations().Append(std::move(message), done); });
  }

  std::unique_ptr<TestDatabase> test_database_;
  Database database_;
};

}  // namespace uitweg::store
