// The shipped lexicon and model against the labelled posts in tests/outreach_data/:
//   - training posts (labelled.jsonl, train-*.jsonl): the lexicon was tuned and the model
//     trained on them, so their figures only show that nothing is badly broken; misses are
//     printed to help the next tuning;
//   - held-out posts (heldout-*.jsonl, "set": "heldout"): written apart from the lexicon and
//     frozen before any tuning of this round; never tuned or trained on (`uitweg outreach
//     train` skips them). Their figures, per group of evasion, are the honest ones. Their texts
//     are never printed, so that reading a test log cannot tune on them either.
// The files' fingerprints are checked, so that an edit of the held-out set shows as a failure.

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "outreach/analyzer.hpp"
#include "outreach/lexicon.hpp"
#include "outreach/text_model.hpp"

namespace uitweg::outreach {
namespace {

struct Labelled {
  std::string text;
  std::string author;
  std::string group;
  bool recruitment = false;
};

std::string ReadFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

std::uint64_t Fingerprint64(std::string_view bytes) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (const char c : bytes) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

std::vector<Labelled> LoadLabelled(const std::string& text) {
  std::vector<Labelled> posts;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty()) continue;
    const boost::json::object object = boost::json::parse(line).as_object();
    Labelled post;
    post.text = std::string(object.at("text").as_string());
    post.recruitment = object.at("label").as_int64() == 1;
    if (const auto* author = object.if_contains("author")) {
      post.author = std::string(author->as_string());
    }
    if (const auto* group = object.if_contains("group")) {
      post.group = std::string(group->as_string());
    }
    posts.push_back(std::move(post));
  }
  return posts;
}

struct Counts {
  int true_positive = 0;
  int false_positive = 0;
  int false_negative = 0;
  int true_negative = 0;
  double Precision() const {
    return true_positive + false_positive == 0
               ? 1.0
               : static_cast<double>(true_positive) / (true_positive + false_positive);
  }
  double Recall() const {
    return true_positive + false_negative == 0
               ? 1.0
               : static_cast<double>(true_positive) / (true_positive + false_negative);
  }
  void Add(bool flagged, bool recruitment) {
    if (flagged && recruitment) ++true_positive;
    if (flagged && !recruitment) ++false_positive;
    if (!flagged && recruitment) ++false_negative;
    if (!flagged && !recruitment) ++true_negative;
  }
  void Print(const std::string& name) const {
    std::printf("  %-14s posts %3d  tp %3d fp %3d fn %3d tn %3d  precision %.3f recall %.3f\n",
                name.c_str(), true_positive + false_positive + false_negative + true_negative,
                true_positive, false_positive, false_negative, true_negative, Precision(),
                Recall());
  }
};

struct Evaluation {
  Counts all;
  std::map<std::string, Counts> by_group;
  double top_k_precision = 0;  // k = the number of recruitment posts
};

Evaluation Evaluate(const Analyzer& analyzer, const std::vector<Labelled>& posts,
                    bool print_misses) {
  auto worker = analyzer.NewWorker();
  Evaluation evaluation;
  std::vector<std::pair<double, bool>> ranked;
  for (const Labelled& labelled : posts) {
    Post post;
    post.text = labelled.text;
    post.author = labelled.author;
    const Finding finding = analyzer.Analyze(post, *worker);
    const bool flagged = finding.score >= analyzer.min_score();
    evaluation.all.Add(flagged, labelled.recruitment);
    evaluation.by_group[labelled.group.empty() ? "-" : labelled.group].Add(flagged,
                                                                           labelled.recruitment);
    ranked.emplace_back(finding.score, labelled.recruitment);
    if (print_misses && flagged != labelled.recruitment) {
      std::printf("%s (%.1f = %.1f + model %.1f): %s\n",
                  labelled.recruitment ? "missed" : "false alarm", finding.score,
                  finding.lexicon_score, finding.model_score, labelled.text.c_str());
    }
  }
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  const int k = evaluation.all.true_positive + evaluation.all.false_negative;
  int hits = 0;
  for (int i = 0; i < k; ++i) hits += ranked[static_cast<std::size_t>(i)].second ? 1 : 0;
  evaluation.top_k_precision = k == 0 ? 1.0 : static_cast<double>(hits) / k;
  return evaluation;
}

void Print(const char* title, const Evaluation& evaluation) {
  std::printf("%s: precision in the top k %.3f\n", title, evaluation.top_k_precision);
  evaluation.all.Print("all");
  for (const auto& [group, counts] : evaluation.by_group) counts.Print(group);
}

