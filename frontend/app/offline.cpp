#include "app/offline.hpp"

#include "app/actions.hpp"
#include "app/api_json.hpp"

#include <invites/recipient_export.hpp>
#include <invites/recipient_page_query.hpp>
#include <invites/utc_time.hpp>
#include <invites/error.hpp>
#include <invites/snapshot_delta.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <new>
#include <tuple>
#include <utility>

namespace invites::app {

namespace {

using nlohmann::json;

constexpr std::size_t evaluations_kept = 1;   // the shown offline preview (a new Load closes the old list): heap
constexpr std::int64_t retry_ms = 30 * 1000;  // after a failed download
constexpr const char* offline_prefix = "offline-";
constexpr std::int64_t day_ms = 24 * 3600 * 1000;

double ms_between(std::chrono::steady_clock::time_point a, std::chrono::steady_clock::time_point b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

FetchResult json_result(int status, const json& body) {
  FetchResult result;
  result.status = status;
  result.body = body.dump();
  return result;
}

FetchResult error_result(int status, const std::string& code, const std::string& message,
                         const std::string& field = "") {
  json error{{"code", code}, {"message", message}};
  if (!field.empty()) error["field"] = field;
  FetchResult result = json_result(status, json{{"error", error}});
  result.error = "HTTP " + std::to_string(status) + ": " + message;
  return result;
}

// No answer from the server itself: no response, or a proxy's gateway error.
bool unreachable(const FetchResult& result) {
  if (result.status == 0 || result.status == 502 || result.status == 504) return true;
  return result.status == 503 && result.body.find("\"error\"") == std::string::npos;
}

std::string path_of(const std::string& url) { return url.substr(0, url.find('?')); }

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string url_decode(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 && hex_value(text[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
      i += 2;
    } else {
      out += text[i] == '+' ? ' ' : text[i];
    }
  }
  return out;
}

std::map<std::string, std::string> query_params(const std::string& url) {
  std::map<std::string, std::string> params;
  const auto q = url.find('?');
  if (q == std::string::npos) return params;
  std::size_t at = q + 1;
  while (at <= url.size()) {
    std::size_t end = url.find('&', at);
    if (end == std::string::npos) end = url.size();
    const std::string pair = url.substr(at, end - at);
    const auto eq = pair.find('=');
    if (!pair.empty())
      params[url_decode(pair.substr(0, eq))] = eq == std::string::npos ? "" : url_decode(pair.substr(eq + 1));
    at = end + 1;
  }
  return params;
}

// "/api/previews/{id}/recipients" → id ("" when the path is something else).
std::string recipients_preview_id(const std::string& path) {
  static const std::string head = "/api/previews/", tail = "/recipients";
  if (path.size() <= head.size() + tail.size() || path.compare(0, head.size(), head) != 0 ||
      path.compare(path.size() - tail.size(), tail.size(), tail) != 0)
    return "";
  return url_decode(path.substr(head.size(), path.size() - head.size() - tail.size()));
}

// "/api/previews/{id}/recipients.csv" → id ("" otherwise).
std::string csv_preview_id(const std::string& path) {
  static const std::string tail = ".csv";
  if (path.size() <= tail.size() || path.compare(path.size() - tail.size(), tail.size(), tail) != 0) return "";
  return recipients_preview_id(path.substr(0, path.size() - tail.size()));
}

std::string session_key(const Session* session) {
  return session ? std::to_string(session->user.id) + ":" + session->user.username : std::string();
}

// The parameters of query_params() as common/'s readers take them.
QueryParam param_lookup(std::map<std::string, std::string> params) {
  return [params = std::move(params)](std::string_view name) -> std::optional<std::string> {
    const auto found = params.find(std::string(name));
    if (found == params.end()) return std::nullopt;
    return found->second;
  };
}

}  // namespace

const char* to_string(SyncStatus status) {
  switch (status) {
    case SyncStatus::none:
      return "none";
    case SyncStatus::opening:
      return "opening";
    case SyncStatus::downloading:
      return "downloading";
    case SyncStatus::decoding:
      return "decoding";
    case SyncStatus::ready:
      return "ready";
    case SyncStatus::failed:
      return "failed";
  }
  return "none";
}

bool preview_is_offline(const State& state) {
  return state.preview.has_result && state.preview.preview_id.rfind(offline_prefix, 0) == 0;
}

std::string offline_block_reason(const State& state) {
  if (state.offline.offline || preview_is_offline(state)) return offline_send_reason;
  return "";
}

// --- construction and the stored meta ---------------------------------------------

Offline::Offline(State& state, Fetcher network, SnapshotPlatform* snapshots)
    : state_(state), network_(std::move(network)), snapshots_(snapshots) {
  if (!snapshots_) {
    meta_read_ = true;
    return;
  }
  // The stored session and lookups are needed at once if the server is gone at start.
  snapshots_->load(false, [this](std::optional<StoredCopy> copy, std::string error) {
    meta_read_ = true;
    if (copy && error.empty()) meta_ = parse_meta(copy->meta);
    if (copy && !meta_) discard("its description could not be read.");
    auto waiting = std::move(after_meta_);
    after_meta_.clear();
    for (auto& run : waiting) run();
  });
}

std::optional<Offline::Meta> Offline::parse_meta(const std::string& text) {
  const json doc = json::parse(text, nullptr, false);
  if (!doc.is_object() || doc.value("format", 0) != 1) return std::nullopt;
  try {
    Meta meta;
    meta.user_id = doc.at("user_id").get<std::int64_t>();
    meta.username = doc.at("username").get<std::string>();
    meta.permissions = doc.at("permissions").get<std::vector<int>>();
    meta.etag = doc.at("etag").get<std::string>();
    meta.generated_at = doc.at("generated_at").get<std::int64_t>();
    meta.synced_at_ms = doc.at("synced_at_ms").get<std::int64_t>();
    meta.lookups = doc.at("lookups").get<std::string>();
    if (meta.username.empty()) return std::nullopt;
    return meta;
  } catch (const json::exception&) {
    return std::nullopt;
  }
}

std::string Offline::meta_text(const Meta& meta) {
  return json{{"format", 1},
              {"user_id", meta.user_id},
              {"username", meta.username},
              {"permissions", meta.permissions},
              {"etag", meta.etag},
              {"generated_at", meta.generated_at},
              {"synced_at_ms", meta.synced_at_ms},
              {"lookups", meta.lookups}}
      .dump();
}

// --- the Fetcher wrapper -------------------------------------------------------------

Fetcher Offline::fetcher() {
  return [this](FetchRequest request, FetchCallback done) { route(std::move(request), std::move(done)); };
}

bool Offline::answerable_locally(const FetchRequest& request) const {
  const std::string path = path_of(request.url);
  if (request.method == "POST" && path == "/api/previews") return state_.offline.have_snapshot || pending_decode_;
  if (request.method != "GET") return false;
  if (path == "/api/me") return !state_.session && (!meta_read_ || meta_);
  if (path == "/api/lookups") return meta_ && !meta_->lookups.empty();
  return recipients_preview_id(path).rfind(offline_prefix, 0) == 0;
}

void Offline::route(FetchRequest request, FetchCallback done) {
  if (!snapshots_) {
    network_(std::move(request), std::move(done));
    return;
  }
  const std::string path = path_of(request.url);
  if (recipients_preview_id(path).rfind(offline_prefix, 0) == 0 ||
      (state_.offline.offline && path != "/api/me" && answerable_locally(request))) {
    answer_locally(request, std::move(done));
    return;
  }
  FetchRequest sent = request;
  network_(std::move(sent), [this, request = std::move(request), done = std::move(done)](FetchResult&& result) mutable {
    const std::string p = path_of(request.url);
    if (result.ok() && p == "/api/lookups") {
      lookups_body_ = result.body;
      if (meta_ && snapshot_ && meta_->lookups != result.body) {  // keep the stored lists current
        meta_->lookups = result.body;
        snapshots_->save(meta_text(*meta_), nullptr, [](std::string) {});
      }
    }
    if (!unreachable(result) || !answerable_locally(request)) {
      done(std::move(result));
      return;
    }
    if (p == "/api/me") {
      // Signed in before, server gone now: the stored session (if any) opens the screen offline.
      auto fallback = [this, request, done, result]() mutable {
        if (!meta_ || state_.session ||
            std::find(meta_->permissions.begin(), meta_->permissions.end(), permission_send_invites) ==
                meta_->permissions.end()) {
          done(std::move(result));
          return;
        }
        state_.offline.session_from_cache = true;
        go_offline("The server cannot be reached (" + (result.error.empty() ? "no response" : result.error) + ").",
                   false);
        done(json_result(200, json{{"user", {{"id", meta_->user_id}, {"username", meta_->username}}},
                                   {"permissions", meta_->permissions},
                                   {"csrf_token", ""}}));
      };
      if (meta_read_)
        fallback();
      else
        after_meta_.push_back(std::move(fallback));
      return;
    }
    go_offline("The server cannot be reached (" + (result.error.empty() ? "no response" : result.error) + ").", false);
    answer_locally(request, std::move(done));
  });
}

void Offline::answer_locally(const FetchRequest& request, FetchCallback done) {
  deliver(std::move(done), local_result(request));
}

void Offline::deliver(FetchCallback done, FetchResult result) {
  ready_.emplace_back(std::move(done), std::move(result));
  if (wake_) wake_();
}

FetchResult Offline::local_result(const FetchRequest& request) {
  const std::string path = path_of(request.url);
  try {
    if (request.method == "POST" && path == "/api/previews") return local_preview(request);
    if (path == "/api/lookups" && meta_) {
      FetchResult result;
      result.status = 200;
      result.body = meta_->lookups;
      return result;
    }
    if (!recipients_preview_id(path).empty()) return local_recipients(request);
  } catch (const std::bad_alloc&) {
    return error_result(507, "out_of_memory", "Not enough memory in this browser tab for the offline preview.");
  }
  return error_result(503, "offline", "This needs the server, which cannot be reached.");
}

FetchResult Offline::local_preview(const FetchRequest& request) {
  if (!snapshot_) {
    return error_result(503, "snapshot_loading",
                        "The offline copy is still being opened. Press Load again in a moment.");
  }
  Filter filter;
  try {
    const json body = json::parse(request.body);
    if (!body.is_object() || !body.contains("filter")) return error_result(400, "invalid", "filter: missing", "filter");
    filter = filter_from_json(body.at("filter"), "filter");
  } catch (const ValidationError& e) {
    return error_result(400, "invalid", e.what(), e.field());
  } catch (const json::exception& e) {
    return error_result(400, "invalid", e.what());
  }
  auto evaluation = std::make_shared<const Evaluation>(evaluate(*snapshot_, filter));
  const std::string id = offline_prefix + std::to_string(++next_preview_);
  evaluations_[id] = evaluation;
  while (evaluations_.size() > evaluations_kept) {  // ids ascend with their number; drop the oldest
    auto oldest = std::min_element(evaluations_.begin(), evaluations_.end(), [](const auto& a, const auto& b) {
      return std::stoull(a.first.substr(8)) < std::stoull(b.first.substr(8));
    });
    evaluations_.erase(oldest);
  }
  return json_result(200, json{{"preview_id", id},
                               {"counts", counts_to_json(evaluation->counts)},
                               {"digest", evaluation->digest},
                               {"generated_at", iso8601_utc(snapshot_->generated_at)},
                               {"offline", true}});
}

FetchResult Offline::local_recipients(const FetchRequest& request) {
  const std::string id = recipients_preview_id(path_of(request.url));
  const auto found = evaluations_.find(id);
  if (found == evaluations_.end() || !snapshot_)
    return error_result(404, "not_found", "no such preview (it may have expired: press Load again)");
  RecipientPageQuery query;
  try {
    query = parse_recipient_page_query(param_lookup(query_params(request.url)));
  } catch (const ValidationError& e) {
    return error_result(400, "invalid", e.what(), e.field());
  }
  const RecipientPage result = page_of(*snapshot_, *found->second, query, portal_columns(*snapshot_));
  return json_result(200, recipient_page_json(result));
}

std::function<void(const std::string&)> Offline::url_opener(std::function<void(const std::string&)> next) {
  return [this, next = std::move(next)](const std::string& url) {
    if (local_csv(url)) return;
    if (next) next(url);
  };
}

bool Offline::local_csv(const std::string& url) {
  const std::string id = csv_preview_id(path_of(url));
  if (id.rfind(offline_prefix, 0) != 0 || !snapshots_) return false;
  const auto found = evaluations_.find(id);
  if (found == evaluations_.end() || !snapshot_) return true;  // gone with its snapshot: nothing to export
  RecipientPageQuery query;
  try {
    query = parse_recipient_page_query(param_lookup(query_params(url)));
  } catch (const ValidationError& e) {
    state_.recipients.status = LoadStatus::failed;  // shown under the list's Download button
    state_.recipients.error = std::string("the CSV could not be made: ") + e.what();
    return true;
  }
  query.page.offset = 0;
  query.page.limit = static_cast<std::size_t>(-1);
  snapshots_->save_file(recipient_csv_name(query.group),
                        recipient_page_csv(page_of(*snapshot_, *found->second, query, portal_columns(*snapshot_))));
  return true;
}

// --- mode ------------------------------------------------------------------------------

void Offline::go_offline(std::string reason, bool chosen) {
  OfflineState& o = state_.offline;
  if (o.offline && o.chosen && !chosen) return;  // already offline by choice
  o.offline = true;
  o.chosen = chosen;
  o.reason = std::move(reason);
  if (o.notice == server_back_notice) o.notice.clear();
  last_probe_started_ = false;
  last_probe_ms_ = snapshots_ ? snapshots_->now_ms() : 0;
}

void Offline::go_online(std::string notice) {
  OfflineState& o = state_.offline;
  o.offline = false;
  o.chosen = false;
  o.reason.clear();
  o.notice = std::move(notice);
}

void Offline::preview_offline(bool on) {
  if (on) {
    if (!state_.offline.have_snapshot) return;
    go_offline("You chose to preview offline: Load uses the copy in this browser.", true);
    return;
  }
  go_online("");
  if (actions_) actions_->check_server();
  if (state_.offline.session_from_cache) recheck_session();
}

// --- session ---------------------------------------------------------------------------

void Offline::on_session(const Session* session) {
  ++epoch_;
  session_key_ = session_key(session);
  evaluations_.clear();
  downloading_ = false;
  if (!session) {
    const bool expired = state_.login.notice == session_expired_message;
    drop_memory();
    // Signing out deletes the copy; an expired session keeps it for the same user.
    if (!expired && snapshots_) {
      snapshots_->clear();
      meta_.reset();
    }
    state_.offline = OfflineState{};
    return;
  }
  const bool from_cache = state_.offline.session_from_cache;
  const bool offline = state_.offline.offline;
  const std::string reason = state_.offline.reason;
  const std::string notice = state_.offline.notice;
  state_.offline = OfflineState{};
  state_.offline.session_from_cache = from_cache;
  state_.offline.offline = offline;
  state_.offline.reason = reason;
  state_.offline.notice = notice;
  if (!snapshots_) return;
  if (!session->has(permission_send_invites)) {  // no copy for users without permission 390
    snapshots_->clear();
    meta_.reset();
    return;
  }
  open_cache();
}

void Offline::open_cache() {
  state_.offline.sync = SyncStatus::opening;
  const std::uint64_t epoch = epoch_;
  snapshots_->load(true, [this, epoch](std::optional<StoredCopy> copy, std::string error) {
    on_cache_loaded(std::move(copy), std::move(error), epoch);
  });
}

void Offline::on_cache_loaded(std::optional<StoredCopy> copy, std::string error, std::uint64_t epoch) {
  if (epoch != epoch_ || !state_.session) return;
  OfflineState& o = state_.offline;
  if (!error.empty()) {
    discard("it could not be read (" + error + ").");
  } else if (!copy || !copy->bytes) {
    o.sync = SyncStatus::none;
  } else if (std::optional<Meta> meta = parse_meta(copy->meta); !meta) {
    discard("its description could not be read.");
  } else if (meta->username != state_.session->user.username || meta->user_id != state_.session->user.id) {
    snapshots_->clear();  // another user's copy: never shown, deleted
    meta_.reset();
    o.sync = SyncStatus::none;
  } else if (snapshots_->now_ms() - meta->synced_at_ms > snapshot_max_age_ms) {
    snapshots_->clear();
    meta_.reset();
    o.sync = SyncStatus::none;
    o.notice = "The offline copy in this browser was older than " + std::to_string(snapshot_max_age_ms / day_ms) +
               " days and has been deleted.";
  } else {
    pending_decode_ = true;
    decode_bytes_ = std::move(copy->bytes);
    decode_meta_ = std::move(*meta);
    decode_save_ = false;
    decode_delta_ = false;
    o.sync = SyncStatus::decoding;
    if (wake_) wake_();
    return;
  }
  if (!o.offline) refresh();
}

void Offline::discard(const std::string& why) {
  if (snapshots_) snapshots_->clear();
  meta_.reset();
  drop_memory();
  state_.offline.sync = SyncStatus::none;
  state_.offline.notice = discarded_prefix + why + " A fresh copy is downloaded when the server is reachable.";
}

void Offline::drop_memory() {
  snapshot_.reset();
  evaluations_.clear();
  pending_decode_ = false;
  decode_bytes_.reset();
  OfflineState& o = state_.offline;
  o.have_snapshot = false;
  o.has_estimate = false;
  o.contacts = 0;
  o.data_as_of = 0;
}

void Offline::decode(BlobPtr bytes, Meta meta, bool save_after) {
  OfflineState& o = state_.offline;
  // The old copy goes first: two decoded snapshots of 2M contacts would not fit the heap target.
  snapshot_.reset();
  evaluations_.clear();
  o.have_snapshot = false;
  o.has_estimate = false;
  const auto start = std::chrono::steady_clock::now();
  try {
    auto snapshot = std::make_shared<Snapshot>(SnapshotCodec::decode(*bytes));
    keep(std::move(snapshot), std::move(meta), std::move(bytes), save_after,
         ms_between(start, std::chrono::steady_clock::now()));
  } catch (const SnapshotFormatError& e) {
    if (save_after) {
      o.sync = SyncStatus::failed;
      o.sync_error = std::string("The server's snapshot could not be read: ") + e.what();
      next_refresh_ms_ = snapshots_->now_ms() + retry_ms;
    } else {
      discard(std::string(e.what()) + ".");
      if (!o.offline) refresh();
    }
  } catch (const std::bad_alloc&) {
    drop_memory();
    o.sync = SyncStatus::failed;
    o.sync_error = "Not enough memory in this browser tab to open the offline copy.";
  }
}

void Offline::apply_delta(BlobPtr delta, Meta meta) {
  OfflineState& o = state_.offline;
  const auto start = std::chrono::steady_clock::now();
  try {
    if (!snapshot_) throw SnapshotFormatError("no copy in use to apply the changes to");
    std::vector<std::uint8_t> changes(delta->size());
    delta->read(0, changes.data(), changes.size());
    auto snapshot = std::make_shared<Snapshot>(SnapshotDelta::apply(*snapshot_, changes));
    // The new encoded form goes to the store in pieces, never whole in the heap.
    const PortalColumns portal = portal_columns(*snapshot);
    const SnapshotLayout layout = SnapshotCodec::layout(*snapshot, portal);
    BlobPtr bytes = snapshots_->make_blob(layout.size, [&](const SnapshotPlatform::PieceWriter& write) {
      SnapshotCodec::encode(*snapshot, portal, layout, write);
    });
    evaluations_.clear();
    o.has_estimate = false;
    keep(std::move(snapshot), std::move(meta), std::move(bytes), true,
         ms_between(start, std::chrono::steady_clock::now()));
  } catch (const std::exception&) {  // a corrupt or mismatched delta, or too little memory: the whole copy
    o.sync = snapshot_ ? SyncStatus::ready : SyncStatus::none;
    full_download_ = true;
    refresh();
  }
}

void Offline::keep(std::shared_ptr<Snapshot> snapshot, Meta meta, BlobPtr bytes, bool save_after, double ms) {
  OfflineState& o = state_.offline;
  o.decode_ms = ms;
  if (!lookups_body_.empty()) meta.lookups = lookups_body_;  // the lists may have come in while the copy waited
  meta.generated_at = snapshot->generated_at;
  o.data_as_of = snapshot->generated_at;
  o.contacts = snapshot->contact_count();
  o.snapshot_bytes = bytes->size();
  o.synced_at_ms = meta.synced_at_ms;
  o.have_snapshot = true;
  o.sync = SyncStatus::ready;
  snapshot_ = std::move(snapshot);
  meta_ = std::move(meta);
  if (save_after) {
    const std::uint64_t epoch = epoch_;
    snapshots_->save(meta_text(*meta_), bytes, [this, epoch](std::string error) {
      if (epoch == epoch_ && !error.empty())
        state_.offline.sync_error = "The copy could not be stored in this browser: " + error;
    });
  }
}

// --- download ----------------------------------------------------------------------------

void Offline::refresh() {
  if (!snapshots_ || !state_.session || !state_.session->has(permission_send_invites) || downloading_) return;
  downloading_ = true;
  OfflineState& o = state_.offline;
  o.sync = SyncStatus::downloading;
  o.received = o.total = 0;
  o.sync_error.clear();
  const std::string etag = snapshot_ && meta_ && !full_download_ ? meta_->etag : std::string();
  full_download_ = false;
  const std::uint64_t epoch = epoch_;
  snapshots_->download(
      etag,
      [this, epoch](std::uint64_t received, std::uint64_t total) {
        if (epoch != epoch_) return;
        state_.offline.received = received;
        state_.offline.total = total;
      },
      [this, epoch](SnapshotDownload download) { on_download(std::move(download), epoch); });
}

void Offline::on_download(SnapshotDownload d, std::uint64_t epoch) {
  if (epoch != epoch_) return;
  downloading_ = false;
  OfflineState& o = state_.offline;
  const std::int64_t now = snapshots_->now_ms();
  if (d.status == 304 && snapshot_ && meta_) {
    meta_->synced_at_ms = now;
    o.synced_at_ms = now;
    o.sync = SyncStatus::ready;
    next_refresh_ms_ = now + snapshot_refresh_ms;
    snapshots_->save(meta_text(*meta_), nullptr, [](std::string) {});
    return;
  }
  if (d.status == 200 && d.bytes && state_.session) {
    Meta meta;
    meta.user_id = state_.session->user.id;
    meta.username = state_.session->user.username;
    meta.permissions = state_.session->permissions;
    meta.etag = d.etag;
    meta.synced_at_ms = now;
    meta.lookups = lookups_body_.empty() && meta_ ? meta_->lookups : lookups_body_;
    pending_decode_ = true;
    decode_bytes_ = std::move(d.bytes);
    decode_meta_ = std::move(meta);
    decode_save_ = true;
    decode_delta_ = d.delta;
    o.sync = SyncStatus::decoding;
    next_refresh_ms_ = now + snapshot_refresh_ms;
    if (wake_) wake_();
    return;
  }
  o.sync = snapshot_ ? SyncStatus::ready : SyncStatus::failed;
  if (d.status == 503) {
    o.sync_error = "The server is still preparing its data; the offline copy is downloaded in a moment.";
    next_refresh_ms_ = now + 3000;
    return;
  }
  o.sync_error =
      "The offline copy could not be downloaded: " + (d.error.empty() ? "HTTP " + std::to_string(d.status) : d.error);
  next_refresh_ms_ = now + retry_ms;
}

// --- the main loop --------------------------------------------------------------------------

bool Offline::tick() {
  const auto signature = [this] {
    const OfflineState& o = state_.offline;
    return std::make_tuple(o.sync, o.offline, o.have_snapshot, o.has_estimate, o.estimate_filter, o.notice,
                           o.sync_error, o.reason, o.data_as_of, !ready_.empty());
  };
  const auto before = signature();
  tick_once();
  return signature() != before;
}

void Offline::tick_once() {
  if (!ready_.empty()) {
    auto ready = std::move(ready_);
    ready_.clear();
    for (auto& [done, result] : ready) done(std::move(result));
  }
  if (!snapshots_) return;
  const Session* session = state_.session ? &*state_.session : nullptr;
  if (session_key(session) != session_key_) on_session(session);

  if (pending_decode_) {
    if (!decode_frame_shown_) {  // one frame with "Opening the offline copy…" first
      decode_frame_shown_ = true;
      if (wake_) wake_();
      return;
    }
    decode_frame_shown_ = false;
    pending_decode_ = false;
    BlobPtr bytes = std::move(decode_bytes_);
    if (decode_delta_)
      apply_delta(std::move(bytes), std::move(decode_meta_));
    else
      decode(std::move(bytes), std::move(decode_meta_), decode_save_);
  }
  if (!session || !session->has(permission_send_invites)) return;

  const std::int64_t now = snapshots_->now_ms();
  OfflineState& o = state_.offline;
  if (!o.offline && o.have_snapshot && state_.server.status == ServerStatus::unreachable)
    go_offline("The server cannot be reached (" + state_.server.problem + ").", false);
  if (o.offline && !o.chosen) {
    if (state_.server.status == ServerStatus::connected && last_probe_started_) {
      last_probe_started_ = false;
      go_online(server_back_notice);
      if (o.session_from_cache) recheck_session();
    } else if (now - last_probe_ms_ >= server_probe_ms && state_.server.status != ServerStatus::checking && actions_) {
      last_probe_ms_ = now;
      last_probe_started_ = true;
      actions_->check_server();
    }
  }
  if (!o.offline && !downloading_ && !pending_decode_ && o.sync != SyncStatus::opening && now >= next_refresh_ms_ &&
      state_.server.status != ServerStatus::unreachable)
    refresh();
  update_estimate();
}

void Offline::recheck_session() {
  if (rechecking_) return;
  rechecking_ = true;
  const std::uint64_t epoch = epoch_;
  network_(api::request("GET", "/api/me"), [this, epoch](FetchResult&& result) {
    rechecking_ = false;
    if (epoch != epoch_ || !state_.session) return;
    if (result.ok()) {
      const json doc = json::parse(result.body, nullptr, false);
      if (doc.is_object() && doc.contains("csrf_token") && doc["csrf_token"].is_string()) {
        state_.session->csrf_token = doc["csrf_token"].get<std::string>();
        state_.offline.session_from_cache = false;
        return;
      }
    }
    if (result.status == 401 && actions_) actions_->end_session(session_expired_message);
  });
}

void Offline::update_estimate() {
  OfflineState& o = state_.offline;
  if (!snapshot_ || !state_.preview.has_result || !preview_stale(state_)) {
    o.has_estimate = false;
    return;
  }
  if (o.has_estimate && o.estimate_filter == state_.form.filter) return;
  const auto start = std::chrono::steady_clock::now();
  try {
    o.estimate = evaluate(*snapshot_, state_.form.filter).counts;
  } catch (const std::bad_alloc&) {
    o.has_estimate = false;
    return;
  }
  o.estimate_ms = ms_between(start, std::chrono::steady_clock::now());
  o.estimate_filter = state_.form.filter;
  o.has_estimate = true;
}

}  // namespace invites::app
