// Where vigil watch sends findings: one interface over the JSONL file, stdout, syslog and the
// journal. The loop hands each sink the findings it selects (ECS objects) and pumps it on every
// tick; a sink never blocks the loop — what it cannot deliver now waits in its queue (memory
// for stdout, a spool file for the network and the journal), bounded, with drops counted.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/expected.hpp"
#include "watch/config.hpp"
#include "watch/spool.hpp"

namespace vigil::watch {

// What makes a written finding the same one again after a replay: its fingerprint and, for
// windowed detections, when the window began (event.start).
std::string finding_key(const nlohmann::json& ecs);

struct SinkStats {
  std::uint64_t accepted = 0;   // findings handed to the sink
  std::uint64_t delivered = 0;  // findings it wrote or sent
  std::uint64_t dropped = 0;    // findings lost to a full queue
  std::uint64_t queued = 0;     // findings waiting
  bool up = true;               // the receiver was reachable at the last try
  std::string last_error;
};

class Sink {
 public:
  explicit Sink(SinkConfig c) : config_(std::move(c)) {}
  virtual ~Sink() = default;
  Sink(const Sink&) = delete;
  Sink& operator=(const Sink&) = delete;

  const SinkConfig& config() const { return config_; }
  // Takes findings in order. An error means they were not kept (a full disk): the loop says so.
  virtual expected<void, std::string> accept(const std::vector<nlohmann::json>& objects) = 0;
  // Delivers what waits, as far as the receiver takes it now without blocking.
  virtual void pump() {}
  // On SIGTERM: keep delivering until `deadline_ms` (monotonic) or nothing waits.
  virtual void drain(std::int64_t deadline_ms);
  // Keys of the findings this sink recorded that a crash may have kept from the state.
  virtual std::vector<std::string> recent_keys() const { return {}; }
  // The state was saved: a spool may drop what it delivered. True when the progress changed
  // (the loop saves the state again).
  virtual bool committed() { return false; }
  // Persisted progress (where a spool's delivery stopped), restored after a restart.
  virtual Spool::Mark progress() const { return {}; }
  virtual void restore(Spool::Mark /*progress*/) {}
  const SinkStats& stats() const { return stats_; }
  // Drops not yet reported as a finding, and forget them.
  std::uint64_t take_new_drops();

 protected:
  SinkConfig config_;
  SinkStats stats_;
  std::uint64_t drops_reported_ = 0;
};

// Opens the sink a config entry describes; `state_dir` holds its spool.
expected<std::unique_ptr<Sink>, std::string> make_sink(const SinkConfig& c, const std::string& state_dir);

// Reads the keys of the JSON lines in the last `tail_bytes` of `path` (for recent_keys).
std::vector<std::string> keys_in_file_tail(const std::string& path, std::size_t tail_bytes = std::size_t{1} << 20);

// Writes all of `bytes` to `fd` (EINTR retried); false with errno set otherwise.
bool write_all(int fd, std::string_view bytes);

}  // namespace vigil::watch
