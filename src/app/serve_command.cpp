#include "app/serve_command.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include <fmt/format.h>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>

#include "api/channel.hpp"
#include "api/health.hpp"
#include "api/setup_api.hpp"
#include "api/staff_api.hpp"
#include "api/transfer_offers.hpp"
#include "api/visitor_api.hpp"
#include "api/wire.hpp"
#include "app/args.hpp"
#include "app/config.hpp"
#include "app/data_folder.hpp"
#include "app/outreach_console.hpp"
#include "app/registration_form.hpp"
#include "app/review_rubric.hpp"
#include "app/risk_triage.hpp"
#include "app/routes.hpp"
#include "auth/accounts.hpp"
#include "auth/first_admin_setup.hpp"
#include "auth/sessions.hpp"
#include "auth/sign_in_limiter.hpp"
#include "chat/catch_ups.hpp"
#include "chat/conversations.hpp"
#include "chat/hub.hpp"
#include "chat/opening_hours.hpp"
#include "chat/presence.hpp"
#include "chat/retention.hpp"
#include "core/allocator.hpp"
#include "core/clock.hpp"
#include "core/executor.hpp"
#include "core/files.hpp"
#include "core/log.hpp"
#include "crypto/password_hasher.hpp"
#include "crypto/random.hpp"
#include "net/embedded_files.hpp"
#include "net/router.hpp"
#include "net/server.hpp"
#include "net/tls.hpp"
#include "store/encrypting_conversation_store.hpp"

