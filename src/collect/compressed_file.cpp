#include "collect/compressed_file.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <fmt/format.h>

#include <cerrno>
#include <memory>

namespace vigil::collect {

namespace {

struct ReadFree {
  void operator()(struct archive* a) const { archive_read_free(a); }
};

std::string archive_error(struct archive* a) {
  const char* s = archive_error_string(a);
  return s ? s : "unreadable";
}

}  // namespace

expected<std::string, IoError> read_decompressed(const Root& root, std::string_view inner, std::size_t limit) {
  auto fd = root.open_file(inner);
  if (!fd) return make_unexpected(fd.error());
  std::string shown = root.display(inner);
  std::unique_ptr<struct archive, ReadFree> a(archive_read_new());
  archive_read_support_filter_all(a.get());
  archive_read_support_format_raw(a.get());
  if (archive_read_open_fd(a.get(), fd->get(), 1 << 16) != ARCHIVE_OK)
    return make_unexpected(IoError{shown, EIO, archive_error(a.get())});
  struct archive_entry* e = nullptr;
  int rc = archive_read_next_header(a.get(), &e);
  if (rc == ARCHIVE_EOF) return std::string();  // an empty file
  if (rc != ARCHIVE_OK) return make_unexpected(IoError{shown, EIO, archive_error(a.get())});
  std::string out;
  char buf[1 << 16];
  for (;;) {
    la_ssize_t n = archive_read_data(a.get(), buf, sizeof buf);
    if (n == 0) return out;
    if (n < 0)
      return make_unexpected(IoError{shown, EIO,
                                     fmt::format("{} ({} bytes read before the damage)", archive_error(a.get()), out.size())});
    if (out.size() + static_cast<std::size_t>(n) > limit)
      return make_unexpected(IoError{shown, EFBIG, fmt::format("larger than {} MiB once decompressed", limit >> 20)});
    out.append(buf, static_cast<std::size_t>(n));
  }
}

}  // namespace vigil::collect
