// vigil logs scan: the batch driver over the log pieces. It expands the inputs, cuts each
// into blocks of lines (LineCutter), matches the blocks on every core (LineMatcher) and feeds
// them in log order to one LogEngine, whose finish() gives the findings (one per rule and
// source), the attacker table, and counts of what was read.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/finding.hpp"
#include "logs/engine.hpp"
#include "logs/event.hpp"
#include "logs/inputs.hpp"
#include "logs/rules.hpp"

namespace vigil::logs {

struct ScanOptions {
  std::vector<std::string> paths;       // files, directories, "-"
  bool journal = false;
  std::vector<std::string> rule_paths;  // Sigma files or directories
  unsigned jobs = 0;                    // 0: every core
  ReadLimits limits;
  EngineOptions engine;
  // Told of each input as its reading starts (a progress line); on the calling thread.
  std::function<void(const std::string& path, std::size_t index, std::size_t count)> on_input = {};
};

struct InputReport {
  std::string path;
  LogFormat format = LogFormat::unknown;
  std::uint64_t lines = 0, events = 0, unparsed = 0, directives = 0, blank = 0;
  std::vector<std::pair<std::uint64_t, std::string>> unparsed_samples;  // line number, excerpt
  std::vector<std::string> messages;  // cut lines, binary data, read errors
  bool failed = false, compressed = false, binary = false;
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

// Loads o.rule_paths, then scans.
ScanResult scan_logs(const ScanOptions& o, const LogEngine::MatchSink& on_match = {});
// With rules already loaded.
ScanResult scan_logs(const LogRules& rules, const ScanOptions& o, const LogEngine::MatchSink& on_match = {});

}  // namespace vigil::logs