namespace uitweg::app {
namespace {

// The frame of the information pages, built in from web/visitor/info.html.
std::string InfoPageFrame() {
  for (const net::EmbeddedFile& file : net::EmbeddedFiles()) {
    if (file.url_path == "/assets/visitor/info.html") return std::string(file.content);
  }
  return {};
}

constexpr const char* kHelp = R"(Usage: uitweg serve [options]

Runs the Uitweg server (HTTP and WebSocket) until SIGINT or SIGTERM.

Options:
  --listen HOST:PORT   where to listen (default 127.0.0.1:8080; port 0 picks a free port)
  --data DIR           data folder: SQLite database and key file (default ./data)
  --database URL       a PostgreSQL database (postgresql://user@host/db) instead of SQLite
  --config FILE        TOML configuration file (see docs/operations.md)
  --log-level LEVEL    debug, info, warn or error (default info)
  --tls-cert FILE      serve HTTPS (with HSTS) with this PEM certificate chain ...
  --tls-key FILE       ... and its PEM private key; then any --listen address is allowed
  --insecure-listen    allow a --listen address other than loopback without TLS: only with a
                       TLS-terminating proxy in front
  --help               show this help

Environment: UITWEG_LISTEN, UITWEG_DATA, UITWEG_LOG_LEVEL, UITWEG_DATABASE, UITWEG_TLS_CERT,
UITWEG_TLS_KEY override the file; flags override both.
UITWEG_MASTER_KEY (base64 of 32 bytes) is the master key for encryption at rest; without it the
key file DIR/master.key is used, created on first start.
)";

constexpr std::chrono::milliseconds kTick{1000};
// How often a node of several looks for what the others committed, should a ring be lost.
constexpr std::chrono::milliseconds kCatchUpPoll{2000};
// How often every staff socket checks that its session still stands (timed out, signed out
// elsewhere, the account disabled or its role changed), and how often ended sessions are
// deleted.
constexpr std::chrono::milliseconds kStaffSocketSweep{5000};
constexpr std::chrono::milliseconds kSessionPurge{60'000};
// How often cached conversation keys unused for ten minutes are dropped (store/key_cache.hpp).
constexpr std::chrono::milliseconds kKeySweep{60'000};
// How soon a console learns of a transfer offered to it (or by it) that changed.
constexpr std::chrono::milliseconds kOfferSync{1000};
// How soon opening hours set on another node take force here.
constexpr std::chrono::milliseconds kOpeningHoursRefresh{15'000};
// A console another node marked seen this recently counts as connected (marks come at least
// every 30 s).
constexpr core::UnixMillis kConsoleSeenFresh = 60'000;
// The emerging words are looked at hourly and computed once a local day (a run reads every
// conversation of four months, so it is not done more often than the windows move).
constexpr std::chrono::milliseconds kEmergingWordsCheck{3'600'000};
constexpr core::UnixMillis kDayMillis = 24LL * 60 * 60 * 1000;
// Terms the job keeps, before those the lexicons know are left out of what staff see.
constexpr std::size_t kEmergingWordsKept = 200;

// How often to look for visitors away from the queue (or consoles gone): a quarter of the time
// they are given, at most every 30 s.
std::chrono::milliseconds AbandonSweep(core::UnixMillis abandon_after_ms) {
  return std::clamp(std::chrono::milliseconds(abandon_after_ms / 4), std::chrono::milliseconds(250),
                    std::chrono::milliseconds(30'000));
}

std::string UrlHost(const std::string& host) {
  return host.find(':') != std::string::npos ? "[" + host + "]" : host;
}

}  // namespace

int RunServe(int argc, char** argv) {
  core::Result<Args> args = Args::Parse(
      argc, argv, {"listen", "data", "config", "log-level", "database", "tls-cert", "tls-key"},
      {"help", "insecure-listen"});
  if (!args) {
    std::fprintf(stderr, "uitweg serve: %s\n(try uitweg serve --help)\n",
                 args.error().message.c_str());
    return 2;
  }
  if (args->Has("help")) {
    std::fputs(kHelp, stdout);
    return 0;
  }
  ConfigOverrides flags{args->Get("listen"),         args->Get("data"),     args->Get("log-level"),
                        args->Get("database"),       args->Get("tls-cert"), args->Get("tls-key"),
                        args->Has("insecure-listen")};
  core::Result<Config> config =
      LoadConfig(args->Get("config").value_or(""), ReadConfigEnvironment(), flags);
  if (!config) {
    std::fprintf(stderr, "uitweg serve: %s\n", config.error().message.c_str());
    return 2;
  }
  if (core::Status safe = CheckListenIsSafe(*config); !safe) {
    std::fprintf(stderr, "uitweg serve: %s\n", safe.error().message.c_str());
    return 2;
  }
  core::SetLogLevel(config->log_level);
  core::TuneAllocator(config->malloc_arenas);
  std::shared_ptr<boost::asio::ssl::context> tls;
  if (!config->tls_cert.empty()) {
    core::Result<std::shared_ptr<boost::asio::ssl::context>> made =
        net::MakeTlsContext(config->tls_cert, config->tls_key);
    if (!made) {
      std::fprintf(stderr, "uitweg serve: %s\n", made.error().message.c_str());
      return 2;
    }
    tls = std::move(*made);
  } else if (!IsLoopbackHost(config->host)) {
    core::Log(core::LogLevel::warn, "server.insecure_listen",
              {{"host", config->host},
               {"note", "no TLS here: a TLS-terminating proxy must stand in front"}});
  }
  crypto::EnsureInitialized();

  boost::asio::thread_pool workers(static_cast<std::size_t>(config->worker_threads));
  const core::Post blocking = [&workers](core::Task task) {
    boost::asio::post(workers, [task = std::move(task)] {
      try {
        task();
      } catch (const std::exception& e) {
        core::Log(core::LogLevel::error, "worker.task_threw", {{"error", e.what()}});
      }
    });
  };

  core::SystemClock clock;
  chat::Hub hub(chat::FrameEncoders{
      .entry = [](const chat::Entry& entry) { return api::MessageFrame(entry); },
      .queue_change =
          [&clock](const chat::QueueChange& change) {
            return api::QueueChangeFrame(change, clock.Now());
          }});
  chat::Presence presence(config->presence, clock.Now());
  net::Router router;
  net::ServerOptions options{config->host,   config->port, config->io_threads,
                             config->limits, tls,          config->trusted_proxies};
  net::Server server(options, router, workers);

  // The files the configuration names are read before the database is opened: a mistyped path
  // must not migrate a schema that other nodes share, and then stop.
  auto triage = RiskTriage::Load(config->risk_lexicon);
  if (!triage) {
    core::Log(core::LogLevel::error, "server.risk_lexicon_failed",
              {{"error", triage.error().message}});
    return 2;
  }
  auto registration_form = LoadRegistrationForm(config->registration_form);
  if (!registration_form) {
    core::Log(core::LogLevel::error, "server.registration_form_failed",
              {{"error", registration_form.error().message}});
    return 2;
  }
  for (std::string_view field : model::MissingFunnelFields(*registration_form)) {
    core::Log(core::LogLevel::warn, "registration.funnel_field_missing",
              {{"field", field}, {"note", "the insights funnel counts its \"yes\" as none"}});
  }
  auto review_rubric = LoadReviewRubric(config->review_rubric);
  if (!review_rubric) {
    core::Log(core::LogLevel::error, "server.review_rubric_failed",
              {{"error", review_rubric.error().message}});
    return 2;
  }
  auto import_folder = api::ImportFolder::Open(config->outreach.import_folder);
  if (!import_folder) {
    core::Log(core::LogLevel::error, "server.outreach_failed",
              {{"error", import_folder.error().message}});
    return 2;
  }
  // The port is taken (bound; connections are refused until the start ends, so that a load
  // balancer sends them to another node) before the database is opened: a node started on a
  // port another process listens on stops without migrating a shared schema.
  core::Result<std::uint16_t> port = server.Listen();
  if (!port) {
    core::Log(core::LogLevel::error, "server.listen_failed", {{"error", port.error().message}});
    return 1;
  }
  std::optional<core::FileLock> sole_server;
  if (config->database.empty()) {
    auto held = HoldDataFolder(config->data_dir);
    if (!held) {
      const bool in_use = held.error().code == core::Errc::failed_precondition;
      core::Log(
          core::LogLevel::error, in_use ? "server.data_folder_in_use" : "server.store_failed",
          {{"error", in_use ? held.error().message + "; several nodes need a PostgreSQL database "
                                                     "(docs/operations.md)"
                            : held.error().message}});
      return 1;
    }
    sole_server.emplace(std::move(*held));
  }
  auto opened = OpenDataFolder(config->data_dir, config->database, server.Publisher(), blocking);
  if (!opened) {
    core::Log(core::LogLevel::error, "server.store_failed", {{"error", opened.error().message}});
    return 1;
  }
  store::Database* database = &opened->database;
  chat::Conversations conversations(*database->conversations, *database->accounts, hub, presence,
                                    clock, config->max_waiting, database->changes.get());
  conversations.SetTriage(triage->get());
  chat::ServiceHours service_hours(clock,
                                   config->always_open ? chat::AlwaysOpen() : chat::NightService());
  conversations.SetServiceHours(&service_hours);
  chat::Campaigns campaigns(*database->campaigns, clock);
  conversations.SetCampaigns(&campaigns);
  if (core::Status loaded = conversations.LoadQueue(); !loaded) {
    core::Log(core::LogLevel::error, "server.store_failed", {{"error", loaded.error().message}});
    return 1;
  }
  // Several nodes on one database: catch up with what the others commit, when rung (the ids of
  // what changed) and by a slow poll of everything that matters here (an empty list).
  // The feed holds the catch-ups: a ring can come in while the node shuts down.
  const std::shared_ptr<chat::CatchUps> catch_ups = chat::CatchUps::Create(
      [&conversations](std::span<const store::Rung> changed) {
        return conversations.CatchUp(changed);
      },
      [&conversations] { return conversations.ListForPoll(); }, blocking);
  const auto catch_up = [catch_ups](std::vector<store::Rung> changed) {
    catch_ups->Rung(std::move(changed));
  };
  store::AccountStore& accounts_store = *database->accounts;
  api::Health health(UITWEG_VERSION, database->backend, [&accounts_store]() -> core::Status {
    UITWEG_TRY(accounts_store.CountAccounts());
    return {};
  });
  api::VisitorApi visitor(conversations, hub, presence, clock, blocking,
                          config->visitor_starts_per_minute);

  crypto::PasswordHasher hasher;
  // On a database that several nodes share, an account's failed sign-ins count on every node,
  // and an address has the same key on every node.
  // Keys derived from the current master key at start; a rotation changes them at the next.
  const crypto::Aead master_key = opened->master_keys->Current();
  server.UseClientKeySalt(crypto::KeyedHash(master_key.key(), "uitweg client keys"));
  auth::SignInLimits sign_in_limits = config->sign_in;
  sign_in_limits.shared_key = auth::LogKeyFrom(master_key);
  auth::SignInLimiter limiter(sign_in_limits, database->changes ? &accounts_store : nullptr);
  auth::SecondFactors second_factors(accounts_store, *opened->master_keys);
  auth::AuditTrail audit(*database->audit, clock, auth::HostName() + ":" + std::to_string(*port));
  auth::Sessions sessions(accounts_store, hasher, second_factors, limiter,
                          auth::SessionOptions{.account_log_key = auth::LogKeyFrom(master_key)},
                          &audit);
  auth::Accounts accounts(accounts_store, hasher, clock);
  auth::FirstAdminSetup setup(accounts_store, accounts, second_factors, clock);
  api::StaffAuth staff_auth(sessions, clock);
  api::StaffSockets staff_sockets;
  api::StaffApi staff(staff_auth, conversations, hub, clock, blocking, staff_sockets, audit);
  api::SetupApi setup_api(setup, audit);
  auth::AccountAdmin account_admin(accounts_store, hasher, second_factors, clock);
  api::AdminApi admin(staff_auth, account_admin, accounts_store, audit, staff_sockets);
  api::TeamApi team(staff_auth, accounts_store, *database->conversations, audit);
  chat::Registrations registrations(std::move(*registration_form), *database->registrations,
                                    *database->conversations, clock);
  api::RegistrationApi registration(staff_auth, registrations, audit);
  api::HistoryApi history(staff_auth, conversations, registrations, audit, clock);
  chat::Handovers handovers(*database->handovers, conversations, clock);
  api::HandoverApi handover(staff_auth, handovers, audit);
  visitor.SetHandovers(&handovers);
  staff.SetHandovers(&handovers);
  api::CannedApi canned(staff_auth, *database->canned, audit, clock);
  api::ServiceApi service(
      staff_auth, *database->settings, accounts_store, service_hours, conversations, hub, audit,
      clock, [&staff_sockets] { return staff_sockets.ConnectedAccounts(); }, kConsoleSeenFresh);
  service.SetVisitorPage(config->helplines, config->neutral_title);
  if (core::Status refreshed = service.Refresh(); !refreshed) {
    core::Log(core::LogLevel::error, "server.opening_hours_failed",
              {{"error", refreshed.error().message}});
    return 1;
  }
  api::ContentApi content(staff_auth, *database->content, audit, clock, InfoPageFrame());
  api::CampaignApi campaign_api(staff_auth, campaigns, audit, clock,
                                config->visitor_events_per_minute);
  auto outreach = OutreachConsole::Create(config->outreach, std::move(*import_folder),
                                          config->data_dir, *database, staff_auth, audit, clock);
  if (!outreach) {
    // Only a database write fails here (marking scans a stop interrupted): no bad setting.
    core::Log(core::LogLevel::error, "server.outreach_failed",
              {{"error", outreach.error().message}});
    return 1;
  }
  OutreachConsole& outreach_console = **outreach;
  store::OutreachStore& outreach_store = *database->outreach;
  const insights::DashboardReader dashboard(
      *database->insights, *database->campaigns,
      [&outreach_store](std::string_view first_week, std::string_view last_week) {
        return outreach_store.ReadWeekCounts(first_week, last_week);
      },
      registrations.form(), config->insights.suppression_threshold);
  chat::Reviews reviews(std::move(*review_rubric), *database->reviews, conversations,
                        *database->conversations, clock, crypto::RandomBelow);
  const insights::MethodologyReader methodology(*database->reviews, reviews.rubric());
  api::ReviewApi review_api(staff_auth, reviews, methodology, audit, clock);
  const insights::PartnerReportBuilder report_builder(
      *database->insights, registrations.form(),
      insights::DisclosureRules{config->insights.suppression_threshold,
                                config->insights.rounding_base},
      [](std::int64_t day) { return chat::StartOfLocalDate(insights::DayName(day)); },
      &methodology);
  insights::PartnerReports partner_reports(*database->settings, report_builder,
                                           config->insights.report_settle_days);
  api::InsightsApi insights_api(staff_auth, dashboard, partner_reports, audit, clock);
  insights::EmergingWordsJob emerging_words(
      *database->conversations, *database->settings, clock,
      [](std::int64_t day) { return chat::StartOfLocalDate(insights::DayName(day)); },
      insights::EmergingOptions{.min_conversations = config->insights.suppression_threshold,
                                .min_ratio = 3.0,
                                .limit = kEmergingWordsKept});
  const auto today = [&clock] {
    const core::UnixMillis now = clock.Now();
    return (now + chat::UtcOffsetMillis(now)) / kDayMillis;
  };
  api::EmergingWordsApi emerging_words_api(
      staff_auth, emerging_words, outreach_store, outreach_console.lexicon().shipped_toml(),
      [&risk = **triage](std::string_view term) { return risk.Knows(term); }, audit, today);
  AddRoutes(router,
            Handlers{health, admin, visitor, staff, setup_api, staff_auth, team, history, canned,
                     service, registration, handover, content, campaign_api, outreach_console.api(),
                     outreach_console.lexicon(), insights_api, review_api, emerging_words_api});

  // Places in the queue and totals that changed go out once a second; visitors away from the
  // queue for too long are looked for twice a minute.
  server.Every(kTick, [&hub] { hub.Tick(); });
  if (database->changes) server.Every(kCatchUpPoll, [&catch_up] { catch_up({}); });
  server.Every(AbandonSweep(config->presence.abandon_after_ms), [&blocking, &conversations] {
    blocking([&conversations] {
      if (auto swept = conversations.AbandonAbsent(); !swept) {
        core::Log(core::LogLevel::warn, "conversation.abandon_failed",
                  {{"code", core::ErrcName(swept.error().code)}});
      }
    });
  });
  // Transfers offered and not taken lapse; the consoles here learn what concerns them.
  server.Every(kOfferSync, [&blocking, &conversations, &staff_sockets,
                            lapse_after = config->transfer_lapse_ms] {
    blocking([&conversations, &staff_sockets, lapse_after] {
      if (core::Status synced = api::SyncTransferOffers(conversations, staff_sockets, lapse_after);
          !synced) {
        core::Log(core::LogLevel::warn, "conversation.offers_failed",
                  {{"code", core::ErrcName(synced.error().code)}});
      }
    });
  });
  // Opening hours an admin set on another node take force here within this time.
  server.Every(kOpeningHoursRefresh, [&blocking, &service] {
    blocking([&service] {
      if (core::Status refreshed = service.Refresh(); !refreshed) {
        core::Log(core::LogLevel::warn, "server.opening_hours_failed",
                  {{"code", core::ErrcName(refreshed.error().code)}});
      }
    });
  });
  server.Every(kStaffSocketSweep, [&blocking, &staff_sockets] { staff_sockets.Sweep(blocking); });
  // Consoles are marked seen, and those gone too long lose their conversations to the queue. The
  // marks go on when nothing is released (console_gone_seconds = 0): other nodes count a
  // counsellor as there by them.
  server.Every(
      AbandonSweep(config->console_gone_ms > 0 ? config->console_gone_ms : kConsoleSeenFresh),
      [&blocking, &conversations, &staff_sockets, gone_after = config->console_gone_ms] {
        blocking([&conversations, &staff_sockets, gone_after] {
          auto released =
              conversations.ReleaseFromGoneConsoles(staff_sockets.ConnectedAccounts(), gone_after);
          if (!released) {
            core::Log(core::LogLevel::warn, "conversation.release_failed",
                      {{"code", core::ErrcName(released.error().code)}});
          }
        });
      });
  conversations.SetResumeAfterEnd(config->resume_after_end_ms);
  chat::Retention retention(
      *database->conversations, clock, config->retention, [&audit](const std::string& id) {
        return audit.Record(auth::Actor::Nobody(), auth::audit_action::deleted, id, "retention");
      });
  server.Every(std::chrono::milliseconds(config->retention.run_every_ms),
               [&blocking, &retention, &outreach_console, &conversations, &clock,
                keep = config->retention.keep_ended_ms] {
                 blocking([&retention, &outreach_console, &conversations, &clock, keep] {
                   if (auto expired = conversations.AbandonMessagesLeft(clock.Now() - keep);
                       !expired) {
                     core::Log(core::LogLevel::warn, "retention.failed",
                               {{"code", core::ErrcName(expired.error().code)}});
                   }
                   if (auto ran = retention.Run(); !ran) {
                     core::Log(core::LogLevel::warn, "retention.failed",
                               {{"code", core::ErrcName(ran.error().code)}});
                   }
                   outreach_console.Purge();
                 });
               });
  server.Every(kEmergingWordsCheck, [&blocking, &emerging_words, today] {
    blocking([&emerging_words, today] {
      if (auto started = emerging_words.StartIfDue(today()); !started) {
        core::Log(core::LogLevel::warn, "insights.emerging_failed",
                  {{"code", core::ErrcName(started.error().code)}});
      }
    });
  });
  // Sealed at rest (always, past the start): a quiet node forgets the keys it no longer uses.
  if (auto* sealed =
          dynamic_cast<store::EncryptingConversationStore*>(database->conversations.get())) {
    server.Every(kKeySweep,
                 [&blocking, sealed] { blocking([sealed] { sealed->DropIdleKeys(); }); });
  }
  server.Every(kSessionPurge, [&blocking, &sessions, &clock] {
    blocking([&sessions, &clock] {
      if (auto purged = sessions.PurgeExpired(clock.Now()); !purged) {
        core::Log(core::LogLevel::warn, "auth.session_purge_failed",
                  {{"code", core::ErrcName(purged.error().code)}});
      }
    });
  });
  if (core::Status started = server.Start(); !started) {
    core::Log(core::LogLevel::error, "server.listen_failed", {{"error", started.error().message}});
    return 1;
  }
  // The doorbell is listened to once nothing of the start can fail any more: a catch-up from the
  // feed's thread must never reach a start that is being unwound. What others changed since the
  // queue was loaded is caught up with at once.
  if (database->changes) {
    // A supervisor on another node began or stopped watching: the staff who follow the chat here
    // are told as there. On the feed's thread, so that a watch and its end keep their order; one
    // read of an account by its key, only where someone follows the chat, is short enough.
    database->changes->OnWatch([&hub, &accounts_store](store::Watch watch) {
      if (hub.FollowerCount(watch.conversation_id) == 0) return;
      auto supervisor = accounts_store.FindAccount(watch.supervisor_id);
      if (!supervisor) return;
      hub.Signal(watch.conversation_id, chat::Side::supervisor,
                 api::MakeFrame(api::WatchedSignal(watch.conversation_id, supervisor->display_name,
                                                   watch.watching)));
    });
    database->changes->Listen(catch_up);
    catch_up({});
  }
  core::Log(core::LogLevel::info, "server.listening",
            {{"host", config->host},
             {"port", static_cast<std::int64_t>(*port)},
             {"max_connections", static_cast<std::int64_t>(server.max_connections())}});
  const std::string base =
      fmt::format("{}://{}:{}", tls ? "https" : "http", UrlHost(config->host), *port);
  std::fprintf(stdout, "Uitweg is running at %s/ — counsellors sign in at /console\n",
               base.c_str());
  if (!service_hours.Now().open) {
    std::fprintf(stdout,
                 "The chat is closed now (outside the opening hours); an admin sets them in the "
                 "console, or start with opening_hours = \"always\" in the configuration.\n");
  }
  core::Result<std::optional<std::string>> setup_token = setup.Begin();
  if (!setup_token) {
    core::Log(core::LogLevel::error, "server.setup_failed",
              {{"error", setup_token.error().message}});
    server.RequestStop();
  } else if (*setup_token) {
    // The token goes to the operator's terminal only, never into the structured log.
    std::fprintf(stdout,
                 "No staff accounts yet. Create the first administrator at:\n  %s/setup#token=%s\n",
                 base.c_str(), (*setup_token)->c_str());
  }
  std::fflush(stdout);

  server.WaitForStop();
  // Work in flight finishes while the I/O threads still publish; then the I/O threads end. The
  // store, closed below, commits what was queued; its answers have nobody left to go to.
  workers.join();
  server.Join();
  core::Log(core::LogLevel::info, "server.stopped", {});
  return setup_token ? 0 : 1;
}

}  // namespace uitweg::app