class LabelledSetTest : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto lexicon = Lexicon::Load(UITWEG_SOURCE_DIR "/lexicon/nl-recruitment.toml");
    ASSERT_TRUE(lexicon) << lexicon.error().message;
    lexicon_ = new Lexicon(std::move(*lexicon));
    auto model = TextModel::Load(UITWEG_SOURCE_DIR "/model/nl-recruitment.model");
    ASSERT_TRUE(model) << model.error().message;
    model_ = new std::shared_ptr<const TextModel>(std::make_shared<TextModel>(std::move(*model)));
    training_ = new std::vector<Labelled>();
    for (const char* file : {"labelled.jsonl", "train-2.jsonl"}) {
      for (Labelled& post :
           LoadLabelled(ReadFile(std::string(UITWEG_SOURCE_DIR "/tests/outreach_data/") + file))) {
        training_->push_back(std::move(post));
      }
    }
    held_out_ = new std::vector<Labelled>();
    for (const char* file : {"heldout-a.jsonl", "heldout-b.jsonl"}) {
      const std::string text =
          ReadFile(std::string(UITWEG_SOURCE_DIR "/tests/outreach_data/") + file);
      fingerprints_[file] = Fingerprint64(text);
      for (Labelled& post : LoadLabelled(text)) held_out_->push_back(std::move(post));
    }
  }
  static void TearDownTestSuite() {
    delete lexicon_;
    delete model_;
    delete training_;
    delete held_out_;
  }

  static Lexicon* lexicon_;
  static std::shared_ptr<const TextModel>* model_;
  static std::vector<Labelled>* training_;
  static std::vector<Labelled>* held_out_;
  static std::map<std::string, std::uint64_t> fingerprints_;
};

Lexicon* LabelledSetTest::lexicon_ = nullptr;
std::shared_ptr<const TextModel>* LabelledSetTest::model_ = nullptr;
std::vector<Labelled>* LabelledSetTest::training_ = nullptr;
std::vector<Labelled>* LabelledSetTest::held_out_ = nullptr;
std::map<std::string, std::uint64_t> LabelledSetTest::fingerprints_;

TEST_F(LabelledSetTest, HeldOutSetIsFrozen) {
  EXPECT_EQ(fingerprints_["heldout-a.jsonl"], 0x1c040c22eeb77b0dULL);
  EXPECT_EQ(fingerprints_["heldout-b.jsonl"], 0x43350416320cb491ULL);
  EXPECT_EQ(held_out_->size(), 440u);
}

TEST_F(LabelledSetTest, SetIsLargeEnough) {
  EXPECT_GE(training_->size() + held_out_->size(), 1000u);
  int recruitment = 0;
  for (const Labelled& post : *held_out_) recruitment += post.recruitment ? 1 : 0;
  EXPECT_EQ(recruitment, 220);
}

TEST_F(LabelledSetTest, StarterLexiconIsLargeAndComplete) {
  EXPECT_GT(lexicon_->term_count(), 100u);
  EXPECT_FALSE(lexicon_->signals().empty());
  EXPECT_FALSE(lexicon_->rules().empty());
}

TEST_F(LabelledSetTest, HeldOutRecallAndPrecision) {
  auto lexicon_alone = Analyzer::Create(*lexicon_);
  ASSERT_TRUE(lexicon_alone) << lexicon_alone.error().message;
  auto with_model = Analyzer::Create(*lexicon_, *model_);
  ASSERT_TRUE(with_model) << with_model.error().message;
  std::printf("threshold %.1f, model %s\n", lexicon_->min_score(), (*model_)->version().c_str());
  Print("training posts (seen), lexicon and model", Evaluate(**with_model, *training_, true));
  const Evaluation before = Evaluate(**lexicon_alone, *held_out_, false);
  const Evaluation after = Evaluate(**with_model, *held_out_, false);
  Print("held-out posts, lexicon alone", before);
  Print("held-out posts, lexicon and model", after);
  // Floors a little under the figures measured when the cues were added (recall 0.882,
  // precision 0.970, top k 0.918), so that a change that loses what was gained fails.
  EXPECT_GT(after.all.Recall(), before.all.Recall());
  EXPECT_GE(after.all.Recall(), 0.85);
  EXPECT_GE(after.all.Precision(), 0.94);
  EXPECT_GE(after.top_k_precision, 0.88);
}

// The scan analyses posts in batches: the labelled set in one batch gets the same findings.
TEST_F(LabelledSetTest, BatchFindsWhatOnePostAtATimeFinds) {
  auto analyzer = Analyzer::Create(*lexicon_, *model_);
  ASSERT_TRUE(analyzer) << analyzer.error().message;
  auto worker = (*analyzer)->NewWorker();
  std::vector<Post> posts(training_->size());
  for (std::size_t i = 0; i < posts.size(); ++i) {
    posts[i].text = (*training_)[i].text;
    posts[i].author = (*training_)[i].author;
  }
  std::vector<PostFinding> found;
  (*analyzer)->AnalyzeBatch(posts, *worker, lexicon_->min_score(), found);
  std::size_t next = 0;
  for (std::size_t i = 0; i < posts.size(); ++i) {
    const Finding one = (*analyzer)->Analyze(posts[i], *worker, lexicon_->min_score());
    if (one.score < lexicon_->min_score() || one.score == 0) continue;
    ASSERT_LT(next, found.size()) << posts[i].text;
    EXPECT_EQ(found[next].post, i) << posts[i].text;
    EXPECT_DOUBLE_EQ(found[next].finding.score, one.score) << posts[i].text;
    EXPECT_DOUBLE_EQ(found[next].finding.model_score, one.model_score) << posts[i].text;
    ASSERT_EQ(found[next].finding.matches.size(), one.matches.size()) << posts[i].text;
    for (std::size_t m = 0; m < one.matches.size(); ++m) {
      EXPECT_EQ(found[next].finding.matches[m].matched_text, one.matches[m].matched_text);
    }
    ++next;
  }
  EXPECT_EQ(next, found.size());
  EXPECT_GT(next, 50u);
}

}  // namespace
}  // namespace uitweg::outreach
