// Offline-evaluation benchmark (docs/design.md §8): decode a generated snapshot and
// evaluate representative filters over it. The same source runs natively and
// as WebAssembly under Node; bench/run-snapshot-bench.sh compares the two.
//
//   snapshot_bench generate --accounts N --out FILE   (native only)
//   snapshot_bench run FILE [--json OUT]
//   snapshot_bench sections FILE   (native only): each section's bytes before
//     and after zstd at the server's level, and the whole file's on the wire
//   snapshot_bench delta --accounts N   (native only): the delta of a day of
//     ordinary changes (0.5 % of contacts, 1 % of portal statuses) beside the
//     full copy, both gzipped, with the 1 % target
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <stdexcept>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#ifndef __EMSCRIPTEN__
#include <zlib.h>
#include <zstd.h>
#endif

#include "invites/evaluator.hpp"
#include "invites/snapshot_codec.hpp"
#include "invites/snapshot_delta.hpp"
#include "bench_filters.hpp"
#include "random_dataset.hpp"

using namespace invites;
using Clock = std::chrono::steady_clock;

namespace {

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

std::size_t memory_in_use_bytes() {
#ifdef __EMSCRIPTEN__
  return __builtin_wasm_memory_size(0) * 65536;  // the whole WebAssembly heap
#else
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::stoull(line.substr(6)) * 1024;
  return 0;
#endif
}

int generate(std::size_t accounts, const std::string& out) {
  auto start = Clock::now();
  Snapshot snapshot = testing::snapshot_of(testing::generate_dataset({.accounts = accounts, .seed = 2026}));
  std::string bytes = SnapshotCodec::encode(snapshot);
  std::ofstream(out, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  std::printf("generated %zu accounts, %zu contacts, %zu bytes in %.0f ms -> %s\n", snapshot.account_count(),
              snapshot.contact_count(), bytes.size(), ms_since(start), out.c_str());
  return 0;
}

std::string read_file(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + file);
  in.seekg(0, std::ios::end);
  std::string bytes(static_cast<std::size_t>(in.tellg()), '\0');
  in.seekg(0);
  in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  return bytes;
}

int run(const std::string& file, const std::string& json_out) {
  const std::string bytes = read_file(file);

  std::vector<double> decode_ms;
  Snapshot snapshot;
  for (int i = 0; i < 3; ++i) {
    snapshot = Snapshot{};
    auto start = Clock::now();
    snapshot = SnapshotCodec::decode(bytes);
    decode_ms.push_back(ms_since(start));
  }
  const double contacts = static_cast<double>(snapshot.contact_count());
  nlohmann::json report = {
      {"target", TARGET_NAME},
      {"contacts", snapshot.contact_count()},
      {"accounts", snapshot.account_count()},
      {"snapshot_bytes", bytes.size()},
      {"bytes_per_contact", static_cast<double>(bytes.size()) / contacts},
      {"decode_ms", median(decode_ms)},
      {"decode_best_ms", *std::min_element(decode_ms.begin(), decode_ms.end())},
  };
  std::printf("[%s] %zu contacts, %zu accounts; snapshot %.1f MB = %.1f bytes/contact\n", TARGET_NAME,
              snapshot.contact_count(), snapshot.account_count(), static_cast<double>(bytes.size()) / 1e6,
              report["bytes_per_contact"].get<double>());
  std::printf("[%s] decode: %.1f ms (median of 3)\n", TARGET_NAME, median(decode_ms));

  auto filters = representative_filters();
  nlohmann::json per_filter = nlohmann::json::array();
  for (const auto& [name, filter] : filters) {
    std::vector<double> times;
    Evaluation evaluation;
    for (int i = 0; i < 7; ++i) {
      auto start = Clock::now();
      evaluation = evaluate(snapshot, filter);
      times.push_back(ms_since(start));
    }
    const auto& c = evaluation.counts;
    std::printf(
        "[%s] %-32s %8.1f ms   new %8llu  pending %7llu  skipped %7llu  excluded %7llu\n", TARGET_NAME, name,
        median(times), static_cast<unsigned long long>(c.new_users), static_cast<unsigned long long>(c.pending_invites),
        static_cast<unsigned long long>(c.skipped_invalid_email), static_cast<unsigned long long>(c.excluded_existing));
    per_filter.push_back({{"filter", name},
                          {"median_ms", median(times)},
                          {"best_ms", *std::min_element(times.begin(), times.end())},
                          {"digest", evaluation.digest}});
  }
  report["filters"] = per_filter;
  report["memory_bytes"] = memory_in_use_bytes();
  std::printf("[%s] memory in use: %.0f MB (%s)\n", TARGET_NAME, static_cast<double>(memory_in_use_bytes()) / 1e6,
#ifdef __EMSCRIPTEN__
              "WebAssembly heap"
#else
              "process RSS"
#endif
  );
  if (!json_out.empty()) std::ofstream(json_out) << report.dump(2) << "\n";
  return 0;
}

#ifndef __EMSCRIPTEN__
std::size_t gzip_size(const std::string& bytes) {
  uLongf size = compressBound(bytes.size());
  std::string out(size, '\0');
  if (compress2(reinterpret_cast<Bytef*>(out.data()), &size, reinterpret_cast<const Bytef*>(bytes.data()), bytes.size(),
                6) != Z_OK)
    throw std::runtime_error("zlib failed");
  return size;
}

// backend/http/content_coding.cpp's for the offline copy: level 7, matches of 6 bytes or more.
constexpr int server_zstd_level = 7, server_zstd_min_match = 6;

std::size_t zstd_size(std::string_view bytes) {
  std::unique_ptr<ZSTD_CCtx, decltype(&ZSTD_freeCCtx)> context(ZSTD_createCCtx(), ZSTD_freeCCtx);
  if (!context || ZSTD_isError(ZSTD_CCtx_setParameter(context.get(), ZSTD_c_compressionLevel, server_zstd_level)) ||
      ZSTD_isError(ZSTD_CCtx_setParameter(context.get(), ZSTD_c_minMatch, server_zstd_min_match)))
    throw std::runtime_error("zstd: cannot set the server's parameters");
  std::string out(ZSTD_compressBound(bytes.size()), '\0');
  const std::size_t size = ZSTD_compress2(context.get(), out.data(), out.size(), bytes.data(), bytes.size());
  if (ZSTD_isError(size)) throw std::runtime_error(std::string("zstd: ") + ZSTD_getErrorName(size));
  return size;
}

// Walks the payload's sections (u32 tag, u64 length, body) after the fixed header.
int sections(const std::string& file) {
  const std::string bytes = read_file(file);
  const Snapshot snapshot = SnapshotCodec::decode(bytes);  // refuses a corrupt or older file
  const auto fixed = [&](std::size_t at, int width) {
    std::uint64_t v = 0;
    for (int i = 0; i < width; ++i) v |= std::uint64_t{static_cast<std::uint8_t>(bytes[at + i])} << (8 * i);
    return v;
  };
  constexpr std::size_t header_size = 40;
  const double contacts = static_cast<double>(snapshot.contact_count());
  std::printf(
      "[native] %zu contacts, %zu accounts, %zu addresses; zstd level %d, matches of %d bytes or more, as the "
      "server sends it\n",
      snapshot.contact_count(), snapshot.account_count(), snapshot.email_count(), server_zstd_level,
      server_zstd_min_match);
  std::printf("section                     encoded MB    zstd MB   zstd bytes/contact\n");
  std::size_t sum_zstd = 0;
  for (std::size_t at = header_size; at < bytes.size();) {
    const auto tag = static_cast<std::uint32_t>(fixed(at, 4));
    const auto length = static_cast<std::size_t>(fixed(at + 4, 8));
    const std::size_t packed = zstd_size(std::string_view(bytes).substr(at + 12, length));
    sum_zstd += packed;
    std::printf("%-26s %11.2f %10.2f %12.2f\n", SnapshotCodec::section_name(tag), static_cast<double>(length) / 1e6,
                static_cast<double>(packed) / 1e6, static_cast<double>(packed) / contacts);
    at += 12 + length;
  }
  // What the server spends on a download: the layout pass, then the streamed encode.
  const PortalColumns portal = portal_columns(snapshot);
  auto start = Clock::now();
  const SnapshotLayout layout = SnapshotCodec::layout(snapshot, portal);
  const double layout_ms = ms_since(start);
  start = Clock::now();
  std::size_t streamed = 0;
  SnapshotCodec::encode(snapshot, portal, layout, [&](std::string_view piece) { streamed += piece.size(); });
  const double encode_ms = ms_since(start);
  std::printf("[native] server side: layout pass %.0f ms, streamed encode %.0f ms (%zu bytes)\n", layout_ms, encode_ms,
              streamed);
  const std::size_t whole = zstd_size(bytes);
  std::printf(
      "[native] snapshot format %u: %.2f MB encoded, %.2f MB zstd as one stream (sections apart: %.2f MB); "
      "target <= 16 MB on the wire\n",
      snapshot_format_version, static_cast<double>(bytes.size()) / 1e6, static_cast<double>(whole) / 1e6,
      static_cast<double>(sum_zstd) / 1e6);
  return 0;
}

int delta(std::size_t accounts) {
  auto data = testing::generate_dataset({.accounts = accounts, .seed = 2026});
  const Snapshot older = testing::snapshot_of(data, 1'790'000'000);
  // A day of ordinary changes: 0.5 % of contacts (renamed, readdressed,
  // deleted, added) and 1 % of portal statuses.
  testing::Rng rng(86'400);
  Id next_contact = data.contacts.back().id;
  const std::size_t contacts = data.contacts.size();
  for (std::size_t n = 0; n < contacts / 200; ++n) {
    auto& c = data.contacts[rng.below(data.contacts.size())];
    switch (rng.below(10)) {
      case 0:
        c.id = 0;
        break;  // deleted below
      case 1:
        data.contacts.push_back({++next_contact, c.account_id, "Added", "Contact",
                                 "added" + std::to_string(next_contact) + "@example.org", false});
        break;
      case 2:
      case 3:
        c.email = "moved" + std::to_string(c.id) + "@example.org";
        break;
      default:
        c.last_name += "-Smith";
    }
  }
  std::erase_if(data.contacts, [](const testing::ContactRow& c) { return c.id == 0; });
  for (auto& p : data.portal_users)
    if (rng.chance(0.01)) {
      p.status = p.status == PortalStatus::active ? PortalStatus::disabled : PortalStatus::active;
      p.last_invited_at = 1'790'050'000;
    }
  const Snapshot newer = testing::snapshot_of(data, 1'790'086'400);
  const auto version = [](const Snapshot& s) {
    return SnapshotVersion{s, portal_columns(s), SnapshotCodec::layout(s, portal_columns(s)).digest};
  };
  const SnapshotVersion from = version(older), to = version(newer);
  auto start = Clock::now();
  const std::string changes = SnapshotDelta::encode(from, to);
  const double encode_ms = ms_since(start);
  start = Clock::now();
  const Snapshot applied = SnapshotDelta::apply(older, changes);
  const double apply_ms = ms_since(start);
  const std::string full = SnapshotCodec::encode(newer);
  if (SnapshotCodec::encode(applied) != full) {
    std::fprintf(stderr, "the applied delta differs from the full copy\n");
    return 1;
  }
  const std::size_t full_gzip = gzip_size(full), delta_gzip = gzip_size(changes);
  std::printf("[native] %zu contacts; a day of changes: %zu contacts, ~1 %% of %zu portal users\n",
              newer.contact_count(), contacts / 200, data.portal_users.size());
  std::printf(
      "[native] full copy %.1f MB (%.1f MB gzip); delta %.1f KB (%.1f KB gzip) = %.3f %% of the full gzip "
      "(target <= 1 %%)\n",
      static_cast<double>(full.size()) / 1e6, static_cast<double>(full_gzip) / 1e6,
      static_cast<double>(changes.size()) / 1e3, static_cast<double>(delta_gzip) / 1e3,
      100.0 * static_cast<double>(delta_gzip) / static_cast<double>(full_gzip));
  std::printf("[native] delta encode (server) %.0f ms, apply with both digest checks %.0f ms\n", encode_ms, apply_ms);
  return 0;
}
#endif

int usage() {
  std::fprintf(stderr,
               "usage: snapshot_bench generate --accounts N --out FILE\n       snapshot_bench run FILE [--json OUT]\n"
               "       snapshot_bench sections FILE\n       snapshot_bench delta --accounts N\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.size() == 5 && args[0] == "generate" && args[1] == "--accounts" && args[3] == "--out")
    return generate(std::stoull(args[2]), args[4]);
  if (args.size() == 2 && args[0] == "run") return run(args[1], "");
#ifndef __EMSCRIPTEN__
  if (args.size() == 3 && args[0] == "delta" && args[1] == "--accounts") return delta(std::stoull(args[2]));
  if (args.size() == 2 && args[0] == "sections") return sections(args[1]);
#endif
  if (args.size() == 4 && args[0] == "run" && args[2] == "--json") return run(args[1], args[3]);
  return usage();
}
