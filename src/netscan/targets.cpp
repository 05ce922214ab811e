#include "netscan/targets.hpp"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <net/if.h>
#include <netdb.h>
#include <netinet/in.h>

#include <algorithm>
#include <cstring>
#include <set>

#include "core/text.hpp"

namespace vigil::netscan {

namespace {

Target from_sockaddr(const sockaddr* sa, socklen_t len, std::string name) {
  Target t;
  std::memcpy(&t.sa, sa, len);
  t.sa_len = len;
  char host[NI_MAXHOST] = {};
  if (::getnameinfo(sa, len, host, sizeof host, nullptr, 0, NI_NUMERICHOST) == 0) t.address = host;
  t.name = std::move(name);
  return t;
}

Target v4_target(std::uint32_t host_order) {
  sockaddr_in sin{};
  sin.sin_family = AF_INET;
  sin.sin_addr.s_addr = htonl(host_order);
  return from_sockaddr(reinterpret_cast<const sockaddr*>(&sin), sizeof sin, "");
}

// A literal address (with an IPv6 scope: fe80::1%eth0), through getaddrinfo's numeric mode.
std::optional<Target> numeric_address(std::string_view text) {
  addrinfo hints{}, *res = nullptr;
  hints.ai_flags = AI_NUMERICHOST;
  hints.ai_socktype = SOCK_STREAM;
  std::string s(text);
  if (::getaddrinfo(s.c_str(), nullptr, &hints, &res) != 0 || !res) return std::nullopt;
  auto t = from_sockaddr(res->ai_addr, res->ai_addrlen, "");
  ::freeaddrinfo(res);
  return t;
}

std::optional<std::uint32_t> v4(std::string_view text) {
  in_addr a{};
  std::string s(text);
  if (::inet_pton(AF_INET, s.c_str(), &a) != 1) return std::nullopt;
  return ntohl(a.s_addr);
}

expected<std::vector<Target>, std::string> v4_range(std::uint32_t first, std::uint32_t last, std::string_view spec,
                                                    std::size_t max_targets) {
  if (last < first) return make_unexpected(fmt::format("'{}': the range ends before it starts", spec));
  if (std::uint64_t{last} - first + 1 > max_targets)
    return make_unexpected(fmt::format("'{}': {} addresses, more than the {} one scan takes", spec,
                                       std::uint64_t{last} - first + 1, max_targets));
  std::vector<Target> out;
  for (std::uint64_t a = first; a <= last; ++a) out.push_back(v4_target(static_cast<std::uint32_t>(a)));
  return out;
}

}  // namespace

bool Target::loopback() const {
  if (sa.ss_family == AF_INET)
    return (ntohl(reinterpret_cast<const sockaddr_in*>(&sa)->sin_addr.s_addr) >> 24) == 127;
  if (sa.ss_family == AF_INET6) {
    const auto& a = reinterpret_cast<const sockaddr_in6*>(&sa)->sin6_addr;
    if (IN6_IS_ADDR_LOOPBACK(&a)) return true;
    if (IN6_IS_ADDR_V4MAPPED(&a)) return a.s6_addr[12] == 127;
  }
  return false;
}

expected<std::vector<Target>, std::string> expand_numeric(std::string_view spec, std::size_t max_targets) {
  if (spec.empty()) return make_unexpected(std::string("an empty target"));
  if (auto slash = spec.find('/'); slash != std::string_view::npos) {
    auto prefix = to_number<int>(spec.substr(slash + 1));
    auto base = spec.substr(0, slash);
    if (auto a = v4(base)) {
      if (!prefix || *prefix < 0 || *prefix > 32)
        return make_unexpected(fmt::format("'{}': an IPv4 prefix is 0 to 32", spec));
      std::uint32_t mask = *prefix == 0 ? 0 : ~std::uint32_t{0} << (32 - *prefix);
      std::uint32_t first = *a & mask, last = first | ~mask;
      return v4_range(first, last, spec, max_targets);
    }
    auto t = numeric_address(base);
    if (!t || !t->v6()) return make_unexpected(fmt::format("'{}': not an address/prefix", spec));
    if (!prefix || *prefix < 0 || *prefix > 128)
      return make_unexpected(fmt::format("'{}': an IPv6 prefix is 0 to 128", spec));
    int host_bits = 128 - *prefix;
    if (host_bits > 16 || (std::size_t{1} << host_bits) > max_targets)
      return make_unexpected(fmt::format("'{}': 2^{} addresses, more than the {} one scan takes", spec, host_bits,
                                         max_targets));
    auto* sin6 = reinterpret_cast<sockaddr_in6*>(&t->sa);
    std::uint8_t* b = sin6->sin6_addr.s6_addr;
    for (int bit = *prefix; bit < 128; ++bit) b[bit / 8] &= static_cast<std::uint8_t>(~(0x80 >> (bit % 8)));
    std::vector<Target> out;
    for (std::size_t i = 0; i < (std::size_t{1} << host_bits); ++i) {
      sockaddr_in6 x = *sin6;
      x.sin6_addr.s6_addr[14] |= static_cast<std::uint8_t>(i >> 8);
      x.sin6_addr.s6_addr[15] |= static_cast<std::uint8_t>(i & 0xff);
      out.push_back(from_sockaddr(reinterpret_cast<const sockaddr*>(&x), sizeof x, ""));
    }
    return out;
  }
  if (auto dash = spec.find('-'); dash != std::string_view::npos && v4(spec.substr(0, dash))) {
    auto first = *v4(spec.substr(0, dash));
    auto rest = spec.substr(dash + 1);
    if (auto last = v4(rest)) return v4_range(first, *last, spec, max_targets);
    auto octet = to_number<int>(rest);
    if (!octet || *octet < 0 || *octet > 255)
      return make_unexpected(fmt::format("'{}': a range ends with an address or a last octet 0-255", spec));
    return v4_range(first, (first & 0xffffff00u) | static_cast<std::uint32_t>(*octet), spec, max_targets);
  }
  if (auto t = numeric_address(spec)) return std::vector<Target>{*t};
  return make_unexpected(fmt::format("'{}': not an address, network or range", spec));
}

expected<std::vector<Target>, std::string> expand_targets(const std::vector<std::string>& specs,
                                                          std::size_t max_targets) {
  std::vector<Target> out;
  std::set<std::string> seen;
  auto add = [&](Target t) {
    if (seen.insert(t.address).second) out.push_back(std::move(t));
  };
  for (const auto& spec : specs) {
    auto numeric = expand_numeric(spec, max_targets);
    if (numeric) {
      for (auto& t : *numeric) add(std::move(t));
    } else {
      // A host name? Letters, digits, dots and dashes only; no slash or range syntax.
      bool name_like = !spec.empty() && spec.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                                               "0123456789.-_") == std::string::npos &&
                       std::isalpha(static_cast<unsigned char>(spec.back()));
      if (!name_like) return make_unexpected(numeric.error());
      addrinfo hints{}, *res = nullptr;
      hints.ai_socktype = SOCK_STREAM;
      int rc = ::getaddrinfo(spec.c_str(), nullptr, &hints, &res);
      if (rc != 0) return make_unexpected(fmt::format("'{}': {}", spec, ::gai_strerror(rc)));
      for (auto* r = res; r; r = r->ai_next) add(from_sockaddr(r->ai_addr, r->ai_addrlen, spec));
      ::freeaddrinfo(res);
    }
    if (out.size() > max_targets)
      return make_unexpected(fmt::format("more than {} addresses to scan: split the scan", max_targets));
  }
  return out;
}

