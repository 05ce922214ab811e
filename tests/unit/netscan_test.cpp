// vigil scan-ports' parsers (issue 19): targets, port lists, the baseline file, banners.
#include <gtest/gtest.h>

#include "netscan/baseline.hpp"
#include "netscan/connect_scan.hpp"
#include "netscan/targets.hpp"

using namespace vigil::netscan;

namespace {

std::vector<std::string> addresses(const std::vector<Target>& ts) {
  std::vector<std::string> out;
  for (const auto& t : ts) out.push_back(t.address);
  return out;
}

}  // namespace

TEST(NetscanTargets, AddressesNetworksAndRanges) {
  EXPECT_EQ(addresses(*expand_numeric("192.0.2.9/30")),
            (std::vector<std::string>{"192.0.2.8", "192.0.2.9", "192.0.2.10", "192.0.2.11"}));
  EXPECT_EQ(addresses(*expand_numeric("10.0.0.5-7")), (std::vector<std::string>{"10.0.0.5", "10.0.0.6", "10.0.0.7"}));
  EXPECT_EQ(expand_numeric("10.0.0.250-10.0.1.4")->size(), 11u);
  EXPECT_EQ(addresses(*expand_numeric("2001:db8::1/126")),
            (std::vector<std::string>{"2001:db8::", "2001:db8::1", "2001:db8::2", "2001:db8::3"}));
  auto one = expand_numeric("::1");
  ASSERT_TRUE(one);
  EXPECT_TRUE(one->front().v6());
  EXPECT_TRUE(one->front().loopback());
  EXPECT_TRUE(expand_numeric("127.1.2.3")->front().loopback());
  EXPECT_FALSE(expand_numeric("192.0.2.1")->front().loopback());
  EXPECT_EQ(expand_numeric("10.0.0.0/8").error(), "'10.0.0.0/8': 16777216 addresses, more than the 65536 one scan takes");
  EXPECT_FALSE(expand_numeric("2001:db8::/64"));
  EXPECT_FALSE(expand_numeric("10.0.0.9-3"));
  EXPECT_FALSE(expand_numeric("10.0.0.1-300"));
  EXPECT_FALSE(expand_numeric("10.0.0.1/33"));
  EXPECT_NE(expand_numeric("300.1.1.1").error().find("not an address"), std::string::npos);
  EXPECT_FALSE(expand_numeric(""));
}

TEST(NetscanTargets, NamesResolveAndJunkIsRefused) {
  auto local = expand_targets({"localhost", "127.0.0.1"});
  ASSERT_TRUE(local) << local.error();
  EXPECT_FALSE(local->empty());
  EXPECT_EQ(local->front().name, "localhost");
  auto bad = expand_targets({"exa mple/../x"});
  EXPECT_FALSE(bad);
  auto unknown = expand_targets({"no-such-host.invalid"});
  ASSERT_FALSE(unknown);
  EXPECT_NE(unknown.error().find("no-such-host.invalid"), std::string::npos);
}

TEST(NetscanPorts, ListsRangesAndNames) {
  EXPECT_EQ(*parse_ports("22,20-21, 80"), (std::vector<std::uint16_t>{20, 21, 22, 80}));
  EXPECT_EQ(parse_ports("all")->size(), 65535u);
  EXPECT_EQ(parse_ports("top100")->size(), 100u);
  EXPECT_EQ(parse_ports("1-1024")->size(), 1024u);
  EXPECT_EQ(parse_ports("70000").error(), "--ports: 70000 is out of range (1-65535)");
  EXPECT_EQ(parse_ports("0").error(), "--ports: 0 is out of range (1-65535)");
  EXPECT_FALSE(parse_ports("http"));
  EXPECT_FALSE(parse_ports("100-20"));
  EXPECT_FALSE(parse_ports(""));
}

TEST(NetscanBaseline, ParsedWithCommentsAndErrorsNameTheLine) {
  auto b = parse_baseline("# expected\n192.0.2.10 22/tcp  # sshd\n\n192.0.2.10 443\n::1 631/tcp\n192.0.2.10 53/udp\n",
                          "open.txt");
  ASSERT_TRUE(b) << b.error();
  EXPECT_EQ(b->open.size(), 4u);
  EXPECT_TRUE(b->open.contains({"::1", 631, "tcp"}));
  EXPECT_TRUE(b->open.contains({"192.0.2.10", 443, "tcp"}));
  EXPECT_TRUE(b->open.contains({"192.0.2.10", 53, "udp"}));
  EXPECT_TRUE(b->hosts.contains("192.0.2.10"));
  EXPECT_EQ(parse_baseline("192.0.2.10 22/tcp\n192.0.2.10 53/sctp\n", "f").error(), "f:2: '53/sctp': tcp or udp ports");
  EXPECT_EQ(parse_baseline("192.0.2.10 70000\n", "f").error(), "f:1: '70000' is not a port 1-65535");
  EXPECT_EQ(parse_baseline("host.example 22\n", "f").error(), "f:1: 'host.example' is not one numeric address");
  EXPECT_EQ(parse_baseline("192.0.2.0/24 22\n", "f").error(), "f:1: '192.0.2.0/24' is not one numeric address");
  EXPECT_FALSE(parse_baseline("22\n", "f"));
}

TEST(NetscanBanner, OneLineControlCharactersShown) {
  EXPECT_EQ(banner_text("SSH-2.0-OpenSSH_9.2\r\n"), "SSH-2.0-OpenSSH_9.2");
  EXPECT_EQ(banner_text(std::string("220 ftp\r\n230 ok\r\n")), "220 ftp\\n230 ok");
  EXPECT_EQ(banner_text(std::string("a\x01\x7f", 3)), "a\\x01\\x7f");
  EXPECT_EQ(banner_text(std::string(300, 'x'), 10), "xxxxxxxxxx…");
}
