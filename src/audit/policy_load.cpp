// YAML → Policy. yaml-cpp parses; everything else is checked here, and each problem names the
// file and the check so a broken policy says where it is broken.
#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <set>

#include "audit/policy.hpp"
#include "core/rule_files.hpp"
#include "core/yaml_error.hpp"
#include "core/text.hpp"

namespace vigil::audit {

namespace {

struct PolicyError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

std::string scalar(const YAML::Node& n) {
  if (!n || !n.IsScalar()) return {};
  return n.Scalar();
}

std::vector<std::string> strings(const YAML::Node& n) {
  std::vector<std::string> out;
  if (!n) return out;
  if (n.IsScalar()) out.push_back(n.Scalar());
  if (n.IsSequence())
    for (const auto& e : n)
      if (e.IsScalar()) out.push_back(e.Scalar());
  return out;
}

std::vector<MitreRef> mitre_refs(const YAML::Node& n) {
  std::vector<MitreRef> out;
  if (!n || !n.IsMap()) return out;
  auto ids = strings(n["id"]), names = strings(n["name"]);
  for (std::size_t i = 0; i < ids.size(); ++i) out.push_back({ids[i], i < names.size() ? names[i] : ""});
  return out;
}

Condition parse_condition(const std::string& s) {
  if (s == "all" || s == "all required") return Condition::all;
  if (s == "any" || s == "any required") return Condition::any;
  if (s == "none") return Condition::none;
  throw PolicyError(fmt::format("condition '{}' is not all, any or none", s));
}

// Fills rules; a rule that cannot be parsed makes the check unevaluable (the reason kept).
void parse_rules(const YAML::Node& n, const Variables& vars, Check& c) {
  if (!n || !n.IsSequence() || n.size() == 0) throw PolicyError("no rules");
  for (const auto& e : n) {
    if (!e.IsScalar()) throw PolicyError("a rule is not a string");
    c.rule_sources.push_back(e.Scalar());
    auto r = parse_rule(e.Scalar(), vars);
    if (!r) {
      if (c.unevaluable.empty()) c.unevaluable = r.error();
      continue;
    }
    if (r->type == RuleType::registry && c.unevaluable.empty())
      c.unevaluable = "registry rules (r:) exist only on Windows";
    c.rules.push_back(std::move(*r));
  }
}

Check parse_check(const YAML::Node& n, const Variables& vars) {
  if (!n.IsMap()) throw PolicyError("a check is not a map");
  Check c;
  c.id = scalar(n["id"]);
  if (c.id.empty()) throw PolicyError("a check has no id");
  c.title = scalar(n["title"]);
  if (c.title.empty()) c.title = scalar(n["name"]);
  c.description = scalar(n["description"]);
  c.rationale = scalar(n["rationale"]);
  c.remediation = scalar(n["remediation"]);
  c.impact = scalar(n["impact"]);
  c.references = strings(n["references"]);
  if (auto comp = n["compliance"]; comp && comp.IsMap())
    for (const auto& kv : comp) c.compliance[kv.first.as<std::string>()] = strings(kv.second);
  if (auto m = n["mitre"]; m && m.IsMap()) {
    c.tactics = mitre_refs(m["tactic"]);
    c.techniques = mitre_refs(m["technique"]);
    c.mitigations = mitre_refs(m["mitigation"]);
  }
  if (!n["condition"]) throw PolicyError("no condition");
  c.condition = parse_condition(scalar(n["condition"]));
  parse_rules(n["rules"], vars, c);
  return c;
}

}  // namespace

std::string_view condition_name(Condition c) {
  switch (c) {
    case Condition::all: return "all";
    case Condition::any: return "any";
    case Condition::none: return "none";
  }
  return "?";
}

void parse_policy(std::string_view text, const std::string& path, PolicySet& out) {
  YAML::Node doc;
  try {
    doc = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    out.problems.push_back({path, "", yaml_error_text(e)});
    return;
  }
  std::string check_id;
  try {
    if (!doc.IsMap()) throw PolicyError("not a YAML map");
    Policy p;
    p.path = path;
    auto meta = doc["policy"];
    if (!meta || !meta.IsMap()) throw PolicyError("no 'policy' section");
    p.id = scalar(meta["id"]);
    if (p.id.empty()) throw PolicyError("policy has no id");
    p.file = scalar(meta["file"]);
    p.name = scalar(meta["name"]);
    p.description = scalar(meta["description"]);
    p.references = strings(meta["references"]);
    Variables vars;
    if (auto v = doc["variables"]; v) {
      if (!v.IsMap()) throw PolicyError("'variables' is not a map");
      for (const auto& kv : v) {
        auto name = kv.first.as<std::string>();
        if (name.empty() || name.front() != '$') throw PolicyError(fmt::format("variable '{}' does not start with '$'", name));
        vars[name] = kv.second.IsSequence() ? fmt::format("{}", fmt::join(strings(kv.second), ",")) : scalar(kv.second);
      }
    }
    if (auto req = doc["requirements"]; req) {
      check_id = "requirements";
      if (!req.IsMap()) throw PolicyError("'requirements' is not a map");
      p.has_requirements = true;
      p.requirements.id = "requirements";
      p.requirements.title = scalar(req["title"]).empty() ? scalar(req["name"]) : scalar(req["title"]);
      p.requirements.condition = parse_condition(scalar(req["condition"]));
      parse_rules(req["rules"], vars, p.requirements);
      if (!p.requirements.unevaluable.empty()) throw PolicyError("requirements: " + p.requirements.unevaluable);
      check_id.clear();
    }
    auto checks = doc["checks"];
    if (!checks || !checks.IsSequence()) throw PolicyError("no 'checks' list");
    std::set<std::string, std::less<>> seen;
    for (const auto& n : checks) {
      check_id = n.IsMap() ? scalar(n["id"]) : "";
      try {
        auto c = parse_check(n, vars);
        if (!seen.insert(c.id).second) throw PolicyError("duplicate check id (the first one is kept)");
        p.checks.push_back(std::move(c));
      } catch (const PolicyError& e) {
        out.problems.push_back({path, check_id, e.what()});
      } catch (const YAML::Exception& e) {
        out.problems.push_back({path, check_id, yaml_error_text(e)});
      }
    }
    check_id.clear();
    // A policy that lost every check (or had none) scores nothing: refused, not a 0-check score.
    if (p.checks.empty()) throw PolicyError("no check could be loaded: nothing to score");
    for (const auto& c : p.checks)
      if (!c.unevaluable.empty()) out.problems.push_back({path, c.id, "cannot be evaluated: " + c.unevaluable});
    out.policies.push_back(std::move(p));
  } catch (const PolicyError& e) {
    out.problems.push_back({path, check_id, e.what()});
  } catch (const YAML::Exception& e) {
    out.problems.push_back({path, check_id, yaml_error_text(e)});
  }
}

PolicySet load_policies(const std::vector<std::string>& paths) {
  PolicySet out;
  auto on_file = [&](const std::string& path, const std::string& text) {
    std::size_t before = out.policies.size();
    parse_policy(text, path, out);
    if (out.policies.size() == before) return;
    const auto& added = out.policies.back();
    for (std::size_t i = 0; i < before; ++i)
      if (out.policies[i].id == added.id) {
        out.problems.push_back(
            {path, "", fmt::format("policy id '{}' is already loaded from {}; this file is skipped", added.id, out.policies[i].path)});
        out.policies.pop_back();
        return;
      }
  };
  for_each_yaml_file(paths, on_file, [&](const std::string& path, std::string_view message) {
    out.problems.push_back({path, "", std::string(message)});
  });
  return out;
}

}  // namespace vigil::audit
