// Compiling YARA rule files, leaving out the ones that do not compile.
#include "scan/yara_rules.hpp"

#include <yara.h>

#include <openssl/evp.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <mutex>
#include <sstream>

#include "core/hash.hpp"

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

// The cache key: libyara's version and every file's name and bytes; "" when one cannot be read.
std::string cache_key(const std::vector<std::string>& files) {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1) return {};
  std::string head = std::string("libyara ") + YR_VERSION + "\n";
  EVP_DigestUpdate(ctx.get(), head.data(), head.size());
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    if (!in) return {};
    std::string bytes((std::istreambuf_iterator<char>(in)), {});
    std::string name = f + '\0' + std::to_string(bytes.size()) + '\0';
    EVP_DigestUpdate(ctx.get(), name.data(), name.size());
    EVP_DigestUpdate(ctx.get(), bytes.data(), bytes.size());
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  if (EVP_DigestFinal_ex(ctx.get(), digest, &n) != 1) return {};
  return hex(digest, n);
}

// Beside the compiled rules: the files compiled in and the problems, one per line
// ("F\tfile" or "P\tline\tfile\tmessage"), so a cached load says what a compile said.
std::string describe(const std::vector<std::string>& files, const std::vector<RuleProblem>& problems) {
  std::string out;
  for (const auto& f : files) out += "F\t" + f + "\n";
  for (const auto& p : problems) {
    std::string message = p.message;
    std::replace(message.begin(), message.end(), '\n', ' ');
    out += "P\t" + std::to_string(p.line) + "\t" + p.file + "\t" + message + "\n";
  }
  return out;
}

bool read_description(const std::string& path, std::vector<std::string>& files, std::vector<RuleProblem>& problems) {
  std::ifstream in(path);
  if (!in) return false;
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with("F\t")) {
      files.push_back(line.substr(2));
    } else if (line.starts_with("P\t")) {
      std::istringstream fields(line.substr(2));
      RuleProblem p;
      std::string number;
      if (!std::getline(fields, number, '\t') || !std::getline(fields, p.file, '\t')) return false;
      std::getline(fields, p.message);
      p.line = std::atoi(number.c_str());
      problems.push_back(std::move(p));
    } else {
      return false;
    }
  }
  return true;
}

// Writes by a temporary file and a rename, so a reader never sees half a file.
void save_cache(const std::string& dir, const std::string& key, YR_RULES* rules, const std::string& description) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return;
  std::string base = dir + "/" + key, tmp = base + ".tmp." + std::to_string(::getpid());
  if (yr_rules_save(rules, (tmp + ".yarc").c_str()) != ERROR_SUCCESS) return fs::remove(tmp + ".yarc", ec), void();
  {
    std::ofstream out(tmp + ".files");
    out << description;
    if (!out) return fs::remove(tmp + ".yarc", ec), fs::remove(tmp + ".files", ec), void();
  }
  fs::rename(tmp + ".files", base + ".files", ec);
  if (!ec) fs::rename(tmp + ".yarc", base + ".yarc", ec);
  if (ec) fs::remove(tmp + ".yarc", ec), fs::remove(tmp + ".files", ec);
}

}  // namespace

std::string YaraRules::default_cache_dir() {
  if (const char* v = std::getenv("VIGIL_CACHE_DIR"); v && *v) return v;
  if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x) return std::string(x) + "/vigil/yara";
  if (const char* h = std::getenv("HOME"); h && *h) return std::string(h) + "/.cache/vigil/yara";
  return {};
}

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
      problems_(std::move(o.problems_)),
      from_cache_(o.from_cache_) {}

YaraRules& YaraRules::operator=(YaraRules&& o) noexcept {
  if (this != &o) {
    if (rules_) yr_rules_destroy(rules_);
    rules_ = std::exchange(o.rules_, nullptr);
    rule_count_ = o.rule_count_;
    files_ = std::move(o.files_);
    problems_ = std::move(o.problems_);
    from_cache_ = o.from_cache_;
  }
  return *this;
}

YaraRules::~YaraRules() {
  if (rules_) yr_rules_destroy(rules_);
}

YaraRules YaraRules::load(const std::vector<std::string>& paths, const std::string& cache_dir) {
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
  std::string key = cache_dir.empty() ? std::string() : cache_key(files);
  if (!key.empty()) {
    std::string base = cache_dir + "/" + key;
    std::vector<std::string> cached_files;
    std::vector<RuleProblem> cached_problems;
    YR_RULES* cached = nullptr;
    if (read_description(base + ".files", cached_files, cached_problems) &&
        yr_rules_load((base + ".yarc").c_str(), &cached) == ERROR_SUCCESS) {
      out.rules_ = cached;
      out.rule_count_ = count_rules(cached);
      out.files_ = std::move(cached_files);
      for (auto& p : cached_problems) out.problems_.push_back(std::move(p));
      out.from_cache_ = true;
      return out;
    }
  }
  std::size_t problems_before = out.problems_.size();
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
  if (out.rules_ && !key.empty())
    save_cache(cache_dir, key, out.rules_,
               describe(out.files_, std::vector<RuleProblem>(out.problems_.begin() + static_cast<std::ptrdiff_t>(problems_before),
                                                             out.problems_.end())));
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
