// What the commands share before they work: the root and the store, with the option named in errors.
#pragma once

#include <string>

#include "collect/snapshot.hpp"
#include "core/expected.hpp"
#include "core/root.hpp"
#include "store/store.hpp"

namespace vigil::cli {

// Opens --root, naming the option in the error.
expected<Root, std::string> open_root(const std::string& path);
// The same for a command that inspects an operating system (triage, snapshot, diff, query,
// audit): a directory that holds none is refused unless `force`.
expected<Root, std::string> open_system_root(const std::string& path, bool force);

// Opens the store at `db` (which refuses one inside the inspected root), naming the option.
expected<store::Store, std::string> open_store(const std::string& db, const Root& root,
                                              store::Create create = store::Create::yes);

}  // namespace vigil::cli
