// ECS rendering of findings.
#include "report/ecs.hpp"

#include <fmt/format.h>

#include <ctime>

#include "core/text.hpp"

namespace vigil::report {

using nlohmann::json;

namespace {

json value_json(const EvidenceValue& v) {
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  return std::get<std::int64_t>(v);
}


}  // namespace

// Sets a.b.c = v inside doc; a second value for the same key turns it into an array,
// and a key that would nest under a plain value is kept under vigil.evidence instead.
void set_dotted(json& doc, const std::string& key, json v) {
  json* node = &doc;
  auto parts = split(key, '.');
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
    json& next = (*node)[std::string(parts[i])];
    if (next.is_null()) next = json::object();
    if (!next.is_object()) {
      doc["vigil"]["evidence"][key] = std::move(v);
      return;
    }
    node = &next;
  }
  json& leaf = (*node)[std::string(parts.back())];
  if (leaf.is_null())
    leaf = std::move(v);
  else if (leaf.is_array())
    leaf.push_back(std::move(v));
  else if (leaf.is_object())
    doc["vigil"]["evidence"][key] = std::move(v);
  else
    leaf = json::array({leaf, std::move(v)});
}

json finding_to_ecs(const Finding& f, const collect::HostInfo& host) {
  json j = json::object();
  j["@timestamp"] = iso8601(host.collected_at);
  // An alert, unless the finding says it is an event (what vigil watch's actions did).
  auto kind = f.get("event.kind");
  j["event"] = {{"kind", kind.empty() ? "alert" : kind}, {"module", "vigil"}, {"severity", ecs_severity(f.severity)}};
  j["rule"] = {{"id", f.rule}, {"name", f.title}};
  j["message"] = f.why;
  j["host"] = {{"name", host.hostname}};
  j["vigil"] = {
      {"severity", std::string(to_string(f.severity))}, {"remedy", f.remedy}, {"source", f.source},
      {"fingerprint", f.fingerprint()}};
  if (!f.attack.empty()) {
    j["threat"] = {{"framework", "MITRE ATT&CK"}, {"technique", {{"id", f.attack}}}};
  }
  for (const auto& e : f.evidence)
    if (e.key != "event.kind") set_dotted(j, e.key, value_json(e.value));
  // A change list is a list even when it holds one change.
  if (auto v = j.find("vigil"); v != j.end())
    if (auto c = v->find("changes"); c != v->end() && !c->is_array()) *c = json::array({*c});
  return j;
}

}  // namespace vigil::report
