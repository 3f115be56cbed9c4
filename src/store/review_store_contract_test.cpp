// The ReviewStore contract: every backend in ContractBackends() passes every case here (plain,
// and with comments sealed by EncryptingReviewStore).
#include <algorithm>

#include "store/contract_fixture.hpp"

namespace uitweg::store {
namespace {

class ReviewStoreContractTest : public StoreContractTest {
 protected:
  model::StaffAccount Supervisor(const std::string& username) {
    return accounts()
        .CreateAccount(NewStaffAccount{.username = username,
                                       .role = model::Role::supervisor,
                                       .display_name = "S " + username,
                                       .password_hash = "$argon2id$placeholder-hash",
                                       .created_at = kT0})
        .value();
  }

  // A conversation that `counsellor` accepted and that ended at `ended_at`.
  void Held(const std::string& id, std::int64_t counsellor, UnixMillis ended_at) {
    Waiting(id);
    ASSERT_TRUE(Accept(id, counsellor, kT0 + 1));
    ASSERT_TRUE(End(id, model::EndReason::counsellor, ended_at));
  }

  ReviewableQuery Period(std::int64_t reviewer, bool only_unreviewed = false) {
    return ReviewableQuery{.from = kT0 + 100,
                           .to = kT0 + 200,
                           .reviewer_id = reviewer,
                           .only_unreviewed = only_unreviewed,
                           .limit = 100};
  }

  // A review of `conversation` in sample s_1 by `reviewer`, scored 3 on contact.
  static model::Review Reviewed(const std::string& conversation, std::int64_t reviewer,
                                std::string comment, UnixMillis at = kT0 + 600) {
    return model::Review{.conversation_id = conversation,
                         .sample_id = "s_1",
                         .reviewer_id = reviewer,
                         .rubric_version = 1,
                         .scores = {{"contact", 3}},
                         .comment = std::move(comment),
                         .ended_at = 0,
                         .reviewed_at = at};
  }

  model::ReviewSample Sample(const std::string& id, std::int64_t supervisor,
                             std::vector<std::string> conversations, UnixMillis at = kT0 + 500) {
    return model::ReviewSample{.id = id,
                               .supervisor_id = supervisor,
                               .from = kT0 + 100,
                               .to = kT0 + 200,
                               .only_unreviewed = true,
                               .candidates = 3,
                               .created_at = at,
                               .conversation_ids = std::move(conversations)};
  }
};

TEST_P(ReviewStoreContractTest, OnlyEndedAcceptedConversationsOfOthersInThePeriodAreReviewable) {
  const model::StaffAccount anna = Counsellor("anna");
  const model::StaffAccount sam = Supervisor("sam");
  Held("c_b", anna.id, kT0 + 150);
  Held("c_a", anna.id, kT0 + 100);
  Held("c_late", anna.id, kT0 + 200);
  Held("c_own", sam.id, kT0 + 150);
  Held("c_shredded", anna.id, kT0 + 150);
  ASSERT_TRUE(Shred("c_shredded"));
  Held("c_forget", anna.id, kT0 + 150);
  ASSERT_TRUE(
      Await<void>([&](Done<void> done) { conversations().RequestForget("c_forget", done); }));
  Waiting("c_waiting");
  ASSERT_TRUE(End("c_waiting", model::EndReason::abandoned, kT0 + 150));  // never accepted
  Waiting("c_open");
  ASSERT_TRUE(Accept("c_open", anna.id, kT0 + 150));

  EXPECT_EQ(reviews().ListReviewable(Period(sam.id)).value(),
            (std::vector<std::string>{"c_a", "c_b"}));
  ReviewableQuery one = Period(sam.id);
  one.limit = 1;
  EXPECT_EQ(reviews().ListReviewable(one).value(), (std::vector<std::string>{"c_a"}));

  ASSERT_TRUE(reviews().CreateSample(Sample("s_1", sam.id, {"c_b"})));
  ASSERT_TRUE(reviews().SaveReview(model::Review{.conversation_id = "c_b",
                                                 .sample_id = "s_1",
                                                 .reviewer_id = sam.id,
                                                 .rubric_version = 1,
                                                 .scores = {{"contact", 3}},
                                                 .comment = {},
                                                 .ended_at = 0,
                                                 .reviewed_at = kT0 + 600}));
  EXPECT_EQ(reviews().ListReviewable(Period(sam.id, true)).value(),
            (std::vector<std::string>{"c_a"}));
  EXPECT_EQ(reviews().ListReviewable(Period(anna.id)).value(), (std::vector<std::string>{"c_own"}))
      << "the reviewer's own conversations are never theirs to review";
}

TEST_P(ReviewStoreContractTest, ASampleKeepsItsConversationsInTheOrderDrawn) {
  const model::StaffAccount anna = Counsellor("anna");
  const model::StaffAccount sam = Supervisor("sam");
  const model::StaffAccount kim = Supervisor("kim");
  Held("c_1", anna.id, kT0 + 110);
  Held("c_2", anna.id, kT0 + 120);
  Held("c_3", anna.id, kT0 + 130);
  EXPECT_FALSE(reviews().FindSample("s_1").value().has_value());

  const model::ReviewSample first = Sample("s_1", sam.id, {"c_3", "c_1", "c_2"});
  ASSERT_TRUE(reviews().CreateSample(first));
  ASSERT_TRUE(reviews().CreateSample(Sample("s_2", sam.id, {"c_2"}, kT0 + 700)));
  ASSERT_TRUE(reviews().CreateSample(Sample("s_3", kim.id, {"c_1"})));
  EXPECT_EQ(reviews().CreateSample(Sample("s_4", sam.id, {"c_none"})).error().code,
            core::Errc::not_found);

  const auto found = reviews().FindSample("s_1").value();
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->conversation_ids, first.conversation_ids);
  EXPECT_EQ(found->supervisor_id, sam.id);
  EXPECT_EQ(found->from, kT0 + 100);
  EXPECT_EQ(found->to, kT0 + 200);
  EXPECT_TRUE(found->only_unreviewed);
  EXPECT_EQ(found->candidates, 3);

