#include "logs/sigma_ruleset.hpp"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <hs/hs.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <set>

#include "logs/decode.hpp"

namespace vigil::logs::sigma {

namespace {

bool decodable(std::size_t target) {
  auto f = static_cast<Field>(target);
  return target == kFieldCount || f == Field::url_original || f == Field::url_path || f == Field::url_query ||
         f == Field::user_agent || f == Field::http_referrer;
}

// How much a field test narrows the events: equality on the method or status (GET, 404)
// holds for most lines, so such a test is a poor trigger for evaluating a rule.
int selectivity(const FieldTest& t, const Rule& r) {
  for (int m : t.matchers) {
    const Matcher& mm = r.matchers[static_cast<std::size_t>(m)];
    if (mm.op != Op::pattern) return -1;
    bool equality = mm.regex.size() > 1 && mm.regex.front() == '^' && mm.regex.back() == '$';
    if (equality && mm.field && (*mm.field == Field::http_method || *mm.field == Field::http_status ||
                                 *mm.field == Field::event_outcome))
      return 0;
  }
  return 1;
}

struct Triggers {
  std::set<int> matchers;
  int score = 1;
};

// Matchers of which at least one must hit for the node to hold; nullopt when the node can
// hold with no pattern hit (a negation, a test of exists/cidr/…), so the rule is evaluated
// on every event.
std::optional<Triggers> triggers(const Node& n, const Rule& r) {
  switch (n.kind) {
    case Node::Kind::selection: {
      Triggers out;
      for (const auto& conj : r.selections[static_cast<std::size_t>(n.selection)].any) {
        const FieldTest* best = nullptr;
        int best_score = -1;
        for (const auto& t : conj) {
          int s = t.matchers.empty() ? -1 : selectivity(t, r);
          if (s > best_score) {
            best = &t;
            best_score = s;
          }
        }
        if (!best || best_score < 0) return std::nullopt;
        out.matchers.insert(best->matchers.begin(), best->matchers.end());
        out.score = std::min(out.score, best_score);
      }
      return out;
    }
    case Node::Kind::all: {
      std::optional<Triggers> best;
      for (const auto& c : n.children) {
        auto t = triggers(c, r);
        if (t && (!best || t->score > best->score)) best = std::move(t);
      }
      return best;
    }
    case Node::Kind::any: {
      Triggers out;
      for (const auto& c : n.children) {
        auto t = triggers(c, r);
        if (!t) return std::nullopt;
        out.matchers.insert(t->matchers.begin(), t->matchers.end());
        out.score = std::min(out.score, t->score);
      }
      return out;
    }
    case Node::Kind::negate:
      return std::nullopt;
  }
  return std::nullopt;
}

struct Pending {
  std::vector<std::string> exprs;
  std::vector<unsigned> flags, ids;
};

}  // namespace

class RuleSet::Scratch {
 public:
  hs_scratch_t* hs = nullptr;
  std::vector<std::uint32_t> stamp, rule_stamp;
  std::uint32_t gen = 0;
  std::vector<int> candidates;
  const std::vector<int>* matcher_rule = nullptr;
  const std::vector<std::uint8_t>* trigger = nullptr;
  std::array<std::string, kFieldCount + 1> decoded;
  std::array<std::int8_t, kFieldCount + 1> decoded_state{};  // 0 not tried, 1 changed, 2 unchanged
};

namespace {

int on_match(unsigned int id, unsigned long long, unsigned long long, unsigned int, void* ctx) {
  auto* s = static_cast<RuleSet::Scratch*>(ctx);
  s->stamp[id] = s->gen;
  if (!(*s->trigger)[id]) return 0;
  auto r = static_cast<std::size_t>((*s->matcher_rule)[id]);
  if (s->rule_stamp[r] != s->gen) {
    s->rule_stamp[r] = s->gen;
    s->candidates.push_back(static_cast<int>(r));
  }
  return 0;
}

}  // namespace

RuleSet::RuleSet() = default;
RuleSet::RuleSet(RuleSet&& o) noexcept { *this = std::move(o); }
RuleSet& RuleSet::operator=(RuleSet&& o) noexcept {
  if (this == &o) return *this;
  release();
  rules_ = std::move(o.rules_);
  offset_ = std::move(o.offset_);
  matcher_rule_ = std::move(o.matcher_rule_);
  trigger_ = std::move(o.trigger_);
  db_ = o.db_;
  always_ = std::move(o.always_);
  proto_ = o.proto_;
  o.db_ = {};
  o.proto_ = nullptr;
  return *this;
}
RuleSet::~RuleSet() { release(); }

void RuleSet::release() {
  for (auto& fam : db_)
    for (auto*& db : fam) {
      if (db) hs_free_database(db);
      db = nullptr;
    }
  if (proto_) hs_free_scratch(proto_);
  proto_ = nullptr;
}

RuleSet RuleSet::compile(std::vector<Rule> rules, std::vector<LoadProblem>& problems) {
  while (true) {
    RuleSet set;
    set.rules_ = std::move(rules);
    std::array<std::array<Pending, kTargets>, kFamilyCount> pending;
    int next = 0;
    for (std::size_t r = 0; r < set.rules_.size(); ++r) {
      const Rule& rule = set.rules_[r];
      set.offset_.push_back(next);
      auto fam = static_cast<std::size_t>(rule.source.family);
      for (const auto& m : rule.matchers) {
        set.matcher_rule_.push_back(static_cast<int>(r));
        if (m.op == Op::pattern) {
          std::size_t target = m.field ? static_cast<std::size_t>(*m.field) : kKeyword;
          auto& p = pending[fam][target];
          p.exprs.push_back(m.regex);
          p.flags.push_back(m.hs_flags);
          p.ids.push_back(static_cast<unsigned>(next));
        }
        ++next;
      }
      auto trig = triggers(rule.condition, rule);
      if (!trig) set.always_[fam].push_back(static_cast<int>(r));
      for (std::size_t m = 0; m < rule.matchers.size(); ++m)
        set.trigger_.push_back(trig && trig->matchers.count(static_cast<int>(m)) ? 1 : 0);
    }
    std::optional<std::size_t> bad_rule;
    std::string bad_reason;
    for (std::size_t f = 0; f < kFamilyCount && !bad_rule; ++f)
      for (std::size_t t = 0; t < kTargets && !bad_rule; ++t) {
        auto& p = pending[f][t];
        if (p.exprs.empty()) continue;
        std::vector<const char*> cexprs;
        for (const auto& e : p.exprs) cexprs.push_back(e.c_str());
        hs_compile_error_t* err = nullptr;
        if (hs_compile_multi(cexprs.data(), p.flags.data(), p.ids.data(), static_cast<unsigned>(cexprs.size()),
                             HS_MODE_BLOCK, nullptr, &set.db_[f][t], &err) != HS_SUCCESS) {
          int index = err ? err->expression : -1;
          bad_reason = err ? err->message : "Hyperscan could not compile the patterns";
          hs_free_compile_error(err);
          if (index < 0) {
            // Not one expression's fault (resources): give up on this field's rules.
            bad_rule = static_cast<std::size_t>(set.matcher_rule_[p.ids[0]]);
          } else {
            bad_rule = static_cast<std::size_t>(set.matcher_rule_[p.ids[static_cast<std::size_t>(index)]]);
          }
          break;
        }
        if (hs_alloc_scratch(set.db_[f][t], &set.proto_) != HS_SUCCESS) {
          bad_reason = "Hyperscan could not allocate scratch space";
          bad_rule = static_cast<std::size_t>(set.matcher_rule_[p.ids[0]]);
        }
      }
    if (!bad_rule) return set;
    rules = std::move(set.rules_);
    const auto& meta = rules[*bad_rule].meta;
    problems.push_back({meta.file, meta.title, "pattern not accepted by Hyperscan: " + bad_reason});
    rules.erase(rules.begin() + static_cast<std::ptrdiff_t>(*bad_rule));
  }
}

std::unique_ptr<RuleSet::Scratch, void (*)(RuleSet::Scratch*)> RuleSet::make_scratch() const {
  auto* s = new Scratch;
  s->matcher_rule = &matcher_rule_;
  s->trigger = &trigger_;
  if (proto_) hs_clone_scratch(proto_, &s->hs);
  s->stamp.assign(matcher_rule_.size(), 0);
  s->rule_stamp.assign(rules_.size(), 0);
  return {s, [](Scratch* p) {
            if (p->hs) hs_free_scratch(p->hs);
            delete p;
          }};
}

bool RuleSet::matcher_true(const Matcher& m, int global, const Event& e, Scratch& s) const {
  switch (m.op) {
    case Op::pattern: return s.stamp[static_cast<std::size_t>(global)] == s.gen;
    case Op::exists: return e.has(*m.field);
    case Op::missing: return !e.has(*m.field);
    case Op::lt:
    case Op::lte:
    case Op::gt:
    case Op::gte: {
      auto v = e.get(*m.field);
      double d = 0;
      if (v.empty() || std::from_chars(v.data(), v.data() + v.size(), d).ec != std::errc()) return false;
      if (m.op == Op::lt) return d < m.number;
      if (m.op == Op::lte) return d <= m.number;
      if (m.op == Op::gt) return d > m.number;
      return d >= m.number;
    }
    case Op::cidr: return m.net.contains(e.get(*m.field));
    case Op::fieldref: return e.has(*m.field) && e.get(*m.field) == e.get(*m.other);
  }
  return false;
}

bool RuleSet::eval(const Node& n, const Rule& r, int base, const Event& e, Scratch& s) const {
  switch (n.kind) {
    case Node::Kind::selection: {
      for (const auto& conj : r.selections[static_cast<std::size_t>(n.selection)].any) {
        bool ok = true;
        for (const auto& t : conj) {
          bool hit = t.all;
          for (int m : t.matchers) {
            bool v = matcher_true(r.matchers[static_cast<std::size_t>(m)], base + m, e, s);
            if (t.all && !v) {
              hit = false;
              break;
            }
            if (!t.all && v) {
              hit = true;
              break;
            }
          }
          if (!hit) {
            ok = false;
            break;
          }
        }
        if (ok) return true;
      }
      return false;
    }
    case Node::Kind::all:
      for (const auto& c : n.children)
        if (!eval(c, r, base, e, s)) return false;
      return true;
    case Node::Kind::any:
      for (const auto& c : n.children)
        if (eval(c, r, base, e, s)) return true;
      return false;
    case Node::Kind::negate:
      return !eval(n.children[0], r, base, e, s);
  }
  return false;
}

void RuleSet::match(const Event& e, Scratch& s, std::vector<int>& out) const {
  if (++s.gen == 0) {
    std::fill(s.stamp.begin(), s.stamp.end(), 0);
    std::fill(s.rule_stamp.begin(), s.rule_stamp.end(), 0);
    s.gen = 1;
  }
  s.decoded_state.fill(0);
  s.candidates.clear();
  auto fam = static_cast<std::size_t>(e.family);
  bool web = e.family == LogFamily::web;
  auto decoded = [&](std::size_t field) -> const std::string* {
    if (!s.decoded_state[field]) {
      auto v = e.fields[field];
      bool url = field == static_cast<std::size_t>(Field::url_original) ||
                 field == static_cast<std::size_t>(Field::url_path) || field == static_cast<std::size_t>(Field::url_query);
      s.decoded_state[field] = decode_web(v, s.decoded[field], url) ? 1 : 2;
    }
    return s.decoded_state[field] == 1 ? &s.decoded[field] : nullptr;
  };
  auto scan = [&](hs_database_t* db, std::string_view text) {
    if (!text.empty()) hs_scan(db, text.data(), static_cast<unsigned>(text.size()), 0, s.hs, on_match, &s);
  };
  for (std::size_t t = 0; t < kTargets; ++t) {
    hs_database_t* db = db_[fam][t];
    if (!db) continue;
    if (t == kKeyword) {
      std::string_view text = (!web && e.has(Field::message)) ? e.get(Field::message) : e.raw;
      scan(db, text);
      if (web)
        for (Field f : {Field::url_original, Field::user_agent, Field::http_referrer})
          if (auto* d = decoded(static_cast<std::size_t>(f))) scan(db, *d);
      continue;
    }
    std::string_view text = e.fields[t];
    if (text.empty()) continue;
    scan(db, text);
    if (web && decodable(t))
      if (auto* d = decoded(t)) scan(db, *d);
  }
  // Rules with a pattern hit are candidates already; add those that need none.
  for (int r : always_[fam]) {
    if (s.rule_stamp[static_cast<std::size_t>(r)] == s.gen) continue;
    s.rule_stamp[static_cast<std::size_t>(r)] = s.gen;
    s.candidates.push_back(r);
  }
  std::string_view program = e.get(Field::process_name);
  for (int r : s.candidates) {
    const Rule& rule = rules_[static_cast<std::size_t>(r)];
    if (!rule.source.programs.empty() &&
        std::find(rule.source.programs.begin(), rule.source.programs.end(), program) == rule.source.programs.end())
      continue;
    if (eval(rule.condition, rule, offset_[static_cast<std::size_t>(r)], e, s)) out.push_back(r);
  }
}

}  // namespace vigil::logs::sigma
