// Finding helpers.
#include "core/finding.hpp"

#include <algorithm>
#include <string>

#include "core/hash.hpp"

namespace vigil {

std::string evidence_text(const EvidenceValue& v) {
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  return std::to_string(std::get<std::int64_t>(v));
}

std::string Finding::get(std::string_view key) const {
  for (const auto& e : evidence)
    if (e.key == key) return evidence_text(e.value);
  return {};
}

std::string Finding::get_all(std::string_view key, std::string_view separator) const {
  std::string out;
  for (const auto& e : evidence)
    if (e.key == key) {
      if (!out.empty()) out += separator;
      out += evidence_text(e.value);
    }
  return out;
}

const std::vector<std::string_view> kIdentityKeys = {
    "process.pid",      "process.start",    "process.executable", "process.command_line", "process.tty.name",
    "file.path",        "file.inode",       "source.ip",          "source.address",       "destination.ip",
    "destination.port", "network.transport", "user.name",         "user.id",              "package.name",
    "vigil.kernel.module", "vigil.persistence.kind", "vigil.rootkit.family", "vigil.record.index",
    "observer.ingress.interface.name", "check.id", "policy"};

std::string Finding::fingerprint() const {
  // Length-prefixed fields, so no two different identities serialise alike.
  std::string text;
  auto put = [&](std::string_view v) {
    text += std::to_string(v.size());
    text += ':';
    text += v;
  };
  put(rule);
  for (const auto& e : evidence) {
    bool identifying = identity.empty()
                           ? std::find(kIdentityKeys.begin(), kIdentityKeys.end(), e.key) != kIdentityKeys.end()
                           : std::find(identity.begin(), identity.end(), e.key) != identity.end();
    if (!identifying) continue;
    put(e.key);
    put(evidence_text(e.value));
  }
  return sha256_hex(text).substr(0, 32);
}

void sort_findings(Findings& findings) {
  std::stable_sort(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) {
    if (a.severity != b.severity) return a.severity > b.severity;
    return a.rule < b.rule;
  });
}

}  // namespace vigil
