// vigil scan-ports (issue 19) inside network namespaces the test makes, never anything else:
// listeners started by the test found with their banners and (on loopback) their process;
// closed ports and a port behind an nft drop rule told apart; a baseline flags the new port
// and the one gone; a /24 with two hosts; bad input refused with a clear error.
#include <gtest/gtest.h>
#include <nftables/libnftables.h>
#include <unistd.h>

#include <atomic>
#include <map>
#include <nlohmann/json.hpp>
#include <thread>

#include "e2e/netns_pair.hpp"
#include "support/temp_dir.hpp"

using namespace vigil::testing;

namespace {

// A listener in namespace a that greets each client with `greeting`, or answers a request with
// it when `answer` (an HTTP server), until stopped.
class Service {
 public:
  Service(const NetnsPair& net, int port, std::string greeting, bool answer)
      : fd_(net.listen_in_a(port)), greeting_(std::move(greeting)), answer_(answer) {
    if (fd_ >= 0) thread_ = std::thread([this] { serve(); });
  }
  ~Service() {
    stop_ = true;
    ::shutdown(fd_, SHUT_RDWR);
    if (thread_.joinable()) thread_.join();
    if (fd_ >= 0) ::close(fd_);
  }
  bool ok() const { return fd_ >= 0; }

 private:
  void serve() {
    while (!stop_) {
      int c = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (c < 0) return;
      if (answer_) {
        char buf[256];
        pollfd p{c, POLLIN, 0};
        if (::poll(&p, 1, 3000) == 1) (void)::recv(c, buf, sizeof buf, 0);
      }
      (void)::send(c, greeting_.data(), greeting_.size(), MSG_NOSIGNAL);
      ::close(c);
    }
  }
  int fd_;
  std::string greeting_;
  bool answer_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

bool nft_in_a(const NetnsPair& net, const std::string& commands, std::string& error) {
  bool ok = false;
  net.in_a([&] {
    nft_ctx* ctx = nft_ctx_new(NFT_CTX_DEFAULT);
    nft_ctx_buffer_error(ctx);
    ok = nft_run_cmd_from_buffer(ctx, commands.c_str()) == 0;
    if (!ok) error = nft_ctx_get_error_buffer(ctx);
    nft_ctx_free(ctx);
  });
  return ok;
}

// port -> state, from --table --all-states --format jsonl
std::map<int, std::string> states(const RunResult& r) {
  std::map<int, std::string> out;
  for (const auto& row : parse_jsonl(r.out)) out[row["port"].get<int>()] = row["state"].get<std::string>();
  return out;
}

std::map<int, nlohmann::json> findings_by_port(const RunResult& r, std::string_view rule) {
  std::map<int, nlohmann::json> out;
  auto doc = nlohmann::json::parse(r.out, nullptr, false);
  if (doc.is_discarded()) return out;
  for (const auto& f : doc["findings"])
    if (f["rule"]["id"] == rule) out[f["destination"]["port"].get<int>()] = f;
  return out;
}

}  // namespace

TEST(ScanPorts, ListenersBannersStatesAndABaseline) {
  NetnsPair net;
  if (!net.error().empty()) GTEST_SKIP() << "cannot make network namespaces: " << net.error();
  TempDir d("vigil-scanports");
  // A namespace with nothing listening: nothing to report.
  auto quiet = net.run_in_a({VIGIL_BINARY, "scan-ports", "127.0.0.1", "--ports", "1-1024", "--format", "json"});
  ASSERT_EQ(quiet.exit_code, 0) << quiet.err;
  EXPECT_TRUE(findings_by_port(quiet, "netscan.port-open").empty()) << quiet.out;

  Service ssh(net, 2222, "SSH-2.0-vigil_test\r\n", false), web(net, 8080, "HTTP/1.0 200 OK\r\nServer: vigil-test\r\n\r\n", true);
  int silent = net.listen_in_a(3349), dropped = net.listen_in_a(9999);
  ASSERT_TRUE(ssh.ok() && web.ok() && silent >= 0 && dropped >= 0);
  std::string error;
  ASSERT_TRUE(nft_in_a(net, "add table inet vigil_test\n"
                            "add chain inet vigil_test input { type filter hook input priority 0; }\n"
                            "add rule inet vigil_test input tcp dport 9999 drop\n",
                       error))
      << error;
  const std::vector<std::string> scan = {VIGIL_BINARY, "scan-ports", "--ports", "2222,3349,8080,9998,9999",
                                         "--timeout", "300", "--retries", "1", "--banner-timeout", "600"};
  auto table = scan;
  table.insert(table.end(), {"127.0.0.1", "--table", "--all-states", "--format", "jsonl"});
  auto t = net.run_in_a(table);
  ASSERT_EQ(t.exit_code, 0) << t.err;
  EXPECT_EQ(states(t), (std::map<int, std::string>{
                           {2222, "open"}, {3349, "open"}, {8080, "open"}, {9998, "closed"}, {9999, "filtered"}}));

  auto loop = scan;
  loop.insert(loop.end(), {"127.0.0.1", "--format", "json", "--save-baseline", d / "open.txt"});
  auto f = net.run_in_a(loop);
  ASSERT_EQ(f.exit_code, 0) << f.err;
  auto open = findings_by_port(f, "netscan.port-open");
  ASSERT_EQ(open.size(), 3u) << f.out;
  EXPECT_EQ(open[2222]["vigil"]["banner"], "SSH-2.0-vigil_test");
  EXPECT_EQ(open[8080]["vigil"]["http_response"], "HTTP/1.0 200 OK\\nServer: vigil-test");
  EXPECT_FALSE(open[3349]["vigil"].contains("banner"));
  EXPECT_EQ(open[3349]["process"]["pid"], ::getpid()) << "the test process holds the loopback listener";
  auto saved = slurp(d / "open.txt");
  EXPECT_NE(saved.find("127.0.0.1 2222/tcp  # SSH-2.0-vigil_test"), std::string::npos) << saved;

  // From the other namespace, over the veth: the same states, no process (not this host's loopback).
  auto remote_cmd = scan;
  remote_cmd.insert(remote_cmd.begin(), {"/bin/ip", "netns", "exec", net.b()});
  remote_cmd.insert(remote_cmd.end(), {net.address_a(), "--table", "--all-states", "--format", "jsonl"});
  auto remote = run_vigil_as(remote_cmd);
  ASSERT_EQ(remote.exit_code, 0) << remote.err;
  EXPECT_EQ(states(remote), states(t));

  // Later: a new listener (the renamed netcat's port) and a service gone.
  int backdoor = net.listen_in_a(4444);
  ::close(silent);
  auto again_cmd = scan;
  again_cmd[3] = "2222,3349,4444,8080";
  again_cmd.insert(again_cmd.end(), {"127.0.0.1", "--format", "json", "--baseline", d / "open.txt"});
  auto again = net.run_in_a(again_cmd);
  EXPECT_EQ(again.exit_code, 1) << again.err;  // a high finding
  auto added = findings_by_port(again, "netscan.port-new");
  ASSERT_EQ(added.size(), 1u) << again.out;
  EXPECT_EQ(added[4444]["vigil"]["severity"], "high");
  auto gone = findings_by_port(again, "netscan.port-gone");
  ASSERT_EQ(gone.size(), 1u) << again.out;
  EXPECT_TRUE(gone.contains(3349));
  ::close(backdoor);
  ::close(dropped);
}

TEST(ScanPorts, ASlash24WithTwoHostsUp) {
  NetnsPair net;
  if (!net.error().empty()) GTEST_SKIP() << "cannot make network namespaces: " << net.error();
  int fd = net.listen_in_a(2222);
  ASSERT_GE(fd, 0);
  std::string subnet = net.address_a().substr(0, net.address_a().rfind('.') + 1);
  auto r = run_vigil_as({"/bin/ip", "netns", "exec", net.b(), VIGIL_BINARY, "scan-ports", subnet + "0/24", "--ports",
                         "22,2222", "--discover", "--timeout", "400", "--retries", "0", "--table", "--format",
                         "jsonl"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto rows = parse_jsonl(r.out);
  ASSERT_EQ(rows.size(), 1u) << r.out;
  EXPECT_EQ(rows[0]["host"], net.address_a());
  EXPECT_EQ(rows[0]["port"], 2222);
  auto summary = run_vigil_as({"/bin/ip", "netns", "exec", net.b(), VIGIL_BINARY, "scan-ports", subnet + "0/24",
                               "--ports", "2222", "--discover", "--timeout", "400", "--retries", "0"});
  EXPECT_NE(summary.out.find("256 host(s) (3 up by discovery)"), std::string::npos) << summary.out;
  ::close(fd);
}

// UDP probes: a DNS server answering, a closed port (ICMP port unreachable), a port behind a
// drop rule (no answer: open or filtered), in a namespace the test makes.
TEST(ScanPorts, UdpProbesTellAnsweringClosedAndSilentApart) {
  NetnsPair net;
  if (!net.error().empty()) GTEST_SKIP() << "cannot make network namespaces: " << net.error();
  int dns = -1;
  net.in_a([&] {
    dns = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(53);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(dns, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
      ::close(dns);
      dns = -1;
    }
  });
  ASSERT_GE(dns, 0);
  std::atomic<bool> stop{false};
  std::thread responder([&] {  // answers every query with its own bytes, flags set to a response
    while (!stop) {
      pollfd p{dns, POLLIN, 0};
      if (::poll(&p, 1, 100) != 1) continue;
      char buf[512];
      sockaddr_storage from{};
      socklen_t len = sizeof from;
      ssize_t n = ::recvfrom(dns, buf, sizeof buf, 0, reinterpret_cast<sockaddr*>(&from), &len);
      if (n < 4) continue;
      buf[2] = static_cast<char>(0x81);
      buf[3] = static_cast<char>(0x80);
      ::sendto(dns, buf, static_cast<std::size_t>(n), 0, reinterpret_cast<sockaddr*>(&from), len);
    }
  });
  std::string error;
  ASSERT_TRUE(nft_in_a(net, "add table inet vigil_udp\n"
                            "add chain inet vigil_udp input { type filter hook input priority 0; }\n"
                            "add rule inet vigil_udp input udp dport 161 drop\n",
                       error))
      << error;
  auto r = net.run_in_a({VIGIL_BINARY, "scan-ports", "127.0.0.1", "--ports", "1", "--udp", "--timeout", "300",
                         "--retries", "1", "--table", "--all-states", "--format", "jsonl"});
  stop = true;
  responder.join();
  ::close(dns);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::map<int, std::string> udp;
  for (const auto& row : parse_jsonl(r.out))
    if (row["transport"] == "udp") udp[row["port"].get<int>()] = row["state"].get<std::string>();
  EXPECT_EQ(udp, (std::map<int, std::string>{{53, "open"}, {123, "closed"}, {161, "filtered"}})) << r.out;
}

TEST(ScanPorts, BadInputIsRefusedClearly) {
  TempDir d("vigil-scanports");
  auto bad_target = run_vigil({"scan-ports", "300.1.1.1"});
  EXPECT_EQ(bad_target.exit_code, 2);
  EXPECT_NE(bad_target.err.find("'300.1.1.1': not an address"), std::string::npos) << bad_target.err;
  auto bad_port = run_vigil({"scan-ports", "127.0.0.1", "--ports", "70000"});
  EXPECT_EQ(bad_port.exit_code, 2);
  EXPECT_NE(bad_port.err.find("70000 is out of range"), std::string::npos) << bad_port.err;
  auto huge = run_vigil({"scan-ports", "10.0.0.0/8", "--format", "json"});
  EXPECT_EQ(huge.exit_code, 2);
  EXPECT_NE(huge.out.find("more than the 65536"), std::string::npos) << huge.out;
  d.write("base.txt", "127.0.0.1 22/tcp\n127.0.0.1 53/sctp\n");
  auto base = run_vigil({"scan-ports", "127.0.0.1", "--ports", "1", "--baseline", d / "base.txt"});
  EXPECT_EQ(base.exit_code, 2);
  EXPECT_NE(base.err.find("base.txt:2: '53/sctp': tcp or udp ports"), std::string::npos) << base.err;
}
