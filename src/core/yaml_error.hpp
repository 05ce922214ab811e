// A YAML syntax error as the reader of a rule or policy file wants it: "line 7, column 4:
// end of map not found", lines counted from the file's start.
#pragma once

#include <yaml-cpp/exceptions.h>

#include <cstddef>
#include <string>

namespace vigil {

// `first_line` is the file line where the parsed text began (documents split out of a file).
std::string yaml_error_text(const YAML::Exception& e, std::size_t first_line = 1);

}  // namespace vigil
