// file_checks table: files worth a look (the Afind / Hfind / Sfind view): recently changed
// system files, odd names, files in /dev, setuid programs, world-writable PATH entries,
// programs disguised by their extension, and package files that fail their checksums.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "collect/accounts.hpp"
#include "collect/packages.hpp"
#include "core/collect_issue.hpp"
#include "core/root.hpp"
#include "core/table.hpp"

namespace vigil::collect {

struct FileCheckRow {
  std::string check;  // recent-system-file, suspicious-name, hidden-dir-programs, dev-file, setuid, capability,
                      // web-shell, history-to-null, history-empty, log-missing, log-emptied, backdated-program,
                      // world-writable-path,
                      // elf-disguised,
                      // package-modified, package-missing, conffile-modified
  std::string path;
  std::string detail;
  std::int64_t mode = 0;
  std::int64_t uid = -1;
  std::int64_t size = 0;
  std::int64_t mtime = 0;
  std::int64_t ctime = 0;
  bool elf = false;      // starts with the ELF magic
  std::string package;   // owning package; "" when none
  std::string copy_of;   // setuid files no package owns: the packaged file with the same content

  std::string md5;  // not a column: for copy detection

  static constexpr std::string_view kTable = "file_checks";
  static constexpr std::array<Column, 11> kColumns{{
      {"check", "recent-system-file, suspicious-name, hidden-dir-programs, dev-file, setuid, capability, web-shell, "
                "history-to-null, history-empty, log-missing, log-emptied, backdated-program, world-writable-path, elf-disguised, package-modified, package-missing "
                "or conffile-modified"},
      {"path", "the file or directory"},
      {"detail", "why it was picked; for capability, the capabilities as getcap prints them (cap_net_raw=ep); for "
                 "web-shell, the pattern and its line"},
      {"mode", "st_mode"},
      {"uid", "owner"},
      {"size", "size in bytes"},
      {"mtime", "modification time, epoch seconds"},
      {"ctime", "inode change time, epoch seconds (touch -r cannot reset it)"},
      {"elf", "starts with the ELF magic: a program or library"},
      {"package", "package that owns the path; empty when none"},
      {"copy_of", "setuid files no package owns: packaged file with identical content"},
  }};
  auto fields() const { return std::tie(check, path, detail, mode, uid, size, mtime, ctime, elf, package, copy_of); }
};
static_assert(columns_match<FileCheckRow>());

// Which package files triage checks against dpkg's md5sums (conffiles always).
enum class VerifyScope { none, common, programs, all };
std::optional<VerifyScope> parse_verify_scope(std::string_view word);  // none, common, programs, all

struct FileCheckOptions {
  std::int64_t now = 0;
  std::int64_t since_days = 3;
  VerifyScope verify = VerifyScope::common;  // the commonly trojaned programs
  bool walk = true;  // walk system, temporary, home and web directories
};

std::vector<FileCheckRow> collect_file_checks(const Root& root, const std::vector<UserRow>& users,
                                              const FileCheckOptions& opts, IssueLog& log);
// Package verification (the debsums check) for programs in `scope`, every conffile, and the
// files in `also` (start-up files with a suspicious line); even under VerifyScope::none when
// `also` is not empty. Rows for the files that differ or are missing; `checked`, when given,
// receives every path whose checksum was compared.
std::vector<FileCheckRow> verify_package_files(const Root& root, const PackageDb& packages, VerifyScope scope,
                                               const std::set<std::string, std::less<>>& also, IssueLog& log,
                                               std::set<std::string, std::less<>>* checked = nullptr);
// A program rootkits are known to replace (ls, ps, netstat, sshd, login …) in a program directory,
// or a PAM module.
bool commonly_trojaned(std::string_view path);

// Ownership answers (recently changed files a package owns are upgrades and are dropped);
// then MD5s of unowned setuid programs to look for among packaged files, and the answers.
std::vector<std::string> package_query_paths(const std::vector<FileCheckRow>& rows);
void apply_packages(std::vector<FileCheckRow>& rows, const PathMap& owners);
std::vector<std::string> copy_query_md5s(const Root& root, std::vector<FileCheckRow>& rows, IssueLog& log);
void apply_copies(std::vector<FileCheckRow>& rows, const PathMap& md5_to_packaged_file);

// Pure helpers, tested directly.
// Why a file name is suspicious ("...", blanks, control bytes), or "".
std::string suspicious_name_reason(std::string_view name);
// A path in a directory programs are installed to (/bin, /usr/sbin, /usr/libexec, /usr/local/bin …).
bool is_program_dir(std::string_view path);
// A data extension (.jpg, .txt, …) that an ELF file should never carry.
bool data_extension(std::string_view name);

}  // namespace vigil::collect
