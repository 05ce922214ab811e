// Triage detectors: pure functions from a snapshot to findings. They never read the system.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "collect/snapshot.hpp"
#include "core/finding.hpp"
#include "detect/context.hpp"

namespace vigil::detect {

Findings detect_processes(const collect::Snapshot& s, const Context& ctx);
Findings detect_network(const collect::Snapshot& s, const Context& ctx);
Findings detect_accounts(const collect::Snapshot& s, const Context& ctx);
Findings detect_logins(const collect::Snapshot& s, const Context& ctx);
Findings detect_persistence(const collect::Snapshot& s, const Context& ctx);
Findings detect_ssh(const collect::Snapshot& s, const Context& ctx);
Findings detect_rootkit(const collect::Snapshot& s, const Context& ctx);
Findings detect_files(const collect::Snapshot& s, const Context& ctx);
Findings detect_collector_issues(const collect::Snapshot& s, const Context& ctx);

// 127.0.0.0/8, ::1 and IPv4-mapped 127.x: a socket address only this host can reach.
bool loopback_address(std::string_view address);

struct Detector {
  std::string_view name;
  Findings (*run)(const collect::Snapshot&, const Context&);
};

// The explicit list of triage detectors, in report order.
std::span<const Detector> triage_detectors();
Findings run_triage(const collect::Snapshot& s, const Context& ctx);

}  // namespace vigil::detect
