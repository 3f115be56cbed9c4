// The InsightsStore contract: every backend in ContractBackends() passes every case here.
#include <array>
#include <tuple>

#include "store/contract_fixture.hpp"
#include "store/insights_sql.hpp"

namespace uitweg::store {
namespace {

constexpr std::int64_t kSecond = 1000;
constexpr std::int64_t kHour = 3'600'000;
constexpr std::int64_t kDayMillis = 86'400'000;
constexpr std::int64_t kDay = 19'676;  // 2023-11-15, UTC
constexpr UnixMillis kMidnight = kDay * kDayMillis;
constexpr std::int64_t kSummerTime = 2 * kHour;

class InsightsStoreContractTest : public StoreContractTest {
 protected:
  InsightsStore& insights() { return *database_.insights; }

  void Start(const std::string& id, UnixMillis at, const std::string& campaign = "",
             bool offline = false) {
    ASSERT_TRUE(Create(NewConversation{.id = id,
                                       .resume_token_hash = "resume-" + id,
                                       .created_at = at,
                                       .offline = offline,
                                       .pickup_code_hash = offline ? "pickup-" + id : "",
                                       .campaign = campaign}));
  }

  void Hold(const std::string& id, std::int64_t counsellor, UnixMillis at) {
    ASSERT_TRUE(Accept(id, counsellor, at));
  }

  void Finish(const std::string& id, UnixMillis at) {
    ASSERT_TRUE(End(id, model::EndReason::visitor, at));
  }

  void Register(const std::string& id, std::int64_t counsellor, model::Answers answers) {
    ASSERT_TRUE(registrations().SaveRegistration({.conversation_id = id,
                                                  .counsellor_id = counsellor,
                                                  .answers = std::move(answers),
                                                  .complete = true,
                                                  .updated_at = kMidnight}));
  }

  // The referral's id.
  std::int64_t Refer(const std::string& id, std::int64_t counsellor, model::ReferralStatus status) {
    if (organisation_ == 0) {
      organisation_ =
          handovers().CreateOrganisation({.name = "Jeugdzorg", .active = true}).value().id;
    }
    auto referral = handovers().CreateReferral({.conversation_id = id,
                                                .organisation_id = organisation_,
                                                .counsellor_id = counsellor,
                                                .status = status,
                                                .details_seq = ++details_seq_,
                                                .created_at = kMidnight,
                                                .updated_at = kMidnight,
                                                .updated_by = counsellor});
    EXPECT_TRUE(referral) << referral.error().message;
    return referral ? referral->id : 0;
  }

  void Transfer(const std::string& id, std::int64_t from, std::int64_t to, UnixMillis at) {
    ASSERT_TRUE(Await<model::Conversation>([&](Done<model::Conversation> done) {
      conversations().OfferTransfer(id, from, to, at, done);
    }));
    ASSERT_TRUE(Await<Transition>(
        [&](Done<Transition> done) { conversations().TakeTransfer(id, to, at, done); }));
  }

  void Answer(const std::string& id, model::Feedback feedback, UnixMillis at) {
    ASSERT_TRUE(Await<void>(
        [&](Done<void> done) { conversations().RecordFeedback(id, feedback, at, done); }));
  }

  // The whole of day kDay and the next, local.
  static InsightsFilter TwoDays() {
    return InsightsFilter{.from = kMidnight, .to = kMidnight + 2 * kDayMillis};
  }

