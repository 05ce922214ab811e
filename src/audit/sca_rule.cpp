// Parsing and line matching of SCA rules, following Wazuh's semantics: the target ends at the
// first " -> ", minterms are separated by " && ", a literal minterm equals the whole line
// (case-insensitively), and "n:… compare op N" compares the first captured number.
#include "audit/sca_rule.hpp"

#include <fmt/format.h>
#include <strings.h>

#include <algorithm>
#include <charconv>

#include "core/text.hpp"

namespace vigil::audit {

namespace {

constexpr std::string_view kArrow = " -> ";

// Longest names first, so $conf is not replaced inside $conf_dirs.
std::string substitute(std::string s, const Variables& vars) {
  std::vector<const std::pair<const std::string, std::string>*> order;
  for (const auto& kv : vars) order.push_back(&kv);
  std::sort(order.begin(), order.end(), [](auto* a, auto* b) { return a->first.size() > b->first.size(); });
  for (const auto* kv : order) {
    for (std::size_t pos = 0; (pos = s.find(kv->first, pos)) != std::string::npos;) {
      s.replace(pos, kv->first.size(), kv->second);
      pos += kv->second.size();
    }
  }
  return s;
}

bool starts_with_nocase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && strncasecmp(s.data(), prefix.data(), prefix.size()) == 0;
}

expected<Minterm, std::string> parse_minterm(std::string_view text) {
  Minterm m;
  if (!text.empty() && text.front() == '!') {
    m.negated = true;
    text.remove_prefix(1);
  }
  if (starts_with_nocase(text, "r:")) {
    m.kind = Minterm::Kind::regex;
    m.text = std::string(text.substr(2));
    auto re = Regex::compile(m.text);
    if (!re) return make_unexpected(re.error());
    m.regex = std::move(*re);
  } else if (starts_with_nocase(text, "n:")) {
    m.kind = Minterm::Kind::numeric;
    text.remove_prefix(2);
    auto at = text.find(" compare ");
    if (at == std::string_view::npos)
      return make_unexpected(fmt::format("numeric minterm 'n:{}' has no ' compare <op> <number>'", text));
    m.text = std::string(text.substr(0, at));
    auto cmp = trim(text.substr(at + 9));
    auto sp = cmp.find(' ');
    m.op = std::string(cmp.substr(0, sp));
    static constexpr std::string_view kOps[] = {"==", "!=", "<=", ">=", "<", ">"};
    if (std::find(std::begin(kOps), std::end(kOps), m.op) == std::end(kOps))
      return make_unexpected(fmt::format("unknown comparison '{}' in 'n:{}'", m.op, text));
    auto num = sp == std::string_view::npos ? std::string_view{} : trim(cmp.substr(sp + 1));
    auto v = to_number<long long>(num);
    if (!v) return make_unexpected(fmt::format("'{}' is not an integer in 'n:{}'", num, text));
    m.number = *v;
    auto re = Regex::compile(m.text);
    if (!re) return make_unexpected(re.error());
    m.regex = std::move(*re);
  } else {
    m.kind = Minterm::Kind::literal;
    m.text = std::string(text);
  }
  return m;
}

bool compare(long long value, const std::string& op, long long number) {
  if (op == "==") return value == number;
  if (op == "!=") return value != number;
  if (op == "<=") return value <= number;
  if (op == ">=") return value >= number;
  if (op == "<") return value < number;
  return value > number;
}

bool minterm_holds(const Minterm& m, std::string_view line) {
  switch (m.kind) {
    case Minterm::Kind::regex:
      return m.regex->search(line);
    case Minterm::Kind::literal:
      return line.size() == m.text.size() && strncasecmp(line.data(), m.text.data(), line.size()) == 0;
    case Minterm::Kind::numeric: {
      bool matched = false;
      auto captured = m.regex->first_capture(line, matched);
      if (!matched) return false;
      long long v = 0;
      if (!captured || std::from_chars(captured->data(), captured->data() + captured->size(), v).ec != std::errc{})
        return false;
      return compare(v, m.op, m.number);
    }
  }
  return false;
}

}  // namespace

