// vigil watch's record of the kernel's events: each exec, connect, bind and accept becomes a
// row of process_events or socket_events (store/event_tables.hpp), buffered and written to the
// events file once a second in one transaction, pruned once a minute by the retention. A
// store that cannot be written (a full disk) keeps the rows buffered up to a bound, then
// counts what it had to drop; the daemon turns the error into a finding.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "collect/processes.hpp"
#include "core/expected.hpp"
#include "store/event_store.hpp"
#include "watch/bpf_events.hpp"

namespace vigil::watch {

struct EventRecorderStats {
  std::string path;
  std::uint64_t process_rows = 0;  // written since start
  std::uint64_t socket_rows = 0;
  std::uint64_t pruned = 0;        // deleted by the retention since start
  std::uint64_t dropped = 0;       // not written: the buffer was full while the file could not be
  std::size_t buffered = 0;
};

class EventRecorder {
 public:
  expected<void, std::string> open(const std::string& path, store::EventRetention keep);

  void exec(const collect::ProcessRow& p, const collect::ProcessRow* parent, bool gone, std::string_view source);
  void socket(const KernelEvent& e, const collect::ProcessRow* p);

  // Writes the buffered rows when a second has passed since the last write (or `force`), and
  // prunes once a minute. An error is returned once when writing starts to fail.
  std::optional<std::string> flush(bool force = false);
  const EventRecorderStats& stats() const { return stats_; }

 private:
  void keep_bounded();

  std::optional<store::EventStore> store_;
  store::EventRetention keep_;
  std::vector<store::ProcessEventRow> processes_;
  std::vector<store::SocketEventRow> sockets_;
  std::int64_t last_write_ms_ = 0, last_prune_ms_ = 0;
  bool failing_ = false;
  EventRecorderStats stats_;
};

// The row of an exec event, and of a connect, bind or accept event.
store::ProcessEventRow process_event_row(const collect::ProcessRow& p, const collect::ProcessRow* parent, bool gone,
                                         std::string_view source, std::int64_t now);
store::SocketEventRow socket_event_row(const KernelEvent& e, const collect::ProcessRow* p, std::int64_t now);

}  // namespace vigil::watch