  const auto listed = reviews().ListSamples(sam.id, 10).value();
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].id, "s_2") << "newest first";
  EXPECT_EQ(listed[1].conversation_ids, first.conversation_ids);
  EXPECT_EQ(reviews().ListSamples(sam.id, 1).value().size(), 1u);
  Reopen();
  EXPECT_EQ(reviews().FindSample("s_1").value()->conversation_ids, first.conversation_ids);
}

TEST_P(ReviewStoreContractTest, AReviewIsSavedWholeReplacedWholeAndCountedByTheConversationsEnd) {
  const model::StaffAccount anna = Counsellor("anna");
  const model::StaffAccount sam = Supervisor("sam");
  Held("c_1", anna.id, kT0 + 110);
  Held("c_2", anna.id, kT0 + 300);
  ASSERT_TRUE(reviews().CreateSample(Sample("s_1", sam.id, {"c_1", "c_2"})));

  model::Review review{.conversation_id = "c_1",
                       .sample_id = "s_1",
                       .reviewer_id = sam.id,
                       .rubric_version = 1,
                       .scores = {{"contact", 4}, {"risk", std::nullopt}},
                       .comment = "Mooi begin; vraag eerder door naar de schuld.",
                       .ended_at = 0,
                       .reviewed_at = kT0 + 600};
  ASSERT_TRUE(reviews().SaveReview(review));
  const std::string ids[] = {"c_1", "c_2", "c_none"};
  auto found = reviews().FindReviews(ids).value();
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].scores, review.scores) << "not applicable is kept apart from a score";
  EXPECT_EQ(found[0].comment, review.comment);
  EXPECT_EQ(found[0].ended_at, kT0 + 110) << "taken from the conversation";
  EXPECT_EQ(found[0].reviewer_id, sam.id);

  review.scores = {{"closing", 2}};
  review.comment = "";
  review.rubric_version = 2;
  review.reviewed_at = kT0 + 700;
  ASSERT_TRUE(reviews().SaveReview(review));
  found = reviews().FindReviews(ids).value();
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].scores, review.scores);
  EXPECT_EQ(found[0].comment, "");
  EXPECT_EQ(found[0].rubric_version, 2);
  EXPECT_EQ(found[0].reviewed_at, kT0 + 700);

  model::Review later = review;
  later.conversation_id = "c_2";
  later.scores = {{"contact", 1}};
  later.comment = "Kort";
  ASSERT_TRUE(reviews().SaveReview(later));
  const auto in_period = reviews().ListReviews(kT0 + 100, kT0 + 200).value();
  ASSERT_EQ(in_period.size(), 1u);
  EXPECT_EQ(in_period[0].conversation_id, "c_1");
  EXPECT_EQ(in_period[0].scores, review.scores);
  const auto all = reviews().ListReviews(kT0, kT0 + 1000).value();
  ASSERT_EQ(all.size(), 2u);
  for (const model::Review& listed : all) EXPECT_EQ(listed.comment, "") << "aggregates read none";

  model::Review unknown = review;
  unknown.conversation_id = "c_none";
  EXPECT_EQ(reviews().SaveReview(unknown).error().code, core::Errc::not_found);
  model::Review no_sample = review;
  no_sample.sample_id = "s_none";
  EXPECT_EQ(reviews().SaveReview(no_sample).error().code, core::Errc::not_found);
  Reopen();
  EXPECT_EQ(reviews().FindReviews(ids).value().size(), 2u);
}

