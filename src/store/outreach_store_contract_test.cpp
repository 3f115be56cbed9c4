// The OutreachStore contract: every backend in ContractBackends() passes every case here.
#include <algorithm>
#include <cmath>
#include <limits>

#include "core/fnv.hpp"
#include "store/contract_fixture.hpp"
#include "store/outreach_rows.hpp"

namespace uitweg::store {
namespace {

class OutreachStoreContractTest : public StoreContractTest {
 protected:
  Scan NewRunningScan(UnixMillis created_at = kT0) {
    Scan scan = outreach()
                    .CreateScan(NewScan{.created_by = 3,
                                        .created_at = created_at,
                                        .source_name = "result.json",
                                        .bytes_total = 1000,
                                        .lexicon_version = "lexicon-4",
                                        .model_version = "model-1"})
                    .value();
    EXPECT_TRUE(outreach().UpdateScanProgress(scan.id, 0, 1000, 0));
    return scan;
  }

  void End(std::int64_t scan_id, ScanStatus status = ScanStatus::done) {
    ASSERT_TRUE(outreach().FinishScan(
        scan_id, ScanEnd{.status = status, .posts = 10, .flagged = 3, .finished_at = kT0 + 50}));
  }

  std::vector<Finding> All(std::int64_t scan_id, FindingQuery query = {}) {
    query.limit = OutreachStore::kMaxPage;
    return outreach().ListFindings(scan_id, query).value().findings;
  }
};

// The same text is the same post (a message id of its own), in every scan.
Finding Flagged(const std::string& text, double score, std::vector<std::string> terms = {"pinpas"},
                std::int64_t cluster = 1) {
  return Finding{.source = "result.json",
                 .channel = "Snel Geld NL",
                 .author = "dn_moneyy",
                 .message_id = static_cast<std::int64_t>(core::Fnv1a64(text) % 1'000'000'000) + 1,
                 .date_unix = 1'767'225'600,
                 .text = text,
                 .score = score,
                 .lexicon_score = score,
                 .model_score = 0.5,
                 .categories = {"money_mule", "quick_money"},
                 .matches = R"([{"term":"pinpas","category":"money_mule","begin":0,"end":6,)"
                            R"("text":"p1npas"},{"term":"snel geld","category":"quick_money",)"
                            R"("begin":8,"end":18,"text":"Snel  geld"},"stray"])",
                 .terms = std::move(terms),
                 .cluster = cluster,
                 .cluster_channels = 2};
}

std::string WithoutSpaces(std::string text) {
  text.erase(std::remove(text.begin(), text.end(), ' '), text.end());
  return text;
}

TEST_P(OutreachStoreContractTest, AScanRunsFromQueuedToItsEndOnce) {
  auto created = outreach().CreateScan(NewScan{.created_by = 3,
                                               .created_at = kT0,
                                               .source_name = "uploads/result.json",
                                               .bytes_total = 0,
                                               .lexicon_version = "lexicon-4",
                                               .model_version = ""});
  ASSERT_TRUE(created) << created.error().message;
  EXPECT_GT(created->id, 0);
  EXPECT_EQ(created->status, ScanStatus::queued);

  ASSERT_TRUE(outreach().UpdateScanProgress(created->id, 400, 2000, 120));
  Scan running = outreach().FindScan(created->id).value().value();
  EXPECT_EQ(running.status, ScanStatus::running);
  EXPECT_EQ(running.bytes_done, 400);
  EXPECT_EQ(running.bytes_total, 2000);
  EXPECT_EQ(running.posts, 120);
  EXPECT_EQ(running.source_name, "uploads/result.json");
  EXPECT_EQ(running.lexicon_version, "lexicon-4");
  EXPECT_FALSE(running.finished_at.has_value());

  ASSERT_TRUE(outreach().FinishScan(created->id, ScanEnd{.status = ScanStatus::done,
                                                         .posts = 700,
                                                         .flagged = 12,
                                                         .clusters = 5,
                                                         .finished_at = kT0 + 90}));
  Scan done = outreach().FindScan(created->id).value().value();
  EXPECT_EQ(done.status, ScanStatus::done);
  EXPECT_EQ(done.posts, 700);
  EXPECT_EQ(done.flagged, 12);
  EXPECT_EQ(done.clusters, 5);
  EXPECT_EQ(done.finished_at, kT0 + 90);
  EXPECT_EQ(done.error, "");

  auto again = outreach().FinishScan(
      created->id, ScanEnd{.status = ScanStatus::cancelled, .finished_at = kT0 + 95});
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, core::Errc::failed_precondition);
  EXPECT_EQ(outreach().UpdateScanProgress(created->id, 1, 1, 1).error().code,
            core::Errc::failed_precondition);
  EXPECT_EQ(outreach().FindScan(created->id).value()->status, ScanStatus::done);
  EXPECT_EQ(outreach().UpdateScanProgress(9999, 1, 1, 1).error().code, core::Errc::not_found);
  EXPECT_EQ(outreach().FinishScan(9999, ScanEnd{}).error().code, core::Errc::not_found);
  EXPECT_FALSE(outreach().FindScan(9999).value().has_value());
}

TEST_P(OutreachStoreContractTest, AScanEndsOnlyAsDoneFailedOrCancelled) {
  const Scan scan = NewRunningScan();
  auto still_running = outreach().FinishScan(scan.id, ScanEnd{.status = ScanStatus::running});
  ASSERT_FALSE(still_running);
  EXPECT_EQ(still_running.error().code, core::Errc::invalid_argument);
  ASSERT_TRUE(outreach().FinishScan(
      scan.id,
      ScanEnd{.status = ScanStatus::failed, .error = "not a Telegram export", .finished_at = 5}));
  EXPECT_EQ(outreach().FindScan(scan.id).value()->error, "not a Telegram export");
  EXPECT_EQ(outreach().CreateScan(NewScan{.source_name = ""}).error().code,
            core::Errc::invalid_argument);
}

TEST_P(OutreachStoreContractTest, ListsScansNewestFirst) {
  const Scan first = NewRunningScan(kT0);
  const Scan second = NewRunningScan(kT0 + 10);
  const Scan third = NewRunningScan(kT0 + 20);
  auto listed = outreach().ListScans(2).value();
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].id, third.id);
  EXPECT_EQ(listed[1].id, second.id);
  EXPECT_EQ(outreach().ListScans(10).value().back().id, first.id);
  EXPECT_EQ(outreach().ListScans(0).error().code, core::Errc::invalid_argument);
}

