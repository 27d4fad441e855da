// invites-server serve as a black box over real HTTP (static files, content codings,
// /healthz, path traversal, shutdown), plus the pieces behind it.
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include <catch2/catch.hpp>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "content_decoding.hpp"
#include "http/compressor.hpp"
#include "http/listen_address.hpp"
#include "http/mime_types.hpp"
#include "http/static_files.hpp"
#include "support/server_process.hpp"
#include "support/test_database.hpp"

namespace fs = std::filesystem;
using Catch::Matchers::Contains;
using invites::http::compress;
using invites::http::ContentCoding;
using invites::testing::decode_content;

namespace {

void write_file(const fs::path& path, const std::string& content) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << content;
}

// Compressible, like real .wasm and .js files.
std::string repetitive(std::size_t size, const std::string& unit) {
  std::string out;
  while (out.size() < size) out += unit;
  out.resize(size);
  return out;
}

// A web bundle in a temporary directory, next to a file that must stay
// unreachable: <tmp>/secret.txt outside, <tmp>/web the root.
struct WebBundle {
  fs::path base;
  fs::path root;
  std::string index_html = "<!doctype html><title>Bulk Portal Invites</title>";
  std::string wasm = std::string("\0asm\1\0\0\0", 8) + repetitive(200'000, "wasm-code-section ");
  std::string js = repetitive(100'000, "function f(){return 1;}\n");

  WebBundle() {
    std::string pattern = (fs::temp_directory_path() / "invites-web-XXXXXX").string();
    base = mkdtemp(pattern.data());
    root = base / "web";
    write_file(root / "index.html", index_html);
    write_file(root / "app.wasm", wasm);
    write_file(root / "app.js", js);
    write_file(root / "sw.js", "self.addEventListener('fetch', () => {});");
    write_file(root / "fonts" / "ui.ttf", repetitive(5000, "glyph"));
    write_file(root / "data.json", R"({"a":1})");
    write_file(root / "docs" / "index.html", "docs");
    write_file(root / ".env", "SECRET=1");
    write_file(base / "secret.txt", "top secret");
    fs::create_symlink(base / "secret.txt", root / "link.txt");
  }
  ~WebBundle() {
    std::error_code ignored;
    fs::remove_all(base, ignored);
  }
};

struct RunningServer {
  invites::testing::TestDatabase database;
  WebBundle bundle;
  invites::testing::ServerProcess server{database.url(), bundle.root};
  httplib::Client client{server.host(), server.port()};

  httplib::Result get(const std::string& path, const std::string& accept_encoding = "identity") {
    return client.Get(path.c_str(), {{"Accept-Encoding", accept_encoding}});
  }
};

}  // namespace

TEST_CASE_METHOD(RunningServer, "serve: / is index.html, revalidated on every load") {
  const auto response = get("/");
  REQUIRE(response);
  CHECK(response->status == 200);
  CHECK(response->get_header_value("Content-Type") == "text/html; charset=utf-8");
  CHECK(response->get_header_value("Cache-Control") == "no-cache");
  CHECK(response->body == bundle.index_html);
  CHECK(get("/index.html")->body == bundle.index_html);
  CHECK(get("/docs/")->body == "docs");
  CHECK(get("/sw.js")->get_header_value("Cache-Control") == "no-cache");
  CHECK_FALSE(get("/app.js")->has_header("Cache-Control"));
}

TEST_CASE_METHOD(RunningServer, "serve: content types of the bundle files") {
  CHECK(get("/app.wasm")->get_header_value("Content-Type") == "application/wasm");
  CHECK(get("/app.js")->get_header_value("Content-Type") == "text/javascript; charset=utf-8");
  CHECK(get("/fonts/ui.ttf")->get_header_value("Content-Type") == "font/ttf");
  CHECK(get("/data.json")->get_header_value("Content-Type") == "application/json");
}

TEST_CASE_METHOD(RunningServer, "serve: the build's .br and .gz forms go to clients that accept them") {
  const std::string br = compress({ContentCoding::br, 11}, bundle.wasm);
  const std::string gz = compress({ContentCoding::gzip, 9}, bundle.wasm);
  write_file(bundle.root / "app.wasm.br", br);
  write_file(bundle.root / "app.wasm.gz", gz);
  client.set_decompress(false);

  const auto chosen = get("/app.wasm", "gzip, deflate, br, zstd");
  REQUIRE(chosen);
  CHECK(chosen->status == 200);
  CHECK(chosen->get_header_value("Content-Encoding") == "br");
  CHECK(chosen->get_header_value("Content-Type") == "application/wasm");
  CHECK(chosen->get_header_value("Vary") == "Accept-Encoding");
  CHECK(chosen->get_header_value("Content-Length") == std::to_string(br.size()));
  CHECK(chosen->body == br);  // the file as the build wrote it
  CHECK(decode_content("br", chosen->body) == bundle.wasm);
  const auto br_etag = chosen->get_header_value("ETag");
  CHECK(br_etag.ends_with("-br\""));

  const auto gzipped = get("/app.wasm", "gzip, deflate");
  CHECK(gzipped->get_header_value("Content-Encoding") == "gzip");
  CHECK(gzipped->body == gz);
  CHECK(gzipped->get_header_value("ETag").ends_with("-gzip\""));

  // Not accepted: the file as it is.
  const auto plain = get("/app.wasm", "identity");
  CHECK_FALSE(plain->has_header("Content-Encoding"));
  CHECK(plain->get_header_value("Vary") == "Accept-Encoding");
  CHECK(plain->body == bundle.wasm);
  CHECK(plain->get_header_value("ETag") != br_etag);

  // Each coding revalidates its own representation.
  CHECK(client.Get("/app.wasm", {{"Accept-Encoding", "br"}, {"If-None-Match", br_etag}})->status == 304);
  CHECK(client.Get("/app.wasm", {{"Accept-Encoding", "identity"}, {"If-None-Match", br_etag}})->status == 200);

  // Byte ranges refer to the file as it is.
  const auto range = client.Get("/app.wasm", {{"Accept-Encoding", "gzip, br"}, {"Range", "bytes=0-9"}});
  REQUIRE(range);
  CHECK(range->status == 206);
  CHECK_FALSE(range->has_header("Content-Encoding"));
  CHECK(range->body == bundle.wasm.substr(0, 10));

  // A form older than its file is stale: not served.
  const auto now = fs::last_write_time(bundle.root / "app.wasm");
  fs::last_write_time(bundle.root / "app.wasm.br", now - std::chrono::hours(1));
  const auto stale = get("/app.wasm", "br");
  CHECK(stale->body != br);
  CHECK(decode_content(stale->get_header_value("Content-Encoding"), stale->body) == bundle.wasm);
}

TEST_CASE_METHOD(RunningServer, "serve: files without build-time forms are compressed per request") {
  client.set_decompress(false);
  for (const auto& [accept, coding] : {std::pair{"gzip, deflate, br, zstd", "zstd"}, std::pair{"gzip, br", "br"},
                                       std::pair{"gzip", "gzip"}, std::pair{"identity", ""}}) {
    INFO(accept);
    const auto response = get("/app.js", accept);
    REQUIRE(response);
    CHECK(response->status == 200);
    CHECK(response->get_header_value("Content-Encoding") == coding);
    CHECK(response->get_header_value("Vary") == "Accept-Encoding");
    CHECK(response->get_header_value("Content-Length") == std::to_string(response->body.size()));
    CHECK(decode_content(coding, response->body) == bundle.js);
  }
  // Below 1 KB a body goes out as it is.
  const auto small = get("/index.html", "gzip, deflate, br, zstd");
  CHECK_FALSE(small->has_header("Content-Encoding"));
  CHECK(small->body == bundle.index_html);
}

TEST_CASE_METHOD(RunningServer, "serve: an unchanged file revalidates with 304") {
  const auto first = get("/app.wasm");
  const auto etag = first->get_header_value("ETag");
  REQUIRE_FALSE(etag.empty());
  const auto again = client.Get("/app.wasm", {{"If-None-Match", etag}});
  REQUIRE(again);
  CHECK(again->status == 304);
  CHECK(again->body.empty());
}

TEST_CASE_METHOD(RunningServer, "serve: missing files are 404 and nothing outside the root is reachable") {
  CHECK(get("/missing.js")->status == 404);
  for (const char* path : {"/../etc/passwd", "/%2e%2e/etc/passwd", "/docs/../../secret.txt", "/..%2fsecret.txt",
                           "/../secret.txt", "/link.txt", "/.env", "/docs/..\\..\\secret.txt"}) {
    INFO(path);
    const auto response = get(path);
    REQUIRE(response);
    CHECK(response->status == 404);
    CHECK_THAT(response->body, !Contains("top secret") && !Contains("root:") && !Contains("SECRET"));
  }
}

TEST_CASE_METHOD(RunningServer, "serve: /healthz reports the database") {
  const auto response = get("/healthz");
  REQUIRE(response);
  CHECK(response->status == 200);
  CHECK(response->get_header_value("Content-Type") == "application/json");
  CHECK(nlohmann::json::parse(response->body) == nlohmann::json{{"status", "ok"}, {"database", "ok"}});
}

TEST_CASE_METHOD(RunningServer, "serve: every response carries its own request id") {
  const auto first = get("/healthz");
  const auto second = get("/missing.txt");
  REQUIRE(first);
  REQUIRE(second);
  const std::string first_id = first->get_header_value("X-Request-Id");
  const std::string second_id = second->get_header_value("X-Request-Id");
  CHECK_FALSE(first_id.empty());
  CHECK_FALSE(second_id.empty());
  CHECK(first_id != second_id);
}

TEST_CASE_METHOD(RunningServer, "serve: every response carries the security headers, also errors") {
  httplib::Headers json_body{{"Content-Type", "application/json"}};
  for (const auto& response :
       {get("/"), get("/app.js"), get("/healthz"), get("/missing.js"), client.Get("/api/no-such-thing"),
        client.Post("/api/session", json_body, std::string(100'000, 'x'), "application/json")}) {
    REQUIRE(response);
    INFO(response->status);
    const std::string policy = response->get_header_value("Content-Security-Policy");
    CHECK_THAT(policy, Contains("script-src 'self' 'wasm-unsafe-eval';"));
    CHECK_THAT(policy, Contains("frame-ancestors 'none'"));
    CHECK_THAT(policy, Contains("object-src 'none'"));
    CHECK_THAT(policy, !Contains("script-src 'self' 'unsafe-inline'"));
    CHECK(response->get_header_value_count("Content-Security-Policy") == 1);
    CHECK(response->get_header_value("X-Content-Type-Options") == "nosniff");
    CHECK(response->get_header_value("X-Frame-Options") == "DENY");
    CHECK(response->get_header_value("Referrer-Policy") == "no-referrer");
    // Only over TLS (session_test checks that side).
    CHECK_FALSE(response->has_header("Strict-Transport-Security"));
  }
}

TEST_CASE_METHOD(RunningServer, "serve: SIGTERM shuts the server down cleanly") {
  REQUIRE(get("/")->status == 200);
  CHECK(server.stop() == 0);
  CHECK_FALSE(get("/"));  // nobody listens any more
}

TEST_CASE("serve: /healthz is 503 when the database is unreachable") {
  WebBundle bundle;
  auto url = invites::testing::fixture_database_url();
  url.port = 1;  // nothing listens on port 1
  invites::testing::ServerProcess server(url, bundle.root);
  httplib::Client client(server.host(), server.port());

  const auto response = client.Get("/healthz");
  REQUIRE(response);
  CHECK(response->status == 503);
  CHECK(nlohmann::json::parse(response->body) == nlohmann::json{{"status", "ok"}, {"database", "unreachable"}});
  CHECK(response->get_header_value("Cache-Control") == "no-store");
  CHECK(server.stop() == 0);
}

TEST_CASE("serve: /metrics is not public, it needs its token or its own listener") {
  const invites::testing::TestDatabase database;
  using Options = invites::testing::ServerProcess::Options;
  const auto metrics_of = [](const std::string& host, int port, const httplib::Headers& headers = {}) {
    httplib::Client client(host, port);
    return client.Get("/metrics", headers);
  };
  {
    invites::testing::ServerProcess plain(database.url(), Options{});
    CHECK(metrics_of(plain.host(), plain.port())->status == 404);
  }
  {
    invites::testing::ServerProcess with_token(database.url(),
                                               Options{.extra_args = {"--metrics-token", "s3cret-metrics"}});
    const auto anonymous = metrics_of(with_token.host(), with_token.port());
    CHECK(anonymous->status == 401);
    CHECK(anonymous->get_header_value("WWW-Authenticate") == "Bearer");
    CHECK(metrics_of(with_token.host(), with_token.port(), {{"Authorization", "Bearer wrong"}})->status == 401);
    const auto scraped = metrics_of(with_token.host(), with_token.port(), {{"Authorization", "Bearer s3cret-metrics"}});
    CHECK(scraped->status == 200);
    CHECK_THAT(scraped->body, Contains("invites_http_requests_total"));
  }
  {
    invites::testing::ServerProcess separate(database.url(),
                                             Options{.extra_args = {"--metrics-listen", "127.0.0.1:0"}});
    const std::string line = separate.read_line(std::chrono::seconds(10));
    const std::string marker = "metrics on http://127.0.0.1:";
    REQUIRE(line.find(marker) != std::string::npos);
    const int metrics_port = std::stoi(line.substr(line.find(marker) + marker.size()));
    CHECK(metrics_port != separate.port());
    const auto scraped = metrics_of("127.0.0.1", metrics_port);
    CHECK(scraped->status == 200);
    CHECK_THAT(scraped->body, Contains("invites_http_requests_total"));
    CHECK(metrics_of(separate.host(), separate.port())->status == 404);
    CHECK(separate.stop() == 0);
  }
}

TEST_CASE("StaticFiles::resolve stays inside the web root") {
  WebBundle bundle;
  const invites::http::StaticFiles files(bundle.root);
  const auto root = fs::canonical(bundle.root);
  CHECK(files.resolve("/") == root / "index.html");
  CHECK(files.resolve("//app.wasm") == root / "app.wasm");
  CHECK(files.resolve("/docs") == root / "docs" / "index.html");
  CHECK(files.resolve("/fonts/ui.ttf") == root / "fonts" / "ui.ttf");
  CHECK_FALSE(files.resolve("/fonts"));  // a directory without index.html
  CHECK_FALSE(files.resolve("/../secret.txt"));
  CHECK_FALSE(files.resolve("/docs/../index.html"));
  CHECK_FALSE(files.resolve("/./index.html"));
  CHECK_FALSE(files.resolve("/link.txt"));
  CHECK_FALSE(files.resolve("/.env"));
  CHECK_FALSE(files.resolve(std::string_view("/index.html\0x", 13)));
  CHECK_FALSE(files.resolve("index.html"));
  CHECK_THROWS_AS(invites::http::StaticFiles(bundle.base / "nope"), std::invalid_argument);
}

TEST_CASE("mime types by extension") {
  using invites::http::mime_type_for;
  CHECK(mime_type_for("app.wasm") == "application/wasm");
  CHECK(mime_type_for("APP.JS") == "text/javascript; charset=utf-8");
  CHECK(mime_type_for("index.html") == "text/html; charset=utf-8");
  CHECK(mime_type_for("ui.ttf") == "font/ttf");
  CHECK(mime_type_for("README") == "application/octet-stream");
}

TEST_CASE("listen addresses") {
  using invites::http::parse_listen_address;
  CHECK(parse_listen_address("127.0.0.1:8080") == invites::http::ListenAddress{"127.0.0.1", 8080});
  CHECK(parse_listen_address("[::1]:0") == invites::http::ListenAddress{"::1", 0});
  CHECK_THROWS_WITH(parse_listen_address("8080"), Contains("missing ':PORT'"));
  CHECK_THROWS_WITH(parse_listen_address(":8080"), Contains("missing host"));
  CHECK_THROWS_WITH(parse_listen_address("localhost:http"), Contains("invalid port 'http'"));
  CHECK_THROWS_WITH(parse_listen_address("::1:80"), Contains("brackets"));
  CHECK(invites::http::http_url("::1", 80) == "http://[::1]:80");
}
