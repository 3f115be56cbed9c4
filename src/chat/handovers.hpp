#pragma once
// Handover to offline help, with the visitor's consent. Admins keep a directory of receiving
// organisations and their regional contact persons. In a chat, the counsellor asks the visitor's
// consent to hand them over to one (a consent_request entry, body "ID:NAME"); the visitor
// answers with a button (a consent_answer entry, body "yes:SEQ" or "no:SEQ", once per request).
// Only after a yes does the counsellor record the referral: what was agreed and the contact
// details the visitor chose to give become a sealed, staff-only `referral` entry of the
// conversation, and the referral row keeps the organisation, the status (proposed, accepted,
// completed, declined) and who changed it.
//
// Thread-safe; every method blocks on the store: call from workers.

#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "chat/conversations.hpp"
#include "model/handover.hpp"
#include "store/handover_store.hpp"

namespace uitweg::chat {

inline constexpr std::size_t kMaxOrganisationNameChars = 100;
inline constexpr std::size_t kMaxOrganisationFieldChars = 200;
inline constexpr std::size_t kMaxReferralListed = 200;
// How long after its chat ended a referral the visitor agreed to can still be recorded: the
// visitor may leave right after saying yes.
inline constexpr core::UnixMillis kReferAfterEnd = 24LL * 60 * 60 * 1000;

class Handovers {
 public:
  Handovers(store::HandoverStore& store, Conversations& conversations, const core::Clock& clock)
      : store_(store), conversations_(conversations), clock_(clock) {}

  core::Result<std::vector<model::Organisation>> Directory() { return store_.ListOrganisations(); }
  // invalid_argument for a name of 1..100 characters missing, other fields past 200, control
  // characters. Update: not_found for an unknown id.
  core::Result<model::Organisation> AddOrganisation(model::Organisation organisation);
  core::Result<model::Organisation> ChangeOrganisation(model::Organisation organisation);

  // The counsellor asks consent for an active organisation of the directory. not_found for an
  // unknown or inactive one; as Conversations::WriteHandoverEntry otherwise.
  core::Result<Sent> AskConsent(std::string_view conversation_id, const Counsellor& counsellor,
                                std::int64_t organisation_id, std::string_view client_id,
                                const HubListener* origin);
  // The visitor answers the request at `request_seq`. invalid_argument when that is not a
  // consent request; failed_precondition when it was answered already.
  core::Result<Sent> AnswerConsent(std::string_view conversation_id, std::int64_t request_seq,
                                   bool yes, std::string_view client_id, const HubListener* origin);
  // A referral, and whether an earlier submit of the same form had recorded it already.
  struct Referred {
    model::Referral referral;
    bool before = false;
  };
  // Records the referral the visitor agreed to at `request_seq`: failed_precondition without
  // their yes to that request, or when the chat ended kReferAfterEnd ago or longer. `agreed`
  // (required) and `contact` (may be empty) as a message's body together. Once per request:
  // submitted again, it answers the first referral (`before`), with the first submit's text.
  core::Result<Referred> Refer(std::string_view conversation_id, const Counsellor& counsellor,
                               std::int64_t request_seq, std::string_view agreed,
                               std::string_view contact, const HubListener* origin);
  // Staff who counsel update the status. not_found for an unknown referral. `from`: the status
  // the caller saw; failed_precondition when a colleague changed it meanwhile. Unchanged
  // (already `status`): answered as it is, nothing written.
  struct StatusChange {
    model::Referral referral;
    bool changed = false;
  };
  core::Result<StatusChange> SetStatus(std::int64_t referral_id, const Counsellor& staff,
                                       std::optional<model::ReferralStatus> from,
                                       model::ReferralStatus status);
  // The referrals this counsellor made, or for a supervisor the whole team's, most recently
  // changed first.
  core::Result<std::vector<model::Referral>> VisibleTo(const Counsellor& counsellor);

  // What a consent request's and answer's body say.
  struct ConsentRequest {
    std::int64_t organisation_id = 0;
    std::string name = {};
  };
  static std::optional<ConsentRequest> ParseRequest(std::string_view body);
  struct ConsentAnswer {
    bool yes = false;
    std::int64_t request_seq = 0;
  };
  static std::optional<ConsentAnswer> ParseAnswer(std::string_view body);

 private:
  core::Status CheckOrganisation(const model::Organisation& organisation) const;

  store::HandoverStore& store_;
  Conversations& conversations_;
  const core::Clock& clock_;
  // Held from a referral's entry to its row: a second submit of the same form then finds the
  // row the first made.
  std::mutex refer_mu_;
};

}  // namespace uitweg::chat
