// The sinks vigil watch has, each opened from its config entry (make_sink chooses).
#pragma once

#include <memory>
#include <string>

#include "core/expected.hpp"
#include "watch/sink.hpp"

namespace vigil::watch {

// Appends JSON lines to a file, synced; rotated by size (PATH.1 … PATH.keep).
expected<std::unique_ptr<Sink>, std::string> open_jsonl_sink(const SinkConfig& c, const std::string& state_dir);
// JSON lines on standard output, through a bounded memory queue (a reader that stops reading
// costs drops, never a stalled daemon).
expected<std::unique_ptr<Sink>, std::string> open_stdout_sink(const SinkConfig& c);
// RFC 5424 messages over UDP, TCP (octet counting, RFC 6587) or a Unix socket, spooled.
expected<std::unique_ptr<Sink>, std::string> open_syslog_sink(const SinkConfig& c, const std::string& state_dir);
// The systemd journal with structured fields, spooled while journald is not there.
expected<std::unique_ptr<Sink>, std::string> open_journal_sink(const SinkConfig& c, const std::string& state_dir);

}  // namespace vigil::watch

namespace vigil::watch {

// The RFC 5424 message for one finding's JSON line (without transport framing).
std::string syslog_message(std::string_view json_line, int facility, const std::string& hostname);

}  // namespace vigil::watch
