// IoError text.
#include "core/io_error.hpp"

#include <cerrno>
#include <cstring>

namespace vigil {

std::string IoError::reason() const { return detail.empty() ? std::string(std::strerror(code)) : detail; }

std::string IoError::message() const { return path + ": " + reason(); }

bool IoError::vanished() const { return code == ENOENT || code == ESRCH; }

}  // namespace vigil
