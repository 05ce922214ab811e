// Policy parsing and path selection.
#include "fim/policy.hpp"


#include <algorithm>

#include "core/glob.hpp"
#include "core/regex.hpp"
#include "core/text.hpp"

namespace vigil::fim {

namespace {

bool under(std::string_view path, std::string_view top) {
  if (top == "/") return true;
  return path == top || (path.size() > top.size() && path.starts_with(top) && path[top.size()] == '/');
}

bool rule_matches(const PolicyRule& r, std::string_view path) {
  switch (r.match) {
    case PolicyRule::Match::literal:
      return r.kind == PolicyRule::Kind::exact ? path == r.pattern : under(path, r.pattern);
    case PolicyRule::Match::glob: {
      std::string p(path);
      if (glob_match(r.pattern, p, kGlobPathname | kGlobPeriod)) return true;
      if (r.kind == PolicyRule::Kind::exact) return false;
      // A tree rule also covers what lies below a match: try each ancestor.
      for (auto slash = p.rfind('/'); slash != std::string::npos && slash > 0; slash = p.rfind('/', slash - 1)) {
        std::string ancestor = p.substr(0, slash);
        if (glob_match(r.pattern, ancestor, kGlobPathname | kGlobPeriod)) return true;
      }
      return false;
    }
    case PolicyRule::Match::regex: return r.re && r.re->search(path);
  }
  return false;
}

// The directory a walk for this rule starts in: the pattern up to its first special character.
std::string literal_root(const PolicyRule& r) {
  std::string_view p = r.pattern;
  if (r.match == PolicyRule::Match::literal) return std::string(p);
  if (r.match == PolicyRule::Match::regex) {
    if (p.starts_with('^')) p.remove_prefix(1);
    auto special = p.find_first_of(".[]()*+?{}|\\$^");
    p = p.substr(0, special);
  } else {
    p = p.substr(0, p.find_first_of("*?[\\"));
  }
  auto slash = p.rfind('/');
  if (slash == std::string_view::npos) return "/";
  return slash == 0 ? "/" : std::string(p.substr(0, slash));
}

}  // namespace

Policy Policy::parse(std::string_view text, std::vector<ParseError>& errors) {
  Policy p;
  auto groups = builtin_groups();
  for_each_line(text, [&](std::string_view raw, std::size_t n) {
    auto hash = raw.find(" #");
    auto line = trim(raw.starts_with('#') ? std::string_view() : raw.substr(0, hash));
    if (line.empty()) return;
    auto fail = [&](std::string message) { errors.push_back({n, std::move(message)}); };
    auto words = split_ws(line);
    // NAME = EXPR
    if (words.size() == 3 && words[1] == "=" && !words[0].starts_with('/')) {
      std::string err;
      auto a = parse_attrs(words[2], groups, &err);
      if (!a) return fail(err);
      groups[std::string(words[0])] = *a;
      return;
    }
    PolicyRule r;
    r.line = n;
    std::string_view sel = words[0];
    if (sel.starts_with('!')) {
      r.kind = PolicyRule::Kind::exclude;
      sel.remove_prefix(1);
    } else if (sel.starts_with('=')) {
      r.kind = PolicyRule::Kind::exact;
      sel.remove_prefix(1);
    }
    if (sel.starts_with('~')) {
      r.match = PolicyRule::Match::regex;
      sel.remove_prefix(1);
      std::string re = std::string(sel);
      if (!re.starts_with('^')) re = "^" + re;
      if (!re.ends_with('$')) re += "$";
      // PCRE2, bounded: a pattern from a policy file must not be able to stall a walk.
      auto compiled = Regex::compile(re);
      if (!compiled) return fail("bad regular expression '" + std::string(sel) + "': " + compiled.error());
      r.re = std::move(*compiled);
      if (!sel.starts_with('^') && !sel.starts_with('/')) return fail("a regex rule must start with ^/ or /");
    } else if (!sel.starts_with('/')) {
      return fail("expected a group definition (NAME = EXPR) or a rule starting with /, =/, !/ or ~");
    } else if (sel.find_first_of("*?[") != std::string_view::npos) {
      r.match = PolicyRule::Match::glob;
    }
    r.pattern = std::string(sel);
    while (r.pattern.size() > 1 && r.pattern.ends_with('/')) r.pattern.pop_back();
    if (r.kind == PolicyRule::Kind::exclude) {
      if (words.size() != 1) return fail("an exclusion (!) takes no attributes");
    } else {
      if (words.size() != 2) return fail("expected: PATH ATTRIBUTES (one word, e.g. R or PERMS+sha512)");
      std::string err;
      auto a = parse_attrs(words[1], groups, &err);
      if (!a) return fail(err);
      r.attrs = *a;
    }
    p.rules_.push_back(std::move(r));
  });
  return p;
}

const PolicyRule* Policy::decide(std::string_view path) const {
  for (auto it = rules_.rbegin(); it != rules_.rend(); ++it)
    if (rule_matches(*it, path)) return &*it;
  return nullptr;
}

Attrs Policy::attrs_for(std::string_view path) const {
  const auto* r = decide(path);
  return r && r->kind != PolicyRule::Kind::exclude ? r->attrs : 0;
}

bool Policy::descend(std::string_view dir) const {
  // Only a tree exclusion stops a walk; an = rule records the directory and lets other
  // rules select what lies below it.
  const auto* r = decide(dir);
  return !(r && r->kind == PolicyRule::Kind::exclude);
}

std::vector<WalkRoot> Policy::roots() const {
  std::vector<WalkRoot> all;
  for (const auto& r : rules_) {
    if (r.kind == PolicyRule::Kind::exclude) continue;
    bool recursive = r.kind == PolicyRule::Kind::tree || r.match != PolicyRule::Match::literal;
    all.push_back({literal_root(r), recursive});
  }
  std::sort(all.begin(), all.end(), [](const WalkRoot& a, const WalkRoot& b) {
    return std::tie(a.path, b.recursive) < std::tie(b.path, a.recursive);  // recursive first per path
  });
  std::vector<WalkRoot> out;
  for (const auto& r : all) {
    bool covered = std::any_of(out.begin(), out.end(), [&](const WalkRoot& o) {
      return o.recursive ? under(r.path, o.path) : (o.path == r.path && !r.recursive);
    });
    if (!covered) out.push_back(r);
  }
  return out;
}

std::vector<WatchDir> Policy::watch_dirs() const {
  std::vector<WatchDir> out;
  auto add = [&](const std::string& path, bool recursive) {
    for (auto& w : out)
      if (w.path == path) {
        w.recursive = w.recursive || recursive;
        return;
      }
    out.push_back({path, recursive, {}});
  };
  for (const auto& r : roots()) {
    if (r.recursive) {
      add(r.path, true);
    } else {
      auto slash = r.path.rfind('/');
      add(slash == 0 || slash == std::string::npos ? "/" : r.path.substr(0, slash), false);
    }
  }
  for (auto& w : out)
    if (w.recursive)
      for (const auto& r : rules_)
        if (r.kind == PolicyRule::Kind::exclude && r.match == PolicyRule::Match::literal && r.pattern != w.path &&
            under(r.pattern, w.path) && !descend(r.pattern))
          w.excluded.push_back(r.pattern);
  // A directory watched alone inside a recursive watch adds nothing, unless an exclusion
  // there left it out.
  auto covered = [&](const WatchDir& w) {
    return std::any_of(out.begin(), out.end(), [&](const WatchDir& o) {
      return o.recursive && &o != &w && under(w.path, o.path) &&
             std::none_of(o.excluded.begin(), o.excluded.end(), [&](const auto& x) { return under(w.path, x); });
    });
  };
  std::vector<WatchDir> kept;
  for (const auto& w : out)
    if (w.recursive || !covered(w)) kept.push_back(w);
  out = std::move(kept);
  return out;
}

}  // namespace vigil::fim
