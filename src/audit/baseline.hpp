// Audit baselines in the store: `vigil audit --save NAME` keeps the whole result; --compare
// NAME reads the newest result saved under that name (or a JSON file of one).
#pragma once

#include <string>

#include "audit/result.hpp"
#include "core/expected.hpp"
#include "store/store.hpp"

namespace vigil::audit {

// Returns the new row's id.
expected<std::int64_t, std::string> save_baseline(store::Store& store, const AuditResult& r, std::string_view name);
// The newest result saved as `name`; the error says none is, and which names exist.
expected<AuditResult, std::string> load_baseline(store::Store& store, std::string_view name);
// A result from a file written by `vigil audit --format json`.
expected<AuditResult, std::string> load_result_file(const std::string& path);

}  // namespace vigil::audit
