#include "store/insights_sql.hpp"

#include <algorithm>

#include "core/json_text.hpp"

namespace uitweg::store {
namespace {

constexpr std::int64_t kDayMillis = 86'400'000;
constexpr std::int64_t kHourMillis = 3'600'000;

// Builds one query: every value goes in as a parameter, never into the text.
class Builder {
 public:
  explicit Builder(SqlDialect dialect) : dialect_(dialect) {}

  std::string Param(std::variant<std::int64_t, std::string> value) {
    query_.params.push_back(std::move(value));
    return (dialect_ == SqlDialect::sqlite ? "?" : "$") + std::to_string(query_.params.size());
  }

  // A subquery of `values`, bound as one JSON array: the query's text is the same for any number
  // of them, so the statement caches keep one statement, not one for each count asked for.
  std::string List(const std::vector<std::string>& values) {
    std::string array = "[";
    for (const std::string& value : values) {
      if (array.size() > 1) array += ',';
      core::AppendJsonString(array, value);
    }
    array += ']';
    const std::string param = Param(std::move(array));
    return dialect_ == SqlDialect::sqlite
               ? "SELECT value FROM json_each(" + param + ")"
               : "SELECT jsonb_array_elements_text(" + param + "::jsonb)";
  }

  // `column` ordered bytewise.
  std::string Bytewise(std::string_view column) const {
    return std::string(column) + (dialect_ == SqlDialect::postgres ? " COLLATE \"C\"" : "");
  }

  InsightsQuery Finish(std::string sql) {
    query_.sql = std::move(sql);
    return std::move(query_);
  }

 private:
  SqlDialect dialect_;
  InsightsQuery query_;
};

// The conditions of one filter, each parameter bound once.
//
// Conversations are counted from `conversation AS c` (its region kept on it), answers from
// `registration_answer AS r` by its own copies of the conversation's start, campaign and region:
// no query looks up the answers of each conversation of a period, or the conversation of each
// answer, since conversation ids are random and every look-up lands elsewhere in a large index.
// Where CountsAnswer, they are counted from the counts the database keeps instead.
class Filtered {
 public:
  Filtered(Builder& query, const InsightsFilter& filter)
      : from_(query.Param(filter.from)),
        to_(query.Param(filter.to)),
        include_offline_(filter.include_offline),
        counted_(CountsAnswer(filter)) {
    conversations_ = "c.created_at >= " + from_ + " AND c.created_at < " + to_;
    answers_ = "r.started_at >= " + from_ + " AND r.started_at < " + to_;
    if (!filter.include_offline) conversations_ += " AND c.offline = 0";
    if (filter.campaign) {
      campaign_ = query.Param(*filter.campaign);
      conversations_ += " AND c.campaign = " + campaign_;
      answers_ += " AND r.campaign = " + campaign_;
    }
    if (!filter.regions.empty()) {
      regions_ = query.List(filter.regions);
      conversations_ += " AND c.region IN (" + regions_ + ")";
      answers_ += " AND r.region IN (" + regions_ + ")";
    }
  }

  // To follow WHERE, on `conversation AS c`.
  const std::string& Conversations() const { return conversations_; }
  // To follow WHERE, on `registration_answer AS r`; offline conversations' answers too.
  const std::string& Answers() const { return answers_; }
  // Whether offline conversations' answers must be taken off those of Answers().
  bool LeavesOutOffline() const { return !include_offline_; }
  // What follows FROM for the answers of Answers() of offline conversations. These are few:
  // counted apart and taken off, they spare the many others a look-up of their conversation.
  // CROSS JOIN makes SQLite go from those few conversations to their answers.
  std::string OfflineAnswers() const {
    return "conversation AS o CROSS JOIN registration_answer AS r WHERE o.offline = 1"
           " AND o.created_at >= " +
           from_ + " AND o.created_at < " + to_ + " AND r.conversation_id = o.id AND " + answers_;
  }

  // Whether the kept answer counts answer this filter.
  bool AnswersCounted() const { return counted_; }
  // Whether the kept conversation counts do: they know no region.
  bool ConversationsCounted() const { return counted_ && regions_.empty(); }
  // What follows FROM for the kept counts of the answers, `r` with columns bucket, field, value,
  // n, and campaign too when `with_campaign`.
  std::string CountedAnswers(bool with_campaign) const {
    std::string counted;
    if (!regions_.empty()) {
      counted = "answer_count_by_region AS r WHERE r.region IN (" + regions_ + ") AND ";
    } else if (!campaign_.empty() || with_campaign) {
      counted = "answer_count_by_campaign AS r WHERE ";
    } else {
      counted = "answer_count AS r WHERE ";
    }
    counted += "r.bucket >= " + from_ + " AND r.bucket < " + to_;
    if (!include_offline_) counted += " AND r.offline = 0";
    if (!campaign_.empty()) counted += " AND r.campaign = " + campaign_;
    return counted;
  }
  // What follows FROM for the kept counts of conversations in `table` (conversation_count or
  // shift_count, as `k`) whose period starts at `period`.
  std::string CountedConversations(std::string_view table, std::string_view period) const {
    std::string counted = std::string(table) + " AS k WHERE k." + std::string(period) +
                          " >= " + from_ + " AND k." + std::string(period) + " < " + to_;
    if (!include_offline_) counted += " AND k.offline = 0";
    if (!campaign_.empty()) counted += " AND k.campaign = " + campaign_;
    return counted;
  }

