// A parser's partial result: the rows it could read and the lines it could not.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace vigil {

struct ParseError {
  std::size_t line = 0;  // 1-based; 0 when the error is not about one line
  std::string message;
};

template <class T>
struct Parsed {
  std::vector<T> rows;
  std::vector<ParseError> errors;
};

}  // namespace vigil
