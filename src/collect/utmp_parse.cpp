// utmp/wtmp/btmp and lastlog record parsers.
#include "collect/utmp_parse.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cstring>

#include "core/text.hpp"

namespace vigil::collect {

namespace {

std::int32_t le32(std::string_view b, std::size_t off) {
  std::uint32_t v = 0;
  for (int i = 3; i >= 0; --i)
    v = (v << 8) | static_cast<unsigned char>(b[off + static_cast<std::size_t>(i)]);
  return static_cast<std::int32_t>(v);
}

std::string c_string(std::string_view b, std::size_t off, std::size_t len) {
  auto field = b.substr(off, len);
  auto nul = field.find('\0');
  return printable(field.substr(0, nul));
}

std::string address_text(std::string_view b, std::size_t off) {
  std::array<unsigned char, 16> a{};
  std::memcpy(a.data(), b.data() + off, a.size());
  bool v6 = std::any_of(a.begin() + 4, a.end(), [](unsigned char c) { return c != 0; });
  if (!v6 && a[0] == 0 && a[1] == 0 && a[2] == 0 && a[3] == 0) return {};
  char buf[INET6_ADDRSTRLEN] = {};
  if (!::inet_ntop(v6 ? AF_INET6 : AF_INET, a.data(), buf, sizeof buf)) return {};
  return buf;
}

}  // namespace

std::string_view utmp_type_name(int type) {
  static constexpr std::array<std::string_view, 10> kNames = {
      "EMPTY",        "RUN_LVL",       "BOOT_TIME",    "NEW_TIME",     "OLD_TIME",
      "INIT_PROCESS", "LOGIN_PROCESS", "USER_PROCESS", "DEAD_PROCESS", "ACCOUNTING"};
  return type >= 0 && type < static_cast<int>(kNames.size()) ? kNames[type] : "UNKNOWN";
}

Parsed<UtmpRecord> parse_utmp(std::string_view bytes) {
  Parsed<UtmpRecord> out;
  const std::size_t whole = bytes.size() / kUtmpRecordSize;
  out.rows.reserve(whole);
  for (std::size_t i = 0; i < whole; ++i) {
    auto b = bytes.substr(i * kUtmpRecordSize, kUtmpRecordSize);
    UtmpRecord r;
    r.index = static_cast<std::int64_t>(i);
    r.zeroed = std::all_of(b.begin(), b.end(), [](char c) { return c == 0; });
    // Layout: type@0 (short) pid@4 line@8[32] id@40[4] user@44[32] host@76[256]
    //         exit@332 session@336 tv_sec@340 tv_usec@344 addr_v6@348[16]
    r.type = static_cast<short>(static_cast<unsigned char>(b[0]) |
                                (static_cast<unsigned char>(b[1]) << 8));
    r.pid = le32(b, 4);
    r.line = c_string(b, 8, 32);
    r.id = c_string(b, 40, 4);
    r.user = c_string(b, 44, 32);
    r.host = c_string(b, 76, 256);
    r.time = static_cast<std::uint32_t>(le32(b, 340));
    r.address = address_text(b, 348);
    out.rows.push_back(std::move(r));
  }
  if (auto rest = bytes.size() % kUtmpRecordSize; rest != 0)
    out.errors.push_back({0, "file ends in a partial record (" + std::to_string(rest) +
                                 " trailing bytes after record " + std::to_string(whole) +
                                 "): truncated or not a utmp file"});
  return out;
}

std::optional<LastlogRecord> parse_lastlog_record(std::string_view b) {
  if (b.size() < kLastlogRecordSize) return std::nullopt;
  LastlogRecord r;
  r.time = static_cast<std::uint32_t>(le32(b, 0));
  r.line = c_string(b, 4, 32);
  r.host = c_string(b, 36, 256);
  if (r.time == 0 && r.line.empty() && r.host.empty()) return std::nullopt;
  return r;
}

}  // namespace vigil::collect
