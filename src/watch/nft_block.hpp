// Blocking an address with nftables through libnftables (the library nft itself is built on,
// not the nft program): `table inet TABLE` with sets blocked4 / blocked6 (flags timeout) and an
// input chain dropping their sources, created when absent; an address is an element with a
// timeout, so the kernel lifts the block itself, with or without vigil. The table lives in the
// network namespace of the calling process (tests run in namespaces of their own).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/cidr.hpp"
#include "core/expected.hpp"

struct nft_ctx;

namespace vigil::watch {

struct BlockedAddress {
  std::string address;
  std::int64_t expires_s = 0;  // seconds left; 0 for no timeout
};

// Why an address must never be blocked ("" when it may be): not an address, loopback,
// unspecified or multicast, one of this host's own addresses, or in the allowlist.
std::string never_block(const std::string& address, const std::vector<Cidr>& allowlist);

// The table's elements out of `nft -j list set` JSON; the error names what is malformed.
expected<std::vector<BlockedAddress>, std::string> parse_blocked_json(const std::string& json);

class NftBlocker {
 public:
  explicit NftBlocker(std::string table = "vigil");
  ~NftBlocker();
  NftBlocker(const NftBlocker&) = delete;
  NftBlocker& operator=(const NftBlocker&) = delete;

  // Creates the table, sets and chain when missing (the sets' elements are kept).
  expected<void, std::string> ensure();
  expected<void, std::string> block(const std::string& address, std::int64_t ttl_s);
  expected<void, std::string> unblock(const std::string& address);
  expected<std::vector<BlockedAddress>, std::string> blocked();
  // The nftables commands block() runs, for --dry-run and the documentation.
  std::string describe_block(const std::string& address, std::int64_t ttl_s) const;

 private:
  expected<std::string, std::string> run(const std::string& commands);
  std::string table_;
  ::nft_ctx* ctx_ = nullptr;
};

}  // namespace vigil::watch