TEST_P(ReviewStoreContractTest, AShreddedConversationsReviewKeepsItsScores) {
  const model::StaffAccount anna = Counsellor("anna");
  const model::StaffAccount sam = Supervisor("sam");
  Held("c_1", anna.id, kT0 + 110);
  ASSERT_TRUE(reviews().CreateSample(Sample("s_1", sam.id, {"c_1"})));
  ASSERT_TRUE(reviews().SaveReview(Reviewed("c_1", sam.id, "Goed gedaan")));
  ASSERT_TRUE(Shred("c_1"));
  const std::string ids[] = {"c_1"};
  const auto found = reviews().FindReviews(ids).value();
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].scores, (model::ReviewScores{{"contact", 3}}));
  EXPECT_EQ(reviews().ListReviews(kT0, kT0 + 1000).value().size(), 1u);
}

// Another node may still hold the forgotten key in memory: the comment itself must be gone, and
// no new one may be kept.
TEST_P(ReviewStoreContractTest, ShreddingBlanksTheCommentAndRefusesANewOne) {
  const model::StaffAccount anna = Counsellor("anna");
  const model::StaffAccount sam = Supervisor("sam");
  Held("c_1", anna.id, kT0 + 110);
  Held("c_2", anna.id, kT0 + 120);
  ASSERT_TRUE(reviews().CreateSample(Sample("s_1", sam.id, {"c_1", "c_2"})));
  for (const char* id : {"c_1", "c_2"}) {
    ASSERT_TRUE(reviews().SaveReview(Reviewed(id, sam.id, "Goed gedaan")));
  }
  ASSERT_TRUE(Shred("c_1"));
  const std::string ids[] = {"c_1", "c_2"};
  auto found = reviews().FindReviews(ids).value();
  std::sort(found.begin(), found.end(),
            [](const auto& a, const auto& b) { return a.conversation_id < b.conversation_id; });
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].comment, "");
  EXPECT_EQ(found[1].comment, "Goed gedaan") << "another conversation's review";
  Reopen();
  EXPECT_EQ(reviews().FindReviews(ids).value().size(), 2u);

  model::Review again = Reviewed("c_1", sam.id, "Nog iets", kT0 + 700);
  again.scores = {{"contact", 4}};
  const core::Status refused = reviews().SaveReview(again);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, core::Errc::failed_precondition);
  again.comment.clear();
  EXPECT_TRUE(reviews().SaveReview(again)) << "scores alone may still change";
  const std::string one[] = {"c_1"};
  EXPECT_EQ(reviews().FindReviews(one).value().at(0).scores, (model::ReviewScores{{"contact", 4}}));
}

// Two supervisors with one conversation open (it is in both their samples): the second save,
// over a review it did not see, is refused in the write itself.
TEST_P(ReviewStoreContractTest, ASaveNamingTheReviewItReplacesLeavesAColleaguesReview) {
  const model::StaffAccount anna = Counsellor("anna");
  const model::StaffAccount sam = Supervisor("sam");
  Held("c_1", anna.id, kT0 + 110);
  ASSERT_TRUE(reviews().CreateSample(Sample("s_1", sam.id, {"c_1"})));
  ASSERT_TRUE(reviews().SaveReview(Reviewed("c_1", sam.id, "Eerste", kT0 + 600), 0));
  const core::Status second = reviews().SaveReview(Reviewed("c_1", sam.id, "Tweede", kT0 + 610), 0);
  ASSERT_FALSE(second) << "a review exists now";
  EXPECT_EQ(second.error().code, core::Errc::aborted);
  const core::Status stale =
      reviews().SaveReview(Reviewed("c_1", sam.id, "Oud", kT0 + 620), kT0 + 1);
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code, core::Errc::aborted);
  const std::string one[] = {"c_1"};
  EXPECT_EQ(reviews().FindReviews(one).value().at(0).comment, "Eerste");
  ASSERT_TRUE(reviews().SaveReview(Reviewed("c_1", sam.id, "Derde", kT0 + 630), kT0 + 600));
  EXPECT_EQ(reviews().FindReviews(one).value().at(0).comment, "Derde");
  EXPECT_TRUE(reviews().SaveReview(Reviewed("c_1", sam.id, "Vierde", kT0 + 640), std::nullopt))
      << "without a version, over whatever there is";
  model::Review unknown = Reviewed("c_1", sam.id, "x", kT0 + 650);
  unknown.conversation_id = "c_none";
  EXPECT_EQ(reviews().SaveReview(unknown, 0).error().code, core::Errc::not_found);
}

INSTANTIATE_TEST_SUITE_P(Backends, ReviewStoreContractTest, ::testing::ValuesIn(ContractBackends()),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace uitweg::store
