// What both scans (files, process memory) share: libyara's match callback, and a pool of
// threads each with its own YR_SCANNER taking the next item until none is left.
#pragma once

#include <yara.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

#include "core/collect_issue.hpp"
#include "scan/yara_match.hpp"
#include "scan/yara_rules.hpp"

namespace vigil::scan {

struct MatchCollector {
  std::vector<YaraMatch> matches;
};

// For yr_scanner_set_callback(scanner, collect_matches, &collector).
int collect_matches(YR_SCAN_CONTEXT* ctx, int message, void* data, void* user);

// Calls scan_one(scanner, collector, index, found, issues) for every index below `count` on
// `jobs` threads (0: every core), each with its own scanner (time limit `timeout` seconds,
// the external variables defined empty); the findings and issues are gathered into `out`
// and `issues`.
template <class ScanOne>
void parallel_scan(const YaraRules& rules, std::size_t count, unsigned jobs, int timeout, ScanOne&& scan_one,
                   Findings& out, IssueLog& issues) {
  std::atomic<std::size_t> next{0};
  std::mutex mu;
  jobs = jobs ? jobs : std::max(1u, std::thread::hardware_concurrency());
  jobs = static_cast<unsigned>(std::min<std::size_t>(jobs, std::max<std::size_t>(1, count)));
  auto worker = [&] {
    YR_SCANNER* scanner = nullptr;
    if (yr_scanner_create(rules.get(), &scanner) != ERROR_SUCCESS) return;
    MatchCollector collector;
    yr_scanner_set_callback(scanner, collect_matches, &collector);
    yr_scanner_set_timeout(scanner, timeout);
    for (const char* name : kExternals) yr_scanner_define_string_variable(scanner, name, "");
    Findings found;
    IssueLog local;
    for (std::size_t i = next++; i < count; i = next++) {
      collector.matches.clear();
      scan_one(scanner, collector, i, found, local);
    }
    yr_scanner_destroy(scanner);
    std::lock_guard lk(mu);
    for (auto& f : found) out.push_back(std::move(f));
    for (auto& issue : local.issues()) issues.issues().push_back(std::move(issue));
  };
  std::vector<std::thread> pool;
  for (unsigned i = 0; i < jobs; ++i) pool.emplace_back(worker);
  for (auto& t : pool) t.join();
}

}  // namespace vigil::scan
