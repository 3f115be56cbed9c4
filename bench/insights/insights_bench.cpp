// uitweg-insights-bench: how long the insights dashboard's queries (store/insights_store.hpp)
// take over a year of a busy service. Fills a fresh database with N conversations spread over
// one year (evenings busiest), most of them held and registered with answers to every field of
// the built-in form (forms/registration.toml; a municipality from about 40 for the region), some
// abandoned, some offline, some with referrals or feedback, then times every query over the
// whole year, the whole dashboard (insights::DashboardReader, without and with a campaign or
// regions) and a partner's report of its regions over the year (insights::PartnerReportBuilder,
// rendered as CSV and as HTML), each the median of the runs, and prints a table. Never a
// pass/fail test.
//
//   uitweg-insights-bench [--conversations N] [--runs R] [--dir PATH] [--keep]
//                         [--postgres URL]
//
// The SQLite database goes into a fresh folder under --dir (default: the system temp folder),
// removed afterwards unless --keep (to look at query plans, say). --postgres URL fills and measures
// that (empty) PostgreSQL database as well; it is left filled. The schema is the stores' own (their
// migrations); the rows go in with plain SQL (COPY on PostgreSQL) in large transactions, as
// SaveRegistration would write them, and the database's triggers keep its counts as they go.
// SQLite is measured as the server leaves it (never ANALYZEd); PostgreSQL after VACUUM ANALYZE,
// as its autovacuum would soon do.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <optional>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "app/registration_form.hpp"
#include "chat/opening_hours.hpp"
#include "core/log.hpp"
#include "insights/dashboard.hpp"
#include "insights/partner_report.hpp"
#include "store/postgres/connection.hpp"
#include "store/postgres/postgres_database.hpp"
#include "store/sqlite/connection.hpp"
#include "store/sqlite/sqlite_database.hpp"

