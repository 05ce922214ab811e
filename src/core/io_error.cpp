// IoError text.
#include "core/io_error.hpp"

#include <cerrno>
#include <cstring>

namespace vigil {

std::string IoError::message() const {
  std::string m = path + ": ";
  m += detail.empty() ? std::strerror(code) : detail;
  return m;
}

bool IoError::vanished() const { return code == ENOENT || code == ESRCH; }

}  // namespace vigil
