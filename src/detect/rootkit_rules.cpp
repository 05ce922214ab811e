// Rootkit detectors: each probe difference is a finding; known artefacts only when no
// package owns the path (a package owning it is a name clash, not a rootkit).
#include <algorithm>

#include "core/rule_catalog.hpp"
#include "detect/detectors.hpp"

namespace vigil::detect {

Findings detect_rootkit(const collect::Snapshot& s, const Context&) {
  constexpr std::string_view kSource = "detect/rootkit";
  const bool have_packages = s.packages && s.packages->knows_ownership();
  Findings out;
  for (const auto& r : s.rootkit_probes) {
    Finding f;
    if (r.probe == "hidden-process") {
      f = make_finding("rootkit.hidden-process", Severity::critical, kSource, "Here: " + r.detail + ".");
      f.add("process.pid", std::stoll(r.target));
    } else if (r.probe == "hidden-port") {
      f = make_finding("rootkit.hidden-port", Severity::high, kSource);
      auto slash = r.target.find('/');
      auto proto = r.target.substr(0, slash);  // tcp, udp, tcp6, udp6
      bool v6 = proto.ends_with('6');
      f.add("network.transport", v6 ? proto.substr(0, proto.size() - 1) : proto);
      f.add("network.type", v6 ? "ipv6" : "ipv4");
      f.add("destination.port", std::stoll(r.target.substr(slash + 1)));
    } else if (r.probe == "hidden-module") {
      f = make_finding("rootkit.hidden-module", Severity::critical, kSource);
      f.add("vigil.kernel.module", r.target);
    } else if (r.probe == "known-artifact") {
      if (!r.package.empty()) continue;
      const bool loaded = !r.target.starts_with('/');  // a module name; otherwise a path
      const bool module = loaded || r.detail.starts_with("kernel module file");
      f = make_finding("rootkit.known-artifact", module ? Severity::critical : Severity::high, kSource,
                       "It belongs to " + r.family + ".");
      f.add(loaded ? "vigil.kernel.module" : "file.path", r.target);
      f.add("vigil.rootkit.family", r.family);
    } else if (r.probe == "proc-mount") {
      f = make_finding("rootkit.proc-mount", Severity::critical, kSource, "Here " + r.detail + ".");
      f.add("process.pid", std::stoll(r.target));
    } else if (r.probe == "module-file") {
      // DKMS builds its modules for each kernel; no package owns the result.
      if (!r.package.empty() || r.detail.ends_with("built by DKMS") || !have_packages) continue;
      bool loaded_at_boot = false;
      auto name = r.detail.substr(r.detail.rfind(' ') + 1);
      for (const auto& p : s.persistence)
        if (p.kind == "kernel-module") {
          std::string m = p.command;
          std::replace(m.begin(), m.end(), '-', '_');
          loaded_at_boot = loaded_at_boot || m == name;
        }
      f = make_finding("rootkit.unowned-module", loaded_at_boot ? Severity::high : Severity::medium, kSource,
                       loaded_at_boot ? "A modules-load.d or /etc/modules entry loads it at every boot." : "");
      f.add("file.path", r.target);
      f.add("vigil.kernel.module", name);
    } else if (r.probe == "link-count") {
      f = make_finding("rootkit.link-count", Severity::high, kSource, "Here the " + r.detail + ".");
      f.add("file.path", r.target);
    } else {
      continue;
    }
    f.add("vigil.probe.detail", r.detail);
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace vigil::detect
