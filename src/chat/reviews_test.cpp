#include "chat/reviews.hpp"

#include <gtest/gtest.h>

#include <future>

#include "core/testing/task_thread.hpp"
#include "core/testing/test_folder.hpp"
#include "store/sqlite/sqlite_database.hpp"

namespace uitweg::chat {
namespace {

FrameEncoders NoFrames() {
  return FrameEncoders{.entry = [](const Entry&) { return std::string(); },
                       .queue_change = [](const QueueChange&) { return std::string(); }};
}

model::ReviewRubric OneCriterion() {
  return model::ReviewRubric{
      .version = 2,
      .criteria = {{.id = "contact",
                    .label = {"Contact", "Contact"},
                    .good = {"Warm", "Warm"},
                    .levels = {{1, {"Zwak", "Weak"}}, {4, {"Sterk", "Strong"}}}}}};
}

class ReviewsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    database_ =
        store::OpenSqliteDatabase(store::SqliteOptions{.path = (folder_ / "uitweg.db").string(),
                                                       .completions = completions_.post()})
            .value();
    presence_ = std::make_unique<Presence>(PresenceLimits{}, clock_.Now());
    conversations_ = std::make_unique<Conversations>(*database_.conversations, *database_.accounts,
                                                     hub_, *presence_, clock_, 0);
    // Always the first candidate left: the sample is the candidates in id order.
    reviews_ = std::make_unique<Reviews>(OneCriterion(), *database_.reviews, *conversations_,
                                         *database_.conversations, clock_,
                                         [](std::uint32_t) { return 0u; });
    anna_ = AddStaff("anna", model::Role::counsellor);
    sam_ = AddStaff("sam", model::Role::supervisor);
    kim_ = AddStaff("kim", model::Role::supervisor);
  }

  void TearDown() override {
    reviews_.reset();
    conversations_.reset();
    database_ = store::Database{};
    completions_.Drain();
  }

  Counsellor AddStaff(const std::string& username, model::Role role) {
    auto created = database_.accounts->CreateAccount(
        store::NewStaffAccount{username, role, username, "hash", clock_.Now()});
    EXPECT_TRUE(created);
    return Counsellor{created->id, role, username};
  }

  // A conversation `counsellor` held and ended.
  std::string Held(const Counsellor& counsellor) {
    auto started = conversations_->Start("Sam", "self");
    EXPECT_TRUE(started) << started.error().message;
    const std::string id = started->conversation.id;
    EXPECT_TRUE(conversations_->Accept(id, counsellor));
    clock_.Advance(1000);
    EXPECT_TRUE(conversations_->EndAsCounsellor(id, counsellor));
    clock_.Advance(1000);
    return id;
  }

  ReviewDraw Today(std::size_t size, bool only_unreviewed = false) {
    return ReviewDraw{
        .from = start_, .to = clock_.Now() + 1, .size = size, .only_unreviewed = only_unreviewed};
  }

  core::testing::TaskThread completions_;
  core::testing::TestFolder folder_{"reviews"};
  core::ManualClock clock_{1'700'000'000'000};
  const core::UnixMillis start_ = clock_.Now();
  Hub hub_{NoFrames()};
  store::Database database_;
  std::unique_ptr<Presence> presence_;
  std::unique_ptr<Conversations> conversations_;
  std::unique_ptr<Reviews> reviews_;
  Counsellor anna_, sam_, kim_;
};

TEST_F(ReviewsTest, ASupervisorDrawsScoresAndSeesProgress) {
  std::vector<std::string> held;
  for (int i = 0; i < 4; ++i) held.push_back(Held(anna_));
  Held(sam_);  // the supervisor's own: never in their sample
  std::sort(held.begin(), held.end());

  auto sample = reviews_->Draw(sam_, Today(3));
  ASSERT_TRUE(sample) << sample.error().message;
  EXPECT_EQ(sample->sample.candidates, 4);
  EXPECT_EQ(sample->sample.conversation_ids, (std::vector<std::string>{held[0], held[1], held[2]}));
  EXPECT_EQ(sample->reviewed, 0u);

  const std::string& first = held[0];
  auto opened = reviews_->Open(sample->sample.id, first, sam_);
  ASSERT_TRUE(opened) << opened.error().message;
  EXPECT_EQ(opened->transcript.conversation.id, first);
  EXPECT_FALSE(opened->transcript.entries.empty());
  EXPECT_FALSE(opened->review.has_value());

  auto saved = reviews_->Save(sample->sample.id, first, sam_, {{"contact", 4}}, "  Warm begin. ");
  ASSERT_TRUE(saved) << saved.error().message;
  EXPECT_EQ(saved->comment, "Warm begin.");
  EXPECT_EQ(saved->rubric_version, 2);
  EXPECT_EQ(reviews_->Sample(sample->sample.id, sam_).value().reviewed, 1u);
  EXPECT_EQ(reviews_->Open(sample->sample.id, first, sam_).value().review->scores,
            (model::ReviewScores{{"contact", 4}}));

  EXPECT_EQ(reviews_->Save(sample->sample.id, first, sam_, {{"contact", 3}}, "").error().code,
            core::Errc::invalid_argument);
  EXPECT_EQ(reviews_->Save(sample->sample.id, held[3], sam_, {{"contact", 4}}, "").error().code,
            core::Errc::not_found)
      << "only the sample's conversations";

  clock_.Advance(1000);
  auto unreviewed = reviews_->Draw(sam_, Today(10, true));
  ASSERT_TRUE(unreviewed);
  EXPECT_EQ(unreviewed->sample.candidates, 3) << "the reviewed one is left out";
  const auto listed = reviews_->Samples(sam_).value();
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[1].reviewed, 1u);
}