namespace {

using namespace uitweg;
using Clock = std::chrono::steady_clock;

constexpr std::int64_t kSecond = 1000;
constexpr std::int64_t kHour = 3600 * kSecond;
constexpr std::int64_t kDay = 24 * kHour;
constexpr std::int64_t kYearStart = 1'704'067'200'000;  // 2024-01-01T00:00:00Z
constexpr std::int64_t kYear = 366 * kDay;
constexpr std::int64_t kAmsterdamWinter = kHour;
constexpr int kCounsellors = 40;
constexpr int kOrganisations = 25;
constexpr std::size_t kChunk = 20'000;  // conversations a transaction

struct Options {
  std::int64_t conversations = 250'000;
  int runs = 5;
  std::filesystem::path dir = std::filesystem::temp_directory_path();
  std::string postgres_url = {};
  bool keep = false;
};

// Weighted: a municipality's share of the conversations that name one.
struct Place {
  const char* name;
  int weight;
};
constexpr Place kMunicipalities[] = {{"Amsterdam", 60},
                                     {"Rotterdam", 55},
                                     {"'s-Gravenhage", 45},
                                     {"Utrecht", 30},
                                     {"Eindhoven", 20},
                                     {"Groningen", 18},
                                     {"Tilburg", 18},
                                     {"Almere", 17},
                                     {"Breda", 15},
                                     {"Nijmegen", 14},
                                     {"Apeldoorn", 12},
                                     {"Haarlem", 12},
                                     {"Arnhem", 12},
                                     {"Enschede", 12},
                                     {"Amersfoort", 12},
                                     {"Zaanstad", 12},
                                     {"'s-Hertogenbosch", 12},
                                     {"Haarlemmermeer", 12},
                                     {"Zwolle", 11},
                                     {"Leiden", 10},
                                     {"Maastricht", 10},
                                     {"Dordrecht", 10},
                                     {"Zoetermeer", 10},
                                     {"Ede", 9},
                                     {"Emmen", 8},
                                     {"Westland", 8},
                                     {"Venlo", 8},
                                     {"Delft", 8},
                                     {"Deventer", 8},
                                     {"Leeuwarden", 8},
                                     {"Alkmaar", 8},
                                     {"Helmond", 7},
                                     {"Heerlen", 7},
                                     {"Hilversum", 7},
                                     {"Oss", 7},
                                     {"Schiedam", 6},
                                     {"Vlaardingen", 6},
                                     {"Spijkenisse", 5},
                                     {"Kerkrade", 4},
                                     {"Den Helder", 4}};

// A campaign code and its share of conversations; the rest came without one.
struct Campaign {
  const char* code;
  int weight;
};
constexpr Campaign kCampaigns[] = {
    {"", 55},           {"tiktok", 12},      {"instagram", 9}, {"school", 8},  {"radio", 4},
    {"poster-rdam", 4}, {"jongerenwerk", 4}, {"politie", 2},   {"huisarts", 2}};

// Conversations started per hour of the day (local), relative: quiet at night, busy evenings.
constexpr int kHourWeights[24] = {4, 2, 1, 1,  1,  1,  1,  2,  3,  4,  5,  6,
                                  7, 8, 9, 10, 12, 14, 16, 18, 20, 18, 14, 8};

struct Conversation {
  std::string id = {};
  std::int64_t created_at = 0;
  std::optional<std::int64_t> counsellor_id = {};
  std::optional<std::int64_t> accepted_at = {};
  std::int64_t ended_at = 0;
  const char* end_reason = "visitor";
  bool offline = false;
  std::string campaign = {};
  bool feedback_given = false;
};

struct Registration {
  std::string conversation_id = {};
  std::int64_t counsellor_id = 0;
  bool complete = true;
  std::int64_t updated_at = 0;
};

struct Answer {
  std::string conversation_id = {};
  std::string field = {};
  std::string value = {};
  std::int64_t started_at = 0;
  std::string campaign = {};
  std::string region = {};
};

struct Referral {
  std::int64_t id = 0;
  std::string conversation_id = {};
  std::int64_t organisation_id = 0;
  std::int64_t counsellor_id = 0;
  const char* status = "proposed";
  std::int64_t created_at = 0;
};

struct Feedback {
  std::int64_t day = 0;
  std::optional<std::string> helped = {};
  std::optional<std::string> would_return = {};
};

// The rows of one transaction.
struct Chunk {
  std::vector<Conversation> conversations = {};
  std::vector<Registration> registrations = {};
  std::vector<Answer> answers = {};
  std::vector<Referral> referrals = {};
  std::vector<Feedback> feedback = {};
};

// Deterministic: the same rows on every run.
class Generator {
 public:
  Generator(std::int64_t count, model::RegistrationForm form)
      : form_(std::move(form)), count_(count) {
    std::vector<double> hours(std::begin(kHourWeights), std::end(kHourWeights));
    hour_ = std::discrete_distribution<int>(hours.begin(), hours.end());
    std::vector<double> places;
    for (const Place& place : kMunicipalities) places.push_back(place.weight);
    place_ = std::discrete_distribution<std::size_t>(places.begin(), places.end());
    std::vector<double> campaigns;
    for (const Campaign& campaign : kCampaigns) campaigns.push_back(campaign.weight);
    campaign_ = std::discrete_distribution<std::size_t>(campaigns.begin(), campaigns.end());
    // Start times in order, as conversations arrive.
    starts_.reserve(static_cast<std::size_t>(count));
    std::uniform_int_distribution<std::int64_t> day(0, kYear / kDay - 1);
    std::uniform_int_distribution<std::int64_t> within_hour(0, kHour - 1);
    for (std::int64_t i = 0; i < count; ++i) {
      starts_.push_back(kYearStart + day(random_) * kDay + hour_(random_) * kHour -
                        kAmsterdamWinter + within_hour(random_));
    }
    std::sort(starts_.begin(), starts_.end());
  }

  bool Done() const { return next_ >= count_; }

  Chunk Next() {
    Chunk chunk;
    const std::int64_t end = std::min(count_, next_ + static_cast<std::int64_t>(kChunk));
    for (; next_ < end; ++next_) Add(chunk);
    return chunk;
  }

 private:
  double Uniform() { return std::uniform_real_distribution<double>(0, 1)(random_); }
  std::int64_t Exponential(double mean_ms) {
    return static_cast<std::int64_t>(std::exponential_distribution<double>(1 / mean_ms)(random_));
  }
  std::size_t Index(std::size_t size) {
    return std::uniform_int_distribution<std::size_t>(0, size - 1)(random_);
  }
  // Earlier options are likelier: weights 1/(1+i).
  std::size_t Skewed(std::size_t size) {
    std::vector<double> weights;
    for (std::size_t i = 0; i < size; ++i) weights.push_back(1.0 / static_cast<double>(1 + i));
    return std::discrete_distribution<std::size_t>(weights.begin(), weights.end())(random_);
  }

