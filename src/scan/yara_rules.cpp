// Compiling YARA rule files, leaving out the ones that do not compile.
#include "scan/yara_rules.hpp"

#include <yara.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <mutex>

namespace vigil::scan {

namespace {

namespace fs = std::filesystem;

bool rule_file(const fs::path& p) {
  auto ext = p.extension().string();
  return ext == ".yar" || ext == ".yara";
}

struct Compile {
  std::vector<RuleProblem> errors;
};

void on_error(int level, const char* file, int line, const YR_RULE*, const char* message, void* user) {
  if (level != YARA_ERROR_LEVEL_ERROR) return;  // warnings (slow strings) are not problems
  static_cast<Compile*>(user)->errors.push_back({file ? file : "", line, message ? message : ""});
}

struct Compiler {
  YR_COMPILER* c = nullptr;
  Compile log;
  Compiler() {
    if (yr_compiler_create(&c) != ERROR_SUCCESS) c = nullptr;
    if (!c) return;
    yr_compiler_set_callback(c, on_error, &log);
    for (const char* name : kExternals) yr_compiler_define_string_variable(c, name, "");
  }
  ~Compiler() {
    if (c) yr_compiler_destroy(c);
  }
  Compiler(const Compiler&) = delete;
  Compiler& operator=(const Compiler&) = delete;
  // Adds one file; false (with the errors logged) when it does not compile.
  bool add(const std::string& path) {
    FILE* f = std::fopen(path.c_str(), "r");
    if (!f) {
      log.errors.push_back({path, 0, "cannot be read"});
      return false;
    }
    int errors = yr_compiler_add_file(c, f, nullptr, path.c_str());
    std::fclose(f);
    return errors == 0;
  }
};

std::size_t count_rules(YR_RULES* rules) {
  std::size_t n = 0;
  const YR_RULE* rule;
  yr_rules_foreach(rules, rule) ++n;
  return n;
}

}  // namespace

void ensure_yara() {
  static std::once_flag once;
  std::call_once(once, [] {
    yr_initialize();
    std::atexit([] { yr_finalize(); });
  });
}

YaraRules::YaraRules(YaraRules&& o) noexcept
    : rules_(std::exchange(o.rules_, nullptr)),
      rule_count_(o.rule_count_),
      files_(std::move(o.files_)),
      problems_(std::move(o.problems_)) {}

YaraRules& YaraRules::operator=(YaraRules&& o) noexcept {
  if (this != &o) {
    if (rules_) yr_rules_destroy(rules_);
    rules_ = std::exchange(o.rules_, nullptr);
    rule_count_ = o.rule_count_;
    files_ = std::move(o.files_);
    problems_ = std::move(o.problems_);
  }
  return *this;
}

YaraRules::~YaraRules() {
  if (rules_) yr_rules_destroy(rules_);
}

YaraRules YaraRules::load(const std::vector<std::string>& paths) {
  ensure_yara();
  YaraRules out;
  std::vector<std::string> files;
  for (const auto& p : paths) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      std::vector<std::string> found;
      for (fs::recursive_directory_iterator it(p, fs::directory_options::skip_permission_denied, ec), end;
           !ec && it != end; it.increment(ec))
        if (it->is_regular_file(ec) && rule_file(it->path())) found.push_back(it->path().string());
      if (ec) out.problems_.push_back({p, 0, "cannot be read: " + ec.message()});
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else if (fs::exists(p, ec)) {
      files.push_back(p);
    } else {
      out.problems_.push_back({p, 0, "no such file or directory"});
    }
  }
  // A compiler that met an error cannot be used again: start a new one with the files that
  // compiled so far, and go on without the broken one.
  auto compiler = std::make_unique<Compiler>();
  for (const auto& file : files) {
    if (compiler->add(file)) {
      out.files_.push_back(file);
      continue;
    }
    for (auto& e : compiler->log.errors) out.problems_.push_back(std::move(e));
    compiler = std::make_unique<Compiler>();
    for (const auto& good : out.files_) compiler->add(good);
  }
  if (compiler->c && yr_compiler_get_rules(compiler->c, &out.rules_) != ERROR_SUCCESS) out.rules_ = nullptr;
  if (out.rules_) out.rule_count_ = count_rules(out.rules_);
  return out;
}

YaraRules YaraRules::from_source(const std::string& text, const std::string& name) {
  ensure_yara();
  YaraRules out;
  Compiler compiler;
  if (!compiler.c) return out;
  if (yr_compiler_add_string(compiler.c, text.c_str(), nullptr) != 0) {
    for (auto& e : compiler.log.errors) {
      e.file = name;
      out.problems_.push_back(std::move(e));
    }
    return out;
  }
  if (yr_compiler_get_rules(compiler.c, &out.rules_) != ERROR_SUCCESS) out.rules_ = nullptr;
  if (out.rules_) out.rule_count_ = count_rules(out.rules_);
  out.files_.push_back(name);
  return out;
}

}  // namespace vigil::scan
