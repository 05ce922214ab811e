// An IPv4 or IPv6 network (address/prefix) and whether an address text lies in it: Sigma's
// `cidr` modifier, and the networks of watch's trigger conditions and block allowlist. An
// IPv4 network also holds the IPv4-mapped IPv6 form of its addresses (::ffff:192.0.2.1).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace vigil {

struct Cidr {
  std::uint8_t bytes[16] = {};
  int prefix = 0;
  bool v6 = false;

  // "192.0.2.0/24", "2001:db8::/32", or an address alone (a /32 or /128); nullopt otherwise.
  static std::optional<Cidr> parse(std::string_view text);
  bool contains(std::string_view address) const;
  std::string text() const;
};

}  // namespace vigil
