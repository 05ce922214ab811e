// Work is (account, block of candidates) pairs taken from one atomic counter, so every core
// stays busy whatever the mix of cheap (MD5) and costly (yescrypt) hashes; an account stops
// being tried once its password is found.
#include "audit/passwords.hpp"

#include <crypt.h>
#include <sys/stat.h>
#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <limits>
#include <optional>
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
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode))
    return make_unexpected(fmt::format("{}: not a file (--wordlist takes a file of words, one per line)", path));
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_unexpected(fmt::format("{}: cannot be read (install john-data, or give --wordlist FILE)", path));
  std::vector<std::string> words;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.starts_with("#!comment:") || line.empty()) continue;  // john's list starts with comments
    words.push_back(std::move(line));
  }
  if (words.empty()) return make_unexpected(fmt::format("{}: no words in it", path));
  return words;
}

constexpr std::string_view kItoa64 = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

// A yescrypt parameter character: its value when it stands alone (below 47), else nothing.
std::optional<int> small64(char c) {
  auto at = kItoa64.find(c);
  if (at == std::string_view::npos || at >= 47) return std::nullopt;
  return static_cast<int>(at);
}

void classify(AccountAudit& a) {
  a.issues.clear();
  if (a.malformed) a.issues.push_back("not a password hash: no password can match it (password login impossible)");
  if (!a.cost.empty()) a.issues.push_back(a.cost);
  if (a.weak)
    a.issues.push_back(a.found_by == "wordlist" ? "password is in the common-password list"
                                                : "password is a variant of the user name");
  if (a.state == "empty") a.issues.push_back("empty password: anyone can log in without one");
  if (a.deprecated && !a.malformed)
    a.issues.push_back(fmt::format("deprecated hash scheme ({}): fast to crack", a.scheme));
  if (a.unsupported) a.issues.push_back("hash could not be verified by libxcrypt (unknown or disabled scheme)");
  if (a.never_expires) a.issues.push_back("password never expires");
  if (a.state == "locked" && a.can_login) a.issues.push_back("password locked (no password login; keys may still work)");
  bool usable = a.weak || a.state == "empty";
  if (usable && (a.can_login || a.uid == 0)) a.severity = "high";
  else if (usable || (a.deprecated && a.can_login)) a.severity = "medium";
  else if (a.deprecated || a.never_expires || a.unsupported || a.malformed || !a.cost.empty()) a.severity = "low";
  else if (!a.issues.empty()) a.severity = "info";
  else a.severity = "info";
}

}  // namespace

