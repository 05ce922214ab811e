// The systemd journal sink: each finding as a journal entry with MESSAGE, PRIORITY and vigil's
// fields (VIGIL_RULE_ID, VIGIL_SEVERITY, VIGIL_FINGERPRINT, SOURCE_IP, VIGIL_ECS with the whole
// object), sent with sd_journal_sendv. Its success only means the datagram left; whether
// journald runs is judged from sd_booted and its socket, and while it does not the findings
// wait in the spool.
#include <sys/stat.h>
#include <sys/uio.h>
#include <systemd/sd-journal.h>

#include <cstring>

#include <fmt/format.h>

#include "watch/journal_source.hpp"
#include "watch/sink_kinds.hpp"
#include "watch/spooled_sink.hpp"

namespace vigil::watch {

namespace {

class JournalTransport : public Transport {
 public:
  bool ready(std::string& error) override {
    if (journald_running()) return true;
    error = "journal sink: journald is not running (no /run/systemd/journal/socket)";
    return false;
  }

  Sent send(std::string_view line, std::string& error) override {
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return Sent::too_big;  // not a finding: skipped
    auto text = [&](const char* a, const char* b = nullptr) -> std::string {
      auto it = j.find(a);
      if (it == j.end()) return {};
      if (b) {
        if (!it->is_object()) return {};
        auto jt = it->find(b);
        if (jt == it->end()) return {};
        return jt->is_string() ? jt->get<std::string>() : jt->dump();
      }
      return it->is_string() ? it->get<std::string>() : it->dump();
    };
    std::string severity = text("vigil", "severity");
    int priority = severity == "critical" ? 2 : severity == "high" ? 3 : severity == "medium" ? 4 : severity == "low" ? 5 : 6;
    std::vector<std::string> fields = {
        fmt::format("MESSAGE={}: {}", text("rule", "name"), text("message")),
        fmt::format("PRIORITY={}", priority),
        "SYSLOG_IDENTIFIER=vigil",
        "VIGIL_RULE_ID=" + text("rule", "id"),
        "VIGIL_SEVERITY=" + severity,
        "VIGIL_FINGERPRINT=" + text("vigil", "fingerprint"),
        "VIGIL_ECS=" + std::string(line),
    };
    if (auto ip = text("source", "ip"); !ip.empty()) fields.push_back("SOURCE_IP=" + ip);
    std::vector<iovec> iov;
    for (auto& f : fields) iov.push_back({f.data(), f.size()});
    int r = sd_journal_sendv(iov.data(), static_cast<int>(iov.size()));
    if (r < 0) {
      error = std::string("journal sink: ") + std::strerror(-r);
      return Sent::failed;
    }
    return Sent::ok;
  }
};

}  // namespace

expected<std::unique_ptr<Sink>, std::string> open_journal_sink(const SinkConfig& c, const std::string& state_dir) {
  auto spool = Spool::open(state_dir + "/spool-" + c.name + ".jsonl", static_cast<std::uint64_t>(c.buffer));
  if (!spool) return make_unexpected(spool.error());
  return std::unique_ptr<Sink>(std::make_unique<SpooledSink>(c, std::move(*spool), std::make_unique<JournalTransport>()));
}

}  // namespace vigil::watch