TEST_P(OutreachStoreContractTest, ScansARestartCutShortAreMarkedFailed) {
  const Scan queued =
      outreach().CreateScan(NewScan{.created_at = kT0, .source_name = "a.json"}).value();
  const Scan running = NewRunningScan();
  const Scan done = NewRunningScan();
  End(done.id);

  EXPECT_EQ(outreach().MarkInterruptedScans(kT0 + 1000).value(), 2);
  for (std::int64_t id : {queued.id, running.id}) {
    Scan interrupted = outreach().FindScan(id).value().value();
    EXPECT_EQ(interrupted.status, ScanStatus::failed);
    EXPECT_EQ(interrupted.error, "interrupted by a restart");
    EXPECT_EQ(interrupted.finished_at, kT0 + 1000);
  }
  EXPECT_EQ(outreach().FindScan(done.id).value()->status, ScanStatus::done);
  EXPECT_EQ(outreach().MarkInterruptedScans(kT0 + 2000).value(), 0);
  const std::vector<Finding> late{Flagged("te laat", 1)};
  EXPECT_EQ(outreach().AddFindings(running.id, late).error().code, core::Errc::failed_precondition);
}

TEST_P(OutreachStoreContractTest, FindingsReadBackAsAddedHighestScoreFirst) {
  const Scan scan = NewRunningScan();
  const std::vector<Finding> batch{
      Flagged("pinpas uitlenen", 0.1234567, {"snel geld", "pinpas", "pinpas"}),
      Flagged("snel geld verdienen", 7.25), Flagged("dm voor info", 3)};
  ASSERT_TRUE(outreach().AddFindings(scan.id, batch));

  auto page = outreach().ListFindings(scan.id, FindingQuery{}).value();
  EXPECT_EQ(page.total, 3);
  ASSERT_EQ(page.findings.size(), 3u);
  EXPECT_EQ(page.findings[0].text, "snel geld verdienen");
  EXPECT_EQ(page.findings[1].text, "dm voor info");
  const Finding& read = page.findings[2];
  EXPECT_GT(read.id, 0);
  EXPECT_EQ(read.scan_id, scan.id);
  EXPECT_EQ(read.source, "result.json");
  EXPECT_EQ(read.channel, "Snel Geld NL");
  EXPECT_EQ(read.author, "dn_moneyy");
  EXPECT_EQ(read.message_id, batch[0].message_id);
  EXPECT_EQ(read.date_unix, 1'767'225'600);
  EXPECT_DOUBLE_EQ(read.score, 0.123457) << "kept to six decimals";
  EXPECT_DOUBLE_EQ(read.lexicon_score, 0.123457);
  EXPECT_DOUBLE_EQ(read.model_score, 0.5);
  EXPECT_EQ(read.categories, (std::vector<std::string>{"money_mule", "quick_money"}));
  EXPECT_EQ(read.terms, (std::vector<std::string>{"pinpas", "snel geld"}));
  EXPECT_EQ(read.matches, batch[0].matches);
  EXPECT_EQ(read.cluster, 1);
  EXPECT_EQ(read.cluster_channels, 2);
  EXPECT_FALSE(read.purged);
  EXPECT_FALSE(read.verdict.has_value());

  auto second_page =
      outreach()
          .ListFindings(scan.id, FindingQuery{.after = page.findings[0].id, .limit = 1})
          .value();
  EXPECT_EQ(second_page.total, 3);
  ASSERT_EQ(second_page.findings.size(), 1u);
  EXPECT_EQ(second_page.findings[0].text, "dm voor info");
  EXPECT_TRUE(
      outreach().ListFindings(scan.id, FindingQuery{.after = read.id}).value().findings.empty());
  const Scan other = NewRunningScan();
  EXPECT_EQ(outreach().ListFindings(other.id, FindingQuery{.after = read.id}).error().code,
            core::Errc::invalid_argument)
      << "a position in another scan";
  auto high = outreach().ListFindings(scan.id, FindingQuery{.min_score = 3}).value();
  EXPECT_EQ(high.total, 2);
  EXPECT_EQ(outreach().ListFindings(scan.id, FindingQuery{.limit = 0}).error().code,
            core::Errc::invalid_argument);
  EXPECT_EQ(outreach().ListFindings(9999, FindingQuery{}).error().code, core::Errc::not_found);
}

// An analyst pages through the unjudged findings while a colleague judges some of them: the next
// page starts after the last finding shown, so none is skipped.
TEST_P(OutreachStoreContractTest, VerdictsGivenMeanwhileSkipNoFindingOfTheNextPage) {
  const Scan scan = NewRunningScan();
  const std::vector<Finding> batch{Flagged("een", 4), Flagged("twee", 3), Flagged("drie", 2),
                                   Flagged("vier", 1)};
  ASSERT_TRUE(outreach().AddFindings(scan.id, batch));
  const auto first_page =
      outreach()
          .ListFindings(scan.id, FindingQuery{.verdict = VerdictFilter::none, .limit = 2})
          .value();
  ASSERT_EQ(first_page.findings.size(), 2u);
  for (const Finding& shown : first_page.findings) {
    ASSERT_TRUE(outreach().SetVerdict(
        shown.id, GivenVerdict{.verdict = Verdict::unsure, .account_id = 6, .at = 10}));
  }
  const auto next = outreach()
                        .ListFindings(scan.id, FindingQuery{.verdict = VerdictFilter::none,
                                                            .after = first_page.findings[1].id,
                                                            .limit = 2})
                        .value();
  EXPECT_EQ(next.total, 2);
  ASSERT_EQ(next.findings.size(), 2u);
  EXPECT_EQ(next.findings[0].text, "drie");
  EXPECT_EQ(next.findings[1].text, "vier");
}

TEST_P(OutreachStoreContractTest, ABatchWithOneBadFindingAddsNothing) {
  const Scan scan = NewRunningScan();
  Finding not_json = Flagged("b", 1);
  not_json.matches = "{\"term\":";
  Finding not_an_array = Flagged("c", 1);
  not_an_array.matches = R"({"term":"pinpas"})";
  Finding not_utf8 = Flagged("bad \xC3\x28 bytes", 1);
  Finding term_with_line_break = Flagged("d", 1, {"two\nlines"});
  Finding not_a_number = Flagged("e", std::nan(""));
  for (const Finding& bad :
       {not_json, not_an_array, not_utf8, term_with_line_break, not_a_number}) {
    const std::vector<Finding> batch{Flagged("a", 1), bad};
    auto added = outreach().AddFindings(scan.id, batch);
    ASSERT_FALSE(added) << bad.text;
    EXPECT_EQ(added.error().code, core::Errc::invalid_argument) << bad.text;
  }
  EXPECT_EQ(outreach().ListFindings(scan.id, FindingQuery{}).value().total, 0);
  const std::vector<Finding> good{Flagged("a", 1)};
  EXPECT_EQ(outreach().AddFindings(9999, good).error().code, core::Errc::not_found);
}

TEST_P(OutreachStoreContractTest, FindingsAreFilteredByTheirLatestVerdict) {
  const Scan scan = NewRunningScan();
  const std::vector<Finding> batch{Flagged("een", 4), Flagged("twee", 3), Flagged("drie", 2),
                                   Flagged("vier", 1)};
  ASSERT_TRUE(outreach().AddFindings(scan.id, batch));
  const std::vector<Finding> added = All(scan.id);
  ASSERT_EQ(added.size(), 4u);
  ASSERT_TRUE(outreach().SetVerdict(
      added[0].id, GivenVerdict{.verdict = Verdict::not_recruitment, .account_id = 5, .at = 10}));
  ASSERT_TRUE(outreach().SetVerdict(
      added[0].id, GivenVerdict{.verdict = Verdict::recruitment, .account_id = 6, .at = 20}));
  ASSERT_TRUE(outreach().SetVerdict(
      added[1].id, GivenVerdict{.verdict = Verdict::not_recruitment, .account_id = 5, .at = 30}));
  ASSERT_TRUE(outreach().SetVerdict(
      added[2].id, GivenVerdict{.verdict = Verdict::unsure, .account_id = 5, .at = 40}));

  const Finding first = All(scan.id)[0];
  ASSERT_TRUE(first.verdict.has_value());
  EXPECT_EQ(first.verdict->verdict, Verdict::recruitment) << "the latest verdict counts";
  EXPECT_EQ(first.verdict->account_id, 6);
  EXPECT_EQ(first.verdict->at, 20);

  auto texts = [&](VerdictFilter filter) {
    std::vector<std::string> out;
    for (const Finding& finding : All(scan.id, FindingQuery{.verdict = filter})) {
      out.push_back(finding.text);
    }
    return out;
  };
  EXPECT_EQ(texts(VerdictFilter::none), (std::vector<std::string>{"vier"}));
  EXPECT_EQ(texts(VerdictFilter::any), (std::vector<std::string>{"een", "twee", "drie"}));
  EXPECT_EQ(texts(VerdictFilter::recruitment), (std::vector<std::string>{"een"}));
  EXPECT_EQ(texts(VerdictFilter::not_recruitment), (std::vector<std::string>{"twee"}));
  EXPECT_EQ(texts(VerdictFilter::unsure), (std::vector<std::string>{"drie"}));
  EXPECT_EQ(outreach()
                .ListFindings(scan.id, FindingQuery{.verdict = VerdictFilter::any, .limit = 1})
                .value()
                .total,
            3);

  auto unknown = outreach().SetVerdict(99999, GivenVerdict{.verdict = Verdict::unsure});
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, core::Errc::not_found);
}

