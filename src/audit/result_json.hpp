// The audit result as JSON: the --format json document, and the form baselines are saved in
// and read back from (a file given to --compare, or the store).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "audit/result.hpp"
#include "core/expected.hpp"

namespace vigil::audit {

nlohmann::json check_to_json(const CheckResult& c);
nlohmann::json result_to_json(const AuditResult& r);
// The error names what is missing or of the wrong type.
expected<AuditResult, std::string> result_from_json(std::string_view text);

}  // namespace vigil::audit