  // Shaped as crypto::RandomId("c_") makes them (random, so that looking them up is as
  // scattered), but from the seeded generator.
  std::string RandomId() {
    static constexpr char kAlphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string id = "c_" + std::string(22, ' ');
    for (std::size_t i = 2; i < id.size(); ++i) id[i] = kAlphabet[Index(64)];
    return id;
  }

  void Add(Chunk& chunk) {
    Conversation c;
    c.id = RandomId();
    c.created_at = starts_[static_cast<std::size_t>(next_)];
    c.offline = Uniform() < 0.03;
    c.campaign = kCampaigns[campaign_(random_)].code;
    const std::int64_t day = (c.created_at + kAmsterdamWinter - kYearStart) / kDay;
    // About six counsellors on duty a day, taking turns.
    c.counsellor_id = 1 + (day * 7 + static_cast<std::int64_t>(Index(6))) % kCounsellors;
    const double fate = Uniform();
    if (c.offline) {
      c.accepted_at = c.created_at + 2 * kHour + Exponential(8.0 * kHour);
      c.ended_at = *c.accepted_at + 5 * 60 * kSecond + Exponential(20.0 * 60 * kSecond);
    } else if (fate < 0.83) {
      const std::int64_t wait = Uniform() < 0.02
                                    ? 15 * 60 * kSecond + Exponential(30.0 * 60 * kSecond)
                                    : Exponential(100.0 * kSecond);
      c.accepted_at = c.created_at + wait;
      c.ended_at = *c.accepted_at + 60 * kSecond + Exponential(25.0 * 60 * kSecond);
      c.end_reason = Uniform() < 0.6 ? "counsellor" : "visitor";
    } else {
      c.counsellor_id.reset();
      c.ended_at = c.created_at + Exponential(4.0 * 60 * kSecond);
      c.end_reason = Uniform() < 0.5 ? "abandoned" : "visitor";
    }
    if (c.accepted_at && Uniform() < 0.92) Register(chunk, c);
    if (Uniform() < 0.18) {
      c.feedback_given = true;
      chunk.feedback.push_back(Feedback{.day = c.ended_at / kDay,
                                        .helped = Pick({"yes", "yes", "somewhat", "no"}, 0.1),
                                        .would_return = Pick({"yes", "maybe", "no"}, 0.2)});
    }
    chunk.conversations.push_back(std::move(c));
  }

  std::optional<std::string> Pick(std::vector<const char*> options, double unanswered) {
    if (Uniform() < unanswered) return std::nullopt;
    return std::string(options[Index(options.size())]);
  }

  void Register(Chunk& chunk, const Conversation& c) {
    const std::int64_t counsellor = *c.counsellor_id;
    chunk.registrations.push_back(Registration{.conversation_id = c.id,
                                               .counsellor_id = counsellor,
                                               .complete = Uniform() < 0.95,
                                               .updated_at = c.ended_at + 5 * 60 * kSecond});
    std::vector<std::pair<std::string, std::string>> answers;
    std::string region;
    for (const model::FormField& field : form_.fields) {
      if (!field.required && Uniform() < 0.35) continue;
      switch (field.type) {
        case model::FieldType::place:
          region = kMunicipalities[place_(random_)].name;
          answers.emplace_back(field.id, region);
          break;
        case model::FieldType::choice:
          answers.emplace_back(field.id, field.options[Skewed(field.options.size())].id);
          break;
        case model::FieldType::choices: {
          std::vector<std::size_t> chosen;
          const std::size_t how_many = 1 + Skewed(3);
          while (chosen.size() < std::min(how_many, field.options.size())) {
            const std::size_t option = Skewed(field.options.size());
            if (std::find(chosen.begin(), chosen.end(), option) == chosen.end()) {
              chosen.push_back(option);
            }
          }
          for (std::size_t option : chosen)
            answers.emplace_back(field.id, field.options[option].id);
          break;
        }
      }
    }
    for (auto& [field, value] : answers) {
      chunk.answers.push_back(Answer{.conversation_id = c.id,
                                     .field = std::move(field),
                                     .value = std::move(value),
                                     .started_at = c.created_at,
                                     .campaign = c.campaign,
                                     .region = region});
    }
    if (Uniform() < 0.08) {
      const double outcome = Uniform();
      chunk.referrals.push_back(
          Referral{.id = ++referrals_,
                   .conversation_id = c.id,
                   .organisation_id = 1 + static_cast<std::int64_t>(Index(kOrganisations)),
                   .counsellor_id = counsellor,
                   .status = outcome < 0.3   ? "proposed"
                             : outcome < 0.5 ? "accepted"
                             : outcome < 0.9 ? "completed"
                                             : "declined",
                   .created_at = c.ended_at});
    }
  }