TEST_P(OutreachStoreContractTest, ANearDuplicateGroupIsListedTogether) {
  const Scan scan = NewRunningScan();
  const Scan other = NewRunningScan();
  const std::vector<Finding> batch{Flagged("a", 1, {"pinpas"}, 1), Flagged("b", 5, {"pinpas"}, 2),
                                   Flagged("c", 9, {"pinpas"}, 2)};
  ASSERT_TRUE(outreach().AddFindings(scan.id, batch));
  ASSERT_TRUE(outreach().AddFindings(other.id, batch));
  auto group = outreach().FindingsOfCluster(scan.id, 2).value();
  ASSERT_EQ(group.size(), 2u);
  EXPECT_EQ(group[0].text, "c");
  EXPECT_EQ(group[1].text, "b");
  EXPECT_EQ(group[0].scan_id, scan.id);
  EXPECT_TRUE(outreach().FindingsOfCluster(scan.id, 7).value().empty());
  EXPECT_EQ(outreach().FindingsOfCluster(9999, 1).error().code, core::Errc::not_found);
}

TEST_P(OutreachStoreContractTest, AFindingIsFoundByItsIdWithItsVerdict) {
  const Scan scan = NewRunningScan();
  const std::vector<Finding> batch{Flagged("een", 3, {"pinpas"}, 1)};
  ASSERT_TRUE(outreach().AddFindings(scan.id, batch));
  const std::int64_t id = All(scan.id).at(0).id;
  ASSERT_TRUE(outreach().SetVerdict(
      id, GivenVerdict{.verdict = Verdict::recruitment, .account_id = 5, .at = 100}));
  const std::optional<Finding> found = outreach().FindFinding(id).value();
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->scan_id, scan.id);
  EXPECT_EQ(found->text, "een");
  EXPECT_EQ(found->terms, std::vector<std::string>{"pinpas"});
  ASSERT_TRUE(found->verdict.has_value());
  EXPECT_EQ(found->verdict->verdict, Verdict::recruitment);
  EXPECT_FALSE(outreach().FindFinding(id + 1000).value().has_value());
}

