// A small Debian-like fixture root for triage --root tests, and what to ask of its findings.
#pragma once

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/hash.hpp"
#include "e2e/vigil_run.hpp"
#include "support/temp_dir.hpp"

namespace vigil::testing {

// Sets every file's times to 30 days ago (a clean host's files are not new).
inline void age_files(const TempDir& d, std::int64_t days = 30) {
  struct timespec t[2];
  t[0].tv_sec = t[1].tv_sec = ::time(nullptr) - days * 86400;
  t[0].tv_nsec = t[1].tv_nsec = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(d.path()))
    ::utimensat(AT_FDCWD, e.path().c_str(), t, AT_SYMLINK_NOFOLLOW);
}

inline void base_root(const TempDir& d) {
  d.write("etc/passwd", "root:x:0:0:root:/root:/bin/bash\nwww-data:x:33:33::/var/www:/usr/sbin/nologin\n");
  d.write("etc/shadow", "root:$y$j9T$s$h:19000::::::\nwww-data:*:19000::::::\n");
  d.write("etc/group", "root:x:0:\n");
  d.write("etc/crontab", "SHELL=/bin/sh\n17 * * * * root cd / && run-parts --report /etc/cron.hourly\n");
  d.write("etc/systemd/system/ssh.service", "[Service]\nExecStart=/usr/sbin/sshd -D\n");
  d.write("root/.bashrc", "export PS1='# '\n. \"$HOME/.cargo/env\"\n");
  d.write("root/.ssh/authorized_keys", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5 admin@laptop\n");
  d.write("etc/pam.d/common-auth", "auth [success=1 default=ignore] pam_unix.so nullok\n");
  // A package database that owns the clean files, so ownership is judged.
  d.write("var/lib/dpkg/info/cron.list", "/etc/crontab\n");
  d.write("var/lib/dpkg/info/openssh-server.list", "/etc/systemd/system/ssh.service\n");
  age_files(d);
}

// The findings of `vigil triage --root D --format jsonl --no-suppress` and `extra` options.
inline std::vector<nlohmann::json> triage(const TempDir& d, const std::vector<std::string>& extra = {}) {
  std::vector<std::string> args = {"triage", "--root", d.path(), "--format", "jsonl", "--no-suppress"};
  args.insert(args.end(), extra.begin(), extra.end());
  auto r = run_vigil(args);
  EXPECT_TRUE(r.exit_code == 0 || r.exit_code == 1) << r.err;
  return parse_jsonl(r.out);
}

inline bool reported(const std::vector<nlohmann::json>& all, const std::string& rule, const std::string& path_suffix) {
  for (const auto& f : findings_of(all, rule))
    if (f.contains("file") && std::string(f["file"]["path"]).ends_with(path_suffix)) return true;
  return false;
}

inline std::string md5_of(const std::string& path) {
  auto fd = ::open(path.c_str(), O_RDONLY);
  auto d = vigil::hash_fd(fd, path);
  ::close(fd);
  return d ? d->md5 : "";
}

}  // namespace vigil::testing
