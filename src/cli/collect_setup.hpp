// What triage, snapshot, diff and query share before they collect: the root, the bundled
// rules they need, and the store.
#pragma once

#include <string>

#include "collect/snapshot.hpp"
#include "core/expected.hpp"
#include "core/root.hpp"
#include "store/store.hpp"

namespace vigil::cli {

// Collection options with the known-artefact list loaded from `rules_dir` (the bundled
// rules when empty; an explicit directory that cannot be read is an error).
expected<collect::CollectOptions, std::string> base_collect_options(const std::string& rules_dir);

// Opens --root, naming the option in the error.
expected<Root, std::string> open_root(const std::string& path);

// Opens the store at `db`, refusing one that lies inside the inspected root: vigil never
// writes under --root.
expected<store::Store, std::string> open_store(const std::string& db, const Root& root);

}  // namespace vigil::cli