HashCost hash_cost(std::string_view h) {
  constexpr double kTooLarge = std::numeric_limits<double>::infinity();
  HashCost c;
  if (h.starts_with("$5$") || h.starts_with("$6$")) {  // $6$rounds=N$salt$hash; 5,000 when absent
    auto body = h.substr(3);
    if (body.starts_with("rounds=")) {
      auto end = body.find('$');
      auto n = to_number<std::uint64_t>(body.substr(7, end == std::string_view::npos ? end : end - 7));
      c.detail = fmt::format("rounds={}", n ? std::to_string(*n) : std::string("?"));
      c.factor = n ? static_cast<double>(*n) / 5000 : kTooLarge;
    }
  } else if (h.size() > 6 && h[0] == '$' && h[1] == '2' && h.find('$', 3) == 3) {  // $2b$NN$: 2^NN rounds
    auto cost = to_number<int>(h.substr(4, 2));
    c.detail = fmt::format("bcrypt cost {}", cost ? std::to_string(*cost) : std::string("?"));
    c.factor = cost && *cost <= 31 ? std::ldexp(1.0, *cost - 10) : kTooLarge;
  } else if (h.starts_with("$y$") || h.starts_with("$gy$")) {  // flags, N (log2 - 1), r - 1
    auto params = h.substr(h.find('$', 1) + 1);
    auto n = params.size() > 2 ? small64(params[1]) : std::nullopt;
    auto r = params.size() > 2 ? small64(params[2]) : std::nullopt;
    if (n && r) {
      double mib = std::ldexp(128.0 * (*r + 1), *n + 1) / (1 << 20);
      c.detail = fmt::format("yescrypt N=2^{} r={} ({:.0f} MiB a hash)", *n + 1, *r + 1, mib);
      c.factor = mib / 16;  // Debian's default j9T: N=2^12, r=32, 16 MiB
    } else {
      c.detail = "yescrypt parameters beyond the usual range";
      c.factor = kTooLarge;
    }
  }
  return c;
}

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
    bool wordlist = true;            // false for a costly hash: the variants alone
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
      // Legacy DES is 13 characters of ./0-9A-Za-z; anything else libxcrypt calls legacy
      // (5,000 characters of text) is no hash at all.
      if (check == CRYPT_SALT_METHOD_LEGACY && a.scheme != "md5" &&
          (s.hash.size() != 13 || s.hash.find_first_not_of(kItoa64) != std::string::npos))
        a.malformed = true;
      auto cost = hash_cost(s.hash);
      bool full = cost.factor <= kFullListCost, some = cost.factor <= kVariantsOnlyCost;
      if (!full)
        a.cost = some ? fmt::format("costly hash ({}, {:.0f} times the default): only user name variants tried",
                                    cost.detail, cost.factor)
                      : fmt::format("hash too costly to try ({}): not tested, a crafted line would stall the audit",
                                    cost.detail);
      if (!a.unsupported && !a.malformed && some) {
        // One hash of an empty candidate: a string libxcrypt cannot hash, or whose length no
        // hash of its settings has, matches no password (a malformed $y$ or $2b$ line).
        auto data = std::make_unique<crypt_data>();
        const char* h = crypt_rn("", s.hash.c_str(), data.get(), sizeof(crypt_data));
        if (!h || h[0] == '*' || std::strlen(h) != s.hash.size()) a.malformed = true;
      }
      if (!a.unsupported && !a.malformed && some) {
        Target t{out.accounts.size(), {}, full};
        if (options.user_variants)
          for (auto& v : user_name_variants(s.name))
            if (!full || std::find(words.begin(), words.end(), v) == words.end()) t.extra.push_back(std::move(v));
        a.candidates = (full ? words.size() : 0) + t.extra.size();
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
  std::uint64_t planned = 0;
  auto listed = [&](const Target& t) { return t.wordlist ? words.size() : 0; };
  for (std::size_t t = 0; t < targets.size(); ++t) {
    std::size_t n = listed(targets[t]) + targets[t].extra.size();
    planned += n;
    for (std::size_t i = 0; i < n; i += kBlock) items.push_back({t, i});
  }
  std::vector<std::string> hashes;
  for (const auto& t : targets) hashes.push_back(shadow.rows[t.account].hash);
  auto found = std::make_unique<std::atomic<bool>[]>(targets.size());
  std::vector<std::string> passwords(targets.size());
  std::vector<std::string> found_by(targets.size());
  std::atomic<std::size_t> next{0};
  std::atomic<std::uint64_t> tried{0}, done{0};

  auto work = [&] {
    auto data = std::make_unique<crypt_data>();
    std::uint64_t mine = 0;
    for (std::size_t k; (k = next.fetch_add(1)) < items.size();) {
      const auto& item = items[k];
      if (found[item.target].load(std::memory_order_relaxed)) continue;
      const auto& tgt = targets[item.target];
      const std::string& hash = hashes[item.target];
      std::size_t from_list = listed(tgt), n = from_list + tgt.extra.size();
      for (std::size_t i = item.first; i < std::min(n, item.first + kBlock); ++i) {
        const std::string& cand = i < from_list ? words[i] : tgt.extra[i - from_list];
        data->initialized = 0;
        char* h = crypt_rn(cand.c_str(), hash.c_str(), data.get(), sizeof(crypt_data));
        ++mine;
        if (h && hash == h) {
          // Only the thread that flips the flag writes; join() publishes it to the caller.
          if (!found[item.target].exchange(true)) {
            passwords[item.target] = cand;
            found_by[item.target] = i < from_list ? "wordlist" : "user name variant";
          }
          break;
        }
      }
      done.fetch_add(std::min(n, item.first + kBlock) - item.first, std::memory_order_relaxed);
    }
    tried += mine;
  };
  unsigned n = options.jobs ? options.jobs : std::max(1u, std::thread::hardware_concurrency());
  n = std::min<unsigned>(n, static_cast<unsigned>(std::max<std::size_t>(1, items.size())));
  std::vector<std::thread> threads;
  for (unsigned t = 1; t < n; ++t) threads.emplace_back(work);
  std::jthread ticker;
  if (options.progress)
    ticker = std::jthread([&](std::stop_token stop) {
      for (int tick = 0; !stop.stop_requested(); ++tick) {
        if (tick % 10 == 0) options.progress(done.load(std::memory_order_relaxed), planned);
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
    });
  work();
  for (auto& t : threads) t.join();
  if (ticker.joinable()) {
    ticker.request_stop();
    ticker.join();
    options.progress(planned, planned);
  }

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
