// Pure parsers for the binary login records: utmp/wtmp/btmp (384-byte records) and lastlog
// (292-byte records indexed by uid), in the x86-64/aarch64 glibc layout, little-endian.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/parse_error.hpp"

namespace vigil::collect {

inline constexpr std::size_t kUtmpRecordSize = 384;
inline constexpr std::size_t kLastlogRecordSize = 292;

struct UtmpRecord {
  std::int64_t index = 0;  // record number in the file
  int type = 0;            // 7 USER_PROCESS, 8 DEAD_PROCESS, 2 BOOT_TIME, …
  std::int64_t pid = 0;
  std::string line, id, user, host, address;
  std::int64_t time = 0;  // seconds since the epoch
  bool zeroed = false;    // every byte is zero: the mark of a log wiper (chkwtmp)
};

// A trailing partial record is reported as an error; the whole records are kept.
Parsed<UtmpRecord> parse_utmp(std::string_view bytes);
std::string_view utmp_type_name(int type);

struct LastlogRecord {
  std::int64_t time = 0;
  std::string line, host;
};
// One record's bytes; nullopt when the record is empty (never logged in).
std::optional<LastlogRecord> parse_lastlog_record(std::string_view bytes);

}  // namespace vigil::collect
