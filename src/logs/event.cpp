#include "logs/event.hpp"

#include <array>

namespace vigil::logs {

namespace {
constexpr std::array<std::string_view, kFieldCount> kNames = {
    "message",          "process.name",    "process.pid",         "host.hostname",
    "source.ip",        "source.port",     "user.name",           "event.action",
    "event.outcome",    "http.request.method", "url.original",    "url.path",
    "url.query",        "http.response.status_code", "http.response.body.bytes", "http.request.referrer",
    "user_agent.original", "http.version", "url.domain",          "destination.ip",
    "destination.port", "user.target.name", "process.command_line", "log.level",
    "process.executable", "process.parent.executable", "process.parent.command_line",
    "process.working_directory", "network.initiated"};
}

std::string_view family_label(LogFamily f) {
  switch (f) {
    case LogFamily::linux_system: return "linux system logs";
    case LogFamily::web: return "web server logs";
    case LogFamily::process_creation: return "process creation events";
    case LogFamily::network_connection: return "network connection events";
  }
  return "?";
}

std::string_view field_name(Field f) { return kNames[static_cast<std::size_t>(f)]; }

std::optional<Field> field_by_name(std::string_view name) {
  for (std::size_t i = 0; i < kNames.size(); ++i)
    if (kNames[i] == name) return static_cast<Field>(i);
  return std::nullopt;
}

std::string_view format_name(LogFormat f) {
  switch (f) {
    case LogFormat::syslog: return "syslog";
    case LogFormat::web_access: return "web-access";
    case LogFormat::w3c: return "w3c";
    case LogFormat::json: return "json";
    case LogFormat::web_error: return "web-error";
    case LogFormat::unknown: return "unknown";
  }
  return "unknown";
}

}  // namespace vigil::logs
