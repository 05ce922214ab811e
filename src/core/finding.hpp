// The one output type: what vigil says about a host.
#pragma once

#include <cstdint>
#include <string>
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
};

using Findings = std::vector<Finding>;

std::string evidence_text(const EvidenceValue& v);

// Sort by severity (worst first), then rule, then evidence.
void sort_findings(Findings& findings);

}  // namespace vigil
