// Offline-evaluation benchmark (docs/design.md §8): decode a generated snapshot and
// evaluate representative filters over it. The same source runs natively and
// as WebAssembly under Node; bench/run-snapshot-bench.sh compares the two.
//
//   snapshot_bench generate --accounts N --out FILE   (native only)
//   snapshot_bench run FILE [--json OUT]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "invites/evaluator.hpp"
#include "invites/snapshot_codec.hpp"
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

int run(const std::string& file, const std::string& json_out) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "cannot read %s\n", file.c_str());
    return 1;
  }
  in.seekg(0, std::ios::end);
  std::string bytes(static_cast<std::size_t>(in.tellg()), '\0');
  in.seekg(0);
  in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));

  std::vector<double> decode_ms;
  Snapshot snapshot;
  for (int i = 0; i < 3; ++i) {
    snapshot = Snapshot{};
    auto start = Clock::now();
    snapshot = SnapshotCodec::decode(bytes);
    decode_ms.push_back(ms_since(start));
  }
  const double contacts = static_cast<double>(snapshot.contact_count());
  const std::size_t text = snapshot.email.byte_size() + snapshot.contact_first_name.byte_size() +
                           snapshot.contact_last_name.byte_size() + snapshot.account_name.byte_size() +
                           snapshot.account_number.byte_size();
  nlohmann::json report = {
      {"target", TARGET_NAME},
      {"contacts", snapshot.contact_count()},
      {"accounts", snapshot.account_count()},
      {"snapshot_bytes", bytes.size()},
      {"bytes_per_contact", static_cast<double>(bytes.size()) / contacts},
      {"bytes_per_contact_beyond_text", static_cast<double>(bytes.size() - text) / contacts},
      {"decode_ms", median(decode_ms)},
      {"decode_best_ms", *std::min_element(decode_ms.begin(), decode_ms.end())},
  };
  std::printf("[%s] %zu contacts, %zu accounts; snapshot %.1f MB = %.1f bytes/contact (%.1f beyond email and names)\n",
              TARGET_NAME, snapshot.contact_count(), snapshot.account_count(), static_cast<double>(bytes.size()) / 1e6,
              report["bytes_per_contact"].get<double>(), report["bytes_per_contact_beyond_text"].get<double>());
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

int usage() {
  std::fprintf(stderr,
               "usage: snapshot_bench generate --accounts N --out FILE\n       snapshot_bench run FILE [--json OUT]\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.size() == 5 && args[0] == "generate" && args[1] == "--accounts" && args[3] == "--out")
    return generate(std::stoull(args[2]), args[4]);
  if (args.size() == 2 && args[0] == "run") return run(args[1], "");
  if (args.size() == 4 && args[0] == "run" && args[2] == "--json") return run(args[1], args[3]);
  return usage();
}
