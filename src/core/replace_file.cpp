// Durable whole-file replacement.
#include "core/replace_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/text.hpp"
#include "core/unique_fd.hpp"

namespace vigil {

expected<void, std::string> replace_file(const std::string& path, std::string_view bytes, unsigned mode) {
  std::string tmp = path + ".tmp";
  auto fail = [&](const char* what) -> expected<void, std::string> {
    std::string why = std::string(what) + " " + tmp + ": " + std::strerror(errno);
    ::unlink(tmp.c_str());
    return make_unexpected(why);
  };
  {
    UniqueFd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode));
    if (fd.get() < 0) return fail("cannot create");
    for (std::size_t done = 0; done < bytes.size();) {
      ssize_t n = ::write(fd.get(), bytes.data() + done, bytes.size() - done);
      if (n < 0) {
        if (errno == EINTR) continue;
        return fail("cannot write");
      }
      done += static_cast<std::size_t>(n);
    }
    if (::fsync(fd.get()) != 0) return fail("cannot sync");
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) return fail("cannot rename");
  UniqueFd dir(::open(dirname_of(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir.get() >= 0) ::fsync(dir.get());
  return {};
}

}  // namespace vigil
