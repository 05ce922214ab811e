// A YARA match as vigil reports it: a Finding whose rule is yara.<rule>, whose severity,
// title, ATT&CK techniques and reference come from the rule's metadata (vigil's own rules:
// severity, description, attack, reference, id; signature-base's score 0-100 also counts),
// and whose evidence names the matched strings and their offsets.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/finding.hpp"

namespace vigil::scan {

struct YaraMatch {
  std::string rule;       // identifier
  std::string ns;         // namespace ("default" for most)
  std::vector<std::pair<std::string, std::string>> meta;  // metadata, every value as text
  std::vector<std::pair<std::string, std::uint64_t>> strings;  // identifier, offset (the first few)
  std::size_t string_matches = 0;  // all of them
};

inline constexpr std::size_t kStringsKept = 8;

// The finding for a match; the caller adds what was scanned (file.* or process.*).
Finding yara_finding(const YaraMatch& m);
// The severity a rule's metadata gives: `severity` (info … critical), else signature-base's
// `score` (80+ high, 60+ medium, 40+ low, below info), else medium.
Severity meta_severity(const YaraMatch& m);

}  // namespace vigil::scan
