// The one output type: what vigil says about a host.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "core/severity.hpp"

namespace vigil {

// Evidence values keep their type so JSON gets numbers for pids and ports.
using EvidenceValue = std::variant<std::string, std::int64_t>;

struct Evidence {
  std::string key;  // ECS field name: process.pid, file.path, source.ip, …
  EvidenceValue value;
};

struct Finding {
  std::string rule;  // stable dotted id: process.deleted-executable
  Severity severity = Severity::info;
  std::string title;
  std::string why;
  std::vector<Evidence> evidence;
  std::string remedy;
  std::vector<std::string> attack;  // MITRE ATT&CK technique ids
  std::string source;               // detector or collector that produced it
  // The evidence keys that name the thing found (a source address, a path and its change);
  // empty: the usual identifying keys present (kIdentityKeys). Volatile evidence (counts,
  // times, samples) never takes part, so the same thing seen again has the same fingerprint.
  std::vector<std::string> identity;

  Finding& add(std::string key, std::string value) {
    evidence.push_back({std::move(key), std::move(value)});
    return *this;
  }
  Finding& add(std::string key, std::int64_t value) {
    evidence.push_back({std::move(key), value});
    return *this;
  }
  // First evidence value under key, rendered as text; empty when absent.
  std::string get(std::string_view key) const;
  // Every value under key (a list in JSON), joined.
  std::string get_all(std::string_view key, std::string_view separator = "; ") const;
  // A stable hash of the rule and the identifying evidence (32 hex digits): a daemon reports
  // a thing once, a store counts how often it recurs, a trigger deduplicates by it.
  std::string fingerprint() const;
};

using Findings = std::vector<Finding>;

// The evidence keys that identify what a finding is about when it does not say.
extern const std::vector<std::string_view> kIdentityKeys;

std::string evidence_text(const EvidenceValue& v);

// Sort by severity (worst first), then rule, then evidence.
void sort_findings(Findings& findings);

}  // namespace vigil
