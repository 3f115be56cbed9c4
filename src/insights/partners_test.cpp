#include "insights/partners.hpp"

#include <gtest/gtest.h>

namespace uitweg::insights {
namespace {

TEST(PartnersTest, ParsesAndWritesTheList) {
  auto partners = ParsePartners(
      R"([{"name":"rotterdam","label":"Gemeente Rotterdam","regions":["Rotterdam","Capelle aan den IJssel"]},
          {"name":"landelijk","label":"Ministerie","regions":[],"trends":false,"methodology":true}])");
  ASSERT_TRUE(partners.has_value()) << partners.error().message;
  ASSERT_EQ(partners->size(), 2u);
  EXPECT_EQ((*partners)[0].regions.size(), 2u);
  EXPECT_TRUE((*partners)[0].trends);
  EXPECT_FALSE((*partners)[1].trends);
  EXPECT_FALSE((*partners)[0].methodology) << "review scores only where an admin allows them";
  EXPECT_TRUE((*partners)[1].methodology);
  EXPECT_TRUE((*partners)[1].regions.empty());
  auto again = ParsePartners(PartnersJson(*partners));
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(PartnersJson(*again), PartnersJson(*partners));
}

TEST(PartnersTest, RefusesWhatIsNotAPartnerNamingTheProblem) {
  const std::pair<const char*, const char*> cases[] = {
      {"{}", "a JSON array"},
      {"[1]", "partner 1 is not an object"},
      {R"([{"name":"Rotterdam","label":"x","regions":[]}])", "name is 2 to 40"},
      {R"([{"name":"r","label":"x","regions":[]}])", "name is 2 to 40"},
      {R"([{"name":"ro","label":"","regions":[]}])", "label is 1 to 120"},
      {R"([{"name":"ro","label":"a\nb","regions":[]}])", "label is 1 to 120"},
      {R"([{"name":"ro","label":"x","regions":["3011 AB"]}])", "a region is a place"},
      {R"([{"name":"ro","label":"x","regions":"Rotterdam"}])", "regions is a list"},
      {R"([{"name":"ro","label":"x"}])", "needs a name, a label and regions"},
      {R"([{"name":"ro","label":"x","regions":[],"funnel":1}])", "funnel is true or false"},
      {R"([{"name":"ro","label":"x","regions":[],"email":"a@b"}])", "unknown key email"},
      {R"([{"name":"ro","label":"x","regions":[]},{"name":"ro","label":"y","regions":[]}])",
       "used twice"},
  };
  for (const auto& [json, message] : cases) {
    auto parsed = ParsePartners(json);
    ASSERT_FALSE(parsed.has_value()) << json;
    EXPECT_EQ(parsed.error().code, core::Errc::invalid_argument);
    EXPECT_NE(parsed.error().message.find(message), std::string::npos)
        << json << " -> " << parsed.error().message;
  }
}

}  // namespace
}  // namespace uitweg::insights
