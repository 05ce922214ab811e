// An I/O failure as a value: which path, which errno.
#pragma once

#include <string>

namespace vigil {

struct IoError {
  std::string path;
  int code = 0;        // errno
  std::string detail;  // extra context; strerror(code) when empty
  std::string message() const;  // "path: reason"
  std::string reason() const;   // the detail, or strerror(code)
  bool vanished() const;  // ENOENT / ESRCH: the thing went away (a process that exited)
};

}  // namespace vigil
