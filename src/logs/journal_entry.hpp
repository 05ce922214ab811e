// One systemd journal entry as the syslog line vigil's parsers read
// ("2026-12-07T05:16:29Z host sshd[812]: message", newlines in the message made spaces): the
// batch reader (`vigil logs scan --journal`) and the watch journal source give the same text.
#pragma once

#include <string>

struct sd_journal;

namespace vigil::logs {

// The entry `j` points at; ends with a newline.
std::string journal_entry_line(sd_journal* j);

}  // namespace vigil::logs
