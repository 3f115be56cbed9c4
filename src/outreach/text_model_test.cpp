#include "outreach/text_model.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "outreach/normaliser.hpp"
#include "outreach/text_features.hpp"
#include "outreach/text_model_training.hpp"

namespace uitweg::outreach {
namespace {

constexpr std::uint32_t kBuckets = 1u << 16;

std::vector<TextFeature> Features(FeatureExtractor& extractor, const std::string& text,
                                  const std::string& author = "") {
  return extractor.Extract(Normalise(text), author);
}

// The shipped model was trained on these exact features: a change of hashing, stemming or
// tokenising must come with a retrained model (`uitweg outreach train`) and new indexes here.
TEST(TextFeaturesTest, FeatureIndexesAreStable) {
  FeatureExtractor extractor(kBuckets);
  std::vector<std::uint32_t> indexes;
  for (const TextFeature& feature :
       Features(extractor, "nooit rekeningen \xF0\x9F\x92\xB6", "Politie")) {
    indexes.push_back(feature.index);
  }
  const std::vector<std::uint32_t> expected = {
      44283, 7563,  35199, 36864, 56186, 3277,  4776,  23351, 3159,  18367, 29865, 18475,
      57691, 55279, 43077, 37333, 43485, 25499, 51064, 50289, 31927, 36656, 12396, 35766,
      20680, 58044, 24773, 40931, 47485, 61291, 1879,  27082, 36646, 15274, 48940, 23381,
      34190, 30552, 49345, 46213, 26838, 41215, 13282, 39719, 38118, 60096, 50043};
  EXPECT_EQ(indexes, expected);
}

TEST(TextFeaturesTest, InflectedFormsShareTheirStem) {
  FeatureExtractor extractor(kBuckets);
  // Snowball's Dutch stemmer takes "rekeningen" and "rekening" to "reken"; the first feature of
  // a word is its stem.
  const std::uint32_t plural = Features(extractor, "rekeningen")[0].index;
  EXPECT_EQ(Features(extractor, "rekening")[0].index, plural);
  EXPECT_NE(Features(extractor, "pinpas")[0].index, plural);
}

TEST(TextFeaturesTest, NumbersAreOneWord) {
  FeatureExtractor extractor(kBuckets);
  EXPECT_EQ(Features(extractor, "500")[0].index, Features(extractor, "1250")[0].index);
}

TEST(TextFeaturesTest, NegationAndQuotationMarkTheWordsInTheirScope) {
  FeatureExtractor extractor(kBuckets);
  const std::size_t plain = Features(extractor, "verhuur je pas").size();
  EXPECT_GT(Features(extractor, "nooit verhuur je pas").size(), plain + 3)
      << "each word after 'nooit' has a negated stem besides its own";
  const std::size_t ended = Features(extractor, "nooit. verhuur je pas").size();
  EXPECT_EQ(ended, Features(extractor, "nooit verhuur je pas").size() - 4)
      << "a full stop ends the negation's scope (and the pair of words across it)";
  EXPECT_EQ(Features(extractor, "\"verhuur je pas\"").size(), plain + 3);
}

TEST(TextFeaturesTest, AuthorWordsAreFeaturesOfTheirOwn) {
  FeatureExtractor extractor(kBuckets);
  const std::vector<TextFeature> without = Features(extractor, "pas op");
  const std::vector<TextFeature> with = Features(extractor, "pas op", "Politie Rotterdam");
  ASSERT_EQ(with.size(), without.size() + 2);
  EXPECT_EQ(with.back().word, FeatureExtractor::kAuthorWord);
  EXPECT_EQ(extractor.word(with.back().word), "author");
}

TEST(TextFeaturesTest, VectorHasUnitLength) {
  FeatureExtractor extractor(kBuckets);
  double sum = 0;
  for (const TextFeature& feature :
       Features(extractor, "wie wil snel geld verdienen \xF0\x9F\x92\xB6")) {
    sum += static_cast<double>(feature.value) * feature.value;
  }
  EXPECT_NEAR(sum, 1.0, 1e-5);
}

// The scan sums weights without listing features, with n-gram sums cached per word; the log-odds
// must be those of the listed features, also when a word comes back and when the weights change.
TEST(TextFeaturesTest, SumGivesTheLogitOfTheListedFeatures) {
  TextModel model = TextModel::Empty(kBuckets);
  for (std::uint32_t i = 0; i < kBuckets; ++i) {
    model.weights()[i] = static_cast<float>((i * 2654435761u) % 1000) / 1000.0f - 0.5f;
  }
  model.bias() = 0.25;
  FeatureExtractor listing(kBuckets);
  FeatureExtractor summing(kBuckets);
  for (const char* text :
       {"wie wil zijn rekening verhuren? 500 p/w \xF0\x9F\x92\xB6",
        "nooit je pas uitlenen. \"snel geld\" is een valkuil", "rekening rekening rekening", "",
        "!!", "niet je bankrekeningen geven, nimmer je verblijfsvergunning"}) {
    const std::string normalised = Normalise(text);
    for (int twice = 0; twice < 2; ++twice) {
      const double listed = model.Logit(listing.Extract(normalised, "Politie Zuid"));
      const double summed = model.Logit(summing.Sum(normalised, "Politie Zuid", model.weights()));
      EXPECT_NEAR(summed, listed, 1e-4) << text;
    }
  }
  TextModel other = TextModel::Empty(kBuckets);
  other.weights()[Features(listing, "rekening")[0].index] = 3;
  const std::string normalised = Normalise("rekening");
  EXPECT_NEAR(other.Logit(summing.Sum(normalised, "", other.weights())),
              other.Logit(listing.Extract(normalised, "")), 1e-6);
}

TEST(TextModelTest, SerialiseParsesBackToTheSameModel) {
  TextModel model = TextModel::Empty(kBuckets);
  model.weights()[3] = 0.5f;
  model.weights()[70] = -1.25f;
  model.bias() = -0.5;
  model.set_combination(1.5, 3);
  model.set_trained_posts(12);
  model.UpdateVersion();
  auto parsed = TextModel::Parse(model.Serialise(), "test");
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(parsed->version(), model.version());
  EXPECT_EQ(parsed->weights()[70], -1.25f);
  EXPECT_EQ(parsed->trained_posts(), 12);
  EXPECT_DOUBLE_EQ(parsed->Contribution(10), 3);
  EXPECT_DOUBLE_EQ(parsed->Contribution(-1), -1.5);
}

TEST(TextModelTest, RefusesMalformedFilesNamingTheLine) {
  const std::string head =
      "uitweg-text-model 1\nbuckets 16\nbias 0\nscale 1\ncap 4\ntrained 2 posts\n";
  const struct {
    std::string text;
    std::string message;
  } cases[] = {
      {"", "test:1: not a text model"},
      {"uitweg-text-model 1\nbuckets 15\n", "test:2: buckets must be a power of two"},
      {"uitweg-text-model 1\nbuckets 33554432\n", "test:2: buckets must be a power of two"},
      {"uitweg-text-model 1\nbuckets 16\nbias nan\n", "test:3: bias must be a finite number"},
      {"uitweg-text-model 1\nbuckets 16\nbias 0\nscale -1\ncap 4\n", "test:5: scale and cap"},
      {head + "weights 17\n", "test:7: weights must be a count"},
      {head + "weights 2\n3 1\n", "test:8: the file ends after 1 weights"},
      {head + "weights 2\n3 1\n3 2\n", "test:9: indexes must ascend"},
      {head + "weights 1\n16 1\n", "test:8: indexes must ascend and stay below buckets"},
      {head + "weights 1\n3 0\n", "test:8: a weight must be finite and not zero"},
      {head + "weights 1\n3 1e400\n", "test:8: expected '<index> <weight>'"},
      {head + "weights 1\n3 1\nmore\n", "test:9: unexpected text"},
  };
  for (const auto& c : cases) {
    auto parsed = TextModel::Parse(c.text, "test");
    ASSERT_FALSE(parsed) << c.text;
    EXPECT_EQ(parsed.error().message.rfind(c.message, 0), 0u) << parsed.error().message;
  }
}

TEST(TextModelTrainingTest, LearnsToSeparateAndIsDeterministic) {
  std::vector<LabelledPost> posts;
  const char* offers[] = {"wie wil zijn bankapp uitlenen, goed geld",
                          "bankapp nodig, 300 p/w",
                          "zoek iemand met bankapp, makkelijk geld",
                          "bankapp even lenen? 500",
                          "18+ met bankapp? dm voor geld",
                          "bankapp delen = snel geld"};
  const char* others[] = {"de bankapp doet het weer niet",
                          "update je bankapp voor de veiligheid",
                          "training morgen om zeven",
                          "wie heeft de wiskunde aantekeningen",
                          "mijn fiets is gestolen bij de markt",
                          "nieuwe bankapp ziet er mooi uit"};
  for (int round = 0; round < 3; ++round) {
    for (const char* text : offers) posts.push_back({text, "", true, 0, true});
    for (const char* text : others) posts.push_back({text, "", false, 0, true});
  }
  TrainingOptions options;
  options.buckets = kBuckets;
  options.folds = 3;
  TrainingReport report;
  auto model = TrainTextModel(posts, options, report);
  ASSERT_TRUE(model) << model.error().message;
  EXPECT_EQ(report.posts, 36);
  EXPECT_EQ(report.recruitment, 18);
  EXPECT_EQ(report.lexicon_alone.true_positive, 0);
  EXPECT_GT(report.cross_validated.Recall(), 0.8);
  EXPECT_GT(report.weights, 0u);

  FeatureExtractor extractor(kBuckets);
  EXPECT_GT(model->Logit(Features(extractor, "bankapp uitlenen voor snel geld")), 0);
  EXPECT_LT(model->Logit(Features(extractor, "training om zeven bij de markt")), 0);

  TrainingReport again;
  auto second = TrainTextModel(posts, options, again);
  ASSERT_TRUE(second);
  EXPECT_EQ(second->Serialise(), model->Serialise());
}

TEST(TextModelTrainingTest, RefusesTooFewPostsOfALabel) {
  std::vector<LabelledPost> posts = {{"a b c", "", true, 0, false}};
  TrainingReport report;
  auto model = TrainTextModel(posts, TrainingOptions{}, report);
  ASSERT_FALSE(model);
  EXPECT_NE(model.error().message.find("at least 5 posts of each label"), std::string::npos);
}

}  // namespace
}  // namespace uitweg::outreach
