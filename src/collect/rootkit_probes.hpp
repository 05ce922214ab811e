// rootkit_probes table: what the kernel answers to directly but its listings hide
// (unhide and chkrootkit techniques, done natively), and known rootkit artefacts.
#pragma once

#include <string>
#include <tuple>
#include <vector>

#include "core/collect_issue.hpp"
#include "core/root.hpp"
#include "core/table.hpp"

namespace vigil::collect {

struct RootkitProbeRow {
  std::string probe;   // hidden-process, hidden-port, hidden-module, proc-mount, known-artifact, module-file,
                       // link-count
  std::string target;  // pid, tcp/PORT, module name, path
  std::string detail;  // what answered and what did not
  std::string family;  // known artefacts: the rootkit or worm
  std::string package; // known-artifact and module files: the owning package

  static constexpr std::string_view kTable = "rootkit_probes";
  static constexpr std::array<Column, 5> kColumns{{
      {"probe", "hidden-process, hidden-port, hidden-module, proc-mount (something mounted over /proc/PID), "
                "known-artifact, module-file (an out-of-tree kernel module on disk) or link-count"},
      {"target", "pid, protocol/port, module name or path"},
      {"detail", "what answered directly and what the listing showed"},
      {"family", "known artefacts: the rootkit or worm it belongs to"},
      {"package", "known-artifact and module files: package that owns the path (for an artefact, a name clash)"},
  }};
  auto fields() const { return std::tie(probe, target, detail, family, package); }
};
static_assert(columns_match<RootkitProbeRow>());

struct RootkitProbeOptions {
  std::string known_artifacts;  // text of rules/rootkits/known-artifacts.tsv; "" skips that probe
  std::string known_artifacts_name = "known-artifacts.tsv";
  bool port_probe = true;  // bind() every TCP and UDP port (about half a second)
};

struct RootkitProbeResult {
  std::vector<RootkitProbeRow> rows;
  std::vector<std::string> skipped;  // probes that could not run here, with the reason
};

RootkitProbeResult collect_rootkit_probes(const Root& root, const RootkitProbeOptions& opts, IssueLog& log);

// The hidden-port probe: whether bind() to this port of the wildcard address fails with
// EADDRINUSE; AF_INET6 binds dual-stack [::], which an IPv4 or an IPv6 holder refuses.
bool port_in_use(int family, int type, std::int64_t port);

}  // namespace vigil::collect
