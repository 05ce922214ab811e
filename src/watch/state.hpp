// What vigil watch keeps between runs, in one file of the state directory written atomically
// (write, fsync, rename, fsync the directory): where each log was followed to, the log
// engine's windows and tallies, and the keys of the last findings written - so a kill -9 at
// any moment, then a restart, loses no finding and writes none twice.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/expected.hpp"
#include "watch/spool.hpp"
#include "watch/tail.hpp"

namespace vigil::watch {

struct WatchState {
  std::vector<TailPosition> tails;
  std::string engine;                // logs::LogEngine::save()
  std::deque<std::string> emitted;   // keys of the findings last written, oldest first
  std::string journal_cursor;        // of the last journal entry read
  std::map<std::string, Spool::Mark> spools;  // by sink name: where delivery stopped
  std::vector<std::string> triage_seen;       // fingerprints the periodic triage reported
};

inline constexpr std::size_t kEmittedKept = 4096;

// The state file's bytes, and back; a blob that is not one (corrupt, another version) is an
// error naming what is wrong.
std::string encode_state(const WatchState& s);
expected<WatchState, std::string> decode_state(std::string_view blob);

// A missing file is an empty state.
expected<WatchState, std::string> load_state(const std::string& path);
expected<void, std::string> save_state(const std::string& path, const WatchState& s);

}  // namespace vigil::watch
