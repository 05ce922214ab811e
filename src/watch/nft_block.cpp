#include "watch/nft_block.hpp"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <nftables/libnftables.h>

#include <fmt/format.h>

#include <cstring>

#include <nlohmann/json.hpp>

#include "core/text.hpp"

namespace vigil::watch {

namespace {

bool is_v6(const std::string& address) { return address.find(':') != std::string::npos; }

// The host's own addresses, in this network namespace.
std::vector<std::string> own_addresses() {
  std::vector<std::string> out;
  ifaddrs* list = nullptr;
  if (::getifaddrs(&list) != 0) return out;
  for (auto* a = list; a; a = a->ifa_next) {
    if (!a->ifa_addr) continue;
    char buf[INET6_ADDRSTRLEN] = {};
    if (a->ifa_addr->sa_family == AF_INET)
      inet_ntop(AF_INET, &reinterpret_cast<sockaddr_in*>(a->ifa_addr)->sin_addr, buf, sizeof buf);
    else if (a->ifa_addr->sa_family == AF_INET6)
      inet_ntop(AF_INET6, &reinterpret_cast<sockaddr_in6*>(a->ifa_addr)->sin6_addr, buf, sizeof buf);
    else
      continue;
    out.emplace_back(buf);
  }
  ::freeifaddrs(list);
  return out;
}

}  // namespace

std::string never_block(const std::string& address, const std::vector<Cidr>& allowlist) {
  auto single = Cidr::parse(address);
  if (!single || address.find('/') != std::string::npos) return "not an IP address";
  for (const auto& [net, why] : std::initializer_list<std::pair<const char*, const char*>>{
           {"127.0.0.0/8", "loopback"}, {"::1/128", "loopback"}, {"0.0.0.0/32", "unspecified"},
           {"::/128", "unspecified"}, {"224.0.0.0/4", "multicast"}, {"ff00::/8", "multicast"},
           {"255.255.255.255/32", "broadcast"}})
    if (Cidr::parse(net)->contains(address)) return why;
  for (const auto& own : own_addresses())
    if (Cidr::parse(own) && Cidr::parse(own)->contains(address)) return "one of this host's own addresses";
  for (const auto& net : allowlist)
    if (net.contains(address)) return "in the allowlist (" + net.text() + ")";
  return {};
}

expected<std::vector<BlockedAddress>, std::string> parse_blocked_json(const std::string& json) {
  auto j = nlohmann::json::parse(json, nullptr, false);
  if (!j.is_object() || !j.contains("nftables") || !j["nftables"].is_array())
    return make_unexpected(std::string("nft JSON: no 'nftables' list"));
  std::vector<BlockedAddress> out;
  for (const auto& item : j["nftables"]) {
    if (!item.is_object() || !item.contains("set")) continue;
    const auto& set = item["set"];
    if (!set.is_object() || !set.contains("elem") || !set["elem"].is_array()) continue;
    for (const auto& e : set["elem"]) {
      BlockedAddress b;
      if (e.is_string()) {
        b.address = e.get<std::string>();
      } else if (e.is_object() && e.contains("elem") && e["elem"].is_object()) {
        const auto& inner = e["elem"];
        if (inner.contains("val") && inner["val"].is_string()) b.address = inner["val"].get<std::string>();
        if (inner.contains("expires") && inner["expires"].is_number_integer()) b.expires_s = inner["expires"].get<std::int64_t>();
      }
      if (!b.address.empty()) out.push_back(std::move(b));
    }
  }
  return out;
}

NftBlocker::NftBlocker(std::string table) : table_(std::move(table)) {
  ctx_ = nft_ctx_new(NFT_CTX_DEFAULT);
  if (ctx_) {
    nft_ctx_buffer_output(ctx_);
    nft_ctx_buffer_error(ctx_);
  }
}

NftBlocker::~NftBlocker() {
  if (ctx_) nft_ctx_free(ctx_);
}

expected<std::string, std::string> NftBlocker::run(const std::string& commands) {
  if (!ctx_) return make_unexpected(std::string("nftables: cannot create a context"));
  if (nft_run_cmd_from_buffer(ctx_, commands.c_str()) != 0) {
    // Its messages span lines (the command, a caret under the culprit): one line of them.
    std::string said;
    for (auto line : split(nft_ctx_get_error_buffer(ctx_), '\n'))
      if (auto t = trim(line); !t.empty() && t.find_first_not_of("^~ ") != std::string_view::npos)
        said += (said.empty() ? "" : " / ") + std::string(t);
    return make_unexpected("nftables refused: " + said);
  }
  return std::string(nft_ctx_get_output_buffer(ctx_));
}

expected<void, std::string> NftBlocker::ensure() {
  // Sets and their elements are kept; the chain's rules are set to exactly these two.
  auto r = run(fmt::format(
      "add table inet {0}\n"
      "add set inet {0} blocked4 {{ type ipv4_addr; flags timeout; }}\n"
      "add set inet {0} blocked6 {{ type ipv6_addr; flags timeout; }}\n"
      "add chain inet {0} input {{ type filter hook input priority -10; policy accept; }}\n"
      "flush chain inet {0} input\n"
      "add rule inet {0} input ip saddr @blocked4 drop\n"
      "add rule inet {0} input ip6 saddr @blocked6 drop\n",
      table_));
  if (!r) return make_unexpected(r.error());
  return {};
}

std::string NftBlocker::describe_block(const std::string& address, std::int64_t ttl_s) const {
  return fmt::format("add element inet {} {} {{ {} timeout {}s }}", table_, is_v6(address) ? "blocked6" : "blocked4",
                     address, ttl_s);
}

expected<void, std::string> NftBlocker::block(const std::string& address, std::int64_t ttl_s) {
  if (auto r = ensure(); !r) return r;
  // Deleted first so that a new block restarts the timeout (an add of an element present does not).
  (void)run(fmt::format("delete element inet {} {} {{ {} }}", table_, is_v6(address) ? "blocked6" : "blocked4", address));
  auto r = run(describe_block(address, ttl_s));
  if (!r) return make_unexpected(r.error());
  return {};
}

expected<void, std::string> NftBlocker::unblock(const std::string& address) {
  auto r = run(fmt::format("delete element inet {} {} {{ {} }}", table_, is_v6(address) ? "blocked6" : "blocked4", address));
  if (!r) return make_unexpected(r.error());
  return {};
}

expected<std::vector<BlockedAddress>, std::string> NftBlocker::blocked() {
  if (!ctx_) return make_unexpected(std::string("nftables: cannot create a context"));
  std::vector<BlockedAddress> out;
  nft_ctx_output_set_flags(ctx_, NFT_CTX_OUTPUT_JSON);
  for (const char* set : {"blocked4", "blocked6"}) {
    auto r = run(fmt::format("list set inet {} {}", table_, set));
    if (!r) {
      nft_ctx_output_set_flags(ctx_, 0);
      if (r.error().find("No such file or directory") != std::string::npos) return out;  // no table: nothing blocked
      return make_unexpected(r.error());
    }
    auto parsed = parse_blocked_json(*r);
    if (!parsed) {
      nft_ctx_output_set_flags(ctx_, 0);
      return make_unexpected(parsed.error());
    }
    out.insert(out.end(), parsed->begin(), parsed->end());
  }
  nft_ctx_output_set_flags(ctx_, 0);
  return out;
}

}  // namespace vigil::watch
