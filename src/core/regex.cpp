// PCRE2 in byte mode (policy files and the files they read need not be UTF-8).
#define PCRE2_CODE_UNIT_WIDTH 8
#include "core/regex.hpp"

#include <fmt/format.h>
#include <pcre2.h>

#include <cstdint>
#include <memory>

namespace vigil {

struct Regex::Code {
  pcre2_code* code = nullptr;
  ~Code() { pcre2_code_free(code); }
};

namespace {

// Match data sized for the pattern, freed when the match is done.
struct MatchData {
  explicit MatchData(const pcre2_code* code) : data(pcre2_match_data_create_from_pattern(code, nullptr)) {}
  ~MatchData() { pcre2_match_data_free(data); }
  MatchData(const MatchData&) = delete;
  MatchData& operator=(const MatchData&) = delete;
  pcre2_match_data* data;
};

constexpr std::size_t kMaxPattern = 16 * 1024;
constexpr std::uint32_t kMaxNesting = 64;
constexpr std::uint32_t kMatchLimit = 1'000'000;  // calls of the internal match function
constexpr std::uint32_t kDepthLimit = 10'000;     // backtracking depth
constexpr std::uint32_t kHeapLimitKiB = 8 * 1024;  // memory for backtracking, per match

// The limits of every match, made once (a match context is read-only while matching).
const pcre2_match_context* limits() {
  static pcre2_match_context* ctx = [] {
    auto* c = pcre2_match_context_create(nullptr);
    pcre2_set_match_limit(c, kMatchLimit);
    pcre2_set_depth_limit(c, kDepthLimit);
    pcre2_set_heap_limit(c, kHeapLimitKiB);
    return c;
  }();
  return ctx;
}

int run(const pcre2_code* code, std::string_view subject, pcre2_match_data* md) {
  return pcre2_match(code, reinterpret_cast<PCRE2_SPTR>(subject.data()), subject.size(), 0, 0, md,
                     const_cast<pcre2_match_context*>(limits()));
}

}  // namespace

expected<Regex, std::string> Regex::compile(std::string_view pattern) {
  if (pattern.size() > kMaxPattern)
    return make_unexpected(fmt::format("regex of {} bytes: longer than the {} allowed", pattern.size(), kMaxPattern));
  std::unique_ptr<pcre2_compile_context, decltype(&pcre2_compile_context_free)> ctx(pcre2_compile_context_create(nullptr),
                                                                                     pcre2_compile_context_free);
  pcre2_set_parens_nest_limit(ctx.get(), kMaxNesting);
  int err = 0;
  PCRE2_SIZE offset = 0;
  pcre2_code* code =
      pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(), 0, &err, &offset, ctx.get());
  if (!code) {
    PCRE2_UCHAR msg[256];
    pcre2_get_error_message(err, msg, sizeof msg);
    return make_unexpected(fmt::format("invalid regex '{}' at offset {}: {}", pattern, offset, reinterpret_cast<char*>(msg)));
  }
  pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);  // when JIT is unavailable, the interpreter runs
  Regex r;
  r.code_ = std::make_shared<Code>();
  r.code_->code = code;
  r.pattern_ = std::string(pattern);
  return r;
}

bool Regex::search(std::string_view subject) const {
  MatchData md(code_->code);
  return run(code_->code, subject, md.data) >= 0;
}

std::optional<std::string> Regex::first_capture(std::string_view subject, bool& matched) const {
  MatchData md(code_->code);
  int rc = run(code_->code, subject, md.data);
  matched = rc >= 0;
  if (rc < 2) return std::nullopt;
  PCRE2_SIZE* ov = pcre2_get_ovector_pointer(md.data);
  if (ov[2] == PCRE2_UNSET) return std::nullopt;
  return std::string(subject.substr(ov[2], ov[3] - ov[2]));
}

}  // namespace vigil
