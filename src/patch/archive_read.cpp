#include "patch/archive_read.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <fmt/format.h>

#include <cerrno>
#include <memory>

namespace vigil::patch {

namespace {

struct ReadFree {
  void operator()(struct archive* a) const { archive_read_free(a); }
};
using Archive = std::unique_ptr<struct archive, ReadFree>;

std::string archive_error(struct archive* a) {
  const char* s = archive_error_string(a);
  return s ? s : "unreadable";
}

// Appends the current entry's data to `out`; false (with `error`) past `limit` or on a read error.
bool read_entry(struct archive* a, std::string& out, std::size_t limit, std::string& error) {
  char buf[1 << 16];
  for (;;) {
    la_ssize_t n = archive_read_data(a, buf, sizeof buf);
    if (n == 0) return true;
    if (n < 0) {
      error = archive_error(a);
      return false;
    }
    if (out.size() + static_cast<std::size_t>(n) > limit) {
      error = fmt::format("larger than {} MiB once decompressed", limit >> 20);
      return false;
    }
    out.append(buf, static_cast<std::size_t>(n));
  }
}

}  // namespace

expected<std::size_t, std::string> for_each_archive_member(
    const std::string& path, std::size_t member_limit,
    const std::function<void(std::string_view name, std::string_view content)>& f) {
  Archive a(archive_read_new());
  archive_read_support_filter_all(a.get());
  archive_read_support_format_zip(a.get());
  archive_read_support_format_tar(a.get());
  if (archive_read_open_filename(a.get(), path.c_str(), 1 << 16) != ARCHIVE_OK)
    return make_unexpected(fmt::format("{}: {}", path, archive_error(a.get())));
  std::size_t members = 0;
  std::string content, error;
  for (;;) {
    struct archive_entry* e = nullptr;
    int rc = archive_read_next_header(a.get(), &e);
    if (rc == ARCHIVE_EOF) return members;
    if (rc != ARCHIVE_OK && rc != ARCHIVE_WARN)
      return make_unexpected(fmt::format("{}: after {} members: {}", path, members, archive_error(a.get())));
    const char* name = archive_entry_pathname(e);
    std::string member = name ? name : "";
    if (archive_entry_filetype(e) != AE_IFREG) continue;
    content.clear();
    if (!read_entry(a.get(), content, member_limit, error))
      return make_unexpected(fmt::format("{}: {}: {}", path, member, error));
    ++members;
    f(member, content);
  }
}

}  // namespace vigil::patch
