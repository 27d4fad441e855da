// Content codings chosen per request (issue 15): Accept-Encoding parsing,
// the coding and level per body size, and the streaming compressors, whose
// output must decode to exactly the input however it was fed.
#include <random>
#include <string>

#include <catch2/catch.hpp>

#include "content_decoding.hpp"
#include "http/compressor.hpp"
#include "http/content_coding.hpp"

using namespace invites::http;
using invites::testing::decode_content;

namespace {

const std::string browser = "gzip, deflate, br, zstd";

// Rows like the recipient CSV: compressible, but not trivially.
std::string csv_like(std::size_t rows) {
  std::mt19937 random(42);
  const char* names[] = {"Adams", "Baker", "Müller", "O'Neil", "Zoë", "Nguyen", "Smith"};
  std::string out = "email,first_name,last_name,account_number\r\n";
  for (std::size_t i = 0; i < rows; ++i) {
    const auto name = names[random() % 7];
    out += std::string(name) + std::to_string(random() % 10000) + "@example.com," + name + "," + name + "," +
           std::to_string(100000000 + random() % 900000) + "\r\n";
  }
  return out;
}

}  // namespace

TEST_CASE("Accept-Encoding: codings with q-values, '*' and case", "[encoding]") {
  const auto all = parse_accept_encoding(browser);
  CHECK((all.gzip && all.br && all.zstd));
  CHECK(parse_accept_encoding("GZIP;q=0.5").gzip);
  CHECK(parse_accept_encoding("x-gzip").gzip);
  const auto star = parse_accept_encoding("*");
  CHECK((star.gzip && star.br && star.zstd));
  const auto none = parse_accept_encoding("");
  CHECK_FALSE((none.gzip || none.br || none.zstd));
  CHECK_FALSE(parse_accept_encoding("identity").gzip);
  CHECK_FALSE(parse_accept_encoding("br, deflate").gzip);
  CHECK(parse_accept_encoding("br, deflate").br);
  CHECK_FALSE(parse_accept_encoding("gzip;q=0").gzip);
  CHECK_FALSE(parse_accept_encoding("zstd;q=0.000, gzip").zstd);
  const auto star_but_gzip = parse_accept_encoding("*, gzip;q=0.0");  // an explicit entry beats "*"
  CHECK_FALSE(star_but_gzip.gzip);
  CHECK(star_but_gzip.br);
  CHECK(parse_accept_encoding("br").admits(ContentCoding::identity));
}

TEST_CASE("dynamic bodies: zstd, then brotli, then gzip at fast levels, small ones as they are", "[encoding]") {
  const auto choose = [](const std::string& accept, std::optional<std::size_t> size) {
    return dynamic_encoding(parse_accept_encoding(accept), size);
  };
  CHECK(choose(browser, 100'000) == Encoding{ContentCoding::zstd, 3});
  CHECK(choose("gzip, deflate, br", 100'000) == Encoding{ContentCoding::br, 4});
  CHECK(choose("gzip, deflate", 100'000) == Encoding{ContentCoding::gzip, 5});
  CHECK(choose("identity", 100'000).coding == ContentCoding::identity);
  CHECK(choose("", 100'000).coding == ContentCoding::identity);
  CHECK(choose(browser, min_compressed_size - 1).coding == ContentCoding::identity);
  CHECK(choose(browser, min_compressed_size).coding == ContentCoding::zstd);
  CHECK(choose(browser, std::nullopt).coding == ContentCoding::zstd);  // a stream of unknown length
  // Never brotli at its slowest qualities on a body made per request.
  for (const auto& accept : {"br", "br, gzip", "*"}) CHECK(choose(accept, 50'000'000).level <= 5);
}

TEST_CASE("the offline copy gets a higher zstd level, and the fast levels of the other codings", "[encoding]") {
  const auto choose = [](const std::string& accept) {
    return dynamic_encoding(parse_accept_encoding(accept), std::nullopt, BodyUse::offline_copy);
  };
  CHECK(choose(browser) == Encoding{ContentCoding::zstd, 7, 6});
  CHECK(choose("gzip, deflate, br") == Encoding{ContentCoding::br, 4});
  CHECK(choose("gzip") == Encoding{ContentCoding::gzip, 5});
  CHECK(choose("identity").coding == ContentCoding::identity);
  CHECK(dynamic_encoding(parse_accept_encoding(browser), 100, BodyUse::offline_copy).coding == ContentCoding::identity);
}

TEST_CASE("compressible media types", "[encoding]") {
  for (const auto type : {"text/csv; charset=utf-8", "text/html", "application/json", "Application/JSON; x=1",
                          "application/wasm", "font/ttf", "image/svg+xml", "text/javascript; charset=utf-8"})
    CHECK(is_compressible_type(type));
  for (const auto type : {"application/octet-stream", "image/png", "font/woff2", "", "application/zip"})
    CHECK_FALSE(is_compressible_type(type));
}

TEST_CASE("compressors: fed in any pieces, the output decodes to the input", "[encoding]") {
  const std::string input = csv_like(20'000);
  for (const auto coding : {ContentCoding::gzip, ContentCoding::br, ContentCoding::zstd, ContentCoding::identity}) {
    const std::string name(content_coding_name(coding));
    INFO(name);
    const Encoding encoding{coding, coding == ContentCoding::gzip ? 5 : 3};
    const std::string whole = compress(encoding, input);
    CHECK(decode_content(name, whole) == input);
    if (coding != ContentCoding::identity) CHECK(whole.size() < input.size() / 2);

    for (const std::size_t piece : {std::size_t{1}, std::size_t{977}, std::size_t{65'536}, input.size()}) {
      INFO("pieces of " << piece);
      auto compressor = make_compressor(encoding);
      std::string out;
      for (std::size_t at = 0; at < input.size(); at += piece)
        compressor->write(std::string_view(input).substr(at, piece), false, out);
      compressor->write({}, true, out);
      CHECK(decode_content(name, out) == input);
    }
    CHECK(decode_content(name, compress(encoding, "")).empty());
  }
}

TEST_CASE("zstd with a longer shortest match still decodes to the input", "[encoding]") {
  const std::string input = csv_like(20'000);
  const std::string coded = compress({ContentCoding::zstd, 7, 6}, input);
  CHECK(decode_content("zstd", coded) == input);
  CHECK(coded.size() < input.size() / 2);
}

TEST_CASE("a truncated compressed body does not decode", "[encoding]") {
  const std::string input = csv_like(2'000);
  for (const auto coding : {ContentCoding::gzip, ContentCoding::br, ContentCoding::zstd}) {
    const std::string name(content_coding_name(coding));
    INFO(name);
    const std::string whole = compress({coding, 3}, input);
    CHECK_THROWS(decode_content(name, whole.substr(0, whole.size() / 2)));
  }
}

TEST_CASE("levels a library refuses are clear errors", "[encoding]") {
  CHECK_THROWS_WITH(make_compressor({ContentCoding::gzip, 42}), Catch::Contains("level 42"));
  CHECK_THROWS_WITH(make_compressor({ContentCoding::br, 99}), Catch::Contains("quality 99"));
  CHECK_THROWS_WITH(make_compressor({ContentCoding::zstd, 0}), Catch::Contains("level 0"));
  CHECK_THROWS_WITH(make_compressor({ContentCoding::zstd, 7, 99}), Catch::Contains("at least 99 bytes"));
}
