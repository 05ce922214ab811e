// /proc/net parsers.
#include "collect/net_parse.hpp"

#include <arpa/inet.h>

#include <array>
#include <cstring>

#include "core/text.hpp"

namespace vigil::collect {

std::string decode_hex_address(std::string_view hex, bool ipv6) {
  const std::size_t words = ipv6 ? 4 : 1;
  if (hex.size() != words * 8) return {};
  // The kernel prints each 32-bit word in host byte order.
  std::array<std::uint32_t, 4> w{};
  for (std::size_t i = 0; i < words; ++i) {
    auto v = to_number<std::uint32_t>(hex.substr(i * 8, 8), 16);
    if (!v) return {};
    w[i] = *v;
  }
  char buf[INET6_ADDRSTRLEN] = {};
  if (!::inet_ntop(ipv6 ? AF_INET6 : AF_INET, w.data(), buf, sizeof buf)) return {};
  return buf;
}

std::string_view tcp_state_name(int state) {
  static constexpr std::array<std::string_view, 13> kNames = {
      "UNKNOWN", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2",   "TIME_WAIT",
      "CLOSE",   "CLOSE_WAIT",  "LAST_ACK", "LISTEN",   "CLOSING",   "NEW_SYN_RECV"};
  return state >= 0 && state < static_cast<int>(kNames.size()) ? kNames[state] : "UNKNOWN";
}

namespace {
bool split_endpoint(std::string_view s, bool ipv6, std::string& addr, std::int64_t& port) {
  auto colon = s.find(':');
  if (colon == std::string_view::npos) return false;
  addr = decode_hex_address(s.substr(0, colon), ipv6);
  auto p = to_number<std::int64_t>(s.substr(colon + 1), 16);
  if (addr.empty() || !p) return false;
  port = *p;
  return true;
}
}  // namespace

Parsed<InetSocket> parse_proc_net_inet(std::string_view text, bool ipv6) {
  Parsed<InetSocket> out;
  for_each_line(text, [&](std::string_view line, std::size_t n) {
    if (n == 1 || trim(line).empty()) return;
    auto f = split_ws(line);
    // sl local rem st tx:rx tr:when retrnsmt uid timeout inode …
    InetSocket s;
    std::optional<int> st;
    std::optional<std::int64_t> uid;
    std::optional<std::uint64_t> inode;
    if (f.size() >= 10) {
      st = to_number<int>(f[3], 16);
      uid = to_number<std::int64_t>(f[7]);
      inode = to_number<std::uint64_t>(f[9]);
    }
    if (f.size() < 10 || !split_endpoint(f[1], ipv6, s.local_address, s.local_port) ||
        !split_endpoint(f[2], ipv6, s.remote_address, s.remote_port) || !st || !uid || !inode) {
      out.errors.push_back({n, "malformed socket line"});
      return;
    }
    s.state = *st;
    s.uid = *uid;
    s.inode = *inode;
    out.rows.push_back(std::move(s));
  });
  return out;
}

Parsed<PacketSocket> parse_proc_net_packet(std::string_view text) {
  Parsed<PacketSocket> out;
  for_each_line(text, [&](std::string_view line, std::size_t n) {
    if (n == 1 || trim(line).empty()) return;
    auto f = split_ws(line);
    // sk RefCnt Type Proto Iface R Rmem User Inode
    if (f.size() < 9) {
      out.errors.push_back({n, "malformed packet socket line"});
      return;
    }
    auto type = to_number<std::int64_t>(f[2]);
    auto proto = to_number<std::int64_t>(f[3], 16);
    auto iface = to_number<std::int64_t>(f[4]);
    auto uid = to_number<std::int64_t>(f[7]);
    auto inode = to_number<std::uint64_t>(f[8]);
    if (!type || !proto || !iface || !uid || !inode) {
      out.errors.push_back({n, "malformed packet socket line"});
      return;
    }
    out.rows.push_back({*type, *proto, *iface, *uid, *inode});
  });
  return out;
}

}  // namespace vigil::collect
