// `vigil watch --status`: the running daemon writes what it is doing to STATE_DIR/status.json
// every second (sources with positions and lag, lines and findings per second, sinks with
// their queues and drops, its memory and CPU, the last errors); --status reads it and asks
// the lock whether the daemon still runs.
#pragma once

#include <ostream>
#include <string>

#include <nlohmann/json.hpp>

#include "core/expected.hpp"
#include "core/unique_fd.hpp"

namespace vigil::watch {

// Holds STATE_DIR/watch.lock for the daemon's lifetime: one daemon per state directory.
// The error names the pid that holds it.
expected<UniqueFd, std::string> lock_state_dir(const std::string& state_dir);

// Replaces STATE_DIR/status.json (write and rename: a reader never sees half of it).
void write_status(const std::string& state_dir, const nlohmann::json& status);

// Prints the status as text or (json) the object itself; 0 when the daemon runs, 3 when it
// does not (the last status is still shown), 2 when there is none.
int print_status(const std::string& state_dir, bool json, std::ostream& out, std::ostream& err);

}  // namespace vigil::watch
