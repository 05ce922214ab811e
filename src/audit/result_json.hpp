// The audit result as JSON: the --format json document, and the form baselines are saved in
// and read back from (a file given to --compare, or the store).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "audit/result.hpp"
#include "core/expected.hpp"

namespace vigil::audit {

nlohmann::json check_to_json(const CheckResult& c);
// JSON text that never throws: bytes that are not UTF-8 (a Latin-1 title in a policy, a
// line of a binary file) become U+FFFD.
std::string json_text(const nlohmann::json& j, int indent = -1);
nlohmann::json result_to_json(const AuditResult& r);
// The error names what is missing or of the wrong type.
expected<AuditResult, std::string> result_from_json(std::string_view text);

}  // namespace vigil::audit
