// YARA rules compiled by libyara: vigil's own (rules/yara) and third-party sets loaded
// unchanged (signature-base, YARA-Rules). A file that does not compile is reported with its
// file and line and left out; the others still load. The external variables those sets use
// (filename, filepath, extension, filetype, owner) are defined, so their conditions work.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/expected.hpp"

struct YR_RULES;

namespace vigil::scan {

struct RuleProblem {
  std::string file;
  int line = 0;
  std::string message;
};

class YaraRules {
 public:
  // Every *.yar / *.yara under each path (a file or a directory, recursively), in name order.
  // The compiled set is cached (yr_rules_save) under `cache_dir`, keyed by the SHA-256 of the
  // files' names and contents and libyara's version, and loaded from there while they are the
  // same; "" is no cache. A cache file that cannot be read or written is compiled past.
  static YaraRules load(const std::vector<std::string>& paths, const std::string& cache_dir = default_cache_dir());
  // $VIGIL_CACHE_DIR, else $XDG_CACHE_HOME/vigil/yara, else $HOME/.cache/vigil/yara; "" without any.
  static std::string default_cache_dir();
  bool from_cache() const { return from_cache_; }
  // One rule text (tests, fuzzing); `name` is shown in problems.
  static YaraRules from_source(const std::string& text, const std::string& name = "(string)");

  YaraRules(YaraRules&&) noexcept;
  YaraRules& operator=(YaraRules&&) noexcept;
  ~YaraRules();

  YR_RULES* get() const { return rules_; }
  bool empty() const { return rules_ == nullptr || rule_count_ == 0; }
  std::size_t rule_count() const { return rule_count_; }
  std::size_t files() const { return files_.size(); }
  const std::vector<RuleProblem>& problems() const { return problems_; }

 private:
  YaraRules() = default;
  YR_RULES* rules_ = nullptr;
  std::size_t rule_count_ = 0;
  std::vector<std::string> files_;  // compiled in
  std::vector<RuleProblem> problems_;
  bool from_cache_ = false;
};

// The external variables every compiler and scanner defines (all strings).
inline constexpr const char* kExternals[] = {"filename", "filepath", "extension", "filetype", "owner"};

// libyara's yr_initialize/yr_finalize, once per process.
void ensure_yara();

}  // namespace vigil::scan
