#include "http/compressor.hpp"

#include <memory>
#include <stdexcept>

#include <brotli/encode.h>
#include <zlib.h>
#include <zstd.h>

namespace invites::http {
namespace {

// Output grows by this much at a time: a stream's memory stays bounded.
constexpr std::size_t output_step = 64 * 1024;

class IdentityCompressor final : public Compressor {
 public:
  void write(std::string_view input, bool, std::string& out) override { out.append(input); }
};

class GzipCompressor final : public Compressor {
 public:
  explicit GzipCompressor(int level) {
    constexpr int gzip_window_bits = 15 + 16;  // +16 selects the gzip wrapper instead of zlib's
    if (deflateInit2(&stream_, level, Z_DEFLATED, gzip_window_bits, 8, Z_DEFAULT_STRATEGY) != Z_OK)
      throw std::runtime_error("gzip: cannot start a stream at level " + std::to_string(level));
  }
  ~GzipCompressor() override { deflateEnd(&stream_); }
  GzipCompressor(const GzipCompressor&) = delete;
  GzipCompressor& operator=(const GzipCompressor&) = delete;

  void write(std::string_view input, bool finish, std::string& out) override {
    stream_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(input.data()));
    stream_.avail_in = static_cast<uInt>(input.size());
    const int flush = finish ? Z_FINISH : Z_NO_FLUSH;
    for (;;) {
      const std::size_t used = out.size();
      out.resize(used + output_step);
      stream_.next_out = reinterpret_cast<Bytef*>(out.data() + used);
      stream_.avail_out = static_cast<uInt>(output_step);
      const int status = deflate(&stream_, flush);
      out.resize(used + output_step - stream_.avail_out);
      if (status == Z_STREAM_END) return;
      if (status != Z_OK && status != Z_BUF_ERROR) throw std::runtime_error("gzip: deflate failed");
      // Done with this piece once zlib took all input and had room left over.
      if (stream_.avail_in == 0 && stream_.avail_out != 0 && !finish) return;
    }
  }

 private:
  z_stream stream_{};
};

class BrotliCompressor final : public Compressor {
 public:
  explicit BrotliCompressor(int quality) {
    // The library would clamp an out-of-range quality silently.
    if (!state_ || quality < BROTLI_MIN_QUALITY || quality > BROTLI_MAX_QUALITY ||
        !BrotliEncoderSetParameter(state_.get(), BROTLI_PARAM_QUALITY, static_cast<std::uint32_t>(quality)))
      throw std::runtime_error("brotli: cannot start a stream at quality " + std::to_string(quality));
  }

  void write(std::string_view input, bool finish, std::string& out) override {
    auto available_in = input.size();
    auto next_in = reinterpret_cast<const std::uint8_t*>(input.data());
    const auto operation = finish ? BROTLI_OPERATION_FINISH : BROTLI_OPERATION_PROCESS;
    for (;;) {
      const std::size_t used = out.size();
      out.resize(used + output_step);
      std::size_t available_out = output_step;
      auto next_out = reinterpret_cast<std::uint8_t*>(out.data() + used);
      if (!BrotliEncoderCompressStream(state_.get(), operation, &available_in, &next_in, &available_out, &next_out,
                                       nullptr))
        throw std::runtime_error("brotli: compression failed");
      out.resize(used + output_step - available_out);
      const bool drained = available_in == 0 && !BrotliEncoderHasMoreOutput(state_.get());
      if (drained && (!finish || BrotliEncoderIsFinished(state_.get()))) return;
    }
  }

 private:
  std::unique_ptr<BrotliEncoderState, decltype(&BrotliEncoderDestroyInstance)> state_{
      BrotliEncoderCreateInstance(nullptr, nullptr, nullptr), BrotliEncoderDestroyInstance};
};

class ZstdCompressor final : public Compressor {
 public:
  ZstdCompressor(int level, int min_match) {
    // The library would clamp an out-of-range level silently.
    if (!context_ || level < 1 || level > ZSTD_maxCLevel() ||
        ZSTD_isError(ZSTD_CCtx_setParameter(context_.get(), ZSTD_c_compressionLevel, level)))
      throw std::runtime_error("zstd: cannot start a stream at level " + std::to_string(level));
    const ZSTD_bounds bounds = ZSTD_cParam_getBounds(ZSTD_c_minMatch);
    if (min_match != 0 &&
        (ZSTD_isError(bounds.error) || min_match < bounds.lowerBound || min_match > bounds.upperBound ||
         ZSTD_isError(ZSTD_CCtx_setParameter(context_.get(), ZSTD_c_minMatch, min_match))))
      throw std::runtime_error("zstd: cannot look for matches of at least " + std::to_string(min_match) + " bytes");
  }

  void write(std::string_view input, bool finish, std::string& out) override {
    ZSTD_inBuffer in{input.data(), input.size(), 0};
    const auto directive = finish ? ZSTD_e_end : ZSTD_e_continue;
    for (;;) {
      const std::size_t used = out.size();
      out.resize(used + output_step);
      ZSTD_outBuffer buffer{out.data() + used, output_step, 0};
      const std::size_t remaining = ZSTD_compressStream2(context_.get(), &buffer, &in, directive);
      out.resize(used + buffer.pos);
      if (ZSTD_isError(remaining)) throw std::runtime_error(std::string("zstd: ") + ZSTD_getErrorName(remaining));
      // ZSTD_e_continue: done once the input is taken; ZSTD_e_end: once nothing remains to flush.
      if (finish ? remaining == 0 : in.pos == in.size) return;
    }
  }

 private:
  std::unique_ptr<ZSTD_CCtx, decltype(&ZSTD_freeCCtx)> context_{ZSTD_createCCtx(), ZSTD_freeCCtx};
};

}  // namespace

std::unique_ptr<Compressor> make_compressor(Encoding encoding) {
  switch (encoding.coding) {
    case ContentCoding::gzip:
      return std::make_unique<GzipCompressor>(encoding.level);
    case ContentCoding::br:
      return std::make_unique<BrotliCompressor>(encoding.level);
    case ContentCoding::zstd:
      return std::make_unique<ZstdCompressor>(encoding.level, encoding.min_match);
    case ContentCoding::identity:
      break;
  }
  return std::make_unique<IdentityCompressor>();
}

std::string compress(Encoding encoding, std::string_view data) {
  std::string out;
  make_compressor(encoding)->write(data, true, out);
  return out;
}

}  // namespace invites::http
