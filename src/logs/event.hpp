// A log line normalised into ECS fields, the one shape every parser produces and every
// rule matches. Values are views into the line (or into the parser's scratch space), so an
// event costs no allocation; it lives until the parser reads the next line.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace vigil::logs {

enum class Field : std::uint8_t {
  message,
  process_name,
  process_pid,
  host_hostname,
  source_ip,
  source_port,
  user_name,
  event_action,   // normalised auth action: ssh-login, sudo, user-add, …
  event_outcome,  // success / failure
  http_method,
  url_original,   // the request target as sent: path and query
  url_path,
  url_query,
  http_status,
  http_bytes,
  http_referrer,
  user_agent,
  http_version,
  url_domain,     // the Host header (W3C cs-host)
  destination_ip,
  destination_port,
  user_target,    // sudo/su target user, the account a user-add made
  command_line,   // sudo's COMMAND=; a process's command line
  log_level,
  // process events (vigil watch): Sigma's process_creation and network_connection fields
  process_executable,           // Image
  process_parent_executable,    // ParentImage
  process_parent_command_line,  // ParentCommandLine
  process_working_directory,    // CurrentDirectory
  network_initiated,            // Initiated: "true" for a connect, "false" for an accept
  count_
};
inline constexpr std::size_t kFieldCount = static_cast<std::size_t>(Field::count_);

// The ECS name of each field, in enum order.
std::string_view field_name(Field f);
std::optional<Field> field_by_name(std::string_view ecs_name);

enum class LogFormat : std::uint8_t { syslog, web_access, w3c, json, web_error, unknown };
std::string_view format_name(LogFormat f);

// What kind of log a line came from, or which kind of process event; decides which Sigma
// logsources apply to it.
enum class LogFamily : std::uint8_t { linux_system, web, process_creation, network_connection };
inline constexpr std::size_t kFamilyCount = 4;
std::string_view family_label(LogFamily f);  // "linux system logs", … for messages

struct Event {
  std::array<std::string_view, kFieldCount> fields{};
  std::int64_t time = 0;  // seconds since the epoch (local time of the log read as UTC); 0 unknown
  LogFormat format = LogFormat::unknown;
  LogFamily family = LogFamily::linux_system;
  std::string_view raw;   // the whole line

  std::string_view get(Field f) const { return fields[static_cast<std::size_t>(f)]; }
  void set(Field f, std::string_view v) { fields[static_cast<std::size_t>(f)] = v; }
  bool has(Field f) const { return !get(f).empty(); }
};

}  // namespace vigil::logs
