#include "app/risk_triage.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "model/conversation.hpp"

namespace uitweg::app {
namespace {

using ::testing::Contains;
using ::testing::IsEmpty;

class RiskTriageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto loaded = RiskTriage::Load("");
    ASSERT_TRUE(loaded) << loaded.error().message;
    triage_ = std::move(*loaded);
  }
  std::int32_t UrgencyOf(std::string_view text) const { return triage_->Assess(text).urgency; }

  std::unique_ptr<RiskTriage> triage_;
};

TEST_F(RiskTriageTest, MethodAndPlanAreUrgent) {
  for (const char* text :
       {"Ze weten waar ik woon en ik moet morgen weer", "ze hebben een mes",
        "ik heb een schuld bij hem van 2000 euro", "ze bedreigen mijn moeder als ik stop",
        "ik heb alle pillen genomen", "Ze staan voor de deur"}) {
    EXPECT_EQ(UrgencyOf(text), model::kUrgencyUrgent) << text;
  }
}

TEST_F(RiskTriageTest, FeelingsAloneAreNotUrgent) {
  EXPECT_EQ(UrgencyOf("ik ben bang"), model::kUrgencyNormal);
  EXPECT_EQ(UrgencyOf("ik ben bang en ik weet het niet meer"), model::kUrgencyRaised);
  EXPECT_EQ(UrgencyOf("hoi, ik heb een vraag over bijverdienen"), model::kUrgencyNormal);
}

TEST_F(RiskTriageTest, KnowsItsTermsWhateverTheyWeigh) {
  EXPECT_TRUE(triage_->Knows("bang")) << "a feeling weighs too little to raise, but is known";
  EXPECT_TRUE(triage_->Knows("wapen"));
  EXPECT_TRUE(triage_->Knows("jaren geleden")) << "a term against danger";
  EXPECT_FALSE(triage_->Knows("kluisje"));
  EXPECT_FALSE(triage_->Knows(""));
}

TEST_F(RiskTriageTest, NamesTheWordsAsWritten) {
  const chat::Assessment assessment = triage_->Assess("Ze WETEN waar ik woon. Ik ben bang.");
  EXPECT_EQ(assessment.urgency, model::kUrgencyUrgent);
  EXPECT_THAT(assessment.matched, Contains("Ze WETEN waar ik woon"));
  EXPECT_THAT(assessment.matched, Contains("bang"));
  EXPECT_THAT(triage_->Assess("goedemiddag").matched, IsEmpty());
}

TEST_F(RiskTriageTest, ContextAgainstDangerLowersTheScore) {
  EXPECT_EQ(UrgencyOf("voor een werkstuk: wat doe je als iemand een wapen heeft"),
            model::kUrgencyNormal);
  EXPECT_EQ(UrgencyOf("ze hebben me jaren geleden in elkaar geslagen"), model::kUrgencyRaised);
}

// Words that also mean something harmless, or the opposite of what the context term says.
TEST_F(RiskTriageTest, WordsThatMeanSomethingElseDoNotDecide) {
  EXPECT_EQ(UrgencyOf("Hij stond voor school met een mes"), model::kUrgencyUrgent)
      << "in front of the school";
  EXPECT_EQ(UrgencyOf("Niet lang geleden hebben ze me in elkaar geslagen"), model::kUrgencyUrgent);
  EXPECT_EQ(UrgencyOf("ik gun het haar echt"), model::kUrgencyNormal);
  EXPECT_EQ(UrgencyOf("schiet nou op, ik moet zo weg"), model::kUrgencyNormal);
  EXPECT_EQ(UrgencyOf("ik schiet tekort op school"), model::kUrgencyNormal);
  EXPECT_EQ(UrgencyOf("ik heb twee keer op doel geschoten"), model::kUrgencyNormal);
  EXPECT_EQ(UrgencyOf("m'n pa schiet me dood als hij m'n rapport ziet"), model::kUrgencyNormal);
  EXPECT_EQ(UrgencyOf("er was een schietpartij op het nieuws"), model::kUrgencyNormal);
  for (const char* text : {"ze gaan op me schieten als ik stop", "ze hebben op ons geschoten",
                           "hij heeft een gun", "ze willen hem doodschieten"}) {
    EXPECT_EQ(UrgencyOf(text), model::kUrgencyUrgent) << text;
  }
}

TEST_F(RiskTriageTest, SelfHarmInTheWordsYoungPeopleUse) {
  for (const char* text :
       {"ik wil er een eind aan maken", "ik denk aan zelfdoding", "ik ben suïcidaal",
        "ik heb zelfmoordgedachten", "soms snij ik mezelf", "ik snij mezelf"}) {
    EXPECT_EQ(UrgencyOf(text), model::kUrgencyUrgent) << text;
  }
}

TEST_F(RiskTriageTest, SafeToUseFromManyThreads) {
  std::vector<std::thread> threads;
  std::atomic<int> urgent{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i) {
        if (UrgencyOf("ze hebben een pistool") == model::kUrgencyUrgent) ++urgent;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(urgent.load(), 800);
}

TEST(RiskTriageLoad, NamesABadFile) {
  auto missing = RiskTriage::Load("/nonexistent/risk.toml");
  ASSERT_FALSE(missing);
  EXPECT_THAT(missing.error().message, ::testing::HasSubstr("/nonexistent/risk.toml"));
}

}  // namespace
}  // namespace uitweg::app
