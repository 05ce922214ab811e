// Workbooks a security team can file: one sheet per table, header row frozen and filtered.
#pragma once

#include <string>
#include <vector>

#include "core/expected.hpp"
#include "core/result_set.hpp"

namespace vigil::report {

struct Sheet {
  std::string name;  // made valid for Excel (31 characters, no []:*?/\, unique) when written
  ResultSet rows;
};

// The error names the file and libxlsxwriter's reason.
expected<void, std::string> write_xlsx(const std::string& path, const std::vector<Sheet>& sheets);
// The workbook's bytes (built in a private temporary file), for a stream.
expected<std::string, std::string> xlsx_bytes(const std::vector<Sheet>& sheets);

}  // namespace vigil::report
