// Reading an open directory with getdents64 straight into a buffer: fdopendir would add an
// fcntl and an fstat per directory, which is a tenth of the cost of walking /proc.
#pragma once

#include <dirent.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <string_view>

namespace vigil {

// Calls f(dirent64&) for each entry of an open directory but "." and ".."; returns errno or 0.
template <class F>
int for_each_dirent(int fd, F&& f) {
  alignas(8) char buf[32768];
  for (;;) {
    long n = ::syscall(SYS_getdents64, fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    if (n == 0) return 0;
    for (long off = 0; off < n;) {
      auto* d = reinterpret_cast<struct dirent64*>(buf + off);
      off += d->d_reclen;
      std::string_view name = d->d_name;
      if (name != "." && name != "..") f(*d);
    }
  }
}

}  // namespace vigil
