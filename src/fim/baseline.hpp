// fim baselines in the store: saved in one transaction with a digest over every entry and a
// signature over the digest, so a baseline is whole or absent, and an edited row shows.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/expected.hpp"
#include "core/finding.hpp"
#include "fim/entry.hpp"
#include "fim/signature.hpp"
#include "store/store.hpp"

namespace vigil::fim {

struct BaselineInfo {
  std::int64_t id = 0;
  std::string name, hostname, root;
  std::int64_t created_at = 0;
  std::string policy;  // the policy text it was made with; check walks with the same one
  std::int64_t entries = 0;
  std::string digest, key_kind, key_id, signature;
  std::string status;  // active, or history once replaced by `fim update`
};

// Saves entries (sorted by path) as the active baseline `info.name` for `info.root`; the
// one it replaces becomes history. Fills in id, digest and signature.
expected<std::int64_t, std::string> save_baseline(store::Store& store, BaselineInfo& info,
                                                  const std::vector<FimEntry>& entries, const SigningKey& key);
// The active baseline with this name and root, or a given id.
expected<std::optional<BaselineInfo>, std::string> find_baseline(store::Store& store, const std::string& name,
                                                                 const std::string& root);
expected<std::optional<BaselineInfo>, std::string> baseline_by_id(store::Store& store, std::int64_t id);
expected<std::vector<BaselineInfo>, std::string> list_baselines(store::Store& store);
expected<std::vector<FimEntry>, std::string> load_entries(store::Store& store, std::int64_t id);
// One path of a baseline, through the path index (a watcher judging one file event).
expected<std::optional<FimEntry>, std::string> find_entry(store::Store& store, std::int64_t id, std::string_view path);
// Streams a baseline's entries in path order, holding one at a time.
expected<void, std::string> for_each_entry(store::Store& store, std::int64_t id,
                                           const std::function<void(const FimEntry&)>& f);

// Recomputes the digest from the entries and checks the signature with `key`. The error
// says what failed: another key, an edited entry, or a forged signature.
expected<void, std::string> verify_baseline(const BaselineInfo& info, const std::vector<FimEntry>& entries,
                                            const SigningKey& key);
// The same, streaming the entries from the store instead of holding them.
expected<void, std::string> verify_baseline(store::Store& store, const BaselineInfo& info, const SigningKey& key);

// Which baseline a check runs against: the active one with this name and root, or a number.
struct BaselineQuery {
  std::string name, root;
  std::int64_t id = 0;   // non-zero: this baseline, whatever its name
  std::string key_path;  // the key that verifies it (a public key suffices)
  std::function<void(const std::string&)> warn = {};  // hears of a key others can read
};
struct BaselineRefusal {
  std::string message;
  std::optional<Finding> finding;  // fim.baseline-invalid (critical) when the signature check failed
};
// Finds the baseline and verifies its signature by streaming every entry (never holding
// them): what a check may compare against. Call inside a read transaction so the rows
// compared are the rows verified.
expected<BaselineInfo, BaselineRefusal> open_trusted_baseline(store::Store& store, const BaselineQuery& q);

// Deletes all but the newest `keep` history baselines with this name and root; returns how many went.
expected<std::size_t, std::string> prune_history(store::Store& store, const std::string& name, const std::string& root,
                                                 std::size_t keep);

// Copies one baseline into a new store file at `path` (for read-only media or another host).
expected<void, std::string> export_baseline(store::Store& store, std::int64_t id, const std::string& path);

}  // namespace vigil::fim