expected<std::vector<std::uint16_t>, std::string> parse_ports(std::string_view spec) {
  std::set<std::uint16_t> ports;
  auto port = [&](std::string_view p) -> expected<std::uint16_t, std::string> {
    auto n = to_number<long>(trim(p));
    if (!n) return make_unexpected(fmt::format("--ports: '{}' is not a port number", p));
    if (*n < 1 || *n > 65535) return make_unexpected(fmt::format("--ports: {} is out of range (1-65535)", *n));
    return static_cast<std::uint16_t>(*n);
  };
  for (auto part : split(spec, ',')) {
    part = trim(part);
    if (part == "all" || part == "-") {
      for (int p = 1; p <= 65535; ++p) ports.insert(static_cast<std::uint16_t>(p));
    } else if (part == "top100") {
      ports.insert(top100_ports().begin(), top100_ports().end());
    } else if (auto dash = part.find('-'); dash != std::string_view::npos) {
      auto lo = port(part.substr(0, dash)), hi = port(part.substr(dash + 1));
      if (!lo) return make_unexpected(lo.error());
      if (!hi) return make_unexpected(hi.error());
      if (*hi < *lo) return make_unexpected(fmt::format("--ports: '{}' ends before it starts", part));
      for (int p = *lo; p <= *hi; ++p) ports.insert(static_cast<std::uint16_t>(p));
    } else {
      auto p = port(part);
      if (!p) return make_unexpected(p.error());
      ports.insert(*p);
    }
  }
  if (ports.empty()) return make_unexpected(std::string("--ports: no port given"));
  return std::vector<std::uint16_t>(ports.begin(), ports.end());
}

const std::vector<std::uint16_t>& top100_ports() {
  static const std::vector<std::uint16_t> ports = {
      7,    9,    13,   21,   22,   23,   25,   26,   37,   53,   79,   80,   81,   88,   106,  110,  111,
      113,  119,  135,  139,  143,  144,  179,  199,  389,  427,  443,  444,  445,  465,  513,  514,  515,
      543,  544,  548,  554,  587,  631,  646,  873,  990,  993,  995,  1025, 1026, 1027, 1028, 1029, 1110,
      1433, 1720, 1723, 1755, 1900, 2000, 2001, 2049, 2121, 2717, 3000, 3128, 3306, 3389, 3986, 4899, 5000,
      5009, 5051, 5060, 5101, 5190, 5357, 5432, 5631, 5666, 5800, 5900, 6000, 6001, 6646, 7070, 8000, 8008,
      8009, 8080, 8081, 8443, 8888, 9100, 9999, 10000, 32768, 49152, 49153, 49154, 49155, 49156, 49157};
  return ports;
}

}  // namespace vigil::netscan
