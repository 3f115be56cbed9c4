#include "app/registration_form.hpp"

#include <gtest/gtest.h>

#include "chat/registration_rules.hpp"

namespace uitweg::app {
namespace {

model::RegistrationForm BuiltIn() {
  auto form = LoadRegistrationForm("");
  EXPECT_TRUE(form) << form.error().message;
  return form ? *form : model::RegistrationForm{};
}

TEST(RegistrationFormTest, TheBuiltInFormHoldsWhatTheMethodAsks) {
  const model::RegistrationForm form = BuiltIn();
  std::vector<std::string> ids;
  for (const auto& field : form.fields) ids.push_back(field.id);
  EXPECT_EQ(ids,
            (std::vector<std::string>{"who", "age_band", "region", "topics", "criminal_involvement",
                                      "exploitation_signals", "exploitation_kind", "crime",
                                      "in_danger", "outcome", "found_us"}));
  EXPECT_EQ(form.fields[0].options.size(), 4u);
  EXPECT_EQ(form.fields[0].label.en, "Who is the visitor?");
  EXPECT_EQ(form.fields[2].type, model::FieldType::place);
  EXPECT_TRUE(form.fields[0].required);
  EXPECT_FALSE(form.fields[2].required);
}

TEST(RegistrationFormTest, AnOwnFormWithoutTheFunnelsAnswersIsTold) {
  EXPECT_TRUE(model::MissingFunnelFields(BuiltIn()).empty());
  const std::string label = "label = { nl = \"a\", en = \"b\" }\n";
  auto own = ParseRegistrationForm(
      std::string("[[field]]\nid = \"criminal_involvement\"\ntype = \"choice\"\n") + label +
          "options = [{ id = \"ja\", nl = \"ja\", en = \"yes\" }]\n",
      "own.toml");
  ASSERT_TRUE(own) << own.error().message;
  EXPECT_EQ(model::MissingFunnelFields(*own),
            (std::vector<std::string_view>{"criminal_involvement", "exploitation_signals"}))
      << "an option called otherwise than yes counts nothing";
}

TEST(RegistrationFormTest, AFormThatCannotBeMeantIsRefusedWithItsLine) {
  const std::string label = "label = { nl = \"a\", en = \"b\" }\n";
  for (const std::string& bad : {
           std::string("version = 1\n"),
           std::string("[[field]]\nid = \"Who\"\ntype = \"choice\"\n") + label +
               "options = [{ id = \"x\", nl = \"x\", en = \"x\" }]\n",
           std::string("[[field]]\nid = \"who\"\ntype = \"text\"\n") + label,
           std::string("[[field]]\nid = \"who\"\ntype = \"choice\"\n") + label,
           std::string("[[field]]\nid = \"who\"\ntype = \"choice\"\nlabel = { nl = \"a\" }\n") +
               "options = [{ id = \"x\", nl = \"x\", en = \"x\" }]\n",
           std::string("[[field]]\nid = \"who\"\ntype = \"choice\"\n") + label +
               "options = [{ id = \"x\", nl = \"x\", en = \"x\" }, { id = \"x\", nl = \"y\", en = "
               "\"y\" }]\n",
           std::string("[[field]]\nid = \"region\"\ntype = \"place\"\n") + label +
               "options = [{ id = \"x\", nl = \"x\", en = \"x\" }]\n",
           std::string("[[field]]\nid = \"a\"\ntype = \"place\"\n") + label +
               "[[field]]\nid = \"a\"\ntype = \"place\"\n" + label,
           std::string("[[field\n"),
       }) {
    auto parsed = ParseRegistrationForm(bad, "mine.toml");
    ASSERT_FALSE(parsed) << bad;
    EXPECT_EQ(parsed.error().code, core::Errc::invalid_argument);
    EXPECT_NE(parsed.error().message.find("mine.toml:"), std::string::npos)
        << parsed.error().message;
  }
  EXPECT_EQ(LoadRegistrationForm("/nonexistent/form.toml").error().code, core::Errc::not_found);
}

TEST(RegistrationRulesTest, ADraftMayBeIncompleteButNeverHoldWhatTheFormDoesNot) {
  const model::RegistrationForm form = BuiltIn();
  EXPECT_TRUE(chat::CheckAnswers(form, {}, false));
  EXPECT_TRUE(
      chat::CheckAnswers(form, {{"who", {"young_person"}}, {"region", {"Den Haag"}}}, false));
  EXPECT_TRUE(chat::CheckAnswers(form, {{"region", {"'s-Hertogenbosch"}}}, false));
  EXPECT_TRUE(chat::CheckAnswers(form, {{"region", {"Súdwest-Fryslân"}}}, false));
  for (const model::Answers& bad : std::vector<model::Answers>{
           {{"name", {"Sam"}}},
           {{"who", {"young_person", "professional"}}},
           {{"who", {"alien"}}},
           {{"topics", {"debts", "debts"}}},
           {{"region", {"Rotterdam 3011"}}},
           {{"region", {"<script>"}}},
           {{"region", {std::string(61, 'a')}}},
           {{"region", {"Delft", "Leiden"}}},
       }) {
    EXPECT_EQ(chat::CheckAnswers(form, bad, false).error().code, core::Errc::invalid_argument)
        << bad.begin()->first;
  }
}

TEST(RegistrationRulesTest, CompleteNeedsEveryRequiredField) {
  const model::RegistrationForm form = BuiltIn();
  model::Answers answers{{"who", {"young_person"}},
                         {"topics", {"debts", "threats"}},
                         {"criminal_involvement", {"yes"}},
                         {"exploitation_signals", {"yes"}},
                         {"in_danger", {"unclear"}}};
  const auto missing = chat::CheckAnswers(form, answers, true);
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("outcome"), std::string::npos);
  answers["outcome"] = {"advice", "referral"};
  EXPECT_TRUE(chat::CheckAnswers(form, answers, true));
  answers["topics"] = {};
  EXPECT_FALSE(chat::CheckAnswers(form, answers, true)) << "an empty answer is no answer";
}

TEST(RegistrationRulesTest, AnswersToAnEarlierFormKeepWhatTheFormStillHolds) {
  const model::RegistrationForm form = BuiltIn();
  const model::Answers earlier{{"who", {"young_person"}},
                               {"topics", {"debts", "gone_option"}},
                               {"gone_field", {"x"}},
                               {"crime", {"gone_option"}},
                               {"region", {"Den Haag"}}};
  const model::Answers kept = chat::OnForm(form, earlier);
  EXPECT_EQ(kept, (model::Answers{
                      {"who", {"young_person"}}, {"topics", {"debts"}}, {"region", {"Den Haag"}}}));
  EXPECT_TRUE(chat::CheckAnswers(form, kept, false));
}

// A registration completed under an earlier form comes back with its answers when reopened:
// those the form dropped go; anything else off the form is still refused.
TEST(RegistrationRulesTest, AnswersCarriedOverFromAnEarlierFormGoWhenSavedAgain) {
  const model::RegistrationForm form = BuiltIn();
  const model::Answers stored{
      {"who", {"young_person"}}, {"topics", {"debts", "gone_option"}}, {"gone_field", {"x"}}};
  const model::Answers sent{{"who", {"young_person"}},
                            {"topics", {"debts", "gone_option"}},
                            {"gone_field", {"x"}},
                            {"outcome", {"advice"}}};
  const model::Answers kept = chat::WithoutCarriedOver(form, sent, stored);
  EXPECT_EQ(kept, (model::Answers{
                      {"who", {"young_person"}}, {"topics", {"debts"}}, {"outcome", {"advice"}}}));
  EXPECT_TRUE(chat::CheckAnswers(form, kept, false));

  const model::Answers typo{{"who", {"young_person"}}, {"topics", {"debtz"}}, {"tpoics", {"x"}}};
  const model::Answers refused = chat::WithoutCarriedOver(form, typo, stored);
  EXPECT_EQ(refused, typo) << "not what the registration held: left for CheckAnswers";
  EXPECT_FALSE(chat::CheckAnswers(form, refused, false));
}

}  // namespace
}  // namespace uitweg::app