TEST_P(OutreachStoreContractTest, VerdictsAreListedForExportByWhenTheyWereGiven) {
  const Scan scan = NewRunningScan();
  const std::vector<Finding> batch{Flagged("een", 3), Flagged("twee", 2), Flagged("drie", 1)};
  ASSERT_TRUE(outreach().AddFindings(scan.id, batch));
  const std::vector<Finding> added = All(scan.id);
  ASSERT_TRUE(outreach().SetVerdict(
      added[0].id, GivenVerdict{.verdict = Verdict::recruitment, .account_id = 5, .at = 100}));
  ASSERT_TRUE(outreach().SetVerdict(
      added[1].id, GivenVerdict{.verdict = Verdict::not_recruitment, .account_id = 5, .at = 50}));
  ASSERT_TRUE(outreach().SetVerdict(
      added[2].id, GivenVerdict{.verdict = Verdict::unsure, .account_id = 5, .at = 300}));

  auto labelled = outreach().ListVerdicts(50, 300).value();
  ASSERT_EQ(labelled.size(), 2u);
  EXPECT_EQ(labelled[0].text, "twee");
  EXPECT_EQ(labelled[0].verdict.verdict, Verdict::not_recruitment);
  EXPECT_EQ(labelled[0].verdict.at, 50);
  EXPECT_EQ(labelled[1].text, "een");
  EXPECT_EQ(labelled[1].finding_id, added[0].id);
  EXPECT_EQ(labelled[1].scan_id, scan.id);
  EXPECT_EQ(labelled[1].categories, (std::vector<std::string>{"money_mule", "quick_money"}));
  EXPECT_EQ(labelled[1].verdict.account_id, 5);
}

