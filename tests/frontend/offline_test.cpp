// The offline preview (frontend/app/offline.hpp) against a fake Fetcher and a
// fake SnapshotPlatform (an in-memory "IndexedDB" and a programmable
// download): sync, offline Load and recipient pages equal to evaluate() and
// page_recipients() over the same snapshot, the stored session at a reload
// without the server, corrupt copies, sign-out, the way back online, the estimate.
#include "app/actions.hpp"
#include "app/offline.hpp"
#include "app/state.hpp"
#include "fake_server.hpp"

#include <catch2/catch.hpp>
#include <invites/evaluator.hpp>
#include <invites/snapshot_codec.hpp>
#include <invites/snapshot_delta.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstring>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <utility>

#include "random_dataset.hpp"

using namespace invites;
using namespace invites::app;
using namespace invites::app::testing;
using nlohmann::json;

namespace {

class StringBlob final : public ByteSource {
 public:
  explicit StringBlob(std::string bytes) : bytes_(std::move(bytes)) {}
  std::size_t size() const override { return bytes_.size(); }
  void read(std::size_t offset, std::uint8_t* out, std::size_t n) override {
    std::memcpy(out, bytes_.data() + offset, n);
  }
  const std::string& bytes() const { return bytes_; }

 private:
  std::string bytes_;
};

// The browser's store and the snapshot download, in memory. Callbacks are
// queued and run by run(), like the main loop's dispatch.
class FakeSnapshots final : public SnapshotPlatform {
 public:
  void download(const std::string& etag, std::function<void(std::uint64_t, std::uint64_t)> progress,
                std::function<void(SnapshotDownload)> done) override {
    ++downloads;
    last_etag = etag;
    queue.push_back([this, etag, progress, done] {
      SnapshotDownload d;
      if (!server_up) {
        d.error = "network error";
      } else if (!etag.empty() && etag == served_etag) {
        d.status = 304;
      } else if (const auto changes = deltas.find(etag); !etag.empty() && changes != deltas.end()) {
        d.status = 200;
        d.etag = served_etag;
        d.delta = true;
        d.bytes = std::make_shared<StringBlob>(changes->second);
      } else {
        d.status = 200;
        d.etag = served_etag;
        d.bytes = std::make_shared<StringBlob>(served);
        progress(served.size(), served.size());
      }
      done(std::move(d));
    });
  }
  void load(bool with_bytes, std::function<void(std::optional<StoredCopy>, std::string)> done) override {
    queue.push_back([this, with_bytes, done] {
      if (!stored_meta) return done(std::nullopt, "");
      StoredCopy copy;
      copy.meta = *stored_meta;
      if (with_bytes) copy.bytes = std::make_shared<StringBlob>(stored_bytes);
      done(std::move(copy), "");
    });
  }
  void save(const std::string& meta, BlobPtr bytes, std::function<void(std::string)> done) override {
    stored_meta = meta;
    if (bytes) stored_bytes = static_cast<StringBlob&>(*bytes).bytes();
    queue.push_back([done] { done(""); });
  }
  void clear() override {
    stored_meta.reset();
    stored_bytes.clear();
    ++clears;
  }
  BlobPtr make_blob(std::size_t size, const std::function<void(const PieceWriter&)>& produce) override {
    std::string bytes;
    produce([&](std::string_view piece) { bytes += piece; });
    REQUIRE(bytes.size() == size);
    return std::make_shared<StringBlob>(std::move(bytes));
  }
  std::int64_t now_ms() override { return now; }
  void save_file(const std::string& name, const std::string& text) override { files.emplace_back(name, text); }
  std::vector<std::pair<std::string, std::string>> files;

  void run() {
    while (!queue.empty()) {
      auto next = std::move(queue.front());
      queue.pop_front();
      next();
    }
  }

