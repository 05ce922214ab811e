// vigil logs scan: reads the inputs, parses and matches their lines on all cores, then
// follows the matches in log order through the correlations and the per-source tally,
// and turns them into findings (one per rule and source), an attacker table and counts
// of what was read.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/finding.hpp"
#include "logs/event.hpp"
#include "logs/inputs.hpp"
#include "logs/sigma_rule.hpp"

namespace vigil::logs {

struct ScanOptions {
  std::vector<std::string> paths;       // files, directories, "-"
  bool journal = false;
  std::vector<std::string> rule_paths;  // Sigma files or directories
  unsigned jobs = 0;                    // 0: every core
  ReadLimits limits;
  // Built-ins that Sigma cannot express (they need the absence of an event):
  std::uint64_t slow_failures = 5;      // failed logins from a source that never logged in
  bool new_source = true;               // a user's successful login from a source not seen before
};

struct InputReport {
  std::string path;
  LogFormat format = LogFormat::unknown;
  std::uint64_t lines = 0, events = 0, unparsed = 0, directives = 0, blank = 0;
  std::vector<std::pair<std::uint64_t, std::string>> unparsed_samples;  // line number, excerpt
  std::vector<std::string> messages;  // cut lines, binary data, read errors
  bool failed = false, compressed = false;
};

struct Attacker {
  std::string ip;
  std::int64_t first = 0, last = 0;
  std::uint64_t events = 0;           // matched events from this source
  std::uint64_t failures = 0, successes = 0, invalid_users = 0;
  std::map<std::string, std::uint64_t> kinds;  // rule title → matches
  std::set<std::string> users;        // user names tried (at most 20 kept)
  std::uint64_t web_successes = 0;    // attack requests answered 2xx
  std::uint64_t destination_port = 0; // 22 for ssh, 80 for web, when known
  std::string destination_ip;
  bool reported = false;              // some finding names this source
};

// One matched line, for --events.
struct MatchedLine {
  const std::string* path;
  std::uint64_t line;
  std::int64_t time;
  std::vector<const sigma::RuleMeta*> rules;
  std::string_view source_ip;
  std::string_view raw;
};

struct ScanResult {
  Findings findings;
  std::vector<InputReport> inputs;
  std::vector<sigma::LoadProblem> rule_problems;
  std::size_t rule_files = 0, rules_loaded = 0, correlations_loaded = 0;
  std::vector<sigma::RuleMeta> loaded;  // every rule and correlation in use
  std::vector<Attacker> attackers;    // reported sources, most events first
  std::uint64_t lines = 0, events = 0, unparsed = 0, matched_lines = 0;
  std::vector<std::string> errors;    // inputs that do not exist
};

ScanResult scan_logs(const ScanOptions& o, const std::function<void(const MatchedLine&)>& on_match = {});

}  // namespace vigil::logs