  std::int64_t organisation_ = 0;
  std::int64_t details_seq_ = 0;  // each referral rests on an entry of its own
};

// A funnel's steps in the order of FunnelCounts.
using Steps = std::array<std::int64_t, 7>;

std::vector<std::pair<std::string, Steps>> Funnel(const std::vector<CampaignFunnel>& rows) {
  std::vector<std::pair<std::string, Steps>> out;
  for (const CampaignFunnel& row : rows) {
    const FunnelCounts& c = row.counts;
    out.emplace_back(row.campaign,
                     Steps{c.started, c.held, c.registered, c.criminal_involvement,
                           c.exploitation_signals, c.referrals_proposed, c.referrals_completed});
  }
  return out;
}

std::vector<std::tuple<std::int64_t, std::int64_t, std::int64_t, std::int64_t>> Hours(
    const std::vector<HourCounts>& rows) {
  std::vector<std::tuple<std::int64_t, std::int64_t, std::int64_t, std::int64_t>> out;
  for (const HourCounts& row : rows)
    out.emplace_back(row.hour, row.started, row.held, row.abandoned);
  return out;
}

std::vector<std::pair<std::int64_t, std::int64_t>> Durations(
    const std::vector<DurationCount>& rows) {
  std::vector<std::pair<std::int64_t, std::int64_t>> out;
  for (const DurationCount& row : rows) out.emplace_back(row.seconds, row.count);
  return out;
}

using AnswerRow = std::tuple<std::int64_t, std::string, std::string, std::int64_t>;

std::vector<AnswerRow> Answers(const std::vector<AnswerCount>& rows) {
  std::vector<AnswerRow> out;
  for (const AnswerCount& row : rows) out.emplace_back(row.day, row.field, row.value, row.count);
  return out;
}

std::int64_t Started(const std::vector<CampaignFunnel>& rows) {
  std::int64_t started = 0;
  for (const CampaignFunnel& row : rows) started += row.counts.started;
  return started;
}

TEST_P(InsightsStoreContractTest, TheFunnelCountsEveryStepPerCampaign) {
  const model::StaffAccount anna = Counsellor("anna");
  const UnixMillis t = kMidnight + 10 * kHour;
  Start("c_1", t, "school");
  Hold("c_1", anna.id, t + kSecond);
  Finish("c_1", t + kHour);
  Register("c_1", anna.id,
           {{"who", {"young_person"}},
            {"criminal_involvement", {"yes"}},
            {"exploitation_signals", {"yes"}}});
  Refer("c_1", anna.id, model::ReferralStatus::completed);
  Start("c_2", t + 1, "school");
  Hold("c_2", anna.id, t + kSecond);
  Register("c_2", anna.id, {{"criminal_involvement", {"no"}}, {"exploitation_signals", {"yes"}}});
  Refer("c_2", anna.id, model::ReferralStatus::proposed);
  Start("c_3", t + 2, "school");
  Finish("c_3", t + kHour);
  Start("c_4", t + 3);
  Hold("c_4", anna.id, t + kSecond);
  Register("c_4", anna.id, {});
  Start("c_5", t + 4, "tv");
  Hold("c_5", anna.id, t + kSecond);
  Refer("c_5", anna.id, model::ReferralStatus::declined);
  Refer("c_5", anna.id, model::ReferralStatus::completed);
  Refer("c_5", anna.id, model::ReferralStatus::completed);

  InsightsFilter filter = TwoDays();
  const std::vector<std::pair<std::string, Steps>> all = {{"", {1, 1, 1, 0, 0, 0, 0}},
                                                          {"school", {3, 2, 2, 1, 2, 2, 1}},
                                                          {"tv", {1, 1, 0, 0, 0, 1, 1}}};
  EXPECT_EQ(Funnel(insights().ReadFunnel(filter).value()), all);

  filter.campaign = "school";
  EXPECT_EQ(Funnel(insights().ReadFunnel(filter).value()), (decltype(all){all[1]}));
  filter.campaign = "";
  EXPECT_EQ(Funnel(insights().ReadFunnel(filter).value()), (decltype(all){all[0]}))
      << "\"\" is the conversations without a campaign";
  filter.campaign = "radio";
  EXPECT_TRUE(insights().ReadFunnel(filter).value().empty());
}

TEST_P(InsightsStoreContractTest, RegionsAreTheRegistrationsOwnAnswer) {
  const model::StaffAccount anna = Counsellor("anna");
  const UnixMillis t = kMidnight + 10 * kHour;
  Start("c_rotterdam", t);
  Hold("c_rotterdam", anna.id, t + kSecond);
  Register("c_rotterdam", anna.id, {{"who", {"young_person"}}, {"region", {"Rotterdam"}}});
  Start("c_utrecht", t);
  Hold("c_utrecht", anna.id, t + kSecond);
  Register("c_utrecht", anna.id, {{"who", {"professional"}}, {"region", {"Utrecht"}}});
  Start("c_nowhere", t);
  Hold("c_nowhere", anna.id, t + kSecond);
  Register("c_nowhere", anna.id, {{"who", {"unknown"}}});
  Start("c_unregistered", t);

  InsightsFilter filter = TwoDays();
  EXPECT_EQ(Started(insights().ReadFunnel(filter).value()), 4) << "no regions: any, and none";
  filter.regions = {"Rotterdam"};
  EXPECT_EQ(Started(insights().ReadFunnel(filter).value()), 1);
  EXPECT_EQ(
      Answers(insights().ReadAnswers(filter).value()),
      (std::vector<AnswerRow>{{kDay, "region", "Rotterdam", 1}, {kDay, "who", "young_person", 1}}));
  EXPECT_EQ(insights().ReadShifts(filter).value().conversations, 1);
  filter.regions = {"Rotterdam", "Utrecht"};
  EXPECT_EQ(Started(insights().ReadFunnel(filter).value()), 2);
  EXPECT_EQ(Hours(insights().ReadHours(filter).value()),
            (std::vector<std::tuple<std::int64_t, std::int64_t, std::int64_t, std::int64_t>>{
                {t / kHour, 2, 2, 0}}));
  EXPECT_EQ(Durations(insights().ReadDurations(filter, DurationKind::first_response).value()),
            (std::vector<std::pair<std::int64_t, std::int64_t>>{{1, 2}}));
  EXPECT_EQ(insights().ReadAnswers(filter).value().size(), 4u);
  filter.regions = {"Amsterdam"};
  EXPECT_TRUE(insights().ReadFunnel(filter).value().empty());
  EXPECT_TRUE(insights().ReadAnswers(filter).value().empty());
}

TEST_P(InsightsStoreContractTest, RegionsAreMatchedWholeWhateverTheirCharacters) {
  const model::StaffAccount anna = Counsellor("anna");
  const model::StaffAccount bert = Counsellor("bert");
  const UnixMillis t = kMidnight + 10 * kHour;
  const std::vector<std::string> places = {"'s-Hertogenbosch", "S\u00fadwest-Frysl\u00e2n",
                                           "Bergen (NH)", "a \"quoted\", listed\\place"};
  for (std::size_t i = 0; i < places.size(); ++i) {
    const std::string id = "c_" + std::to_string(i);
    Start(id, t);
    const std::int64_t counsellor = i % 2 == 0 ? anna.id : bert.id;
    Hold(id, counsellor, t + kSecond);
    Register(id, counsellor, {{"who", {"young_person"}}, {"region", {places[i]}}});
  }
  InsightsFilter filter = TwoDays();
  for (const std::string& place : places) {
    filter.regions = {place};
    EXPECT_EQ(Started(insights().ReadFunnel(filter).value()), 1) << place;
  }
  filter.regions = {places[0], places[3], "Bergen", "(NH)"};
  EXPECT_EQ(Started(insights().ReadFunnel(filter).value()), 2);
  EXPECT_EQ(insights().ReadShifts(filter).value().conversations, 2);
}

// A query's text does not grow with the regions asked for: each text asked for stays compiled
// in a reader's statement cache, and any count of regions would make another.
TEST(InsightsQueriesTest, AnyNumberOfRegionsMakesOneQueryText) {
  InsightsFilter one{.from = kMidnight, .to = kMidnight + kDayMillis, .regions = {"Delft"}};
  InsightsFilter many = one;
  for (int i = 0; i < 300; ++i) many.regions.push_back("place " + std::to_string(i));
  for (const SqlDialect dialect : {SqlDialect::sqlite, SqlDialect::postgres}) {
    EXPECT_EQ(FunnelQuery(one, dialect).sql, FunnelQuery(many, dialect).sql);
    EXPECT_EQ(AnswersQuery(one, dialect).sql, AnswersQuery(many, dialect).sql);
    EXPECT_EQ(HoursQuery(one, dialect).sql, HoursQuery(many, dialect).sql);
  }
}

TEST_P(InsightsStoreContractTest, OfflineMessagesAreLeftOutUnlessAskedFor) {
  const model::StaffAccount anna = Counsellor("anna");
  const UnixMillis t = kMidnight + 10 * kHour;
  Start("c_live", t);
  Hold("c_live", anna.id, t + kSecond);
  Register("c_live", anna.id, {{"who", {"young_person"}}, {"topics", {"debts"}}});
  Start("c_offline", t, "", true);
  Hold("c_offline", anna.id, t + 2 * kSecond);
  Register("c_offline", anna.id, {{"who", {"professional"}}, {"topics", {"debts"}}});

  InsightsFilter filter = TwoDays();
  EXPECT_EQ(Started(insights().ReadFunnel(filter).value()), 1);
  EXPECT_EQ(Hours(insights().ReadHours(filter).value()),
            (std::vector<std::tuple<std::int64_t, std::int64_t, std::int64_t, std::int64_t>>{
                {t / kHour, 1, 1, 0}}));
  EXPECT_EQ(Durations(insights().ReadDurations(filter, DurationKind::first_response).value()),
            (std::vector<std::pair<std::int64_t, std::int64_t>>{{1, 1}}));
  EXPECT_EQ(
      Answers(insights().ReadAnswers(filter).value()),
      (std::vector<AnswerRow>{{kDay, "topics", "debts", 1}, {kDay, "who", "young_person", 1}}));
  EXPECT_EQ(insights().ReadShifts(filter).value().conversations, 1);

  filter.include_offline = true;
  EXPECT_EQ(Started(insights().ReadFunnel(filter).value()), 2);
  EXPECT_EQ(Hours(insights().ReadHours(filter).value()),
            (std::vector<std::tuple<std::int64_t, std::int64_t, std::int64_t, std::int64_t>>{
                {t / kHour, 2, 2, 0}}));
  EXPECT_EQ(Durations(insights().ReadDurations(filter, DurationKind::first_response).value()),
            (std::vector<std::pair<std::int64_t, std::int64_t>>{{1, 1}, {2, 1}}));
  EXPECT_EQ(Answers(insights().ReadAnswers(filter).value()),
            (std::vector<AnswerRow>{{kDay, "topics", "debts", 2},
                                    {kDay, "who", "professional", 1},
                                    {kDay, "who", "young_person", 1}}));
  EXPECT_EQ(insights().ReadShifts(filter).value().conversations, 2);
}

TEST_P(InsightsStoreContractTest, HoursAreLocalWithTheOffset) {
  const model::StaffAccount anna = Counsellor("anna");
  const UnixMillis late = kMidnight + 22 * kHour + 30 * 60 * kSecond;  // 23:30 local in winter
  Start("c_held", late);
  Hold("c_held", anna.id, late + kSecond);
  Start("c_abandoned", late + 1);
  Finish("c_abandoned", late + kSecond);
  Start("c_waiting", late + 2);
  Start("c_next", late + kHour);
  Hold("c_next", anna.id, late + kHour + kSecond);
  Finish("c_next", late + 2 * kHour);

  InsightsFilter filter = TwoDays();
  filter.utc_offset_millis = kSummerTime;
  const std::int64_t hour = late / kHour + 2;
  EXPECT_EQ(Hours(insights().ReadHours(filter).value()),
            (std::vector<std::tuple<std::int64_t, std::int64_t, std::int64_t, std::int64_t>>{
                {hour, 3, 1, 1}, {hour + 1, 1, 1, 0}}));
  filter.utc_offset_millis = 0;
  EXPECT_EQ(std::get<0>(Hours(insights().ReadHours(filter).value()).front()), late / kHour);
}

TEST_P(InsightsStoreContractTest, DurationsComeInSecondsMinutesAndDays) {
  const model::StaffAccount anna = Counsellor("anna");
  ASSERT_TRUE(accounts().SetCapacity(anna.id, model::kMaxCapacity)) << "she holds several at once";
  const UnixMillis t = kMidnight + kHour;
  const auto held = [&](const std::string& id, std::int64_t response_ms,
                        std::optional<std::int64_t> length_ms) {
    Start(id, t);
    Hold(id, anna.id, t + response_ms);
    if (length_ms) {
      Finish(id, t + response_ms + *length_ms);
    }
  };
  const auto abandoned = [&](const std::string& id, std::int64_t wait_ms) {
    Start(id, t);
    Finish(id, t + wait_ms);
  };
  held("c_59", 59'900, 3'725'000);  // length 1 h 2 min 5 s: the minute of 3,720 s
  held("c_3599", 3'599'999, std::nullopt);
  held("c_3600", 3'600'000, 1'999);  // length 1 s
  held("c_3601", 3'601'000, 86'400'000);
  held("c_3659", 3'659'000, 86'399'999);
  held("c_86399", 86'399'000, std::nullopt);
  held("c_2d5h", (2 * 86'400 + 5 * 3600) * kSecond, std::nullopt);
  held("c_skew", -5'000, std::nullopt);  // accepted "before" it started: a clock went back
  abandoned("c_w125", 125'500);
  abandoned("c_w3600", 3'600'000);
  abandoned("c_w_skew", -1);
  Start("c_waiting", t);

  using Buckets = std::vector<std::pair<std::int64_t, std::int64_t>>;
  const InsightsFilter filter = TwoDays();
  EXPECT_EQ(Durations(insights().ReadDurations(filter, DurationKind::first_response).value()),
            (Buckets{{0, 1}, {59, 1}, {3599, 1}, {3600, 3}, {86340, 1}, {172800, 1}}));
  EXPECT_EQ(Durations(insights().ReadDurations(filter, DurationKind::abandoned_wait).value()),
            (Buckets{{0, 1}, {125, 1}, {3600, 1}}));
  EXPECT_EQ(Durations(insights().ReadDurations(filter, DurationKind::length).value()),
            (Buckets{{1, 1}, {3720, 1}, {86340, 1}, {86400, 1}}));
}

TEST_P(InsightsStoreContractTest, AnswersAreCountedByLocalDayFieldAndValue) {
  const model::StaffAccount anna = Counsellor("anna");
  Start("c_1", kMidnight + kHour);
  Register("c_1", anna.id, {{"who", {"young_person"}}, {"topics", {"threats", "debts"}}});
  Start("c_2", kMidnight + 2 * kHour);
  Register("c_2", anna.id, {{"who", {"young_person"}}, {"topics", {"debts"}}});
  Start("c_3", kMidnight + 23 * kHour);  // the next day, local
  Register("c_3", anna.id, {{"who", {"professional"}}});

  InsightsFilter filter = TwoDays();
  filter.utc_offset_millis = kSummerTime;
  EXPECT_EQ(Answers(insights().ReadAnswers(filter).value()),
            (std::vector<AnswerRow>{{kDay, "topics", "debts", 2},
                                    {kDay, "topics", "threats", 1},
                                    {kDay, "who", "young_person", 2},
                                    {kDay + 1, "who", "professional", 1}}));
}

TEST_P(InsightsStoreContractTest, ShiftsAreCounsellorsByLocalDay) {
  const model::StaffAccount anna = Counsellor("anna");
  const model::StaffAccount bert = Counsellor("bert");
  const UnixMillis t = kMidnight + 10 * kHour;
  Start("c_1", t);
  Hold("c_1", anna.id, t + kSecond);
  Start("c_2", t + kHour);
  Hold("c_2", anna.id, t + kHour + kSecond);
  Start("c_3", t + kDayMillis);
  Hold("c_3", anna.id, t + kDayMillis + kSecond);
  Start("c_4", t);
  Hold("c_4", bert.id, t + kSecond);
  Finish("c_4", t + kHour);
  Start("c_5", t);
  Finish("c_5", t + kHour);

  const ShiftCounts shifts = insights().ReadShifts(TwoDays()).value();
  EXPECT_EQ(shifts.shifts, 3);
  EXPECT_EQ(shifts.conversations, 4);
  const ShiftCounts none =
      insights().ReadShifts({.from = kMidnight - kDayMillis, .to = kMidnight}).value();
  EXPECT_EQ(none.shifts, 0);
  EXPECT_EQ(none.conversations, 0);
}

TEST_P(InsightsStoreContractTest, FeedbackIsCountedByUtcDay) {
  for (const std::string id : {"c_1", "c_2", "c_3", "c_4", "c_5"}) {
    Start(id, kMidnight);
    Finish(id, kMidnight + kSecond);
  }
  Answer("c_1", {.helped = "yes", .would_return = "maybe"}, kMidnight + kHour);
  Answer("c_2", {.helped = "yes", .would_return = "maybe"}, kMidnight + 23 * kHour);
  Answer("c_3", {.helped = "no"}, kMidnight + kHour);
  Answer("c_4", {.helped = "yes", .would_return = "no"}, kMidnight + kDayMillis);
  Answer("c_5", {.helped = "somewhat"}, kMidnight + 3 * kDayMillis);

  const auto counted = insights().ReadFeedback(kDay, kDay + 1).value();
  std::vector<std::tuple<std::int64_t, std::string, std::string, std::int64_t>> rows;
  for (const FeedbackCount& row : counted) {
    rows.emplace_back(row.day, row.helped, row.would_return, row.count);
  }
  EXPECT_EQ(rows, (decltype(rows){
                      {kDay, "no", "", 1}, {kDay, "yes", "maybe", 2}, {kDay + 1, "yes", "no", 1}}));
  EXPECT_TRUE(insights().ReadFeedback(kDay + 4, kDay + 9).value().empty());
}

TEST_P(InsightsStoreContractTest, ThePeriodIncludesItsStartAndExcludesItsEnd) {
  const model::StaffAccount anna = Counsellor("anna");
  const InsightsFilter filter{.from = kMidnight, .to = kMidnight + kDayMillis};
  for (const auto& [id, at] :
       std::vector<std::pair<std::string, UnixMillis>>{{"c_before", filter.from - 1},
                                                       {"c_first", filter.from},
                                                       {"c_last", filter.to - 1},
                                                       {"c_after", filter.to}}) {
    Start(id, at);
    Hold(id, anna.id, at + kSecond);
    Finish(id, at + 2 * kSecond);
    Register(id, anna.id, {{"who", {id}}});
  }
  EXPECT_EQ(Started(insights().ReadFunnel(filter).value()), 2);
  EXPECT_EQ(Hours(insights().ReadHours(filter).value()),
            (std::vector<std::tuple<std::int64_t, std::int64_t, std::int64_t, std::int64_t>>{
                {filter.from / kHour, 1, 1, 0}, {(filter.to - 1) / kHour, 1, 1, 0}}));
  EXPECT_EQ(Durations(insights().ReadDurations(filter, DurationKind::length).value()),
            (std::vector<std::pair<std::int64_t, std::int64_t>>{{1, 2}}));
  EXPECT_EQ(Answers(insights().ReadAnswers(filter).value()),
            (std::vector<AnswerRow>{{kDay, "who", "c_first", 1}, {kDay, "who", "c_last", 1}}));
  EXPECT_EQ(insights().ReadShifts(filter).value().conversations, 2);
}

TEST_P(InsightsStoreContractTest, AnswersFollowARegistrationSavedAgain) {
  const model::StaffAccount anna = Counsellor("anna");
  Start("c_1", kMidnight + kHour, "school");
  Register("c_1", anna.id, {{"who", {"young_person"}}, {"region", {"Rotterdam"}}});
  InsightsFilter filter = TwoDays();
  filter.campaign = "school";
  filter.regions = {"Rotterdam"};
  EXPECT_EQ(
      Answers(insights().ReadAnswers(filter).value()),
      (std::vector<AnswerRow>{{kDay, "region", "Rotterdam", 1}, {kDay, "who", "young_person", 1}}));

  Register("c_1", anna.id, {{"who", {"professional"}}, {"region", {"Utrecht"}}});
  EXPECT_TRUE(insights().ReadAnswers(filter).value().empty());
  filter.regions = {"Utrecht"};
  EXPECT_EQ(
      Answers(insights().ReadAnswers(filter).value()),
      (std::vector<AnswerRow>{{kDay, "region", "Utrecht", 1}, {kDay, "who", "professional", 1}}));

  Register("c_1", anna.id, {{"who", {"professional"}}, {"criminal_involvement", {"yes"}}});
  EXPECT_TRUE(insights().ReadAnswers(filter).value().empty()) << "no region any more";
  filter.regions = {};
  EXPECT_EQ(Answers(insights().ReadAnswers(filter).value()),
            (std::vector<AnswerRow>{{kDay, "criminal_involvement", "yes", 1},
                                    {kDay, "who", "professional", 1}}));
  filter.campaign = "";
  EXPECT_TRUE(insights().ReadAnswers(filter).value().empty());
  Reopen();
  filter.campaign = "school";
  EXPECT_EQ(insights().ReadAnswers(filter).value().size(), 2u);
}

// Everything a store reads for a filter, to compare two readings.
struct Reading {
  std::vector<std::pair<std::string, Steps>> funnel;
  std::vector<std::tuple<std::int64_t, std::int64_t, std::int64_t, std::int64_t>> hours;
  std::vector<std::pair<std::int64_t, std::int64_t>> first_response;
  std::vector<std::pair<std::int64_t, std::int64_t>> abandoned_wait;
  std::vector<std::pair<std::int64_t, std::int64_t>> length;
  std::vector<AnswerRow> answers;
  std::pair<std::int64_t, std::int64_t> shifts;

  bool operator==(const Reading&) const = default;
};

Reading Read(InsightsStore& store, const InsightsFilter& filter) {
  const ShiftCounts shifts = store.ReadShifts(filter).value();
  return Reading{.funnel = Funnel(store.ReadFunnel(filter).value()),
                 .hours = Hours(store.ReadHours(filter).value()),
                 .first_response =
                     Durations(store.ReadDurations(filter, DurationKind::first_response).value()),
                 .abandoned_wait =
                     Durations(store.ReadDurations(filter, DurationKind::abandoned_wait).value()),
                 .length = Durations(store.ReadDurations(filter, DurationKind::length).value()),
                 .answers = Answers(store.ReadAnswers(filter).value()),
                 .shifts = {shifts.shifts, shifts.conversations}};
}

TEST(InsightsCountsTest, AnswerPeriodsFromMidnightsOfUtcToUtcPlusTwo) {
  const InsightsFilter winter{
      .from = kMidnight - kHour, .to = kMidnight + kDayMillis - kHour, .utc_offset_millis = kHour};
  EXPECT_TRUE(CountsAnswer(winter));
  InsightsFilter summer = winter;
  summer.from = kMidnight - 2 * kHour;
  summer.utc_offset_millis = kSummerTime;
  EXPECT_TRUE(CountsAnswer(summer)) << "a period across the change of summer time";
  EXPECT_TRUE(CountsAnswer({.from = kMidnight, .to = kMidnight + kDayMillis}));

  InsightsFilter other = winter;
  other.from = kMidnight + kHour;
  EXPECT_FALSE(CountsAnswer(other)) << "from 01:00 UTC";
  other = winter;
  other.to -= 1;
  EXPECT_FALSE(CountsAnswer(other));
  other = winter;
  other.utc_offset_millis = 3 * kHour;
  EXPECT_FALSE(CountsAnswer(other));
  other.utc_offset_millis = -kHour;
  EXPECT_FALSE(CountsAnswer(other));
  EXPECT_FALSE(CountsAnswer({.from = -kDayMillis, .to = kMidnight}));
}

// Whatever was written, what the kept counts answer equals what the rows give: the same filter
// read over its period (from the counts) and over a period 1 ms longer at both ends, which
// holds the same conversations (from the rows).
TEST_P(InsightsStoreContractTest, TheKeptCountsAgreeWithTheRows) {
  const model::StaffAccount anna = Counsellor("anna");
  const model::StaffAccount bert = Counsellor("bert");
  const auto at = [](std::int64_t hours, std::int64_t minutes) {
    return kMidnight + hours * kHour + minutes * 60 * kSecond;
  };
  // Around the midnights of UTC, UTC+1 and UTC+2, in three campaigns, one offline.
  Start("c_1", at(10, 5), "school");
  Hold("c_1", anna.id, at(10, 6));
  Finish("c_1", at(10, 40));
  Register("c_1", anna.id,
           {{"who", {"young_person"}},
            {"region", {"Rotterdam"}},
            {"criminal_involvement", {"yes"}},
            {"topics", {"debts", "threats"}}});
  const std::int64_t referral = Refer("c_1", anna.id, model::ReferralStatus::proposed);
  ASSERT_TRUE(handovers().SetReferralStatus(referral, model::ReferralStatus::proposed,
                                            model::ReferralStatus::completed, anna.id, at(11, 0)));
  Start("c_2", at(21, 55), "school");
  Hold("c_2", anna.id, at(21, 58));
  ASSERT_TRUE(Release("c_2", anna.id, at(22, 1)));
  Hold("c_2", bert.id, at(22, 3));
  Transfer("c_2", bert.id, anna.id, at(22, 10));
  Register("c_2", anna.id, {{"who", {"parent"}}, {"region", {"Utrecht"}}});
  Register("c_2", anna.id,
           {{"who", {"parent"}}, {"region", {"Rotterdam"}}, {"exploitation_signals", {"yes"}}});
  Start("c_3", at(22, 30), "tv");
  Finish("c_3", at(22, 34));  // abandoned
  Start("c_4", at(23, 15));
  Hold("c_4", bert.id, at(23, 16));
  Finish("c_4", at(23, 50));
  Register("c_4", bert.id, {{"who", {"professional"}}, {"region", {"Utrecht"}}});
  Refer("c_4", bert.id, model::ReferralStatus::completed);
  ASSERT_TRUE(Shred("c_4"));
  Start("c_5", at(23, 45), "school", true);
  Hold("c_5", anna.id, at(24, 30));
  Register("c_5", anna.id, {{"who", {"young_person"}}, {"region", {"Rotterdam"}}});
  Start("c_6", at(24, 20), "tv");
  Hold("c_6", anna.id, at(24, 21));
  Register("c_6", anna.id, {{"region", {"Rotterdam"}}, {"topics", {"debts"}}});
  const std::int64_t declined = Refer("c_6", anna.id, model::ReferralStatus::completed);
  ASSERT_TRUE(handovers().SetReferralStatus(declined, model::ReferralStatus::completed,
                                            model::ReferralStatus::declined, anna.id, at(25, 0)));
  Start("c_7", at(25, 10));  // waiting

  std::vector<InsightsFilter> filters;
  for (const std::int64_t offset : {std::int64_t{0}, kHour, kSummerTime}) {
    const InsightsFilter all{.from = kMidnight - offset,
                             .to = kMidnight - offset + 2 * kDayMillis,
                             .utc_offset_millis = offset};
    filters.push_back(all);
    InsightsFilter filter = all;
    filter.campaign = "school";
    filters.push_back(filter);
    filter.campaign = "";
    filters.push_back(filter);
    filter = all;
    filter.regions = {"Rotterdam"};
    filters.push_back(filter);
    filter.regions = {"Rotterdam", "Utrecht"};
    filter.campaign = "school";
    filters.push_back(filter);
    filter = all;
    filter.include_offline = true;
    filters.push_back(filter);
    filter.from += kDayMillis;  // from a midnight in the middle of the conversations
    filters.push_back(filter);
  }
  for (const InsightsFilter& counted : filters) {
    ASSERT_TRUE(CountsAnswer(counted));
    InsightsFilter rows = counted;
    rows.from -= 1;
    rows.to += 1;
    ASSERT_FALSE(CountsAnswer(rows));
    const Reading reading = Read(insights(), counted);
    EXPECT_EQ(reading, Read(insights(), rows))
        << "offset " << counted.utc_offset_millis << ", from " << counted.from << ", campaign "
        << counted.campaign.value_or("(any)") << ", " << counted.regions.size() << " regions"
        << (counted.include_offline ? ", offline too" : "");
    EXPECT_FALSE(reading.funnel.empty() && reading.answers.empty());
  }
}

TEST_P(InsightsStoreContractTest, TheCountsFollowReleaseTransferAndShredding) {
  const model::StaffAccount anna = Counsellor("anna");
  const model::StaffAccount bert = Counsellor("bert");
  const UnixMillis t = kMidnight + 10 * kHour;
  Start("c_1", t, "school");
  Hold("c_1", anna.id, t + kSecond);
  ASSERT_TRUE(Release("c_1", anna.id, t + 2 * kSecond));
  const InsightsFilter filter = TwoDays();
  EXPECT_EQ(Funnel(insights().ReadFunnel(filter).value()),
            (std::vector<std::pair<std::string, Steps>>{{"school", {1, 0, 0, 0, 0, 0, 0}}}));
  EXPECT_EQ(insights().ReadShifts(filter).value().shifts, 0);

  Hold("c_1", anna.id, t + 3 * kSecond);
  Transfer("c_1", anna.id, bert.id, t + 4 * kSecond);
  Start("c_2", t, "school");
  Hold("c_2", bert.id, t + kSecond);
  const ShiftCounts shifts = insights().ReadShifts(filter).value();
  EXPECT_EQ(shifts.shifts, 1) << "both bert's";
  EXPECT_EQ(shifts.conversations, 2);

  Finish("c_1", t + kHour);
  Register("c_1", bert.id, {{"criminal_involvement", {"yes"}}});
  ASSERT_TRUE(Shred("c_1").value());
  EXPECT_EQ(Funnel(insights().ReadFunnel(filter).value()),
            (std::vector<std::pair<std::string, Steps>>{{"school", {2, 2, 1, 1, 0, 0, 0}}}))
      << "a shredded conversation counts under its campaign, as its registration's answers do";
}

INSTANTIATE_TEST_SUITE_P(Backends, InsightsStoreContractTest,
                         ::testing::ValuesIn(ContractBackends()),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace uitweg::store