  model::RegistrationForm form_;
  std::int64_t count_;
  std::int64_t next_ = 0;
  std::int64_t referrals_ = 0;
  std::mt19937_64 random_{20240101};
  std::discrete_distribution<int> hour_;
  std::discrete_distribution<std::size_t> place_;
  std::discrete_distribution<std::size_t> campaign_;
  std::vector<std::int64_t> starts_;
};

[[noreturn]] void Die(const std::string& what, const core::Error& error) {
  std::fprintf(stderr, "%s: %s\n", what.c_str(), error.message.c_str());
  std::exit(1);
}

template <class T>
T Must(core::Result<T> result, const std::string& what) {
  if (!result) Die(what, result.error());
  return std::move(*result);
}

void Must(core::Status status, const std::string& what) {
  if (!status) Die(what, status.error());
}

// --- SQLite

void FillSqlite(const std::string& path, Generator& generator) {
  auto db =
      Must(store::sqlite::Connection::Open(path, store::sqlite::Connection::Mode::read_write, 5000),
           "open " + path);
  // Statement journals in memory, as the store's writer keeps them.
  Must(db->Exec("PRAGMA synchronous = OFF; PRAGMA temp_store = MEMORY"), "pragma");
  Must(db->Exec("BEGIN"), "begin");
  for (int i = 1; i <= kCounsellors; ++i) {
    auto insert = Must(db->Prepare("INSERT INTO staff_account (id, username, role, display_name,"
                                   " password_hash, created_at) VALUES (?1, ?2, 'counsellor', ?2,"
                                   " '$argon2id$bench', ?3)"),
                       "staff");
    Must(insert.Bind(1, std::int64_t{i}).Bind(2, fmt::format("c{}", i)).Bind(3, kYearStart).Run(),
         "staff");
  }
  for (int i = 1; i <= kOrganisations; ++i) {
    auto insert = Must(db->Prepare("INSERT INTO organisation (id, name, description, region,"
                                   " contact_person, contact_phone, contact_email, active,"
                                   " updated_at) VALUES (?1, ?2, '', ?3, '', '', '', 1, ?4)"),
                       "organisation");
    Must(insert.Bind(1, std::int64_t{i})
             .Bind(2, fmt::format("Organisatie {}", i))
             .Bind(3, kMunicipalities[i].name)
             .Bind(4, kYearStart)
             .Run(),
         "organisation");
  }
  Must(db->Exec("COMMIT"), "commit");
  while (!generator.Done()) {
    const Chunk chunk = generator.Next();
    Must(db->Exec("BEGIN"), "begin");
    for (const Conversation& c : chunk.conversations) {
      auto insert =
          Must(db->Prepare("INSERT INTO conversation (id, resume_token_hash, status, subject,"
                           " counsellor_id, created_at, accepted_at, ended_at, end_reason, offline,"
                           " pickup_code_hash, campaign, feedback_given) VALUES (?1, 'r' || ?1,"
                           " 'ended', 'self', ?2, ?3, ?4, ?5, ?6, ?7,"
                           " CASE WHEN ?7 = 1 THEN 'p' || ?1 END, ?8, ?9)"),
               "conversation");
      Must(insert.Bind(1, c.id)
               .Bind(2, c.counsellor_id)
               .Bind(3, c.created_at)
               .Bind(4, c.accepted_at)
               .Bind(5, c.ended_at)
               .Bind(6, std::string_view(c.end_reason))
               .Bind(7, std::int64_t{c.offline ? 1 : 0})
               .Bind(8, c.campaign)
               .Bind(9, std::int64_t{c.feedback_given ? 1 : 0})
               .Run(),
           "conversation");
    }
    for (const Registration& r : chunk.registrations) {
      auto insert = Must(db->Prepare("INSERT INTO registration (conversation_id, counsellor_id,"
                                     " complete, form_version, updated_at)"
                                     " VALUES (?1, ?2, ?3, 1, ?4)"),
                         "registration");
      Must(insert.Bind(1, r.conversation_id)
               .Bind(2, r.counsellor_id)
               .Bind(3, std::int64_t{r.complete ? 1 : 0})
               .Bind(4, r.updated_at)
               .Run(),
           "registration");
    }
    for (const Answer& a : chunk.answers) {
      auto insert = Must(db->Prepare("INSERT INTO registration_answer (conversation_id, field,"
                                     " value, started_at, campaign, region)"
                                     " VALUES (?1, ?2, ?3, ?4, ?5, ?6)"),
                         "answer");
      Must(insert.Bind(1, a.conversation_id)
               .Bind(2, a.field)
               .Bind(3, a.value)
               .Bind(4, a.started_at)
               .Bind(5, a.campaign)
               .Bind(6, a.region)
               .Run(),
           "answer");
    }
    for (const Referral& r : chunk.referrals) {
      auto insert = Must(db->Prepare("INSERT INTO referral (id, conversation_id, organisation_id,"
                                     " counsellor_id, status, details_seq, created_at, updated_at,"
                                     " updated_by) VALUES (?1, ?2, ?3, ?4, ?5, ?1, ?6, ?6, ?4)"),
                         "referral");
      Must(insert.Bind(1, r.id)
               .Bind(2, r.conversation_id)
               .Bind(3, r.organisation_id)
               .Bind(4, r.counsellor_id)
               .Bind(5, std::string_view(r.status))
               .Bind(6, r.created_at)
               .Run(),
           "referral");
    }
    for (const Feedback& f : chunk.feedback) {
      auto insert = Must(db->Prepare("INSERT INTO visitor_feedback (day, helped, would_return)"
                                     " VALUES (?1, ?2, ?3)"),
                         "feedback");
      insert.Bind(1, f.day);
      if (f.helped) {
        insert.Bind(2, *f.helped);
      } else {
        insert.BindNull(2);
      }
      if (f.would_return) {
        insert.Bind(3, *f.would_return);
      } else {
        insert.BindNull(3);
      }
      Must(insert.Run(), "feedback");
    }
    Must(db->Exec("COMMIT"), "commit");
  }
  Must(db->Exec("PRAGMA wal_checkpoint(TRUNCATE)"), "checkpoint");
}

// --- PostgreSQL

// Rows for COPY in text format: columns tab-separated, \N for NULL.
class CopyText {
 public:
  CopyText& Text(std::string_view text) {
    Next();
    store::postgres::AppendCopyText(rows_, text);
    return *this;
  }
  CopyText& Int(std::int64_t number) {
    Next();
    rows_ += std::to_string(number);
    return *this;
  }
  CopyText& OptionalInt(const std::optional<std::int64_t>& number) {
    return number ? Int(*number) : Null();
  }
  CopyText& OptionalText(const std::optional<std::string>& text) {
    return text ? Text(*text) : Null();
  }
  void EndRow() {
    rows_ += '\n';
    at_start_ = true;
  }
  const std::string& rows() const { return rows_; }

