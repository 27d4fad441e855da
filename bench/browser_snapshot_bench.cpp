// The in-browser half of the offline-evaluation benchmark (docs/design.md §8): runs in
// headless Chromium (bench/run-browser-snapshot-bench.sh). The page holds the
// snapshot file in a JavaScript ArrayBuffer, as the app does with its
// IndexedDB copy; decoding copies it into the WebAssembly heap one section at
// a time (SnapshotCodec::decode(ByteSource&), the app's path), then the
// representative filters are evaluated. bench_run() returns a JSON report.
#include <emscripten.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "bench_filters.hpp"
#include "invites/evaluator.hpp"
#include "invites/snapshot_codec.hpp"

using namespace invites;
using Clock = std::chrono::steady_clock;

// JavaScript: clang-format would break it (`===` becomes `== =`).
// clang-format off
EM_JS(double, js_bytes_size, (), { return Module.benchBytes.length; });
EM_JS(void, js_bytes_read, (double offset, void* out, double n), {
  HEAPU8.set(Module.benchBytes.subarray(offset, offset + n), out);
});
// clang-format on

namespace {

class PageBytes final : public ByteSource {
 public:
  std::size_t size() const override { return static_cast<std::size_t>(js_bytes_size()); }
  void read(std::size_t offset, std::uint8_t* out, std::size_t n) override {
    js_bytes_read(static_cast<double>(offset), out, static_cast<double>(n));
  }
};

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

std::string last_report;

}  // namespace

extern "C" EMSCRIPTEN_KEEPALIVE const char* bench_run(int decode_runs, int eval_runs) {
  nlohmann::json report;
  try {
    PageBytes bytes;
    std::vector<double> decode_ms;
    Snapshot snapshot;
    for (int i = 0; i < decode_runs; ++i) {
      snapshot = Snapshot{};  // the previous copy is freed first, as in the app
      const auto start = Clock::now();
      snapshot = SnapshotCodec::decode(bytes);
      decode_ms.push_back(ms_since(start));
    }
    report["target"] = "chromium";
    report["contacts"] = snapshot.contact_count();
    report["snapshot_bytes"] = bytes.size();
    report["decode_ms"] = median(decode_ms);
    report["decode_best_ms"] = *std::min_element(decode_ms.begin(), decode_ms.end());
    report["decode_runs_ms"] = decode_ms;
    report["heap_after_decode_bytes"] = __builtin_wasm_memory_size(0) * 65536;
    nlohmann::json filters = nlohmann::json::array();
    for (const auto& [name, filter] : representative_filters()) {
      std::vector<double> times;
      Evaluation evaluation;
      for (int i = 0; i < eval_runs; ++i) {
        evaluation = Evaluation{};
        const auto start = Clock::now();
        evaluation = evaluate(snapshot, filter);
        times.push_back(ms_since(start));
      }
      filters.push_back({{"filter", name},
                         {"median_ms", median(times)},
                         {"best_ms", *std::min_element(times.begin(), times.end())},
                         {"digest", evaluation.digest},
                         {"new_users", evaluation.counts.new_users}});
    }
    report["filters"] = filters;
    report["memory_bytes"] = __builtin_wasm_memory_size(0) * 65536;
  } catch (const std::exception& e) {
    report["error"] = e.what();
  }
  last_report = report.dump();
  return last_report.c_str();
}

int main() { return 0; }
