// Parallel file hashing.
#include "allow/file_digests.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <thread>

#include "core/text.hpp"

namespace vigil::allow {

std::vector<expected<FileDigests, IoError>> hash_files(const Root& root, const std::vector<std::string>& paths,
                                                       unsigned jobs) {
  std::vector<expected<FileDigests, IoError>> out(paths.size(), make_unexpected(IoError{}));
  if (jobs == 0) jobs = std::max(1u, std::thread::hardware_concurrency());
  jobs = std::min<unsigned>(jobs, static_cast<unsigned>(std::max<std::size_t>(1, paths.size())));
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t i; (i = next.fetch_add(1)) < paths.size();) {
      auto fd = root.open_file(paths[i]);
      if (!fd) {
        out[i] = make_unexpected(fd.error());
        continue;
      }
      out[i] = hash_fd(fd->get(), root.display(paths[i]));
    }
  };
  std::vector<std::jthread> workers;
  for (unsigned t = 1; t < jobs; ++t) workers.emplace_back(work);
  work();
  return out;
}

bool is_executable_candidate(std::string_view path, unsigned mode) {
  if (!S_ISREG(mode)) return false;
  if (mode & 0111) return true;
  auto name = std::string_view(path).substr(path.rfind('/') + 1);
  return name.ends_with(".so") || name.find(".so.") != std::string_view::npos;
}

}  // namespace vigil::allow