 private:
  CopyText& Null() {
    Next();
    rows_ += "\\N";
    return *this;
  }
  void Next() {
    if (!at_start_) rows_ += '\t';
    at_start_ = false;
  }

  std::string rows_;
  bool at_start_ = true;
};

void Copy(store::postgres::Connection& db, const std::string& copy_sql, const CopyText& rows) {
  Must(db.BeginCopy(copy_sql), copy_sql);
  Must(db.CopyRows(rows.rows()), copy_sql);
  Must(db.EndCopy(), copy_sql);
}

void FillPostgres(const std::string& url, Generator& generator) {
  auto db = Must(store::postgres::Connection::Open(url), "connect");
  Must(db->Exec("BEGIN"), "begin");
  for (int i = 1; i <= kCounsellors; ++i) {
    Must(db->Query("INSERT INTO staff_account (id, username, role, display_name, password_hash,"
                   " created_at) VALUES ($1, $2, 'counsellor', $2, '$argon2id$bench', $3)",
                   {std::int64_t{i}, fmt::format("c{}", i), kYearStart}),
         "staff");
  }
  for (int i = 1; i <= kOrganisations; ++i) {
    Must(db->Query("INSERT INTO organisation (id, name, description, region, contact_person,"
                   " contact_phone, contact_email, active, updated_at)"
                   " VALUES ($1, $2, '', $3, '', '', '', 1, $4)",
                   {std::int64_t{i}, fmt::format("Organisatie {}", i), kMunicipalities[i].name,
                    kYearStart}),
         "organisation");
  }
  Must(db->Exec("COMMIT"), "commit");
  while (!generator.Done()) {
    const Chunk chunk = generator.Next();
    Must(db->Exec("BEGIN"), "begin");
    CopyText conversations;
    for (const Conversation& c : chunk.conversations) {
      conversations.Text(c.id)
          .Text("r" + c.id)
          .Text("ended")
          .Text("self")
          .OptionalInt(c.counsellor_id)
          .Int(c.created_at)
          .OptionalInt(c.accepted_at)
          .Int(c.ended_at)
          .Text(c.end_reason)
          .Int(c.offline ? 1 : 0)
          .OptionalText(c.offline ? std::optional<std::string>("p" + c.id) : std::nullopt)
          .Text(c.campaign)
          .Int(c.feedback_given ? 1 : 0)
          .EndRow();
    }
    Copy(*db,
         "COPY conversation (id, resume_token_hash, status, subject, counsellor_id, created_at,"
         " accepted_at, ended_at, end_reason, offline, pickup_code_hash, campaign, feedback_given)"
         " FROM STDIN",
         conversations);
    CopyText registrations;
    for (const Registration& r : chunk.registrations) {
      registrations.Text(r.conversation_id)
          .Int(r.counsellor_id)
          .Int(r.complete ? 1 : 0)
          .Int(1)
          .Int(r.updated_at)
          .EndRow();
    }
    Copy(*db,
         "COPY registration (conversation_id, counsellor_id, complete, form_version, updated_at)"
         " FROM STDIN",
         registrations);
    CopyText answers;
    for (const Answer& a : chunk.answers) {
      answers.Text(a.conversation_id)
          .Text(a.field)
          .Text(a.value)
          .Int(a.started_at)
          .Text(a.campaign)
          .Text(a.region)
          .EndRow();
    }
    Copy(*db,
         "COPY registration_answer (conversation_id, field, value, started_at, campaign, region)"
         " FROM STDIN",
         answers);
    CopyText referrals;
    for (const Referral& r : chunk.referrals) {
      referrals.Int(r.id)
          .Text(r.conversation_id)
          .Int(r.organisation_id)
          .Int(r.counsellor_id)
          .Text(r.status)
          .Int(r.id)
          .Int(r.created_at)
          .Int(r.created_at)
          .Int(r.counsellor_id)
          .EndRow();
    }
    Copy(*db,
         "COPY referral (id, conversation_id, organisation_id, counsellor_id, status, details_seq,"
         " created_at, updated_at, updated_by) FROM STDIN",
         referrals);
    CopyText feedback;
    for (const Feedback& f : chunk.feedback) {
      feedback.Int(f.day).OptionalText(f.helped).OptionalText(f.would_return).EndRow();
    }
    Copy(*db, "COPY visitor_feedback (day, helped, would_return) FROM STDIN", feedback);
    Must(db->Exec("COMMIT"), "commit");
  }
  Must(db->Exec("VACUUM ANALYZE"), "vacuum analyze");
}

// --- Measuring

struct Timed {
  std::string query = {};
  std::size_t rows = 0;
  double median_ms = 0;
};

// Runs `query` `runs` times; it answers the number of rows it read.
Timed Time(const std::string& name, int runs, const std::function<std::size_t()>& query) {
  std::vector<double> ms;
  std::size_t rows = 0;
  for (int i = 0; i < runs; ++i) {
    const auto started = Clock::now();
    rows = query();
    ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - started).count());
  }
  std::sort(ms.begin(), ms.end());
  return Timed{.query = name, .rows = rows, .median_ms = ms[ms.size() / 2]};
}