std::string_view rule_type_name(RuleType t) {
  switch (t) {
    case RuleType::file: return "file";
    case RuleType::directory: return "directory";
    case RuleType::process: return "process";
    case RuleType::command: return "command";
    case RuleType::registry: return "registry";
    case RuleType::status: return "status";
  }
  return "?";
}

expected<ContentPattern, std::string> parse_pattern(std::string_view text) {
  ContentPattern p;
  p.source = std::string(text);
  while (true) {
    auto at = text.find(" && ");
    auto m = parse_minterm(text.substr(0, at));
    if (!m) return make_unexpected(m.error());
    p.minterms.push_back(std::move(*m));
    if (at == std::string_view::npos) break;
    text.remove_prefix(at + 4);
  }
  return p;
}

expected<Rule, std::string> parse_rule(std::string_view text, const Variables& vars) {
  Rule r;
  r.source = std::string(text);
  text = trim(text);
  if (starts_with_nocase(text, "not ")) {
    r.negated = true;
    text.remove_prefix(4);
  }
  auto colon = text.find(':');
  if (colon == std::string_view::npos) return make_unexpected(fmt::format("no rule type in '{}'", r.source));
  auto type = text.substr(0, colon);
  if (!type.empty() && type.front() == '!') type.remove_prefix(1);
  if (type == "f") r.type = RuleType::file;
  else if (type == "d") r.type = RuleType::directory;
  else if (type == "p") r.type = RuleType::process;
  else if (type == "c") r.type = RuleType::command;
  else if (type == "r") r.type = RuleType::registry;
  else if (type == "s") r.type = RuleType::status;
  else return make_unexpected(fmt::format("unknown rule type '{}' in '{}'", printable(type), r.source));
  text.remove_prefix(colon + 1);
  auto arrow = text.find(kArrow);
  r.target = substitute(std::string(text.substr(0, arrow)), vars);
  if (r.type == RuleType::process) {  // "p:NAME": the name is the pattern, compiled here once
    auto name = parse_pattern(r.target);
    if (!name) return make_unexpected(name.error());
    r.content = std::move(*name);
    return r;
  }
  if (arrow == std::string_view::npos) return r;
  auto rest = text.substr(arrow + kArrow.size());
  if (r.type == RuleType::directory || r.type == RuleType::registry) {
    auto second = rest.find(kArrow);
    auto name = parse_pattern(rest.substr(0, second));
    if (!name) return make_unexpected(name.error());
    r.file_name = std::move(*name);
    if (second == std::string_view::npos) return r;
    rest = rest.substr(second + kArrow.size());
  }
  auto content = parse_pattern(rest);
  if (!content) return make_unexpected(content.error());
  r.content = std::move(*content);
  return r;
}

bool pattern_matches(const ContentPattern& p, std::string_view line) {
  for (const auto& m : p.minterms)
    if (minterm_holds(m, line) == m.negated) return false;
  return true;
}

bool pattern_nearly_matches(const ContentPattern& p, std::string_view line) {
  bool numeric = false;
  for (const auto& m : p.minterms) {
    if (m.kind == Minterm::Kind::numeric && !m.negated) {
      numeric = true;
      if (!m.regex->search(line)) return false;
    } else if (minterm_holds(m, line) == m.negated) {
      return false;
    }
  }
  return numeric;
}

bool name_matches(const ContentPattern& p, std::string_view name) {
  const std::string& src = p.source;
  if (starts_with_nocase(src, "r:")) return p.minterms.front().regex->search(name);
  for (auto alt : split(src, '|')) {
    bool head = !alt.empty() && alt.front() == '^';
    if (head) alt.remove_prefix(1);
    bool tail = !alt.empty() && alt.back() == '$';
    if (tail) alt.remove_suffix(1);
    auto eq = [&](std::size_t at) { return strncasecmp(name.data() + at, alt.data(), alt.size()) == 0; };
    if (alt.size() > name.size()) continue;
    if (head && tail) {
      if (alt.size() == name.size() && eq(0)) return true;
    } else if (head) {
      if (eq(0)) return true;
    } else if (tail) {
      if (eq(name.size() - alt.size())) return true;
    } else {
      for (std::size_t i = 0; i + alt.size() <= name.size(); ++i)
        if (eq(i)) return true;
    }
  }
  return false;
}

}  // namespace vigil::audit
