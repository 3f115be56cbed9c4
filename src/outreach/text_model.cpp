#include "outreach/text_model.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>

#include "outreach/lexicon.hpp"

namespace uitweg::outreach {
namespace {

constexpr std::string_view kMagic = "uitweg-text-model 1";

// Reads the model file line by line, naming the line in every error.
class LineReader {
 public:
  LineReader(std::string_view text, std::string_view source) : text_(text), source_(source) {}

  bool Next() {
    if (at_ >= text_.size()) return false;
    const std::size_t end = std::min(text_.find('\n', at_), text_.size());
    line_ = text_.substr(at_, end - at_);
    if (line_.ends_with('\r')) line_.remove_suffix(1);
    at_ = end + 1;
    ++number_;
    return true;
  }
  std::string_view line() const { return line_; }
  core::Error Fail(std::string_view what) const {
    return core::Error{core::Errc::invalid_argument,
                       fmt::format("{}:{}: {}", source_, std::max(number_, 1), what)};
  }
  // "<key> <value>" with the expected key.
  core::Result<std::string_view> Field(std::string_view key) {
    if (!Next()) return Fail(fmt::format("the file ends before '{}'", key));
    if (!line_.starts_with(key) || line_.size() <= key.size() || line_[key.size()] != ' ') {
      return Fail(fmt::format("expected '{} ...'", key));
    }
    return line_.substr(key.size() + 1);
  }

 private:
  std::string_view text_;
  std::string_view source_;
  std::string_view line_;
  std::size_t at_ = 0;
  int number_ = 0;
};

template <typename T>
bool ParseNumber(std::string_view text, T& out) {
  const char* end = text.data() + text.size();
  const auto [ptr, error] = std::from_chars(text.data(), end, out);
  return error == std::errc() && ptr == end;
}

bool Finite(double value, double limit) {
  return std::isfinite(value) && std::abs(value) <= limit;
}

}  // namespace

TextModel TextModel::Empty(std::uint32_t buckets) {
  TextModel model;
  model.weights_.assign(buckets, 0.0f);
  model.UpdateVersion();
  return model;
}

core::Result<TextModel> TextModel::Parse(std::string_view text, std::string_view source_name) {
  LineReader reader(text, source_name);
  if (!reader.Next() || reader.line() != kMagic) {
    return reader.Fail(fmt::format("not a text model (expected '{}')", kMagic));
  }
  TextModel model;
  std::uint32_t buckets = 0;
  auto field = reader.Field("buckets");
  if (!field) return field.error();
  if (!ParseNumber(*field, buckets) || buckets == 0 || buckets > kMaxBuckets ||
      !std::has_single_bit(buckets)) {
    return reader.Fail(fmt::format("buckets must be a power of two up to {}", kMaxBuckets));
  }
  const std::pair<std::string_view, double*> settings[] = {
      {"bias", &model.bias_}, {"scale", &model.scale_}, {"cap", &model.cap_}};
  for (const auto& [key, value] : settings) {
    field = reader.Field(key);
    if (!field) return field.error();
    if (!ParseNumber(*field, *value) || !Finite(*value, 1e6)) {
      return reader.Fail(fmt::format("{} must be a finite number", key));
    }
  }
  if (model.scale_ < 0 || model.cap_ < 0) return reader.Fail("scale and cap must not be negative");
  field = reader.Field("trained");
  if (!field) return field.error();
  const std::size_t space = field->find(' ');
  if (space == std::string_view::npos || field->substr(space) != " posts" ||
      !ParseNumber(field->substr(0, space), model.trained_posts_) || model.trained_posts_ < 0) {
    return reader.Fail("expected 'trained <n> posts'");
  }
  std::uint32_t count = 0;
  field = reader.Field("weights");
  if (!field) return field.error();
  if (!ParseNumber(*field, count) || count > buckets) {
    return reader.Fail("weights must be a count no larger than buckets");
  }
  model.weights_.assign(buckets, 0.0f);
  std::int64_t previous = -1;
  for (std::uint32_t k = 0; k < count; ++k) {
    if (!reader.Next()) return reader.Fail(fmt::format("the file ends after {} weights", k));
    const std::string_view line = reader.line();
    const std::size_t gap = line.find(' ');
    std::uint32_t index = 0;
    double weight = 0;
    if (gap == std::string_view::npos || !ParseNumber(line.substr(0, gap), index) ||
        !ParseNumber(line.substr(gap + 1), weight)) {
      return reader.Fail("expected '<index> <weight>'");
    }
    if (index >= buckets || static_cast<std::int64_t>(index) <= previous) {
      return reader.Fail("indexes must ascend and stay below buckets");
    }
    if (!Finite(weight, 1e6) || weight == 0) {
      return reader.Fail("a weight must be finite and not zero");
    }
    model.weights_[index] = static_cast<float>(weight);
    previous = index;
  }
  while (reader.Next()) {
    if (!reader.line().empty()) return reader.Fail("unexpected text after the weights");
  }
  model.UpdateVersion();
  return model;
}

core::Result<TextModel> TextModel::Load(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return core::Fail(core::Errc::not_found, fmt::format("cannot read {}", path));
  std::ostringstream text;
  text << file.rdbuf();
  return Parse(text.str(), path);
}

std::string TextModel::Serialise() const {
  // "{}" writes the shortest text that reads back as the same number.
  std::string out = fmt::format(
      "{}\nbuckets {}\nbias {}\nscale {}\ncap {}\n"
      "trained {} posts\n",
      kMagic, weights_.size(), bias_, scale_, cap_, trained_posts_);
  std::size_t count = 0;
  for (const float weight : weights_) count += weight != 0 ? 1 : 0;
  out += fmt::format("weights {}\n", count);
  for (std::size_t index = 0; index < weights_.size(); ++index) {
    if (weights_[index] != 0) out += fmt::format("{} {}\n", index, weights_[index]);
  }
  return out;
}

void TextModel::UpdateVersion() {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  const auto add = [&hash](std::uint64_t value) {
    hash ^= value;
    hash *= 0x100000001b3ULL;
  };
  for (std::size_t index = 0; index < weights_.size(); ++index) {
    if (weights_[index] != 0) {
      add(index);
      add(std::bit_cast<std::uint32_t>(weights_[index]));
    }
  }
  add(std::bit_cast<std::uint64_t>(bias_));
  add(std::bit_cast<std::uint64_t>(scale_));
  add(std::bit_cast<std::uint64_t>(cap_));
  version_ = fmt::format("{:012x}", hash >> 16);
}

double TextModel::Logit(std::span<const TextFeature> features) const {
  double sum = bias_;
  for (const TextFeature& feature : features) sum += weights_[feature.index] * feature.value;
  return sum;
}

double TextModel::Logit(FeatureExtractor::WeightSum sum) const {
  if (sum.count == 0) return bias_;
  return bias_ + sum.sum / std::sqrt(static_cast<double>(sum.count));
}

double TextModel::Contribution(double logit) const {
  return std::clamp(scale_ * logit, -cap_, cap_);
}

std::string DefaultModelPath(std::string_view argv0) {
  return DefaultDataPath("model/nl-recruitment.model", argv0);
}

}  // namespace uitweg::outreach