template <class T>
std::size_t Rows(core::Result<std::vector<T>> rows, const std::string& what) {
  return Must(std::move(rows), what).size();
}

void Print(const std::vector<Timed>& timed) {
  for (const Timed& t : timed) fmt::print("{:<40} {:>8} {:>10.1f}\n", t.query, t.rows, t.median_ms);
}

// The whole dashboard as GET /api/v1/insights reads it for the year 2024, and a partner's report
// of the regions of Rotterdam over it, as the server's clock and time zone make them.
void MeasureWhole(store::Database& database, const model::RegistrationForm& form,
                  const Options& options) {
  constexpr std::int64_t kThreshold = 10;
  const insights::DashboardReader dashboard(
      *database.insights, *database.campaigns,
      [&database](std::string_view first_week, std::string_view last_week) {
        return database.outreach->ReadWeekCounts(first_week, last_week);
      },
      form, kThreshold);
  const auto day_of = [](core::UnixMillis start) {
    return (start + chat::UtcOffsetMillis(start)) / kDay;
  };
  insights::DashboardQuery year;
  year.from = chat::StartOfLocalDate("2024-01-01");
  year.first_day = day_of(year.from);
  const core::UnixMillis last_start = chat::StartOfLocalDate("2024-12-31");
  year.last_day = day_of(last_start);
  year.to = chat::StartOfLocalDate("2025-01-01");
  year.utc_offset_millis = chat::UtcOffsetMillis(last_start);
  insights::DashboardQuery campaign = year;
  campaign.campaign = "school";
  insights::DashboardQuery regions = year;
  regions.regions = {"Rotterdam", "Schiedam", "Vlaardingen"};
  const auto read = [&dashboard](const insights::DashboardQuery& query) {
    const insights::Dashboard read = Must(dashboard.Read(query), "dashboard");
    return read.registrations.size();
  };

  const insights::PartnerReportBuilder builder(
      *database.insights, form, insights::DisclosureRules{kThreshold, 5},
      [](std::int64_t day) { return chat::StartOfLocalDate(insights::DayName(day)); });
  const insights::Partner partner{.name = "rotterdam",
                                  .label = "Gemeente Rotterdam",
                                  .regions = {"Rotterdam", "Schiedam", "Vlaardingen"}};
  const insights::ReportPeriod period{year.first_day, year.last_day};
  // The reports of the year's quarters, published before it: every one overlaps it.
  std::vector<insights::ReportPeriod> quarters;
  for (const auto& [first, last] :
       {std::pair{"2024-01-01", "2024-03-31"}, std::pair{"2024-04-01", "2024-06-30"},
        std::pair{"2024-07-01", "2024-09-30"}, std::pair{"2024-10-01", "2024-12-31"}}) {
    quarters.push_back(
        {day_of(chat::StartOfLocalDate(first)), day_of(chat::StartOfLocalDate(last))});
  }
  const auto report = [&](std::span<const insights::ReportPeriod> earlier, bool csv) {
    const insights::PartnerReport built =
        Must(builder.Build(partner, period, earlier, year.to), "report");
    return (csv ? insights::RenderCsv(built) : insights::RenderHtml(built)).size();
  };
  const int runs = options.runs;
  // Size: the dashboard's registration fields, the report's bytes.
  fmt::print("{:<40} {:>8} {:>10}\n", "the whole", "size", "ms");
  Print({
      Time("dashboard, the year", runs, [&] { return read(year); }),
      Time("dashboard, one campaign", runs, [&] { return read(campaign); }),
      Time("dashboard, 3 regions", runs, [&] { return read(regions); }),
      Time("partner report, 3 regions, CSV", runs, [&] { return report({}, true); }),
      Time("partner report, 3 regions, HTML", runs, [&] { return report({}, false); }),
      Time("... after 4 quarterly reports, CSV", runs, [&] { return report(quarters, true); }),
      Time("... after 4 quarterly reports, HTML", runs, [&] { return report(quarters, false); }),
  });
}

