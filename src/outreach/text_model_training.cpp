#include "outreach/text_model_training.hpp"

#include <fmt/format.h>

#include <cmath>
#include <random>
#include <vector>

#include "outreach/normaliser.hpp"

namespace uitweg::outreach {
namespace {

struct Example {
  std::vector<TextFeature> features;
  double label = 0;   // 1 recruitment, 0 not
  double weight = 1;  // balances the classes
};

double Sigmoid(double x) {
  return 1.0 / (1.0 + std::exp(-x));
}

// A permutation from our own generator: std::shuffle's order is the library's to choose.
std::vector<std::size_t> Shuffled(std::size_t n, std::mt19937_64& random) {
  std::vector<std::size_t> order(n);
  for (std::size_t i = 0; i < n; ++i) order[i] = i;
  for (std::size_t i = n; i > 1; --i) {
    const std::size_t j = static_cast<std::size_t>(random() % i);
    std::swap(order[i - 1], order[j]);
  }
  return order;
}

TextModel Fit(const std::vector<Example>& examples, const std::vector<std::size_t>& use,
              const TrainingOptions& options) {
  TextModel model = TextModel::Empty(options.buckets);
  std::vector<float>& weights = model.weights();
  std::vector<float> squared(options.buckets, 0.0f);
  double bias_squared = 0;
  std::mt19937_64 random(options.seed);
  for (int epoch = 0; epoch < options.epochs; ++epoch) {
    for (const std::size_t k : Shuffled(use.size(), random)) {
      const Example& example = examples[use[k]];
      const double error =
          (Sigmoid(model.Logit(example.features)) - example.label) * example.weight;
      for (const TextFeature& feature : example.features) {
        float& w = weights[feature.index];
        const double gradient = error * feature.value + options.l2 * w;
        squared[feature.index] += static_cast<float>(gradient * gradient);
        w -= static_cast<float>(options.learning_rate * gradient /
                                (std::sqrt(squared[feature.index]) + 1e-8));
      }
      bias_squared += error * error;
      model.bias() -= options.learning_rate * error / (std::sqrt(bias_squared) + 1e-8);
    }
  }
  return model;
}

Flagging Count(std::span<const LabelledPost> posts, const std::vector<double>& contribution,
               double min_score) {
  Flagging counts;
  for (std::size_t i = 0; i < posts.size(); ++i) {
    const bool flagged = posts[i].lexicon_score + contribution[i] >= min_score;
    if (flagged && posts[i].recruitment) ++counts.true_positive;
    if (flagged && !posts[i].recruitment) ++counts.false_positive;
    if (!flagged && posts[i].recruitment) ++counts.false_negative;
  }
  return counts;
}

double F1(const Flagging& counts) {
  const double denominator =
      2.0 * counts.true_positive + counts.false_positive + counts.false_negative;
  return denominator == 0 ? 0 : 2.0 * counts.true_positive / denominator;
}

}  // namespace

double Flagging::Precision() const {
  return true_positive + false_positive == 0
             ? 1.0
             : static_cast<double>(true_positive) / (true_positive + false_positive);
}

double Flagging::Recall() const {
  return true_positive + false_negative == 0
             ? 1.0
             : static_cast<double>(true_positive) / (true_positive + false_negative);
}

core::Result<TextModel> TrainTextModel(std::span<const LabelledPost> posts,
                                       const TrainingOptions& options, TrainingReport& report) {
  report = {};
  report.posts = static_cast<int>(posts.size());
  for (const LabelledPost& post : posts) report.recruitment += post.recruitment ? 1 : 0;
  const int innocent = report.posts - report.recruitment;
  if (report.recruitment < options.folds || innocent < options.folds) {
    return core::Fail(core::Errc::invalid_argument,
                      fmt::format("training needs at least {} posts of each label; got {} "
                                  "recruitment and {} other",
                                  options.folds, report.recruitment, innocent));
  }

  std::vector<Example> examples(posts.size());
  {
    Normaliser normaliser;
    FeatureExtractor extractor(options.buckets);
    for (std::size_t i = 0; i < posts.size(); ++i) {
      examples[i].features =
          extractor.Extract(normaliser.Normalise(posts[i].text), posts[i].author);
      examples[i].label = posts[i].recruitment ? 1 : 0;
      examples[i].weight = posts[i].recruitment ? 0.5 * report.posts / report.recruitment
                                                : 0.5 * report.posts / innocent;
    }
  }

  // Out-of-fold log-odds: fold f is every post whose position in a fixed shuffle is f mod folds.
  std::mt19937_64 random(options.seed);
  const std::vector<std::size_t> order = Shuffled(posts.size(), random);
  std::vector<double> logit(posts.size(), 0);
  for (int fold = 0; fold < options.folds; ++fold) {
    std::vector<std::size_t> train;
    std::vector<std::size_t> test;
    for (std::size_t k = 0; k < order.size(); ++k) {
      (static_cast<int>(k % options.folds) == fold ? test : train).push_back(order[k]);
    }
    const TextModel model = Fit(examples, train, options);
    for (const std::size_t i : test) logit[i] = model.Logit(examples[i].features);
  }

  std::vector<double> contribution(posts.size(), 0);
  report.lexicon_alone = Count(posts, contribution, options.min_score);
  double best = -1;
  for (const double scale : {0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 4.0}) {
    for (const double cap : {1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 8.0}) {
      for (std::size_t i = 0; i < posts.size(); ++i) {
        contribution[i] = posts[i].lexicon_hit ? std::clamp(scale * logit[i], -cap, cap) : 0;
      }
      const Flagging counts = Count(posts, contribution, options.min_score);
      if (F1(counts) > best) {
        best = F1(counts);
        report.cross_validated = counts;
        report.scale = scale;
        report.cap = cap;
      }
    }
  }

  std::vector<std::size_t> all(posts.size());
  for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
  TextModel model = Fit(examples, all, options);
  for (float& weight : model.weights()) {
    if (std::abs(weight) < options.min_weight) weight = 0;
    report.weights += weight != 0 ? 1 : 0;
  }
  model.set_combination(report.scale, report.cap);
  model.set_trained_posts(report.posts);
  // What the file holds is what is used: round-trip the weights through their text form.
  auto reparsed = TextModel::Parse(model.Serialise(), "trained model");
  if (!reparsed) return reparsed.error();
  return std::move(*reparsed);
}

}  // namespace uitweg::outreach
