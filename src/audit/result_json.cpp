#include "audit/result_json.hpp"

#include <fmt/format.h>

namespace vigil::audit {

namespace {

Status parse_status(const std::string& s) {
  if (s == "passed") return Status::passed;
  if (s == "failed") return Status::failed;
  if (s == "not applicable") return Status::not_applicable;
  throw std::runtime_error(fmt::format("unknown result '{}'", s));
}

nlohmann::json score_json(const Score& s) {
  return {{"passed", s.passed},
          {"failed", s.failed},
          {"not_applicable", s.not_applicable},
          {"score", std::round(s.percent() * 10) / 10}};
}

}  // namespace

std::string json_text(const nlohmann::json& j, int indent) {
  return j.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

nlohmann::json check_to_json(const CheckResult& c) {
  nlohmann::json j = {{"policy", c.policy_id}, {"id", c.check_id},   {"title", c.title},
                      {"result", status_name(c.status)}, {"evidence", c.evidence}, {"condition", c.condition},
                      {"rules", c.rules},       {"rationale", c.rationale}, {"remediation", c.remediation},
                      {"references", c.references}, {"mitre", c.mitre}, {"compliance", c.compliance}};
  if (!c.reason.empty()) j["reason"] = c.reason;
  return j;
}

nlohmann::json result_to_json(const AuditResult& r) {
  nlohmann::json policies = nlohmann::json::array();
  for (const auto& p : r.policies) {
    nlohmann::json checks = nlohmann::json::array();
    for (const auto& c : p.checks) checks.push_back(check_to_json(c));
    nlohmann::json pj = {{"id", p.id}, {"name", p.name}, {"description", p.description}, {"file", p.file},
                         {"ran", p.ran}, {"summary", score_json(p.score())}, {"checks", std::move(checks)}};
    if (!p.ran) pj["skipped"] = p.skipped_why;
    policies.push_back(std::move(pj));
  }
  nlohmann::json problems = nlohmann::json::array();
  for (const auto& pr : r.problems) problems.push_back({{"file", pr.file}, {"check", pr.check}, {"message", pr.message}});
  return {{"tool", "vigil audit"},
          {"hostname", r.hostname},
          {"root", r.root},
          {"live", r.live},
          {"started_at", r.started_at},
          {"seconds", std::round(r.seconds * 1000) / 1000},
          {"summary", score_json(r.score())},
          {"suppressed", r.suppressed},
          {"policies", std::move(policies)},
          {"problems", std::move(problems)}};
}

expected<AuditResult, std::string> result_from_json(std::string_view text) {
  try {
    auto j = nlohmann::json::parse(text);
    if (!j.is_object() || j.value("tool", "") != "vigil audit")
      return make_unexpected("not a vigil audit result (run `vigil audit --format json`)");
    AuditResult r;
    r.hostname = j.value("hostname", "");
    r.root = j.value("root", "/");
    r.live = j.value("live", true);
    r.started_at = j.value("started_at", std::int64_t{0});
    r.seconds = j.value("seconds", 0.0);
    r.suppressed = j.value("suppressed", std::size_t{0});
    for (const auto& pj : j.at("policies")) {
      PolicyResult p;
      p.id = pj.at("id").get<std::string>();
      p.name = pj.value("name", "");
      p.description = pj.value("description", "");
      p.file = pj.value("file", "");
      p.ran = pj.value("ran", true);
      p.skipped_why = pj.value("skipped", "");
      for (const auto& cj : pj.at("checks")) {
        CheckResult c;
        c.policy_id = p.id;
        c.check_id = cj.at("id").get<std::string>();
        c.title = cj.value("title", "");
        c.status = parse_status(cj.at("result").get<std::string>());
        c.reason = cj.value("reason", "");
        c.evidence = cj.value("evidence", std::vector<std::string>{});
        c.condition = cj.value("condition", "");
        c.rules = cj.value("rules", std::vector<std::string>{});
        c.rationale = cj.value("rationale", "");
        c.remediation = cj.value("remediation", "");
        c.references = cj.value("references", std::vector<std::string>{});
        c.mitre = cj.value("mitre", std::vector<std::string>{});
        c.compliance = cj.value("compliance", "");
        p.checks.push_back(std::move(c));
      }
      r.policies.push_back(std::move(p));
    }
    return r;
  } catch (const std::exception& e) {
    return make_unexpected(fmt::format("not a readable audit result: {}", e.what()));
  }
}

}  // namespace vigil::audit