void Measure(const std::string& backend, store::Database& database,
             const model::RegistrationForm& form, const Options& options) {
  store::InsightsStore& insights = *database.insights;
  const store::InsightsFilter year{.from = kYearStart - kAmsterdamWinter,
                                   .to = kYearStart - kAmsterdamWinter + kYear,
                                   .utc_offset_millis = kAmsterdamWinter};
  store::InsightsFilter regions = year;
  regions.regions = {"Rotterdam", "Schiedam", "Vlaardingen"};
  store::InsightsFilter campaign = year;
  campaign.campaign = "school";
  const std::int64_t first_day = year.from / kDay;
  const std::int64_t last_day = (year.to - 1) / kDay;
  const int runs = options.runs;
  const std::vector<Timed> timed = {
      Time("ReadFunnel", runs, [&] { return Rows(insights.ReadFunnel(year), "funnel"); }),
      Time("ReadHours", runs, [&] { return Rows(insights.ReadHours(year), "hours"); }),
      Time("ReadDurations first_response", runs,
           [&] {
             return Rows(insights.ReadDurations(year, store::DurationKind::first_response),
                         "durations");
           }),
      Time("ReadDurations abandoned_wait", runs,
           [&] {
             return Rows(insights.ReadDurations(year, store::DurationKind::abandoned_wait),
                         "durations");
           }),
      Time("ReadDurations length", runs,
           [&] {
             return Rows(insights.ReadDurations(year, store::DurationKind::length), "durations");
           }),
      Time("ReadAnswers", runs, [&] { return Rows(insights.ReadAnswers(year), "answers"); }),
      Time("ReadShifts", runs,
           [&] {
             (void)Must(insights.ReadShifts(year), "shifts");
             return std::size_t{1};
           }),
      Time("ReadFeedback", runs,
           [&] { return Rows(insights.ReadFeedback(first_day, last_day), "feedback"); }),
  };
  const std::vector<Timed> filtered = {
      Time("ReadFunnel, 3 regions", runs,
           [&] { return Rows(insights.ReadFunnel(regions), "funnel"); }),
      Time("ReadAnswers, 3 regions", runs,
           [&] { return Rows(insights.ReadAnswers(regions), "answers"); }),
      Time("ReadHours, 3 regions", runs,
           [&] { return Rows(insights.ReadHours(regions), "hours"); }),
      Time("ReadFunnel, one campaign", runs,
           [&] { return Rows(insights.ReadFunnel(campaign), "funnel"); }),
      Time("ReadAnswers, one campaign", runs,
           [&] { return Rows(insights.ReadAnswers(campaign), "answers"); }),
  };
  fmt::print("\n{}: {} conversations over one year, median of {} runs\n", backend,
             options.conversations, runs);
  fmt::print("{:<40} {:>8} {:>10}\n", "query", "rows", "ms");
  double total = 0;
  for (const Timed& t : timed) total += t.median_ms;
  Print(timed);
  fmt::print("{:<40} {:>8} {:>10.1f}\n", "total (the dashboard's year)", "", total);
  Print(filtered);
  MeasureWhole(database, form, options);
}

