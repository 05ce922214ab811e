// Process detectors: where a process runs from, what it calls itself, what its command says.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>

#include "core/rule_catalog.hpp"
#include "core/text.hpp"
#include "detect/detectors.hpp"
#include "detect/paths.hpp"
#include "detect/process_view.hpp"
#include "detect/shell_patterns.hpp"

namespace vigil::detect {

namespace {

constexpr std::string_view kSource = "detect/processes";

struct ToolName {
  std::string_view name;
  Severity severity;
  std::string_view what;
};
// Public offensive tools, by the names their releases use (MITRE ATT&CK Software entries
// S0349 LaZagne, S0002 Mimikatz family, and the public repositories of each tool).
constexpr std::array kTools = std::to_array<ToolName>({
    {"mimipenguin", Severity::high, "credential dumper"},
    {"lazagne", Severity::high, "credential dumper"},
    {"linpeas.sh", Severity::high, "privilege-escalation scanner"},
    {"linpeas", Severity::high, "privilege-escalation scanner"},
    {"linenum.sh", Severity::high, "privilege-escalation scanner"},
    {"les.sh", Severity::high, "privilege-escalation scanner"},
    {"pspy", Severity::high, "process snooper"},
    {"pspy64", Severity::high, "process snooper"},
    {"pspy32", Severity::high, "process snooper"},
    {"xmrig", Severity::high, "cryptocurrency miner"},
    {"kinsing", Severity::high, "cryptomining malware"},
    {"kdevtmpfsi", Severity::high, "cryptomining malware"},
    {"hydra", Severity::high, "password brute-forcer"},
    {"medusa", Severity::high, "password brute-forcer"},
    {"responder", Severity::high, "credential poisoner"},
    {"chisel", Severity::medium, "tunnel"},
    {"ngrok", Severity::medium, "tunnel"},
    {"frpc", Severity::medium, "tunnel"},
    {"frps", Severity::medium, "tunnel"},
    {"iodine", Severity::medium, "DNS tunnel"},
    {"dns2tcp", Severity::medium, "DNS tunnel"},
    {"masscan", Severity::medium, "mass port scanner"},
    {"zmap", Severity::medium, "mass port scanner"},
});

void attacker_tool(const collect::ProcessRow& p, Findings& out) {
  std::string prog = ascii_lower(p.argv.empty() ? p.name : program_name(p.argv[0], p.name));
  std::string exe = ascii_lower(basename_of(p.executable));
  // Scripts run through an interpreter: the script is the first non-option argument.
  std::string script;
  if (is_interpreter(prog) || is_shell(prog))
    for (std::size_t i = 1; i < p.argv.size(); ++i)
      if (!p.argv[i].starts_with('-')) {
        script = ascii_lower(basename_of(p.argv[i]));
        break;
      }
  for (const auto& t : kTools) {
    if (prog != t.name && exe != t.name && script != t.name) continue;
    auto f = make_finding(
        "process.attacker-tool", t.severity, kSource,
        "It is named like " + std::string(t.name) + ", a " + std::string(t.what) + ".");
    add_process_evidence(f, p);
    out.push_back(std::move(f));
    return;
  }
  if (names_mining_pool(p.cmdline)) {
    auto f =
        make_finding("process.attacker-tool", Severity::high, kSource,
                     "Its command line names a mining pool (stratum://): a cryptocurrency miner.");
    add_process_evidence(f, p);
    out.push_back(std::move(f));
  }
}

void shell_from_service(const ProcessView& view, const collect::ProcessRow& p, Findings& out) {
  if (!is_shell(program_name(p.argv.empty() ? "" : p.argv[0], p.name)) &&
      !is_shell(basename_of(p.executable)))
    return;
  // The parent, or the grandparent when a shell runs a shell (sh -c "bash -i").
  const collect::ProcessRow* ancestor = view.find(p.ppid);
  for (int depth = 0; ancestor && depth < 2; ++depth) {
    std::string name =
        program_name(ancestor->argv.empty() ? "" : ancestor->argv[0], ancestor->name);
    if (is_network_service(name) || is_network_service(ancestor->name)) {
      auto f = make_finding("process.shell-from-network-service", Severity::high, kSource,
                            "Its ancestor is " + ancestor->name + ".");
      add_process_evidence(f, p);
      f.add("process.parent.name", ancestor->name);
      f.add("process.parent.executable", ancestor->executable);
      out.push_back(std::move(f));
      return;
    }
    if (!is_shell(name)) return;
    ancestor = view.find(ancestor->ppid);
  }
}

}  // namespace

Findings detect_processes(const collect::Snapshot& s, const Context& ctx) {
  Findings out;
  ProcessView view(s);
  for (const auto& p : s.processes) {
    if (p.kernel_thread || p.self) continue;
    const Place place = place_of(p.executable);
    const bool unowned = view.unowned(p);
    const bool networked = view.networked(p.pid);
    const std::string argv0 = p.argv.empty() ? std::string() : p.argv[0];
    const bool kthread_name = (argv0.size() > 2 && argv0.front() == '[' && argv0.back() == ']') ||
                              (p.name.size() > 2 && p.name.front() == '[' && p.name.back() == ']');

    if (p.deleted) {
      bool upgraded = !p.package.empty() && place == Place::ordinary;
      auto f = make_finding(
          "process.deleted-executable", upgraded ? Severity::low : Severity::high, kSource,
          upgraded ? "A package owns this path, so an upgrade is the likely cause."
                   : "No package owns this path.");
      add_process_evidence(f, p);
      if (upgraded) f.add("package.name", p.package);
      out.push_back(std::move(f));
    }
    if (place != Place::ordinary && !p.fileless && !p.in_container) {
      // A miner from /tmp keeps a core busy: half a core or more for over a minute.
      const bool busy = busy_process(p, ctx.now);
      bool strong = p.deleted || networked || kthread_name || busy;
      std::string why = fmt::format("It runs from {}{}{}.", place_text(place),
                                    strong ? ", and is also deleted, networked, disguised or busy" : "",
                                    busy ? fmt::format(" (it has used {}% of a core since it started)",
                                                       cpu_percent(p, ctx.now))
                                         : "");
      Severity sev;
      if (place == Place::home_dotdir)  // pyenv, nvm, cargo, ~/.local: one weak signal
        sev = p.deleted || kthread_name ? Severity::medium : Severity::low;
      else
        sev = strong ? Severity::high : Severity::medium;
      auto f = make_finding(place == Place::temp ? "process.temp-executable" : "process.hidden-dir-executable", sev,
                            kSource, why);
      add_process_evidence(f, p);
      out.push_back(std::move(f));
    }
    if (p.fileless) {
      // Alone it is one signal (runc and some sandboxes re-exec from sealed memfds);
      // with a network socket or a shell's name it is an implant.
      std::string prog = program_name(argv0, p.name);
      bool strong = networked || is_shell(prog) || is_interpreter(prog) || kthread_name;
      auto f = make_finding("process.fileless", strong ? Severity::high : Severity::medium, kSource,
                            strong ? "It also holds network connections or runs a shell." : "");
      add_process_evidence(f, p);
      out.push_back(std::move(f));
    }
    // What a shell or interpreter runs: a script deleted after it started (a dropper that
    // cleans up), or one kept in a temporary or hidden directory.
    if (!p.script.empty() && !p.in_container) {
      const Place where = place_of(p.script);
      if (p.script_deleted || hides_tools(where)) {
        bool strong = networked || (p.script_deleted && where != Place::ordinary);
        Severity sev = p.script_deleted ? Severity::high : Severity::medium;
        if (strong) sev = p.script_deleted ? Severity::critical : Severity::high;
        auto f = make_finding("process.suspicious-script", sev, kSource,
                              fmt::format("Its script {}{}{}.", p.script_deleted ? "was deleted" : "lives in ",
                                          p.script_deleted ? "" : place_text(where),
                                          networked ? ", and it holds network connections" : ""));
        add_process_evidence(f, p);
        f.add("file.path", p.script);
        out.push_back(std::move(f));
      }
    }
    if (kthread_name) {
      auto f = make_finding("process.kernel-thread-masquerade", Severity::high, kSource);
      add_process_evidence(f, p);
      out.push_back(std::move(f));
    } else if (unowned) {
      std::string prog = program_name(argv0, p.name);
      std::string exe = basename_of(p.executable);
      if (is_system_daemon_name(prog) || is_system_daemon_name(p.name) ||
          is_system_daemon_name(exe)) {
        auto f = make_finding("process.name-masquerade", Severity::high, kSource);
        add_process_evidence(f, p);
        out.push_back(std::move(f));
      }
    }
    if (auto why = reverse_shell_reason(p.argv, p.name, p.executable, p.cmdline)) {
      auto f =
          make_finding("process.reverse-shell", Severity::critical, kSource, "Here: " + *why + ".");
      add_process_evidence(f, p);
      out.push_back(std::move(f));
    }
    attacker_tool(p, out);
    shell_from_service(view, p, out);
    if (unowned && !p.copy_of.empty() && basename_of(p.copy_of) != basename_of(p.executable)) {
      std::string orig_name = basename_of(p.copy_of);
      bool dangerous = is_netcat_like(orig_name) || is_shell(orig_name);
      auto f = make_finding("process.renamed-system-binary",
                            dangerous ? Severity::critical : Severity::high, kSource,
                            "It is identical to " + p.copy_of + ".");
      add_process_evidence(f, p);
      f.add("file.path", p.copy_of);
      out.push_back(std::move(f));
    }
  }
  return out;
}

}  // namespace vigil::detect