TEST_P(OutreachStoreContractTest, TermStatsCountHitsAndTheLatestVerdicts) {
  const Scan scan = NewRunningScan();
  const std::vector<Finding> batch{Flagged("a", 4, {"pinpas", "snel geld"}),
                                   Flagged("b", 3, {"pinpas"}), Flagged("c", 2, {"pinpas"}),
                                   Flagged("d", 1, {"bankpas"})};
  ASSERT_TRUE(outreach().AddFindings(scan.id, batch));
  const std::vector<Finding> added = All(scan.id);
  ASSERT_TRUE(outreach().SetVerdict(added[0].id, GivenVerdict{.verdict = Verdict::recruitment}));
  ASSERT_TRUE(
      outreach().SetVerdict(added[1].id, GivenVerdict{.verdict = Verdict::recruitment, .at = 1}));
  ASSERT_TRUE(outreach().SetVerdict(added[1].id,
                                    GivenVerdict{.verdict = Verdict::not_recruitment, .at = 2}));
  ASSERT_TRUE(outreach().SetVerdict(added[2].id, GivenVerdict{.verdict = Verdict::unsure}));

  auto stats = outreach().TermStats().value();
  ASSERT_EQ(stats.size(), 3u);
  EXPECT_EQ(stats[0].term, "bankpas");
  EXPECT_EQ(stats[0].hits, 1);
  EXPECT_EQ(stats[0].recruitment, 0);
  EXPECT_EQ(stats[1].term, "pinpas");
  EXPECT_EQ(stats[1].hits, 3);
  EXPECT_EQ(stats[1].recruitment, 1);
  EXPECT_EQ(stats[1].not_recruitment, 1);
  EXPECT_EQ(stats[2].term, "snel geld");
  EXPECT_EQ(stats[2].hits, 1);
  EXPECT_EQ(stats[2].recruitment, 1);
}

