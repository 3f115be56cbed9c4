#pragma once
// Trains the learned scorer (text_model.hpp) on labelled posts: logistic regression with
// AdaGrad and a little L2, classes weighted to balance, in a fixed order from a fixed seed, so
// the same posts give the same model. Then chooses how the model's log-odds join the lexicon's
// score (scale and cap): k-fold cross-validation gives every post a prediction from a model that
// never saw it, and the pair that flags best (F1 at the lexicon's min_score, the model counting
// only for posts with a lexicon hit, as in a scan) wins. The final model is trained on all posts.

#include <cstdint>
#include <span>
#include <string>

#include "core/error.hpp"
#include "outreach/text_model.hpp"

namespace uitweg::outreach {

struct LabelledPost {
  std::string text = {};
  std::string author = {};
  bool recruitment = false;
  double lexicon_score = 0;  // what the lexicon alone gives the post
  bool lexicon_hit = false;  // some term or signal matched: the scan asks the model
};

struct TrainingOptions {
  std::uint32_t buckets = 1u << 20;
  int epochs = 15;
  double learning_rate = 0.5;
  double l2 = 1e-6;
  int folds = 5;
  std::uint64_t seed = 20261202;
  double min_score = 4;
  double min_weight = 1e-3;  // smaller weights are left out of the file
};

struct Flagging {
  int true_positive = 0;
  int false_positive = 0;
  int false_negative = 0;
  double Precision() const;
  double Recall() const;
};

struct TrainingReport {
  int posts = 0;
  int recruitment = 0;
  Flagging lexicon_alone;    // at min_score
  Flagging cross_validated;  // lexicon and model, out of fold, at the chosen scale and cap
  double scale = 0;
  double cap = 0;
  std::size_t weights = 0;  // non-zero weights kept
};

// invalid_argument when there are fewer than `folds` posts of either label.
core::Result<TextModel> TrainTextModel(std::span<const LabelledPost> posts,
                                       const TrainingOptions& options, TrainingReport& report);

}  // namespace uitweg::outreach