 private:
  std::string from_;
  std::string to_;
  std::string campaign_;  // the parameter, if the filter has a campaign
  std::string regions_;   // the parameters, if the filter has regions
  std::string conversations_;
  std::string answers_;
  bool include_offline_ = false;
  bool counted_ = false;
};

std::string CountWhere(std::string_view condition) {
  return "COUNT(CASE WHEN " + std::string(condition) + " THEN 1 END)";
}

// Whether `at` is where a part of a day of the kept counts begins: 00:00, 22:00 or 23:00 UTC.
bool StartsCountedPart(core::UnixMillis at) {
  const std::int64_t into_day = at % kDayMillis;
  return into_day == 0 || into_day == 22 * kHourMillis || into_day == 23 * kHourMillis;
}

}  // namespace

bool CountsAnswer(const InsightsFilter& filter) {
  const std::int64_t offset = filter.utc_offset_millis;
  return filter.from >= 0 && filter.to >= 0 && StartsCountedPart(filter.from) &&
         StartsCountedPart(filter.to) &&
         (offset == 0 || offset == kHourMillis || offset == 2 * kHourMillis);
}

InsightsQuery FunnelQuery(const InsightsFilter& filter, SqlDialect dialect) {
  Builder query(dialect);
  const Filtered where(query, filter);
  const std::string conversations =
      where.ConversationsCounted()
          ? "SELECT k.campaign AS campaign, SUM(k.started) AS started, SUM(k.held) AS held,"
            " SUM(k.registered) AS registered, SUM(k.referred) AS proposed,"
            " SUM(k.referral_completed) AS completed FROM " +
                where.CountedConversations("conversation_count", "hour") +
                " GROUP BY k.campaign HAVING SUM(k.started) > 0"
          : "SELECT c.campaign AS campaign, COUNT(*) AS started, COUNT(c.accepted_at) AS held, " +
                CountWhere("c.registered = 1") + " AS registered, " + CountWhere("c.referred = 1") +
                " AS proposed, " + CountWhere("c.referral_completed = 1") +
                " AS completed FROM conversation AS c WHERE " + where.Conversations() +
                " GROUP BY c.campaign";
  // At most one answer per registration and field is "yes": counting answers counts
  // conversations.
  const std::string yes =
      " AND r.field IN ('criminal_involvement', 'exploitation_signals') AND r.value = 'yes'";
  std::string answers;
  if (where.AnswersCounted()) {
    answers =
        "SELECT r.campaign AS campaign,"
        " SUM(CASE WHEN r.field = 'criminal_involvement' THEN r.n ELSE 0 END) AS criminal,"
        " SUM(CASE WHEN r.field = 'exploitation_signals' THEN r.n ELSE 0 END) AS exploitation"
        " FROM " +
        where.CountedAnswers(/*with_campaign=*/true) + yes + " GROUP BY r.campaign";
  } else {
    const std::string criminal = CountWhere("r.field = 'criminal_involvement'");
    const std::string exploitation = CountWhere("r.field = 'exploitation_signals'");
    answers = "SELECT r.campaign AS campaign, " + criminal + " AS criminal, " + exploitation +
              " AS exploitation FROM registration_answer AS r WHERE " + where.Answers() + yes +
              " GROUP BY r.campaign";
    if (where.LeavesOutOffline()) {
      answers =
          "SELECT campaign, SUM(criminal) AS criminal, SUM(exploitation) AS exploitation"
          " FROM (" +
          answers + " UNION ALL SELECT r.campaign, -" + criminal + ", -" + exploitation + " FROM " +
          where.OfflineAnswers() + yes + " GROUP BY r.campaign) AS s GROUP BY campaign";
    }
  }
  return query.Finish(
      "SELECT k.campaign, k.started, k.held, k.registered, COALESCE(a.criminal, 0),"
      " COALESCE(a.exploitation, 0), k.proposed, k.completed FROM (" +
      conversations + ") AS k LEFT JOIN (" + answers +
      ") AS a ON a.campaign = k.campaign ORDER BY " + query.Bytewise("k.campaign"));
}

InsightsQuery HoursQuery(const InsightsFilter& filter, SqlDialect dialect) {
  Builder query(dialect);
  const std::string offset = query.Param(filter.utc_offset_millis);
  const std::string hours = ") / " + std::to_string(kHourMillis);
  const Filtered where(query, filter);
  if (where.ConversationsCounted()) {
    return query.Finish("SELECT (k.hour + " + offset + hours +
                        ", SUM(k.started), SUM(k.held), SUM(k.abandoned) FROM " +
                        where.CountedConversations("conversation_count", "hour") +
                        " GROUP BY k.hour HAVING SUM(k.started) > 0 ORDER BY k.hour");
  }
  return query.Finish(
      "SELECT (c.created_at + " + offset + hours + ", COUNT(*), COUNT(c.accepted_at), " +
      CountWhere("c.status = 'ended' AND c.accepted_at IS NULL") +
      " FROM conversation AS c WHERE " + where.Conversations() + " GROUP BY 1 ORDER BY 1");
}

InsightsQuery DurationsQuery(const InsightsFilter& filter, DurationKind kind, SqlDialect dialect) {
  const char* start = "c.created_at";
  const char* end = "c.accepted_at";
  const char* which = "c.accepted_at IS NOT NULL";
  switch (kind) {
    case DurationKind::first_response: break;
    case DurationKind::abandoned_wait:
      end = "c.ended_at";
      which = "c.status = 'ended' AND c.accepted_at IS NULL";
      break;
    case DurationKind::length:
      start = "c.accepted_at";
      end = "c.ended_at";
      which = "c.accepted_at IS NOT NULL AND c.ended_at IS NOT NULL";
      break;
  }
  Builder query(dialect);
  const Filtered where(query, filter);
  // Whole seconds, a clock that went back counting as none; then the buckets of the header.
  return query.Finish(
      "SELECT b, COUNT(*) FROM (SELECT CASE WHEN s < 3600 THEN s WHEN s < 86400 THEN s / 60 * 60"
      " ELSE s / 86400 * 86400 END AS b FROM (SELECT CASE WHEN " +
      std::string(end) + " < " + start + " THEN 0 ELSE (" + end + " - " + start +
      ") / 1000 END AS s FROM conversation AS c WHERE " + where.Conversations() + " AND " + which +
      ") AS d) AS e GROUP BY b ORDER BY b");
}

InsightsQuery AnswersQuery(const InsightsFilter& filter, SqlDialect dialect) {
  Builder query(dialect);
  const std::string offset = query.Param(filter.utc_offset_millis);
  const std::string days = ") / " + std::to_string(kDayMillis);
  const Filtered where(query, filter);
  std::string answers;
  if (where.AnswersCounted()) {
    answers = "SELECT (r.bucket + " + offset + days +
              " AS day, r.field AS field, r.value AS value, SUM(r.n) AS n FROM " +
              where.CountedAnswers(/*with_campaign=*/false) +
              " GROUP BY 1, 2, 3 HAVING SUM(r.n) > 0";
  } else {
    const std::string day = "(r.started_at + " + offset + days;
    answers = "SELECT " + day +
              " AS day, r.field AS field, r.value AS value, COUNT(*) AS n"
              " FROM registration_answer AS r WHERE " +
              where.Answers() + " GROUP BY 1, 2, 3";
    if (where.LeavesOutOffline()) {
      answers = "SELECT day, field, value, SUM(n) AS n FROM (" + answers + " UNION ALL SELECT " +
                day + ", r.field, r.value, -COUNT(*) FROM " + where.OfflineAnswers() +
                " GROUP BY 1, 2, 3) AS s GROUP BY day, field, value HAVING SUM(s.n) > 0";
    }
  }
  return query.Finish("SELECT day, field, value, n FROM (" + answers + ") AS a ORDER BY day, " +
                      query.Bytewise("field") + ", " + query.Bytewise("value"));
}

InsightsQuery ShiftsQuery(const InsightsFilter& filter, SqlDialect dialect) {
  Builder query(dialect);
  const std::string offset = query.Param(filter.utc_offset_millis);
  const std::string days = ") / " + std::to_string(kDayMillis);
  const Filtered where(query, filter);
  const std::string shifts = where.ConversationsCounted()
                                 ? "SELECT k.counsellor_id, (k.bucket + " + offset + days +
                                       " AS day, SUM(k.held) AS n FROM " +
                                       where.CountedConversations("shift_count", "bucket") +
                                       " GROUP BY 1, 2 HAVING SUM(k.held) > 0"
                                 : "SELECT c.counsellor_id, (c.created_at + " + offset + days +
                                       " AS day, COUNT(*) AS n FROM conversation AS c WHERE " +
                                       where.Conversations() +
                                       " AND c.accepted_at IS NOT NULL GROUP BY 1, 2";
  return query.Finish("SELECT COUNT(*), COALESCE(SUM(n), 0) FROM (" + shifts + ") AS s");
}

InsightsQuery FeedbackQuery(std::int64_t first_day, std::int64_t last_day, SqlDialect dialect) {
  Builder query(dialect);
  const std::string first = query.Param(first_day);
  const std::string last = query.Param(last_day);
  return query.Finish(
      "SELECT day, h, w, COUNT(*) FROM (SELECT day, COALESCE(helped, '') AS h,"
      " COALESCE(would_return, '') AS w FROM visitor_feedback WHERE day >= " +
      first + " AND day <= " + last + ") AS f GROUP BY day, h, w ORDER BY day, " +
      query.Bytewise("h") + ", " + query.Bytewise("w"));
}

std::string RegionOf(const model::Registration& registration) {
  const auto found = registration.answers.find("region");
  if (found == registration.answers.end() || found->second.empty()) return "";
  return *std::min_element(found->second.begin(), found->second.end());
}

}  // namespace uitweg::store
