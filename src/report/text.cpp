// The human report: summary header, findings by severity, then the inventory.
#include "core/text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "report/ecs.hpp"
#include "report/report.hpp"

namespace vigil::report {

namespace {

constexpr std::array<std::string_view, 5> kColors = {"\033[2m", "\033[36m", "\033[33m", "\033[31m",
                                                     "\033[1;41;97m"};
constexpr std::string_view kReset = "\033[0m";
constexpr std::string_view kBold = "\033[1m";

struct Painter {
  bool on;
  std::string sev(Severity s, std::string_view text) const {
    return on ? fmt::format("{}{}{}", kColors[static_cast<int>(s)], text, kReset)
              : std::string(text);
  }
  std::string bold(std::string_view text) const {
    return on ? fmt::format("{}{}{}", kBold, text, kReset) : std::string(text);
  }
};

std::string uptime_text(std::int64_t s) {
  if (s <= 0) return "n/a";
  auto d = s / 86400, h = s % 86400 / 3600, m = s % 3600 / 60;
  return d > 0 ? fmt::format("{}d {}h", d, h) : fmt::format("{}h {}m", h, m);
}

std::string upper(std::string_view s) {
  std::string u(s);
  std::transform(u.begin(), u.end(), u.begin(), [](unsigned char c) { return std::toupper(c); });
  return u;
}

// Long values (a 4 kB command line) are cut for the terminal; JSON keeps them whole.
std::string shorten(std::string v, std::size_t max = 160) {
  if (v.size() <= max) return v;
  std::size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(v[cut]) & 0xC0) == 0x80) --cut;  // UTF-8 boundary
  v.resize(cut);
  return v + "…";
}

std::string evidence_line(const Finding& f) {
  std::string line;
  for (const auto& e : f.evidence) {
    if (!line.empty()) line += "  ";
    line += e.key + "=" + shorten(evidence_text(e.value));
  }
  return line;
}

void header(const TriageReport& r, const Painter& p, std::ostream& out) {
  const auto& h = r.snapshot->host;
  out << p.bold(r.title) << " — " << h.hostname;
  if (!h.os.empty()) out << " (" << h.os << ")";
  if (!h.live) out << " — image at " << h.root;
  out << "\n";
  if (h.live) out << fmt::format("kernel {}, up {}, ", h.kernel, uptime_text(h.uptime_seconds));
  out << iso8601(h.collected_at) << fmt::format(", {:.2f} s\n", r.seconds);
  if (!r.subtitle.empty()) out << r.subtitle << "\n";
  auto c = r.counts();
  out << "findings:";
  for (int i = 4; i >= 0; --i)
    out << " "
        << p.sev(static_cast<Severity>(i), fmt::format("{} {}", c[static_cast<std::size_t>(i)],
                                                       to_string(static_cast<Severity>(i))))
        << (i ? " ·" : "");
  if (r.suppressed) out << fmt::format("   ({} suppressed)", r.suppressed);
  out << "\n";
  if (!r.snapshot->skipped.empty()) {
    out << "not collected from an image (live only):";
    for (const auto& t : r.snapshot->skipped) out << " " << t;
    out << "\n";
  }
  for (const auto& p : r.snapshot->probes_skipped) out << "probe skipped: " << p << "\n";
  out << "\n";
}

void findings(const TriageReport& r, const Painter& p, std::ostream& out) {
  bool info_header = false;
  const Finding* previous = nullptr;
  for (const auto& f : r.findings) {
    if (f.severity == Severity::info) {
      // Info is context, not alarm: one line each.
      if (!info_header) {
        if (previous) out << "\n";
        previous = nullptr;
        out << p.bold("Context (info)") << "\n";
        info_header = true;
      }
      out << "  " << f.rule << "  " << evidence_line(f) << "\n";
      continue;
    }
    // Findings of one rule and severity share their explanation: say it once, then one
    // "what" line per instance.
    bool same = previous && previous->rule == f.rule && previous->severity == f.severity;
    if (same) {
      out << "          what: " << evidence_line(f) << "\n";
      previous = &f;
      continue;
    }
    if (previous) out << "\n";
    std::string sev = p.sev(f.severity, fmt::format("{:<8}", upper(to_string(f.severity))));
    out << sev << "  " << p.bold(f.title) << "  [" << f.rule << "]\n";
    out << "          why:  " << f.why << "\n";
    out << "          do:   " << f.remedy << "\n";
    if (!f.attack.empty()) {
      out << "          ATT&CK";
      for (const auto& a : f.attack) out << " " << a;
      out << "\n";
    }
    out << "          what: " << evidence_line(f) << "\n";
    previous = &f;
  }
  if (previous) out << "\n";
  if (r.findings.empty()) out << "No findings.\n";
  if (info_header) out << "\n";
}

