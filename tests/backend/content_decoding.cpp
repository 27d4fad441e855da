#include "content_decoding.hpp"

#include <memory>
#include <stdexcept>

#include <brotli/decode.h>
#include <zlib.h>
#include <zstd.h>

namespace invites::testing {
namespace {

constexpr std::size_t step = 64 * 1024;

std::string gunzip(std::string_view body) {
  z_stream stream{};
  if (inflateInit2(&stream, 15 + 16) != Z_OK) throw std::runtime_error("gzip: inflateInit2 failed");
  std::string out;
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(body.data()));
  stream.avail_in = static_cast<uInt>(body.size());
  int status = Z_OK;
  while (status == Z_OK) {
    const std::size_t used = out.size();
    out.resize(used + step);
    stream.next_out = reinterpret_cast<Bytef*>(out.data() + used);
    stream.avail_out = static_cast<uInt>(step);
    status = inflate(&stream, Z_NO_FLUSH);
    out.resize(used + step - stream.avail_out);
    if (status == Z_BUF_ERROR && stream.avail_in == 0) break;  // truncated
  }
  const bool complete = status == Z_STREAM_END && stream.avail_in == 0;
  inflateEnd(&stream);
  if (!complete) throw std::runtime_error("gzip: corrupt or truncated body");
  return out;
}

std::string unbrotli(std::string_view body) {
  std::unique_ptr<BrotliDecoderState, decltype(&BrotliDecoderDestroyInstance)> state(
      BrotliDecoderCreateInstance(nullptr, nullptr, nullptr), BrotliDecoderDestroyInstance);
  std::string out;
  auto available_in = body.size();
  auto next_in = reinterpret_cast<const std::uint8_t*>(body.data());
  for (;;) {
    const std::size_t used = out.size();
    out.resize(used + step);
    std::size_t available_out = step;
    auto next_out = reinterpret_cast<std::uint8_t*>(out.data() + used);
    const auto result =
        BrotliDecoderDecompressStream(state.get(), &available_in, &next_in, &available_out, &next_out, nullptr);
    out.resize(used + step - available_out);
    if (result == BROTLI_DECODER_RESULT_SUCCESS && available_in == 0) return out;
    if (result != BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT) throw std::runtime_error("br: corrupt or truncated body");
  }
}

std::string unzstd(std::string_view body) {
  std::unique_ptr<ZSTD_DCtx, decltype(&ZSTD_freeDCtx)> context(ZSTD_createDCtx(), ZSTD_freeDCtx);
  ZSTD_inBuffer in{body.data(), body.size(), 0};
  std::string out;
  std::size_t remaining = 1;
  while (in.pos < in.size || remaining != 0) {
    const std::size_t used = out.size();
    out.resize(used + step);
    ZSTD_outBuffer buffer{out.data() + used, step, 0};
    remaining = ZSTD_decompressStream(context.get(), &buffer, &in);
    out.resize(used + buffer.pos);
    if (ZSTD_isError(remaining)) throw std::runtime_error(std::string("zstd: ") + ZSTD_getErrorName(remaining));
    if (in.pos == in.size && remaining != 0 && buffer.pos == 0) throw std::runtime_error("zstd: truncated body");
  }
  return out;
}

}  // namespace

std::string decode_content(std::string_view coding, std::string_view body) {
  if (coding.empty() || coding == "identity") return std::string(body);
  if (coding == "gzip") return gunzip(body);
  if (coding == "br") return unbrotli(body);
  if (coding == "zstd") return unzstd(body);
  throw std::runtime_error("unknown content coding '" + std::string(coding) + "'");
}

}  // namespace invites::testing
