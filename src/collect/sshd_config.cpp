// sshd_config collector: the server's settings through the root, includes followed.
#include "collect/sshd_config.hpp"

#include <dirent.h>

#include <algorithm>
#include <cctype>
#include <set>

#include "core/glob.hpp"
#include "core/text.hpp"

namespace vigil::collect {

namespace {

constexpr std::string_view kCollector = "sshd_config";
constexpr int kMaxIncludeDepth = 16;  // sshd's own limit

class Reader {
 public:
  Reader(const Root& root, IssueLog& log) : root_(root), log_(log) {}

  void file(const std::string& path, std::string match, int depth) {
    if (depth > kMaxIncludeDepth || !open_.insert(path).second) {
      log_.add(std::string(kCollector), root_.display(path), "Include loop or nesting deeper than 16; not followed");
      return;
    }
    auto text = root_.read(path, std::size_t{4} << 20);
    if (!text) {  // no sshd_config: no SSH server, nothing to say
      if (!text.error().vanished()) log_.add(std::string(kCollector), text.error());
      open_.erase(path);
      return;
    }
    for (auto& l : parse_sshd_config(*text)) {
      if (l.keyword == "match") {
        match = ascii_lower(l.value) == "all" ? "" : l.value;
      } else if (l.keyword == "include") {
        for (auto w : split_ws(l.value)) include(std::string(w), match, depth + 1);
      } else {
        rows_.push_back({path, static_cast<std::int64_t>(l.line), l.keyword, l.value, match});
      }
    }
    open_.erase(path);
  }

  std::vector<SshdSettingRow> take() { return std::move(rows_); }

 private:
  // Include takes paths relative to /etc/ssh and shell wildcards in the file name, read in
  // lexical order.
  void include(std::string pattern, const std::string& match, int depth) {
    if (!pattern.starts_with('/')) pattern = "/etc/ssh/" + pattern;
    auto slash = pattern.rfind('/');
    std::string dir = pattern.substr(0, slash), name = pattern.substr(slash + 1);
    if (name.find_first_of("*?[") == std::string::npos) {
      file(pattern, match, depth);
      return;
    }
    auto entries = root_.list(dir);
    if (!entries) return;  // an Include of a directory that is not there is no error to sshd
    std::vector<std::string> names;
    for (const auto& e : *entries)
      if (glob_match(name, e.name, kGlobPathname | kGlobPeriod)) names.push_back(e.name);
    std::sort(names.begin(), names.end());
    for (const auto& n : names) file(dir + "/" + n, match, depth);
  }

  const Root& root_;
  IssueLog& log_;
  std::set<std::string> open_;
  std::vector<SshdSettingRow> rows_;
};

}  // namespace

std::vector<SshdLine> parse_sshd_config(std::string_view text) {
  std::vector<SshdLine> out;
  for_each_line(text, [&](std::string_view raw, std::size_t n) {
    auto t = trim(raw);
    if (t.empty() || t.front() == '#') return;
    // "Keyword value", "Keyword=value" or "Keyword = value".
    std::size_t end = 0;
    while (end < t.size() && !std::isspace(static_cast<unsigned char>(t[end])) && t[end] != '=') ++end;
    auto rest = trim(t.substr(end));
    if (rest.starts_with('=')) rest = trim(rest.substr(1));
    if (end == 0) return;
    out.push_back({n, ascii_lower(t.substr(0, end)), printable(rest)});
  });
  return out;
}

std::vector<SshdSettingRow> collect_sshd_config(const Root& root, IssueLog& log) {
  Reader r(root, log);
  r.file("/etc/ssh/sshd_config", "", 0);
  return r.take();
}

std::vector<std::string> authorized_keys_paths(const std::vector<SshdSettingRow>& settings, const std::string& user,
                                               std::int64_t uid, const std::string& home) {
  std::vector<std::string> patterns;
  for (const auto& s : settings)
    if (s.keyword == "authorizedkeysfile")
      for (auto w : split_ws(s.value))
        if (w != "none") patterns.emplace_back(w);
  // sshd's default; read as well when the configuration names others, since a key planted
  // there is found even if this configuration does not use it today.
  patterns.emplace_back(".ssh/authorized_keys");
  patterns.emplace_back(".ssh/authorized_keys2");
  std::vector<std::string> out;
  for (const auto& p : patterns) {
    std::string path;
    for (std::size_t i = 0; i < p.size(); ++i) {
      if (p[i] != '%' || i + 1 >= p.size()) {
        path.push_back(p[i]);
        continue;
      }
      char token = p[++i];
      if (token == 'h') path += home;
      else if (token == 'u') path += user;
      else if (token == 'U') path += std::to_string(uid);
      else if (token == '%') path.push_back('%');
      else path += std::string("%") + token;
    }
    if (!path.starts_with('/')) path = home + "/" + path;
    if (std::find(out.begin(), out.end(), path) == out.end()) out.push_back(path);
  }
  return out;
}

}  // namespace vigil::collect