bool ParseOptions(int argc, char** argv, Options& options) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--keep") {
      options.keep = true;
      continue;
    }
    if (i + 1 >= argc) return false;
    const std::string value = argv[++i];
    if (arg == "--conversations") {
      options.conversations = std::atoll(value.c_str());
      if (options.conversations <= 0) return false;
    } else if (arg == "--runs") {
      options.runs = std::atoi(value.c_str());
      if (options.runs <= 0) return false;
    } else if (arg == "--dir") {
      options.dir = value;
    } else if (arg == "--postgres") {
      options.postgres_url = value;
    } else {
      return false;
    }
  }
  return true;
}

double SecondsSince(Clock::time_point started) {
  return std::chrono::duration<double>(Clock::now() - started).count();
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  if (!ParseOptions(argc, argv, options)) {
    std::fprintf(stderr,
                 "usage: uitweg-insights-bench [--conversations N] [--runs R] [--dir PATH] [--keep]"
                 " [--postgres URL]\n");
    return 2;
  }
  core::SetLogLevel(core::LogLevel::warn);
  const model::RegistrationForm form = Must(app::LoadRegistrationForm(""), "registration form");

  const auto folder = options.dir / ("uitweg-insights-bench-" + std::to_string(::getpid()));
  std::filesystem::remove_all(folder);
  const std::string path = (folder / "bench.db").string();
  {
    auto started = Clock::now();
    // Creates the schema through the store's migrations.
    (void)Must(store::OpenSqliteDatabase(store::SqliteOptions{.path = path}), "open " + path);
    Generator generator(options.conversations, form);
    FillSqlite(path, generator);
    fmt::print("SQLite filled in {:.1f} s: {:.0f} MiB\n", SecondsSince(started),
               static_cast<double>(std::filesystem::file_size(path)) / (1024.0 * 1024.0));
    auto database = Must(store::OpenSqliteDatabase(store::SqliteOptions{.path = path}), "open");
    Measure("SQLite", database, form, options);
  }
  if (options.keep) {
    fmt::print("kept {}\n", path);
  } else {
    std::filesystem::remove_all(folder);
  }

  if (!options.postgres_url.empty()) {
    auto started = Clock::now();
    (void)Must(store::OpenPostgresDatabase(store::PostgresOptions{.url = options.postgres_url}),
               "open PostgreSQL");
    Generator generator(options.conversations, form);
    FillPostgres(options.postgres_url, generator);
    fmt::print("\nPostgreSQL filled in {:.1f} s\n", SecondsSince(started));
    auto database = Must(
        store::OpenPostgresDatabase(store::PostgresOptions{.url = options.postgres_url}), "open");
    Measure("PostgreSQL", database, form, options);
  }
  return 0;
}
