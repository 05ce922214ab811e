// Work is (account, block of candidates) pairs taken from one atomic counter, so every core
// stays busy whatever the mix of cheap (MD5) and costly (yescrypt) hashes; an account stops
// being tried once its password is found.
#include "audit/passwords.hpp"

#include <crypt.h>
#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <thread>

#include "collect/account_parse.hpp"
#include "core/text.hpp"

namespace vigil::audit {

namespace {

constexpr std::size_t kBlock = 16;
constexpr std::int64_t kNeverExpires = 10000;  // days: 99999 is the usual "never"

bool login_shell(std::string_view shell) {
  auto base = basename_of(shell);
  return !shell.empty() && base != "nologin" && base != "false" && shell != "/dev/null" && base != "sync" &&
         base != "shutdown" && base != "halt";
}

expected<std::vector<std::string>, std::string> read_wordlist(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_unexpected(fmt::format("{}: cannot be read (install john-data, or give --wordlist FILE)", path));
  std::vector<std::string> words;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.starts_with("#!comment:") || line.empty()) continue;  // john's list starts with comments
    words.push_back(std::move(line));
  }
  return words;
}

void classify(AccountAudit& a) {
  a.issues.clear();
  if (a.weak)
    a.issues.push_back(a.found_by == "wordlist" ? "password is in the common-password list"
                                                : "password is a variant of the user name");
  if (a.state == "empty") a.issues.push_back("empty password: anyone can log in without one");
  if (a.deprecated) a.issues.push_back(fmt::format("deprecated hash scheme ({}): fast to crack", a.scheme));
  if (a.unsupported) a.issues.push_back("hash could not be verified by libxcrypt (unknown or disabled scheme)");
  if (a.never_expires) a.issues.push_back("password never expires");
  if (a.state == "locked" && a.can_login) a.issues.push_back("password locked (no password login; keys may still work)");
  bool usable = a.weak || a.state == "empty";
  if (usable && (a.can_login || a.uid == 0)) a.severity = "high";
  else if (usable || (a.deprecated && a.can_login)) a.severity = "medium";
  else if (a.deprecated || a.never_expires || a.unsupported) a.severity = "low";
  else if (!a.issues.empty()) a.severity = "info";
  else a.severity = "info";
}

}  // namespace

std::vector<std::string> user_name_variants(std::string_view user) {
  std::string u(user);
  if (u.empty()) return {};
  std::string cap = u, upper = u, rev(u.rbegin(), u.rend());
  cap[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(cap[0])));
  for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  std::vector<std::string> v = {u, cap, upper, rev, u + u, u + "1", u + "12", u + "123", u + "1234",
                                u + "!", cap + "1", cap + "123", u + "2024", u + "2025", u + "2026"};
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  return v;
}

