// vigil watch: one event loop (epoll over inotify, the journal, a timer and signals) that
// follows logs into the log engine and sends what it finds to its sinks, keeping its state so
// a restart carries on; SIGHUP reloads the config, SIGTERM drains and stops.
#pragma once

#include <functional>
#include <ostream>
#include <vector>

#include "core/expected.hpp"
#include "watch/config.hpp"

namespace vigil::watch {

// Reads the config (the command line's file and overrides): at start and on every SIGHUP.
using ConfigLoader = std::function<expected<WatchConfig, std::vector<ConfigError>>()>;

// Runs until SIGINT or SIGTERM (then saves its state, drains the sinks for up to 5 s and
// returns 0), or an error at start (every one said on `err`, returns 2).
int run_watch(const ConfigLoader& load, std::ostream& err);

// --check-config: reads the config and its rules as a start would, prints every error (or
// what would be watched) and returns 0 when it would start, 2 when not.
int check_watch_config(const ConfigLoader& load, std::ostream& out, std::ostream& err);

}  // namespace vigil::watch
