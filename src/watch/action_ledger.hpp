// What vigil watch's triggers did, kept in STATE_DIR/actions.jsonl: one line when a trigger
// starts its actions for a key (until when that key is not acted on again), one per action's
// outcome. Appended and synced before an action runs, so after kill -9 a restart neither runs
// again what a key's once_per still covers nor forgets when that ends (a block's own expiry is
// the kernel's set timeout, which needs no vigil at all). A torn last line is skipped; the file
// is rewritten with the still-active keys when it grows past 1 MB.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>

#include "core/expected.hpp"
#include "core/unique_fd.hpp"

namespace vigil::watch {

class ActionLedger {
 public:
  // `compact_at`: the size past which the file is rewritten (1 MB).
  explicit ActionLedger(std::int64_t compact_at = 1 << 20) : compact_at_(compact_at) {}
  // Reads the ledger (lines it cannot read are counted, not fatal) and opens it to append. A
  // dry run's keys count only for another dry run: trying a config first must not keep the
  // real one from acting.
  expected<void, std::string> open(const std::string& path, std::int64_t now, bool dry_run = false);
  // Whether `key` of `trigger` acted and its once_per has not yet ended.
  bool active(const std::string& trigger, const std::string& key, std::int64_t now) const;
  expected<void, std::string> started(const std::string& trigger, const std::string& key, std::int64_t now,
                                      std::int64_t until, bool dry_run);
  expected<void, std::string> outcome(const std::string& trigger, const std::string& key, std::string_view action,
                                      bool ok, const std::string& detail, std::int64_t now);
  std::size_t unreadable() const { return unreadable_; }
  std::size_t active_keys(std::int64_t now) const;

 private:
  expected<void, std::string> append(const std::string& line);
  expected<void, std::string> compact(std::int64_t now);

  std::string path_;
  UniqueFd fd_;
  std::map<std::pair<std::string, std::string>, std::int64_t> until_;  // (trigger, key) → epoch seconds
  std::size_t unreadable_ = 0;
  std::int64_t size_ = 0;
  std::int64_t compact_at_;
};

}  // namespace vigil::watch
