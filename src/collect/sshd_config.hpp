// sshd_config table: every setting of the SSH server, with the Match block it sits in,
// read from /etc/ssh/sshd_config and the files it includes (sshd_config.d/*.conf).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "core/collect_issue.hpp"
#include "core/root.hpp"
#include "core/table.hpp"

namespace vigil::collect {

struct SshdSettingRow {
  std::string file;
  std::int64_t line = 0;
  std::string keyword;  // lower case, as sshd compares them (permitrootlogin)
  std::string value;
  std::string match;    // the Match block's criteria ("User backup Address 10.0.0.0/8"); "" outside one

  static constexpr std::string_view kTable = "sshd_config";
  static constexpr std::array<Column, 5> kColumns{{
      {"file", "sshd_config or a file it includes"},
      {"line", "line in that file"},
      {"keyword", "setting, in lower case (permitrootlogin, authorizedkeysfile …)"},
      {"value", "its value as written"},
      {"match", "criteria of the Match block the setting is in; empty outside one"},
  }};
  auto fields() const { return std::tie(file, line, keyword, value, match); }
};
static_assert(columns_match<SshdSettingRow>());

// Every setting, in the order sshd reads them (includes expanded where they stand).
std::vector<SshdSettingRow> collect_sshd_config(const Root& root, IssueLog& log);

// One file's lines: keyword (lower case) and value; Match and Include lines included.
struct SshdLine {
  std::size_t line = 0;
  std::string keyword, value;
};
std::vector<SshdLine> parse_sshd_config(std::string_view text);

// sshd's AuthorizedKeysFile patterns (the defaults when none is set) made into paths for one
// account: %h, %u, %U and %% expanded, relative paths under the home.
std::vector<std::string> authorized_keys_paths(const std::vector<SshdSettingRow>& settings, const std::string& user,
                                               std::int64_t uid, const std::string& home);

}  // namespace vigil::collect
