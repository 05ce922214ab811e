// Live file integrity in vigil watch: the signed fim baseline (verified once at start, as
// `vigil fim check` does) and the file change events of the trees its policy covers
// (file_events.hpp). Each changed path waits until it has been quiet for the debounce time (an
// editor's write, rename and chmod are one change), is measured with the policy's attributes
// (fim::measure) and judged against its baseline entry (fim::judge) - the same code as the
// batch check, so the finding is the same. When the kernel lost events, every watched tree is
// checked in full and an info finding says why.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "core/finding.hpp"
#include "core/root.hpp"
#include "fim/measure.hpp"
#include "fim/policy.hpp"
#include "store/store.hpp"
#include "watch/file_events.hpp"

namespace vigil::watch {

struct LiveFimSettings {
  std::string store;               // the store holding the baseline
  std::string baseline = "default";
  std::string key;                 // verifies the baseline's signature
  std::string events = "auto";     // auto (fanotify, else inotify), fanotify, inotify
  std::int64_t debounce_ms = 200;
};

struct LiveFimStats {
  std::string source;             // fanotify or inotify
  std::int64_t baseline_id = 0;
  std::uint64_t events = 0;       // paths reported by the kernel
  std::uint64_t judged = 0;       // paths measured and judged
  std::uint64_t changes = 0;      // of which differed from the baseline
  std::uint64_t overflows = 0;    // times events were lost and a full check ran
  std::uint64_t full_checks = 0;
};

class LiveFim {
 public:
  LiveFim();
  ~LiveFim();
  // Opens the store, verifies the baseline and starts watching. `notes` hears of a fallback
  // from fanotify and of directories that cannot be watched.
  expected<void, std::string> open(const LiveFimSettings& s, std::vector<std::string>& notes);
  int fd() const { return events_.fd(); }
  // Reads the kernel's events: paths wait for their debounce; an overflow runs a full check.
  Findings read();
  // Judges the paths that have been quiet long enough; from the daemon's timer.
  Findings tick();
  const LiveFimStats& stats() const { return stats_; }
  std::vector<std::string> take_problems() { return events_.take_problems(); }
  // When open() refused a baseline whose signature does not verify: fim.baseline-invalid.
  std::optional<Finding> take_refusal() { return std::exchange(refusal_, std::nullopt); }

 private:
  std::optional<Finding> judge(const std::string& path);
  Findings full_check();

  LiveFimSettings settings_;
  std::optional<Root> root_;
  std::optional<store::Store> store_;
  std::optional<fim::Policy> policy_;
  std::string baseline_name_;
  fim::Hasher hasher_;
  FileEvents events_;
  struct Pending {
    std::int64_t first = 0, due = 0;  // its first event, when it can be judged (ms)
  };
  std::map<std::string, Pending> pending_;
  std::map<std::string, std::string> last_;             // path → fingerprint of its last finding
  LiveFimStats stats_;
  std::optional<Finding> refusal_;
};

}  // namespace vigil::watch