  std::deque<std::function<void()>> queue;
  std::optional<std::string> stored_meta;
  std::string stored_bytes;
  std::string served, served_etag = "\"e1\"";
  std::map<std::string, std::string> deltas;  // by the ETag sent: answered with these deltas
  bool server_up = true;
  int downloads = 0, clears = 0;
  std::string last_etag;
  std::int64_t now = 1'800'000'000'000;
};

json session_body(const std::string& user = "alice", std::int64_t id = 7) {
  return {{"user", {{"id", id}, {"username", user}}}, {"permissions", {390, 120}}, {"csrf_token", "tok-" + user}};
}

std::string lookups_text() {
  return json{{"divisions", {{{"id", 1}, {"name", "North"}}, {{"id", 2}, {"name", "South"}}}},
              {"account_classes", json::array()},
              {"bill_groups", json::array()},
              {"account_sources", json::array()},
              {"site_sources", json::array()},
              {"templates", {{{"id", 11}, {"name", "Standard invitation"}}}}}
      .dump();
}

const Snapshot& test_snapshot() {
  static const Snapshot snapshot =
      invites::testing::snapshot_of(invites::testing::generate_dataset({.accounts = 300, .seed = 17}), 1'790'000'000);
  return snapshot;
}

// One app: state, Offline around the fake server, Actions on top.
struct Client {
  FakeServer& server;
  FakeSnapshots& snapshots;
  State state;
  Offline offline{state, server.fetcher(), &snapshots};
  std::vector<std::string> opened;  // URLs that reached the platform's opener
  Actions actions{state, offline.fetcher(),
                  offline.url_opener([this](const std::string& url) { opened.push_back(url); })};

  Client(FakeServer& s, FakeSnapshots& p) : server(s), snapshots(p) { offline.attach(actions); }

  // Main-loop ticks with the platform's callbacks in between.
  void settle(int ticks = 6) {
    for (int i = 0; i < ticks; ++i) {
      snapshots.run();
      offline.tick();
    }
  }
  void sign_in_online(const std::string& user = "alice", std::int64_t id = 7) {
    actions.start();
    server.respond("GET", "/healthz", 200, "ok");
    server.respond("GET", "/api/me", 200, session_body(user, id).dump());
    server.respond("GET", "/api/lookups", 200, lookups_text());
    settle();
  }
};

struct Fixture {
  FakeServer server;
  FakeSnapshots snapshots;
  Fixture() { snapshots.served = SnapshotCodec::encode(test_snapshot()); }
};

}  // namespace

TEST_CASE("after sign-in the snapshot is downloaded, checked and stored with the session and the lookups") {
  Fixture f;
  Client c(f.server, f.snapshots);
  c.sign_in_online();
  CHECK(c.state.offline.sync == SyncStatus::ready);
  CHECK(c.state.offline.have_snapshot);
  CHECK(c.state.offline.contacts == test_snapshot().contact_count());
  CHECK(c.state.offline.data_as_of == 1'790'000'000);
  REQUIRE(f.snapshots.stored_meta);
  const json meta = json::parse(*f.snapshots.stored_meta);
  CHECK(meta["username"] == "alice");
  CHECK(meta["etag"] == "\"e1\"");
  CHECK(meta["lookups"].get<std::string>().find("Standard invitation") != std::string::npos);
  CHECK(f.snapshots.stored_bytes == f.snapshots.served);
  CHECK_FALSE(c.state.offline.offline);

  SECTION("a refresh sends the ETag and a 304 keeps the copy") {
    c.offline.refresh();
    c.settle();
    CHECK(f.snapshots.last_etag == "\"e1\"");
    CHECK(c.state.offline.sync == SyncStatus::ready);
    CHECK(c.state.offline.have_snapshot);
  }
  SECTION("a stale copy is refreshed by itself") {
    const int before = f.snapshots.downloads;
    f.snapshots.now += snapshot_refresh_ms + 1;
    c.settle();
    CHECK(f.snapshots.downloads == before + 1);
  }
}

TEST_CASE("a refresh applies the server's deltas and stores the result, a failed delta gives a full download") {
  Fixture f;
  Client c(f.server, f.snapshots);
  c.sign_in_online();
  REQUIRE(c.state.offline.have_snapshot);
  // The next generation: a contact renamed, one deleted, a portal status changed.
  auto data = invites::testing::generate_dataset({.accounts = 300, .seed = 17});
  data.contacts[0].first_name += " Jr";
  data.contacts.erase(data.contacts.begin() + 1);
  REQUIRE_FALSE(data.portal_users.empty());
  data.portal_users[0].status = PortalStatus::disabled;
  const Snapshot newer = invites::testing::snapshot_of(data, 1'790'003'600);
  const auto version = [](const Snapshot& s) {
    return SnapshotVersion{s, portal_columns(s), SnapshotCodec::layout(s, portal_columns(s)).digest};
  };
  const std::string delta = SnapshotDelta::encode(version(test_snapshot()), version(newer));
  f.snapshots.served = SnapshotCodec::encode(newer);
  f.snapshots.served_etag = "\"e2\"";
  const int before = f.snapshots.downloads;
  const auto refreshed = [&] {
    CHECK(c.state.offline.sync == SyncStatus::ready);
    CHECK(c.state.offline.data_as_of == 1'790'003'600);
    CHECK(c.state.offline.contacts == newer.contact_count());
    REQUIRE(c.offline.snapshot());
    CHECK(*c.offline.snapshot() == newer);
    CHECK(f.snapshots.stored_bytes == f.snapshots.served);  // byte for byte the full copy
    CHECK(json::parse(*f.snapshots.stored_meta)["etag"] == "\"e2\"");
  };

  SECTION("the deltas are applied to the copy in use") {
    f.snapshots.deltas["\"e1\""] = delta;
    c.offline.refresh();
    c.settle();
    CHECK(f.snapshots.downloads == before + 1);
    refreshed();
  }
  SECTION("a corrupt delta: the whole copy is downloaded") {
    std::string corrupt = delta;
    corrupt.back() = static_cast<char>(corrupt.back() ^ 1);
    f.snapshots.deltas["\"e1\""] = corrupt;
    c.offline.refresh();
    c.settle();
    CHECK(f.snapshots.downloads == before + 2);
    CHECK(f.snapshots.last_etag.empty());
    refreshed();
  }
  SECTION("a delta for another copy: the whole copy is downloaded") {
    f.snapshots.deltas["\"e1\""] = SnapshotDelta::encode(version(newer), version(newer));
    c.offline.refresh();
    c.settle();
    CHECK(f.snapshots.downloads == before + 2);
    refreshed();
  }
}

TEST_CASE("without the server, Load and the recipient pages come from the snapshot, equal to the common/ evaluator") {
  Fixture f;
  Client c(f.server, f.snapshots);
  c.sign_in_online();
  c.actions.set_flag(FlagKind::billing_contacts, true);
  c.actions.load_preview();
  f.server.vanish();  // POST /api/previews: no answer
  c.settle();
  REQUIRE(c.state.preview.status == LoadStatus::loaded);
  const Filter filter{.billing_contacts_only = true};
  const Evaluation expected = evaluate(test_snapshot(), filter);
  CHECK(preview_is_offline(c.state));
  CHECK(c.state.offline.offline);
  CHECK(c.state.preview.counts.new_users == expected.counts.new_users);
  CHECK(c.state.preview.counts.pending_invites == expected.counts.pending_invites);
  CHECK(c.state.preview.counts.skipped_invalid_email == expected.counts.skipped_invalid_email);
  CHECK(c.state.preview.counts.excluded_existing == expected.counts.excluded_existing);
  CHECK(c.state.preview.counts.skipped_suppressed == expected.counts.skipped_suppressed);
  CHECK(c.state.preview.digest == expected.digest);
  CHECK_FALSE(can_send(c.state));
  CHECK(offline_block_reason(c.state) == offline_send_reason);

  c.actions.open_recipients(CountGroup::new_users);
  c.settle();
  REQUIRE(c.state.recipients.has_total);
  CHECK(c.state.recipients.total == expected.counts.new_users);
  const RecipientPage page = page_recipients(test_snapshot(), expected, {.group = Group::new_users, .limit = 200});
  REQUIRE(c.state.recipients.blocks.row(0));
  CHECK(c.state.recipients.blocks.row(0)->email == page.rows[0].email);
  CHECK(c.state.recipients.blocks.row(0)->contact_id == page.rows[0].contact_id);

  c.actions.set_recipient_sort(SortColumn::last_name, true);
  c.settle();
  const RecipientPage sorted =
      page_recipients(test_snapshot(), expected,
                      {.group = Group::new_users, .limit = 200, .sort = SortColumn::last_name, .descending = true});
  REQUIRE(c.state.recipients.blocks.row(0));
  CHECK(c.state.recipients.blocks.row(0)->email == sorted.rows[0].email);

  // CSV of the list as shown (sorted by last name, descending), made in the app.
  c.actions.download_recipients_csv();
  CHECK(c.opened.empty());
  REQUIRE(f.snapshots.files.size() == 1);
  CHECK(f.snapshots.files[0].first == "recipients-new_users.csv");
  const std::string& csv = f.snapshots.files[0].second;
  CHECK(csv.rfind("email,first_name,last_name,account_number,account_name,contact_id,last_invited_at\r\n", 0) == 0);
  CHECK(csv.find(std::string(sorted.rows[0].email)) != std::string::npos);
  CHECK(static_cast<std::uint64_t>(std::count(csv.begin(), csv.end(), '\n')) == expected.counts.new_users + 1);

  c.actions.open_recipients(CountGroup::skipped_invalid_email);
  c.settle();
  CHECK(c.state.recipients.total == expected.counts.skipped_invalid_email);

  SECTION("a query the common/ reader refuses is a 400 naming its parameter, as the server answers it") {
    const std::vector<std::pair<std::string, std::string>> refused{
        {"group=everyone", "group"}, {"sort=colour", "sort"}, {"order=up", "order"},
        {"offset=-1", "offset"},     {"limit=0", "limit"},    {"limit=1001", "limit"}};
    for (const auto& [query, field] : refused) {
      INFO(query);
      FetchRequest request;
      request.url = "/api/previews/" + c.state.preview.preview_id + "/recipients?" + query;
      std::optional<FetchResult> answer;
      c.offline.fetcher()(std::move(request), [&](FetchResult&& result) { answer = std::move(result); });
      c.settle();
      REQUIRE(answer);
      CHECK(answer->status == 400);
      const json error = json::parse(answer->body)["error"];
      CHECK(error["code"] == "invalid");
      CHECK(error["field"] == field);
      CHECK(error["message"].get<std::string>().rfind(field + ": must be ", 0) == 0);
    }
  }
  SECTION("the server comes back: the app says so and the next Load is online") {
    f.snapshots.now += server_probe_ms;
    c.settle(1);
    REQUIRE(f.server.has_pending("GET", "/healthz"));
    f.server.respond("GET", "/healthz", 200, "ok");
    c.settle(1);
    CHECK_FALSE(c.state.offline.offline);
    CHECK(c.state.offline.notice == server_back_notice);
    c.actions.load_preview();
    REQUIRE(f.server.has_pending("POST", "/api/previews"));
  }
}

TEST_CASE("lists that come in after the download, before its decode, are stored with the copy") {
  Fixture f;
  Client c(f.server, f.snapshots);
  c.actions.start();
  f.server.respond("GET", "/healthz", 200, "ok");
  f.server.respond("GET", "/api/me", 200, session_body("alice", 7).dump());
  c.offline.tick();
  f.snapshots.run();  // the download is in; its decode waits for the next tick
  REQUIRE(f.server.has_pending("GET", "/api/lookups"));
  f.server.respond("GET", "/api/lookups", 200, lookups_text());
  c.settle();
  REQUIRE(c.state.offline.have_snapshot);
  REQUIRE(f.snapshots.stored_meta);
  CHECK(json::parse(*f.snapshots.stored_meta)["lookups"].get<std::string>().find("Standard invitation") !=
        std::string::npos);
}

TEST_CASE("a reload without the server opens the screen from the stored session and lookups") {
  Fixture f;
  {
    Client first(f.server, f.snapshots);
    first.sign_in_online();
  }
  f.server.pending.clear();
  f.snapshots.server_up = false;
  Client c(f.server, f.snapshots);
  c.settle(1);  // the stored meta is read at start
  c.actions.start();
  f.server.vanish();  // /healthz and /api/me
  c.settle();
  f.server.vanish();  // /api/lookups
  c.settle();
  REQUIRE(c.state.session);
  CHECK(c.state.session->user.username == "alice");
  CHECK(c.state.offline.session_from_cache);
  CHECK(c.state.offline.offline);
  CHECK(c.state.lookups.status == LoadStatus::loaded);
  CHECK(c.state.lookups.templates.size() == 1);
  REQUIRE(c.state.offline.have_snapshot);
  c.actions.load_preview();
  c.settle();
  CHECK(c.state.preview.status == LoadStatus::loaded);
  CHECK(c.state.preview.digest == evaluate(test_snapshot(), {}).digest);
  CHECK(c.state.preview.counts.new_users == evaluate(test_snapshot(), {}).counts.new_users);

  SECTION("back online, the real session replaces the stored one") {
    f.snapshots.now += server_probe_ms;
    c.settle(1);
    f.server.respond("GET", "/healthz", 200, "ok");
    c.settle(1);
    f.server.respond("GET", "/api/me", 200, session_body().dump());
    CHECK_FALSE(c.state.offline.session_from_cache);
    CHECK(c.state.session->csrf_token == "tok-alice");
  }
  SECTION("back online, an unknown session returns to the login screen") {
    f.snapshots.now += server_probe_ms;
    c.settle(1);
    f.server.respond("GET", "/healthz", 200, "ok");
    c.settle(1);
    f.server.respond("GET", "/api/me", 401, R"({"error":{"code":"unauthenticated","message":"no"}})");
    CHECK_FALSE(c.state.session);
    CHECK(c.state.login.notice == session_expired_message);
  }
}

TEST_CASE("a corrupt or foreign-version stored copy is discarded with a message, never used") {
  Fixture f;
  {
    Client first(f.server, f.snapshots);
    first.sign_in_online();
  }
  f.server.pending.clear();
  SECTION("flipped bytes") { f.snapshots.stored_bytes[f.snapshots.stored_bytes.size() / 2] ^= 0x40; }
  SECTION("another format version") { f.snapshots.stored_bytes[8] = 9; }
  SECTION("the previous format version (stored before an upgrade)") {
    f.snapshots.stored_bytes[8] = static_cast<char>(snapshot_format_version - 1);
  }
  SECTION("truncated") { f.snapshots.stored_bytes.resize(100); }
  f.snapshots.server_up = false;
  Client c(f.server, f.snapshots);
  c.sign_in_online();
  CHECK(c.state.offline.notice.rfind(discarded_prefix, 0) == 0);
  CHECK_FALSE(c.state.offline.have_snapshot);
  CHECK_FALSE(f.snapshots.stored_meta);
}

TEST_CASE("sign-out deletes the copy, another user's copy is never opened") {
  Fixture f;
  Client c(f.server, f.snapshots);
  c.sign_in_online();
  REQUIRE(f.snapshots.stored_meta);

  SECTION("sign-out") {
    c.actions.sign_out();
    c.settle();
    CHECK_FALSE(f.snapshots.stored_meta);
    CHECK_FALSE(c.state.offline.have_snapshot);
    CHECK(c.offline.snapshot() == nullptr);
  }
  SECTION("an expired session keeps the copy for the same user") {
    c.actions.end_session(session_expired_message);
    c.settle();
    CHECK(f.snapshots.stored_meta);
    CHECK(c.offline.snapshot() == nullptr);
  }
  SECTION("another user signs in (on a fresh page)") {
    f.server.pending.clear();
    f.snapshots.server_up = false;
    Client other(f.server, f.snapshots);
    other.sign_in_online("bob", 8);
    CHECK_FALSE(other.state.offline.have_snapshot);
    CHECK_FALSE(f.snapshots.stored_meta);
  }
}

TEST_CASE("while the filters differ from the loaded ones, the estimate follows them") {
  Fixture f;
  Client c(f.server, f.snapshots);
  c.sign_in_online();
  c.actions.load_preview();
  f.server.respond("POST", "/api/previews", 200,
                   json{{"preview_id", "p-1"},
                        {"counts", counts_to_json(evaluate(test_snapshot(), {}).counts)},
                        {"digest", "x"},
                        {"generated_at", "2026-11-26T12:00:00Z"}}
                       .dump());
  c.settle();
  CHECK_FALSE(c.state.offline.has_estimate);
  CHECK_FALSE(preview_is_offline(c.state));
  c.actions.set_selected(ListKind::division, 1, true);
  c.settle(1);
  REQUIRE(c.state.offline.has_estimate);
  CHECK(c.state.offline.estimate == evaluate(test_snapshot(), {.division_ids = {1}}).counts);
  c.actions.set_flag(FlagKind::balance_due, true);
  c.settle(1);
  CHECK(c.state.offline.estimate == evaluate(test_snapshot(), {.division_ids = {1}, .balance_due_only = true}).counts);
  c.actions.set_flag(FlagKind::balance_due, false);
  c.actions.select_all(ListKind::division);
  c.settle(1);
  CHECK_FALSE(c.state.offline.has_estimate);  // the result on screen fits the filters again
}

TEST_CASE("Preview offline by choice answers Load locally while the server is up") {
  Fixture f;
  Client c(f.server, f.snapshots);
  c.sign_in_online();
  c.offline.preview_offline(true);
  CHECK(c.state.offline.chosen);
  c.actions.load_preview();
  CHECK_FALSE(f.server.has_pending("POST", "/api/previews"));
  c.settle();
  CHECK(preview_is_offline(c.state));
  c.offline.preview_offline(false);
  CHECK_FALSE(c.state.offline.offline);
  c.actions.load_preview();
  CHECK(f.server.has_pending("POST", "/api/previews"));
}
