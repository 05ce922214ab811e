// System log lines: the classic BSD form (`Mmm dd hh:mm:ss host prog[pid]: msg`, with or
// without a <PRI>), the ISO-timestamped traditional form rsyslog writes with high precision
// on, and RFC 5424 (`<PRI>1 TIMESTAMP HOST APP PROCID MSGID SD MSG`). Auth messages of sshd,
// sudo, su, login, useradd and friends are normalised into event.action/outcome, user and
// source fields by parse_auth_message.
#pragma once

#include <cstdint>
#include <string_view>

#include "logs/event.hpp"

namespace vigil::logs {

// The date a classic line's missing year is inferred from (a file's mtime): a line is dated
// in that year unless that would put it after the file was last written (more than a day,
// for time zones), in which case it belongs to the year before.
struct YearReference {
  int year = 1970;
  int month = 12;
  std::int64_t at = 0;  // the reference time itself (epoch seconds); 0: judge by month only
};

bool parse_syslog_line(std::string_view line, const YearReference& ref, Event& e);

// Fills event.action, event.outcome, user.name, source.ip/port, user.target.name and
// process.command_line from an auth message of a known program; leaves the event as it
// is for any other message.
void parse_auth_message(Event& e);

}  // namespace vigil::logs
