#include "cli/serve_services.hpp"

#include "db/connection.hpp"

namespace invites::cli {
namespace {

constexpr std::chrono::seconds health_ping_timeout{2};

}  // namespace

ServeServices::ServeServices(ServiceConfig config)
    : config_(std::move(config)),
      pool_(config_.database, db::PoolOptions{.size = config_.db_pool_size}),
      snapshot_index_([url = config_.database_read.value_or(config_.database)] { return db::connect(url); },
                      config_.snapshot_refresh),
      shared_previews_(previews_, snapshot_index_),
      sender_policy_(config_.allowed_senders),
      verp_key_(config_.bounces.domain.empty()
                    ? nullptr
                    : std::make_shared<service::VerpKey>(config_.bounces.prefix, config_.bounces.domain)),
      outcome_recorder_(std::make_shared<service::OutcomeRecorder>(verp_key_, config_.bounces.rules)),
      bounce_poller_(config_.bounces.mailbox ? std::make_unique<service::BouncePoller>(
                                                   [url = config_.database] { return db::connect(url); },
                                                   outcome_recorder_, *config_.bounces.mailbox)
                                             : nullptr),
      runner_([url = config_.database] { return db::connect(url); }, transport_factory(), sender_options()) {
  // Previews may keep the previous generation alive, but not during the
  // next build, nor once it is published: at most two full snapshots in
  // memory, and only while one is built (docs/design.md §8).
  snapshot_index_.on_release_before(
      [this](std::uint64_t generation) { previews_.drop_generations_before(generation); });
}

http::ServerServices ServeServices::for_http() {
  return {.pool = pool_,
          .index = snapshot_index_,
          .previews = shared_previews_,
          .runner = runner_,
          .senders = sender_policy_,
          .transport = transport_factory(),
          .database_reachable = [url = config_.database] { return db::ping(url, health_ping_timeout); },
          .base_url = config_.sender.base_url,
          .invite_ttl_days = config_.invite_ttl_days,
          .test_sends = config_.test_sends,

          .outcomes = outcome_recorder_,
          .webhooks = config_.bounces.webhooks};
}

void ServeServices::start(const std::string& invite_base_url) {
  runner_.set_base_url(invite_base_url);
  snapshot_index_.start();
  runner_.start();
  if (bounce_poller_) bounce_poller_->start();
}

void ServeServices::stop() {
  if (bounce_poller_) bounce_poller_->stop();
  runner_.stop();
}

std::function<std::unique_ptr<mail::MailTransport>()> ServeServices::transport_factory() const {
  if (config_.smtp) return [options = *config_.smtp] { return mail::make_smtp_transport(options); };
  return [directory = config_.maildir] { return mail::make_maildir_transport(directory); };
}

service::JobRunnerOptions ServeServices::sender_options() const {
  service::JobRunnerOptions options = config_.sender;
  options.verp = verp_key_;
  options.outcomes = outcome_recorder_;
  return options;
}

}  // namespace invites::cli
