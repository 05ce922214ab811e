#include "core/cidr.hpp"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>

namespace vigil {

namespace {

bool prefix_equal(const std::uint8_t* a, const std::uint8_t* b, int bits) {
  for (int i = 0; bits > 0; ++i, bits -= 8) {
    std::uint8_t mask = bits >= 8 ? 0xFF : static_cast<std::uint8_t>(0xFF << (8 - bits));
    if ((a[i] & mask) != (b[i] & mask)) return false;
  }
  return true;
}

// inet_pton needs a NUL-terminated copy; addresses are short.
bool to_bytes(std::string_view text, bool v6, std::uint8_t* out) {
  if (text.empty() || text.size() > 45) return false;
  char buf[46];
  std::memcpy(buf, text.data(), text.size());
  buf[text.size()] = 0;
  return inet_pton(v6 ? AF_INET6 : AF_INET, buf, out) == 1;
}

}  // namespace

std::optional<Cidr> Cidr::parse(std::string_view text) {
  Cidr net;
  auto slash = text.find('/');
  auto addr = text.substr(0, slash);
  net.v6 = addr.find(':') != std::string_view::npos;
  const int max = net.v6 ? 128 : 32;
  net.prefix = max;
  if (slash != std::string_view::npos) {
    auto bits = text.substr(slash + 1);
    auto [end, ec] = std::from_chars(bits.data(), bits.data() + bits.size(), net.prefix);
    if (ec != std::errc() || end != bits.data() + bits.size() || bits.empty()) return std::nullopt;
  }
  if (net.prefix < 0 || net.prefix > max || !to_bytes(addr, net.v6, net.bytes)) return std::nullopt;
  return net;
}

bool Cidr::contains(std::string_view address) const {
  std::uint8_t addr[16] = {};
  const bool is_v6 = address.find(':') != std::string_view::npos;
  if (!to_bytes(address, is_v6, addr)) return false;
  if (is_v6 == v6) return prefix_equal(addr, bytes, prefix);
  // ::ffff:a.b.c.d is the IPv4 address a.b.c.d.
  static constexpr std::uint8_t kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF};
  if (is_v6 && !v6 && std::memcmp(addr, kMapped, 12) == 0) return prefix_equal(addr + 12, bytes, prefix);
  return false;
}

std::string Cidr::text() const {
  char buf[INET6_ADDRSTRLEN] = {};
  inet_ntop(v6 ? AF_INET6 : AF_INET, bytes, buf, sizeof buf);
  return std::string(buf) + "/" + std::to_string(prefix);
}

}  // namespace vigil