TEST_P(OutreachStoreContractTest, WeekCountsCountEachPostOnceInEachOfItsCategories) {
  constexpr std::int64_t kNewYear2026 = 1'767'225'600;  // a Thursday, in 2026-W01
  const auto dated = [](const std::string& text, std::int64_t date_unix,
                        std::vector<std::string> categories) {
    Finding finding = Flagged(text, 1);
    finding.date_unix = date_unix;
    finding.categories = std::move(categories);
    return finding;
  };
  const Scan first = NewRunningScan();
  const Scan second = NewRunningScan();
  ASSERT_TRUE(outreach().AddFindings(
      first.id, std::vector<Finding>{dated("a", kNewYear2026, {"money_mule", "contact"}),
                                     dated("b", kNewYear2026 + 3 * 86'400 - 1, {"money_mule"}),
                                     dated("c", kNewYear2026 + 4 * 86'400, {"money_mule"}),
                                     dated("undated", 0, {"money_mule"})}));
  ASSERT_TRUE(outreach().AddFindings(
      second.id,
      std::vector<Finding>{dated("a", kNewYear2026, {"money_mule", "contact"}),
                           dated("e", kNewYear2026 + 4 * 86'400, {"contact", "contact"})}));

  auto read = outreach().ReadWeekCounts("2026-W01", "2026-W02").value();
  ASSERT_EQ(read.size(), 4u);
  EXPECT_EQ(read[0].week, "2026-W01");
  EXPECT_EQ(read[0].category, "contact");
  EXPECT_EQ(read[0].count, 1) << "a post that two scans flagged counts once";
  EXPECT_EQ(read[1].category, "money_mule");
  EXPECT_EQ(read[1].count, 2);
  EXPECT_EQ(read[2].week, "2026-W02");
  EXPECT_EQ(read[2].category, "contact");
  EXPECT_EQ(read[2].count, 1);
  EXPECT_EQ(read[3].category, "money_mule");
  EXPECT_EQ(read[3].count, 1);
  EXPECT_TRUE(outreach().ReadWeekCounts("2026-W03", "2026-W09").value().empty());
  EXPECT_EQ(outreach().ReadWeekCounts("2026-W00", "2026-W02").error().code,
            core::Errc::invalid_argument);
}

TEST_P(OutreachStoreContractTest, ARescanCarriesTheVerdictsOfThePostsItFindsAgain) {
  const Scan first = NewRunningScan();
  ASSERT_TRUE(
      outreach().AddFindings(first.id, std::vector<Finding>{Flagged("a", 3), Flagged("b", 2)}));
  const std::vector<Finding> earlier = All(first.id);
  const GivenVerdict judged{.verdict = Verdict::recruitment, .account_id = 5, .at = 70};
  ASSERT_TRUE(outreach().SetVerdict(earlier[0].id, judged));
  End(first.id);

  const Scan rescan = NewRunningScan();
  ASSERT_TRUE(outreach().AddFindings(
      rescan.id, std::vector<Finding>{Flagged("a", 3), Flagged("b", 2), Flagged("c", 1)}));
  const std::vector<Finding> again = All(rescan.id);
  ASSERT_EQ(again.size(), 3u);
  ASSERT_TRUE(again[0].verdict.has_value()) << "judged once, not again";
  EXPECT_EQ(again[0].verdict->verdict, Verdict::recruitment);
  EXPECT_EQ(again[0].verdict->account_id, 5);
  EXPECT_EQ(again[0].verdict->at, 70);
  EXPECT_EQ(All(rescan.id, FindingQuery{.verdict = VerdictFilter::none}).size(), 2u);

  ASSERT_TRUE(outreach().SetVerdict(
      again[1].id, GivenVerdict{.verdict = Verdict::not_recruitment, .account_id = 6, .at = 80}));
  EXPECT_EQ(outreach().FindFinding(earlier[1].id).value()->verdict->verdict,
            Verdict::not_recruitment)
      << "a verdict is on the post, in every scan";

  const auto labelled = outreach().ListVerdicts(0, 1000).value();
  ASSERT_EQ(labelled.size(), 2u) << "each post once in the training export";
  EXPECT_EQ(labelled[0].finding_id, again[0].id);
  EXPECT_EQ(labelled[1].finding_id, again[1].id);
  const auto stats = outreach().TermStats().value();
  ASSERT_EQ(stats.size(), 1u);
  EXPECT_EQ(stats[0].hits, 3);
  EXPECT_EQ(stats[0].recruitment, 1);
  EXPECT_EQ(stats[0].not_recruitment, 1);

  End(rescan.id);
  ASSERT_TRUE(outreach().SetVerdict(
      again[2].id, GivenVerdict{.verdict = Verdict::unsure, .account_id = 6, .at = 90}));
  auto refused = outreach().DeleteScan(rescan.id);
  ASSERT_FALSE(refused) << "the rescan alone holds the judged post c";
  EXPECT_EQ(refused.error().code, core::Errc::failed_precondition);
  ASSERT_TRUE(outreach().DeleteScan(first.id)) << "the rescan keeps every verdict of the first";
  EXPECT_EQ(All(rescan.id, FindingQuery{.verdict = VerdictFilter::none}).size(), 0u);
  EXPECT_EQ(outreach().ListVerdicts(0, 1000).value().size(), 3u);
}

TEST_P(OutreachStoreContractTest, ARescanWhoseVerdictsAreKeptElsewhereCanBeDeleted) {
  const Scan first = NewRunningScan();
  ASSERT_TRUE(outreach().AddFindings(first.id, std::vector<Finding>{Flagged("a", 3)}));
  End(first.id);
  const Scan rescan = NewRunningScan();
  ASSERT_TRUE(outreach().AddFindings(rescan.id, std::vector<Finding>{Flagged("a", 3)}));
  End(rescan.id);
  ASSERT_TRUE(outreach().SetVerdict(All(rescan.id)[0].id,
                                    GivenVerdict{.verdict = Verdict::recruitment, .at = 40}));

  ASSERT_TRUE(outreach().DeleteScan(rescan.id));
  const std::vector<Finding> kept = All(first.id);
  ASSERT_TRUE(kept[0].verdict.has_value());
  EXPECT_EQ(kept[0].verdict->verdict, Verdict::recruitment);
  EXPECT_EQ(outreach().ListVerdicts(0, 100).value().size(), 1u);
}

TEST_P(OutreachStoreContractTest, PostsWithoutAMessageIdAreToldApartByWhatTheySay) {
  const auto without_id = [](const std::string& text, std::string author) {
    Finding finding = Flagged(text, 1);
    finding.message_id = 0;
    finding.author = std::move(author);
    return finding;
  };
  const Scan first = NewRunningScan();
  ASSERT_TRUE(outreach().AddFindings(first.id, std::vector<Finding>{without_id("a", "x")}));
  ASSERT_TRUE(outreach().SetVerdict(All(first.id)[0].id,
                                    GivenVerdict{.verdict = Verdict::recruitment, .at = 5}));
  const Scan second = NewRunningScan();
  ASSERT_TRUE(outreach().AddFindings(
      second.id,
      std::vector<Finding>{without_id("a", "x"), without_id("a", "y"), without_id("b", "x")}));
  const std::vector<Finding> found = All(second.id);
  ASSERT_EQ(found.size(), 3u);
  EXPECT_EQ(std::count_if(found.begin(), found.end(),
                          [](const Finding& finding) { return finding.verdict.has_value(); }),
            1);
}

// The "message id" of text and CSV input is its line number: line 12 of another file is
// another post.
TEST_P(OutreachStoreContractTest, TheSameMessageIdWithAnotherTextIsAnotherPost) {
  const auto line = [](const std::string& text) {
    Finding finding = Flagged(text, 1);
    finding.channel = "";
    finding.message_id = 12;
    return finding;
  };
  const Scan first = NewRunningScan();
  ASSERT_TRUE(outreach().AddFindings(first.id, std::vector<Finding>{line("pinpas lenen")}));
  ASSERT_TRUE(outreach().SetVerdict(All(first.id)[0].id,
                                    GivenVerdict{.verdict = Verdict::not_recruitment, .at = 5}));
  const Scan second = NewRunningScan();
  ASSERT_TRUE(outreach().AddFindings(
      second.id, std::vector<Finding>{line("snel geld, dm"), line("pinpas lenen")}));
  const std::vector<Finding> found = All(second.id, FindingQuery{.verdict = VerdictFilter::none});
  ASSERT_EQ(found.size(), 1u) << "the same line, the same text: judged already";
  EXPECT_EQ(found[0].text, "snel geld, dm");
}

TEST(WeekOfPostTest, WeeksBelongToTheYearOfTheirThursday) {
  constexpr std::int64_t kNewYear2026 = 1'767'225'600;  // a Thursday
  constexpr std::int64_t kDay = 86'400;
  EXPECT_EQ(WeekOfPost(kNewYear2026), "2026-W01");
  EXPECT_EQ(WeekOfPost(kNewYear2026 - 3 * kDay), "2026-W01");  // Monday 29 December 2025
  EXPECT_EQ(WeekOfPost(kNewYear2026 - 3 * kDay - 1), "2025-W52");
  EXPECT_EQ(WeekOfPost(kNewYear2026 + 365 * kDay), "2026-W53");  // Friday 1 January 2027
  EXPECT_EQ(WeekOfPost(kNewYear2026 + 45 * kDay + kDay - 1), "2026-W07");
  EXPECT_EQ(WeekOfPost(-1), "1970-W01");  // Wednesday 31 December 1969
  EXPECT_EQ(WeekOfPost(0), "") << "unknown";
  EXPECT_EQ(WeekOfPost(-40'000'000'000), "");
  EXPECT_EQ(WeekOfPost(std::numeric_limits<std::int64_t>::min()), "");
  EXPECT_EQ(WeekOfPost(std::numeric_limits<std::int64_t>::max()), "");
}

TEST_P(OutreachStoreContractTest, APurgeBlanksOldTextsAndKeepsWhatIsCounted) {
  const Scan old_scan = NewRunningScan(kT0);
  const Scan new_scan = NewRunningScan(kT0 + 100);
  const std::vector<Finding> batch{Flagged("pinpas uitlenen 500 euro", 4, {"pinpas"}),
                                   Flagged("snel geld", 2, {"snel geld"})};
  ASSERT_TRUE(outreach().AddFindings(old_scan.id, batch));
  ASSERT_TRUE(outreach().AddFindings(new_scan.id, batch));
  const Finding reviewed = All(old_scan.id)[0];
  ASSERT_TRUE(outreach().SetVerdict(
      reviewed.id, GivenVerdict{.verdict = Verdict::recruitment, .account_id = 5, .at = 70}));
  const auto stats_before = outreach().TermStats().value();

  EXPECT_EQ(outreach().PurgeFindingTexts(kT0 + 50).value(), 2);
  EXPECT_EQ(outreach().PurgeFindingTexts(kT0 + 50).value(), 0) << "none twice";

  const std::vector<Finding> purged = All(old_scan.id);
  ASSERT_EQ(purged.size(), 2u);
  for (const Finding& finding : purged) {
    EXPECT_TRUE(finding.purged);
    EXPECT_EQ(finding.text, "");
    EXPECT_EQ(finding.author, "") << "a sender's name may be a young person's";
    EXPECT_EQ(finding.matches.find("p1npas"), std::string::npos) << finding.matches;
    EXPECT_EQ(finding.matches.find("Snel  geld"), std::string::npos) << finding.matches;
    EXPECT_EQ(finding.matches.find("stray"), std::string::npos) << finding.matches;
    const std::string compact = WithoutSpaces(finding.matches);
    EXPECT_NE(compact.find(R"("term":"pinpas")"), std::string::npos) << finding.matches;
    EXPECT_NE(compact.find(R"("begin":8)"), std::string::npos) << finding.matches;
    EXPECT_NE(compact.find(R"("text":"")"), std::string::npos) << finding.matches;
    EXPECT_EQ(finding.categories, (std::vector<std::string>{"money_mule", "quick_money"}));
  }
  EXPECT_DOUBLE_EQ(purged[0].score, 4);
  EXPECT_EQ(purged[0].terms, (std::vector<std::string>{"pinpas"}));
  ASSERT_TRUE(purged[0].verdict.has_value());
  EXPECT_EQ(purged[0].verdict->verdict, Verdict::recruitment);
  EXPECT_EQ(outreach().ListVerdicts(0, 100).value().at(0).text, "pinpas uitlenen 500 euro")
      << "the post as its newest finding, whose text is kept";

  const std::vector<Finding> kept = All(new_scan.id);
  EXPECT_EQ(kept[0].text, "pinpas uitlenen 500 euro");
  EXPECT_FALSE(kept[0].purged);
  EXPECT_EQ(kept[0].matches, batch[0].matches);

  const auto stats_after = outreach().TermStats().value();
  ASSERT_EQ(stats_after.size(), stats_before.size());
  for (std::size_t i = 0; i < stats_after.size(); ++i) {
    EXPECT_EQ(stats_after[i].hits, stats_before[i].hits);
    EXPECT_EQ(stats_after[i].recruitment, stats_before[i].recruitment);
  }
  EXPECT_EQ(outreach().ReadWeekCounts("2026-W01", "2026-W01").value().at(0).count, 2);
}

TEST_P(OutreachStoreContractTest, AScanIsDeletedWithItsFindingsUnlessReviewed) {
  const std::vector<Finding> batch{Flagged("a", 2, {"pinpas"}), Flagged("b", 1, {"bankpas"})};
  const Scan unreviewed = NewRunningScan();
  ASSERT_TRUE(outreach().AddFindings(unreviewed.id, batch));
  ASSERT_FALSE(outreach().ReadWeekCounts("2026-W01", "2026-W01").value().empty());
  auto still_going = outreach().DeleteScan(unreviewed.id);
  ASSERT_FALSE(still_going);
  EXPECT_EQ(still_going.error().code, core::Errc::failed_precondition);
  End(unreviewed.id);
  ASSERT_TRUE(outreach().DeleteScan(unreviewed.id));
  EXPECT_FALSE(outreach().FindScan(unreviewed.id).value().has_value());
  EXPECT_TRUE(outreach().TermStats().value().empty());
  EXPECT_TRUE(outreach().ReadWeekCounts("2026-W01", "2026-W01").value().empty());
  EXPECT_EQ(outreach().DeleteScan(unreviewed.id).error().code, core::Errc::not_found);

  const Scan reviewed = NewRunningScan();
  ASSERT_TRUE(outreach().AddFindings(reviewed.id, batch));
  End(reviewed.id, ScanStatus::cancelled);
  ASSERT_TRUE(outreach().SetVerdict(All(reviewed.id)[1].id,
                                    GivenVerdict{.verdict = Verdict::not_recruitment}));
  auto kept = outreach().DeleteScan(reviewed.id);
  ASSERT_FALSE(kept);
  EXPECT_EQ(kept.error().code, core::Errc::failed_precondition);
  EXPECT_EQ(All(reviewed.id).size(), 2u);
}

TEST_P(OutreachStoreContractTest, LexiconVersionsGrowFromOneAndAStaleBaseIsRefused) {
  EXPECT_FALSE(outreach().LatestLexiconVersion().value().has_value());
  auto first = outreach().SaveLexiconVersion(
      0, LexiconVersion{.toml = "[terms]\n", .created_by = 2, .created_at = kT0, .note = "start"});
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->version, 1);
  auto stale = outreach().SaveLexiconVersion(0, LexiconVersion{.toml = "# other\n"});
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code, core::Errc::failed_precondition);
  auto second = outreach().SaveLexiconVersion(
      1, LexiconVersion{
             .toml = "[terms]\n# two\n", .created_by = 3, .created_at = kT0 + 5, .note = "more"});
  ASSERT_TRUE(second);
  EXPECT_EQ(second->version, 2);

  auto listed = outreach().ListLexiconVersions().value();
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].version, 2);
  EXPECT_EQ(listed[0].note, "more");
  EXPECT_EQ(listed[0].created_by, 3);
  EXPECT_EQ(listed[0].created_at, kT0 + 5);
  EXPECT_TRUE(listed[0].toml.empty());
  EXPECT_EQ(listed[1].version, 1);

  EXPECT_EQ(outreach().LoadLexiconVersion(1).value()->toml, "[terms]\n");
  EXPECT_FALSE(outreach().LoadLexiconVersion(3).value().has_value());
  EXPECT_EQ(outreach().LatestLexiconVersion().value()->toml, "[terms]\n# two\n");
}

TEST_P(OutreachStoreContractTest, EverythingOutlivesAReopen) {
  const Scan scan = NewRunningScan();
  const std::vector<Finding> batch{Flagged("blijft", 2)};
  ASSERT_TRUE(outreach().AddFindings(scan.id, batch));
  ASSERT_TRUE(outreach().SetVerdict(All(scan.id)[0].id,
                                    GivenVerdict{.verdict = Verdict::recruitment, .at = 9}));
  ASSERT_TRUE(outreach().SaveLexiconVersion(0, LexiconVersion{.toml = "[terms]\n"}));
  Reopen();
  EXPECT_EQ(outreach().FindScan(scan.id).value()->status, ScanStatus::running);
  const std::vector<Finding> read = All(scan.id);
  ASSERT_EQ(read.size(), 1u);
  EXPECT_EQ(read[0].text, "blijft");
  EXPECT_EQ(read[0].verdict->verdict, Verdict::recruitment);
  EXPECT_EQ(outreach().LatestLexiconVersion().value()->version, 1);
  const Scan next = NewRunningScan();
  EXPECT_GT(next.id, scan.id);
}

INSTANTIATE_TEST_SUITE_P(Backends, OutreachStoreContractTest,
                         ::testing::ValuesIn(ContractBackends()),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace uitweg::store
