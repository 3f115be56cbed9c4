// Fuzzes the model loader: TextModel::Parse either names the line of what is wrong, or gives a
// model whose weights are all finite and whose file form parses back to the same model; an
// accepted model then scores a short post with a finite, capped contribution.
#include <cmath>
#include <string_view>

#include "fuzz_support.hpp"
#include "outreach/normaliser.hpp"
#include "outreach/text_features.hpp"
#include "outreach/text_model.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace uitweg;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  core::Result<outreach::TextModel> model = outreach::TextModel::Parse(text, "fuzz.model");
  if (!model) {
    if (model.error().message.rfind("fuzz.model:", 0) != 0) __builtin_trap();
    return 0;
  }
  for (const float weight : model->weights()) {
    if (!std::isfinite(weight)) __builtin_trap();
  }
  core::Result<outreach::TextModel> again = outreach::TextModel::Parse(model->Serialise(), "again");
  if (!again || again->version() != model->version()) __builtin_trap();
  outreach::FeatureExtractor extractor(model->buckets());
  const double contribution = model->Contribution(model->Logit(extractor.Extract(
      outreach::Normalise("Wie wil z'n bankapp uitlenen? 500 p/w \xF0\x9F\x92\xB6"),
      "Snelle Jobs")));
  if (!std::isfinite(contribution) || std::abs(contribution) > model->cap()) __builtin_trap();
  fuzz::Keep(static_cast<std::size_t>(contribution + 10));
  return 0;
}