expected<PasswordAudit, std::string> audit_passwords(const Root& root, const PasswordOptions& options) {
  auto t0 = std::chrono::steady_clock::now();
  PasswordAudit out;
  auto shadow_text = root.read("/etc/shadow");
  if (!shadow_text) return make_unexpected(fmt::format("{}: {}", root.display("/etc/shadow"), shadow_text.error().reason()));
  auto shadow = collect::parse_shadow(*shadow_text);
  for (const auto& e : shadow.errors) out.problems.push_back(fmt::format("{}:{}: {}", root.display("/etc/shadow"), e.line, e.message));
  std::map<std::string, collect::PasswdEntry, std::less<>> passwd;
  if (auto t = root.read("/etc/passwd")) {
    for (auto& p : collect::parse_passwd(*t).rows) passwd.emplace(p.name, std::move(p));
  } else {
    out.problems.push_back(fmt::format("{}: {} (shells and uids unknown)", root.display("/etc/passwd"), t.error().reason()));
  }
  std::vector<std::string> words;
  if (!options.wordlist.empty()) {
    auto w = read_wordlist(options.wordlist);
    if (!w) return make_unexpected(w.error());
    words = std::move(*w);
  }
  out.wordlist_words = words.size();

  // One candidate list per crackable account: the wordlist, then its name variants.
  struct Target {
    std::size_t account;
    std::vector<std::string> extra;  // name variants not already in the wordlist
  };
  std::vector<Target> targets;
  for (const auto& s : shadow.rows) {
    AccountAudit a;
    a.user = s.name;
    if (auto it = passwd.find(s.name); it != passwd.end()) {
      a.uid = it->second.uid;
      a.shell = it->second.shell;
      a.can_login = login_shell(a.shell);
    }
    a.state = collect::password_state(s.hash);
    a.scheme = collect::hash_scheme(s.hash);
    if (a.state == "set") {
      int check = crypt_checksalt(s.hash.c_str());
      a.deprecated = a.scheme == "md5" || a.scheme == "des" || check == CRYPT_SALT_METHOD_LEGACY;
      a.unsupported = check == CRYPT_SALT_INVALID || check == CRYPT_SALT_METHOD_DISABLED;
      a.never_expires = s.max_days < 0 || s.max_days >= kNeverExpires;
      if (!a.unsupported) {
        Target t{out.accounts.size(), {}};
        if (options.user_variants)
          for (auto& v : user_name_variants(s.name))
            if (std::find(words.begin(), words.end(), v) == words.end()) t.extra.push_back(std::move(v));
        targets.push_back(std::move(t));
      }
    }
    out.accounts.push_back(std::move(a));
  }

  // Work items: (target, first candidate index); candidates are words then the extras.
  struct Item {
    std::size_t target, first;
  };
  std::vector<Item> items;
  for (std::size_t t = 0; t < targets.size(); ++t) {
    std::size_t n = words.size() + targets[t].extra.size();
    for (std::size_t i = 0; i < n; i += kBlock) items.push_back({t, i});
  }
  std::vector<std::string> hashes;
  for (const auto& t : targets) hashes.push_back(shadow.rows[t.account].hash);
  auto found = std::make_unique<std::atomic<bool>[]>(targets.size());
  std::vector<std::string> passwords(targets.size());
  std::vector<std::string> found_by(targets.size());
  std::atomic<std::size_t> next{0};
  std::atomic<std::uint64_t> tried{0};

  auto work = [&] {
    auto data = std::make_unique<crypt_data>();
    std::uint64_t mine = 0;
    for (std::size_t k; (k = next.fetch_add(1)) < items.size();) {
      const auto& item = items[k];
      if (found[item.target].load(std::memory_order_relaxed)) continue;
      const auto& tgt = targets[item.target];
      const std::string& hash = hashes[item.target];
      std::size_t n = words.size() + tgt.extra.size();
      for (std::size_t i = item.first; i < std::min(n, item.first + kBlock); ++i) {
        const std::string& cand = i < words.size() ? words[i] : tgt.extra[i - words.size()];
        data->initialized = 0;
        char* h = crypt_rn(cand.c_str(), hash.c_str(), data.get(), sizeof(crypt_data));
        ++mine;
        if (h && hash == h) {
          // Only the thread that flips the flag writes; join() publishes it to the caller.
          if (!found[item.target].exchange(true)) {
            passwords[item.target] = cand;
            found_by[item.target] = i < words.size() ? "wordlist" : "user name variant";
          }
          break;
        }
      }
    }
    tried += mine;
  };
  unsigned n = options.jobs ? options.jobs : std::max(1u, std::thread::hardware_concurrency());
  n = std::min<unsigned>(n, static_cast<unsigned>(std::max<std::size_t>(1, items.size())));
  std::vector<std::thread> threads;
  for (unsigned t = 1; t < n; ++t) threads.emplace_back(work);
  work();
  for (auto& t : threads) t.join();

  for (std::size_t t = 0; t < targets.size(); ++t) {
    if (!found[t]) continue;
    auto& a = out.accounts[targets[t].account];
    a.weak = true;
    a.password = passwords[t];
    a.found_by = found_by[t];
  }
  for (auto& a : out.accounts) classify(a);
  out.candidates = tried;
  out.threads = n;
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return out;
}

}  // namespace vigil::audit
