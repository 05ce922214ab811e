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

namespace {

// Leaves the finding's own fields and the document's fixed ones are not evidence.
bool fixed_key(std::string_view key) {
  for (std::string_view k : {"@timestamp", "event.module", "event.severity", "rule.id", "rule.name", "message", "host.name",
                             "vigil.severity", "vigil.remedy", "vigil.source", "vigil.fingerprint", "threat.framework",
                             "threat.technique.id"})
    if (key == k) return true;
  return false;
}

void flatten(const json& node, const std::string& key, Finding& f) {
  if (node.is_object()) {
    for (const auto& [k, v] : node.items()) flatten(v, key.empty() ? k : key + "." + k, f);
  } else if (node.is_array()) {
    for (const auto& v : node) flatten(v, key, f);
  } else if (!fixed_key(key) && !(key == "event.kind" && node == "alert")) {
    if (node.is_number_integer()) f.add(key, node.get<std::int64_t>());
    else if (node.is_string()) f.add(key, node.get<std::string>());
    else if (!node.is_null()) f.add(key, node.dump());
  }
}

std::string text_at(const json& doc, std::initializer_list<const char*> path) {
  const json* n = &doc;
  for (const char* k : path) {
    if (!n->is_object() || !n->contains(k)) return {};
    n = &(*n)[k];
  }
  return n->is_string() ? n->get<std::string>() : std::string();
}

}  // namespace

Finding finding_from_ecs(const json& doc, std::string* fingerprint) {
  Finding f;
  f.rule = text_at(doc, {"rule", "id"});
  f.title = text_at(doc, {"rule", "name"});
  f.why = text_at(doc, {"message"});
  f.remedy = text_at(doc, {"vigil", "remedy"});
  f.source = text_at(doc, {"vigil", "source"});
  f.severity = parse_severity(text_at(doc, {"vigil", "severity"})).value_or(Severity::info);
  if (auto t = doc.find("threat"); t != doc.end() && t->is_object())
    if (auto tech = t->find("technique"); tech != t->end() && tech->is_object())
      if (auto ids = tech->find("id"); ids != tech->end() && ids->is_array())
        for (const auto& id : *ids)
          if (id.is_string()) f.attack.push_back(id.get<std::string>());
  if (doc.is_object()) flatten(doc, "", f);
  if (fingerprint) *fingerprint = text_at(doc, {"vigil", "fingerprint"});
  return f;
}

}  // namespace vigil::report
