#include "logs/journal_entry.hpp"

#include <systemd/sd-journal.h>

#include <cstdint>
#include <ctime>
#include <string_view>

#include <fmt/format.h>

namespace vigil::logs {

std::string journal_entry_line(sd_journal* j) {
  auto field = [&](const char* name) -> std::string_view {
    const void* data = nullptr;
    size_t len = 0;
    if (sd_journal_get_data(j, name, &data, &len) < 0) return {};
    std::string_view v(static_cast<const char*>(data), len);
    auto eq = v.find('=');
    return eq == std::string_view::npos ? std::string_view{} : v.substr(eq + 1);
  };
  std::uint64_t usec = 0;
  sd_journal_get_realtime_usec(j, &usec);
  auto secs = static_cast<std::time_t>(usec / 1000000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  // Each view is copied before the next sd_journal_get_data, which may reuse the buffer.
  std::string ident(field("SYSLOG_IDENTIFIER"));
  if (ident.empty()) ident = field("_COMM");
  std::string pid(field("SYSLOG_PID"));
  if (pid.empty()) pid = field("_PID");
  std::string host(field("_HOSTNAME"));
  std::string line = fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z {} {}", tm.tm_year + 1900, tm.tm_mon + 1,
                                 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, host.empty() ? "-" : host,
                                 ident.empty() ? "-" : ident);
  if (!pid.empty()) line += fmt::format("[{}]", pid);
  line += ": ";
  for (char c : field("MESSAGE")) line += (c == '\n') ? ' ' : c;  // one event, one line
  line += '\n';
  return line;
}

}  // namespace vigil::logs
