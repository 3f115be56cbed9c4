#pragma once
// The learned scorer: a logistic regression over the hashed features of text_features.hpp,
// trained by `uitweg outreach train` (text_model_training.hpp) on labelled posts. Its log-odds,
// scaled and capped, are added to the lexicon's score, so a post ranks by both and an analyst
// sees what each contributed:
//   contribution = clamp(scale × logit, -cap, +cap)
// Scale and cap are chosen by the training on cross-validated predictions, never on held-out
// posts.
//
// The model file is text, so that a change shows in a diff:
//   uitweg-text-model 1
//   buckets 1048576
//   bias -0.25
//   scale 1.5
//   cap 5
//   trained 1320 posts
//   weights 23456
//   <index> <weight>          one line each, index ascending, weight finite and non-zero
// Parse checks all of it (a hostile file is an error naming the line, never a crash or an
// allocation beyond buckets ≤ 2^24). Immutable after parsing; thread-safe.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "outreach/text_features.hpp"

namespace uitweg::outreach {

class TextModel {
 public:
  static constexpr std::uint32_t kMaxBuckets = 1u << 24;

  // Errors: invalid_argument "<source>:<line>: <what>".
  static core::Result<TextModel> Parse(std::string_view text, std::string_view source_name);
  // As Parse; not_found when the file cannot be read.
  static core::Result<TextModel> Load(const std::string& path);
  // A model with all weights zero, for training; `buckets` a power of two up to kMaxBuckets.
  static TextModel Empty(std::uint32_t buckets);

  std::string Serialise() const;

  std::uint32_t buckets() const { return static_cast<std::uint32_t>(weights_.size()); }
  double Logit(std::span<const TextFeature> features) const;
  // The same from FeatureExtractor::Sum, which is much cheaper than listing the features.
  double Logit(FeatureExtractor::WeightSum sum) const;
  double Contribution(double logit) const;
  // A short fingerprint of the weights and settings, for scan records.
  const std::string& version() const { return version_; }
  int trained_posts() const { return trained_posts_; }

  // For training.
  std::vector<float>& weights() { return weights_; }
  const std::vector<float>& weights() const { return weights_; }
  double& bias() { return bias_; }
  double scale() const { return scale_; }
  double cap() const { return cap_; }
  void set_combination(double scale, double cap) {
    scale_ = scale;
    cap_ = cap;
  }
  void set_trained_posts(int posts) { trained_posts_ = posts; }
  void UpdateVersion();

 private:
  std::vector<float> weights_;
  double bias_ = 0;
  double scale_ = 1;
  double cap_ = 4;
  int trained_posts_ = 0;
  std::string version_;
};

// Where the scan looks when no --model is given: "model/nl-recruitment.model" relative to the
// current directory, then relative to the directory above the running binary's directory.
std::string DefaultModelPath(std::string_view argv0);

}  // namespace uitweg::outreach
