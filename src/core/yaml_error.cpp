// YAML error text.
#include "core/yaml_error.hpp"

#include <fmt/format.h>

namespace vigil {

std::string yaml_error_text(const YAML::Exception& e, std::size_t first_line) {
  if (e.mark.is_null() || e.mark.line < 0) return e.msg;
  return fmt::format("line {}, column {}: {}", first_line + static_cast<std::size_t>(e.mark.line), e.mark.column + 1,
                     e.msg);
}

}  // namespace vigil