// One conversation in two supervisors' samples, both open: the second to save had not seen the
// first's review, and must not replace it unseen.
TEST_F(ReviewsTest, AReviewSavedOverOneNotSeenIsRefused) {
  const std::string id = Held(anna_);
  auto of_sam = reviews_->Draw(sam_, Today(1));
  auto of_kim = reviews_->Draw(kim_, Today(1));
  ASSERT_TRUE(of_sam && of_kim);
  ASSERT_FALSE(reviews_->Open(of_kim->sample.id, id, kim_).value().review.has_value());
  auto sams = reviews_->Save(of_sam->sample.id, id, sam_, {{"contact", 4}}, "Warm begin.", 0);
  ASSERT_TRUE(sams) << sams.error().message;
  clock_.Advance(1000);
  auto kims = reviews_->Save(of_kim->sample.id, id, kim_, {{"contact", 1}}, "Te kort.", 0);
  ASSERT_FALSE(kims);
  EXPECT_EQ(kims.error().code, core::Errc::aborted);
  EXPECT_EQ(reviews_->Open(of_kim->sample.id, id, kim_).value().review->comment, "Warm begin.");
  auto seen =
      reviews_->Save(of_kim->sample.id, id, kim_, {{"contact", 1}}, "Te kort.", sams->reviewed_at);
  EXPECT_TRUE(seen) << "once seen, it may be replaced";
}

TEST_F(ReviewsTest, ASampleIsItsSupervisorsAndReviewingIsForSupervisorsOnly) {
  const std::string id = Held(anna_);
  auto sample = reviews_->Draw(sam_, Today(1));
  ASSERT_TRUE(sample);
  EXPECT_EQ(reviews_->Sample(sample->sample.id, kim_).error().code, core::Errc::not_found);
  EXPECT_EQ(reviews_->Open(sample->sample.id, id, kim_).error().code, core::Errc::not_found);
  EXPECT_TRUE(reviews_->Samples(kim_).value().empty());
  EXPECT_EQ(reviews_->Draw(anna_, Today(1)).error().code, core::Errc::permission_denied);
  EXPECT_EQ(reviews_->Open(sample->sample.id, id, anna_).error().code,
            core::Errc::permission_denied);
  const Counsellor analyst{sam_.account_id, model::Role::analyst, "sam"};
  EXPECT_EQ(reviews_->Samples(analyst).error().code, core::Errc::permission_denied);
}

// A visitor may ask for their chat to be forgotten after it was drawn: until the retention run
// shreds it, the sample must not open it, nor the history of its counsellor.
TEST_F(ReviewsTest, AConversationItsVisitorAskedToForgetIsNotOpened) {
  const std::string id = Held(anna_);
  auto sample = reviews_->Draw(sam_, Today(1));
  ASSERT_TRUE(sample) << sample.error().message;
  ASSERT_TRUE(reviews_->Open(sample->sample.id, id, sam_));
  std::promise<core::Status> asked;
  database_.conversations->RequestForget(id, [&](core::Status done) { asked.set_value(done); });
  ASSERT_TRUE(asked.get_future().get());
  const auto opened = reviews_->Open(sample->sample.id, id, sam_);
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().code, core::Errc::not_found);
  EXPECT_EQ(conversations_->OpenFromHistory(id, anna_).error().code, core::Errc::not_found)
      << "nor does its counsellor's history";
  EXPECT_EQ(conversations_->OpenFor(id, anna_).error().code, core::Errc::not_found)
      << "nor a subscribe of its counsellor's console";
}

TEST_F(ReviewsTest, ADrawNeedsASizeAPeriodAndSomethingToReview) {
  EXPECT_EQ(reviews_->Draw(sam_, Today(1)).error().code, core::Errc::failed_precondition);
  Held(anna_);
  EXPECT_EQ(reviews_->Draw(sam_, Today(0)).error().code, core::Errc::invalid_argument);
  EXPECT_EQ(reviews_->Draw(sam_, Today(kMaxSampleSize + 1)).error().code,
            core::Errc::invalid_argument);
  EXPECT_EQ(
      reviews_->Draw(sam_, ReviewDraw{.from = clock_.Now(), .to = start_, .size = 1}).error().code,
      core::Errc::invalid_argument);
  EXPECT_EQ(reviews_->Draw(sam_, ReviewDraw{.from = 0, .to = clock_.Now(), .size = 1}).error().code,
            core::Errc::invalid_argument)
      << "more than a year";
}

}  // namespace
}  // namespace uitweg::chat