void inventory(const TriageReport& r, const Painter& p, std::ostream& out) {
  const auto& s = *r.snapshot;
  out << p.bold("Inventory") << "\n";
  if (s.host.live) {
    std::map<std::int64_t, const collect::ProcessRow*> by_pid;
    for (const auto& pr : s.processes) by_pid[pr.pid] = &pr;
    std::vector<const collect::SocketRow*> listen, established;
    for (const auto& so : s.sockets) {
      if (so.listening() && !so.protocol.starts_with("raw"))
        listen.push_back(&so);
      else if (so.state == "ESTABLISHED")
        established.push_back(&so);
    }
    std::sort(listen.begin(), listen.end(), [](auto* a, auto* b) {
      return std::tie(a->local_port, a->protocol) < std::tie(b->local_port, b->protocol);
    });
    out << fmt::format("  Listening ports ({})\n", listen.size());
    out << fmt::format("    {:<6} {:<28} {:>7} {:>7}  {:<16} {:<34} {}\n", "PROTO", "ADDRESS",
                       "PORT", "PID", "PROGRAM", "EXECUTABLE", "PACKAGE");
    for (const auto* so : listen) {
      auto it = by_pid.find(so->pid);
      std::string pkg = it == by_pid.end() ? ""
                        : it->second->package.empty() && !it->second->in_container
                            ? "(none)"
                            : it->second->package;
      out << fmt::format(
          "    {:<6} {:<28} {:>7} {:>7}  {:<16} {:<34} {}\n", so->protocol, so->local_address,
          so->local_port, so->pid < 0 ? std::string("?") : std::to_string(so->pid),
          so->pid < 0 ? std::string("(owner not visible)") : so->process, so->executable, pkg);
    }
    out << fmt::format("  Established connections ({})\n", established.size());
    for (std::size_t i = 0; i < established.size() && i < 15; ++i) {
      const auto* so = established[i];
      out << fmt::format("    {:<6} {}:{} -> {}:{}  {} {}\n", so->protocol, so->local_address,
                         so->local_port, so->remote_address, so->remote_port,
                         so->pid < 0 ? std::string("?") : std::to_string(so->pid), so->process);
    }
    if (established.size() > 15)
      out << fmt::format("    … {} more (--format json for all)\n", established.size() - 15);
    std::size_t kthreads = std::count_if(s.processes.begin(), s.processes.end(),
                                         [](auto& x) { return x.kernel_thread; });
    std::size_t unowned = std::count_if(s.processes.begin(), s.processes.end(), [&](auto& x) {
      return !x.kernel_thread && !x.in_container && x.package.empty() && !x.executable.empty();
    });
    out << fmt::format(
        "  Processes: {} ({} kernel threads, {} running executables no package owns)\n",
        s.processes.size(), kthreads, unowned);
    std::string promisc;
    for (const auto& i : s.interfaces)
      if (i.promiscuous) promisc += " " + i.name;
    out << fmt::format("  Interfaces: {}{}\n", s.interfaces.size(),
                       promisc.empty() ? "" : ", promiscuous:" + promisc);
  }
  std::string logged;
  for (const auto& rec : s.logins.records)
    if (rec.file == "utmp" && rec.type == "USER_PROCESS")
      logged +=
          fmt::format(" {}@{}({})", rec.user, rec.line, rec.host.empty() ? "local" : rec.host);
  out << "  Logged in now:" << (logged.empty() ? " nobody" : logged) << "\n";
  std::string can_login;
  for (const auto& u : s.accounts.users)
    if (u.login_shell && (u.password == "set" || u.password == "empty" || u.password == "unknown"))
      can_login += " " + u.name;
  out << fmt::format("  Accounts: {} ({} groups, {} sudo rules); with a shell and a password:{}\n",
                     s.accounts.users.size(), s.accounts.groups.size(),
                     s.accounts.sudo_rules.size(), can_login.empty() ? " none" : can_login);
  std::size_t unowned_items = std::count_if(s.persistence.begin(), s.persistence.end(),
                                            [](const auto& x) { return x.package.empty(); });
  out << fmt::format("  Start-up items: {} ({} in files no package owns)\n", s.persistence.size(), unowned_items);
  out << fmt::format("  Packages: {} ({} packages)\n", s.packages->format(),
                     s.packages->package_count());
}

}  // namespace

void render_text(const TriageReport& r, const TextOptions& opts, std::ostream& out) {
  Painter p{opts.color};
  header(r, p, out);
  findings(r, p, out);
  if (opts.inventory) inventory(r, p, out);
}

}  // namespace vigil::report
