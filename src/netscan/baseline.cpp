#include "netscan/baseline.hpp"

#include <fmt/format.h>

#include "core/text.hpp"

namespace vigil::netscan {

expected<Baseline, std::string> parse_baseline(std::string_view text, std::string_view name) {
  Baseline b;
  std::string error;
  for_each_line(text, [&](std::string_view line, std::size_t no) {
    if (!error.empty()) return;
    if (auto hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
    auto words = split_ws(line);
    if (words.empty()) return;
    auto fail = [&](std::string why) { error = fmt::format("{}:{}: {}", name, no, why); };
    if (words.size() != 2) return fail("expected 'ADDRESS PORT/tcp', got '" + printable(trim(line)) + "'");
    auto host = expand_numeric(words[0], 1);
    if (!host || host->size() != 1) return fail(fmt::format("'{}' is not one numeric address", printable(words[0])));
    auto port_text = words[1];
    std::string transport = "tcp";
    if (auto slash = port_text.find('/'); slash != std::string_view::npos) {
      transport = std::string(port_text.substr(slash + 1));
      if (transport != "tcp" && transport != "udp")
        return fail(fmt::format("'{}': tcp or udp ports", printable(port_text)));
      port_text = port_text.substr(0, slash);
    }
    auto port = to_number<long>(port_text);
    if (!port || *port < 1 || *port > 65535) return fail(fmt::format("'{}' is not a port 1-65535", printable(port_text)));
    b.open.emplace(host->front().address, static_cast<std::uint16_t>(*port), transport);
    b.hosts.insert(host->front().address);
  });
  if (!error.empty()) return make_unexpected(error);
  return b;
}

std::string baseline_text(const std::vector<Target>& targets, const ScanResult& scan, std::string_view when) {
  std::string out = fmt::format("# vigil scan-ports baseline, {}: ADDRESS PORT/tcp (or /udp), one open port a line; edit freely\n",
                                when);
  for (const auto& p : scan.ports) {
    if (p.state != PortState::open) continue;
    const auto& t = targets[p.target];
    out += fmt::format("{} {}/{}", t.address, p.port, p.udp ? "udp" : "tcp");
    if (auto b = banner_text(p.banner, 60); !b.empty() && !p.udp) out += "  # " + b;
    out += "\n";
  }
  return out;
}

}  // namespace vigil::netscan
