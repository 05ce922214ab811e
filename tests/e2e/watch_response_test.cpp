// End-to-end: vigil watch's triggers and actions, in two network namespaces the test makes
// (never the host's own ruleset): failed SSH passwords from the peer's address put it in the
// nftables set, its next connection fails and succeeds again once the block's timeout ran out,
// its traffic is captured into a pcap libpcap reads back, a handler receives the finding; an
// allowlisted address is never blocked, a dry run leaves the ruleset untouched, and actions
// that fail (a missing handler, a hung one, nftables refusing, a vanished interface) are
// findings while the daemon keeps going.
#include <pcap/pcap.h>

#include <chrono>
#include <filesystem>

#include <gtest/gtest.h>

#include "e2e/netns_pair.hpp"
#include "e2e/watch_support.hpp"

using namespace vigil::testing;
namespace fs = std::filesystem;

namespace {

constexpr int kPort = 9022;

std::string config(const TempDir& d, const std::string& response, const std::string& actions) {
  return "state_dir: " + d / "state" + "\nsources:\n  logs: [" + d / "auth.log" +
         "]\n  triage: off\n  processes: off\nsinks:\n  - {type: jsonl, path: " + d / "out.jsonl" + "}\n" + response +
         "triggers:\n  - name: brute-force\n    when: logs.*brute-force\n    severity: medium\n    key: source.ip\n"
         "    actions:\n" +
         actions;
}

std::unique_ptr<WatchDaemon> start_in(const TempDir& d, const NetnsPair& net, std::vector<std::string> extra = {},
                                      std::vector<std::string> wrapper = {}) {
  std::vector<std::string> argv = {"ip", "netns", "exec", net.a()};
  argv.insert(argv.end(), wrapper.begin(), wrapper.end());
  argv.insert(argv.end(), {VIGIL_BINARY, "watch", "--config", d / "w.yaml"});
  argv.insert(argv.end(), extra.begin(), extra.end());
  auto w = std::make_unique<WatchDaemon>(d, "/bin/ip", argv);
  if (!watch_started(d)) return nullptr;
  return w;
}

void brute_force(const TempDir& d, const std::string& ip) {
  for (int i = 0; i < 6; ++i) failure(d, i, "auth.log", ip);
}

std::vector<nlohmann::json> actions(const TempDir& d, const std::string& kind, const std::string& rule = "watch.action") {
  std::vector<nlohmann::json> out;
  for (const auto& f : written(d, rule))
    if (f["vigil"]["action"] == kind) out.push_back(f);
  return out;
}

std::size_t packets_with(const std::string& path, const std::string& host) {
  char err[PCAP_ERRBUF_SIZE];
  pcap_t* p = pcap_open_offline(path.c_str(), err);
  if (!p) return 0;
  bpf_program filter{};
  std::size_t n = 0;
  if (pcap_compile(p, &filter, ("host " + host).c_str(), 1, PCAP_NETMASK_UNKNOWN) == 0) {
    pcap_pkthdr* h;
    const u_char* bytes;
    while (pcap_next_ex(p, &h, &bytes) == 1)
      if (pcap_offline_filter(&filter, h, bytes)) ++n;
    pcap_freecode(&filter);
  }
  pcap_close(p);
  return n;
}

// Each test runs in namespaces of its own, made here; skipped, saying why, where they cannot be.
class WatchResponse : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::geteuid() != 0) GTEST_SKIP() << "needs root to make network namespaces";
    if (!fs::exists("/bin/ip")) GTEST_SKIP() << "needs ip (iproute2)";
    net_ = std::make_unique<NetnsPair>();
    if (!net_->error().empty()) GTEST_SKIP() << "cannot make network namespaces here: " << net_->error();
  }
  std::unique_ptr<NetnsPair> net_;
};

}  // namespace

TEST_F(WatchResponse, ABruteForceBlocksThePeerUntilTheTimeoutCapturesItAndRunsTheHandler) {
  const NetnsPair& net = *net_;
  TempDir d("vigil-watch-block");
  d.write("auth.log", "");
  d.write("w.yaml", config(d, "",
                           "      - {type: block, ttl: 4s}\n"
                           "      - {type: capture, duration: 2s, max_size: 1MB}\n"
                           "      - {type: exec, argv: [/bin/sh, -c, 'cat > " + d / "handler.json" +
                               "; echo \"$VIGIL_SOURCE_IP\" > " + d / "handler.ip" + "'], timeout: 5s}\n"));
  int listener = net.listen_in_a(kPort);
  ASSERT_GE(listener, 0);
  auto w = start_in(d, net);
  ASSERT_TRUE(w) << slurp(d / "err.txt");
  ASSERT_TRUE(net.connects_from_b(kPort, net.address_b())) << "the namespaces do not reach each other";

  const auto written_at = std::chrono::steady_clock::now();
  brute_force(d, net.address_b());
  ASSERT_TRUE(wait_for([&] { return !actions(d, "block").empty(); }, 3.0)) << slurp(d / "err.txt") << slurp(d / "out.jsonl");
  const auto latency = std::chrono::steady_clock::now() - written_at;
  EXPECT_LT(latency, std::chrono::seconds(1));
  auto block = actions(d, "block")[0];
  EXPECT_EQ(block["event"]["kind"], "event");
  EXPECT_EQ(block["event"]["outcome"], "success");
  EXPECT_EQ(block["source"]["ip"], net.address_b());
  EXPECT_EQ(block["vigil"]["trigger_rule"], "logs.auth-brute-force");
  auto listed = net.run_in_a({VIGIL_BINARY, "watch", "--config", d / "w.yaml", "--blocked"});
  EXPECT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_NE(listed.out.find(net.address_b() + "  expires in"), std::string::npos) << listed.out;

  // Blocked: the attacker's next connection fails; another address of the same host is not blocked.
  EXPECT_FALSE(net.connects_from_b(kPort, net.address_b()));
  EXPECT_TRUE(net.connects_from_b(kPort, net.address_b2()));

  // The handler had the finding on stdin and its fields in the environment.
  ASSERT_TRUE(wait_for([&] { return !actions(d, "exec").empty(); }, 3.0)) << slurp(d / "out.jsonl");
  EXPECT_EQ(slurp(d / "handler.ip"), net.address_b() + "\n");
  auto handed = nlohmann::json::parse(slurp(d / "handler.json"), nullptr, false);
  ASSERT_TRUE(handed.is_object()) << slurp(d / "handler.json");
  EXPECT_EQ(handed["rule"]["id"], "logs.auth-brute-force");

  // The capture holds the blocked connection attempts. It runs on its own thread and may open
  // its handle after the first attempt above (a loaded machine did): the attacker keeps trying
  // while it runs.
  ASSERT_TRUE(wait_for(
      [&] {
        net.connects_from_b(kPort, net.address_b(), 100);
        return !actions(d, "capture").empty();
      },
      5.0))
      << slurp(d / "out.jsonl");
  auto capture = actions(d, "capture")[0];
  const std::string pcap = capture["file"]["path"];
  EXPECT_TRUE(pcap.starts_with(d / "state/captures/")) << pcap;
  EXPECT_GT(packets_with(pcap, net.address_b()), 0u);
  EXPECT_EQ(packets_with(pcap, net.address_b()), capture["vigil"]["packets"].get<std::size_t>());

  // Once per key: the same address logging in after its brute force is a second finding the
  // trigger selects, and sets nothing off while the key's once_per runs.
  std::ofstream(d / "auth.log", std::ios::app) << syslog_now() << " web1 sshd[4100]: Accepted password for root from "
                                               << net.address_b() << " port 50100 ssh2\n";
  ASSERT_TRUE(wait_for([&] { return !written(d, "logs.login-after-brute-force").empty(); }, 3.0)) << slurp(d / "out.jsonl");
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(actions(d, "block").size(), 1u);

  // The login after the brute force is the repeat - once: the 10-minute rule absorbs the
  // 24-hour one, which sees the same login (status.json is rewritten every second).
  const std::string counted =
      "triggers (1): 2 findings selected, 1 repeats within once_per, 0 over the rate; 3 actions, 0 FAILED; 1 keys active";
  EXPECT_TRUE(wait_for(
      [&] { return run_vigil({"watch", "--state-dir", d / "state", "--status"}).out.find(counted) != std::string::npos; },
      3.0))
      << run_vigil({"watch", "--state-dir", d / "state", "--status"}).out;
  // The kernel lifts the block at its timeout.
  EXPECT_TRUE(wait_for([&] { return net.connects_from_b(kPort, net.address_b(), 300); }, 6.0));
  EXPECT_EQ(w->stop(SIGTERM), 0);
  ::close(listener);
  auto ledger = slurp(d / "state/actions.jsonl");
  EXPECT_NE(ledger.find("\"outcome\":\"success\""), std::string::npos) << ledger;
}

TEST_F(WatchResponse, AllowlistedAddressesAreNeverBlockedAndADryRunTouchesNothing) {
  const NetnsPair& net = *net_;
  TempDir d("vigil-watch-dry");
  d.write("auth.log", "");
  d.write("w.yaml", config(d, "response:\n  allowlist: [" + net.address_b() + "]\n",
                           "      - {type: block, ttl: 1h}\n      - {type: capture, duration: 1s}\n"));
  auto w = start_in(d, net, {"--dry-run"});
  ASSERT_TRUE(w) << slurp(d / "err.txt");
  brute_force(d, net.address_b());   // allowlisted
  brute_force(d, net.address_b2());  // not, but a dry run
  ASSERT_TRUE(wait_for([&] { return actions(d, "block").size() == 2 && actions(d, "capture").size() == 2; }, 3.0))
      << slurp(d / "out.jsonl");
  std::string said;
  for (const auto& f : actions(d, "block")) {
    said += f["message"].get<std::string>() + "\n";
    EXPECT_EQ(f["event"]["outcome"], "unknown");
  }
  EXPECT_NE(said.find("Not blocked: " + net.address_b() + " is in the allowlist"), std::string::npos) << said;
  EXPECT_NE(said.find("Dry run: would block " + net.address_b2()), std::string::npos) << said;
  for (const auto& f : actions(d, "capture")) EXPECT_NE(f["message"].get<std::string>().find("Dry run"), std::string::npos);
  auto listed = net.run_in_a({VIGIL_BINARY, "watch", "--config", d / "w.yaml", "--blocked"});
  EXPECT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_NE(listed.out.find("0 addresses blocked"), std::string::npos) << listed.out;
  EXPECT_FALSE(fs::exists(d / "state/captures"));
  int listener = net.listen_in_a(kPort);
  EXPECT_TRUE(net.connects_from_b(kPort, net.address_b2()));  // a dry run blocks nothing
  ::close(listener);
  EXPECT_EQ(w->stop(SIGTERM), 0);
}

TEST_F(WatchResponse, FailingActionsAreFindingsAndTheDaemonKeepsGoing) {
  if (!fs::exists("/usr/bin/setpriv")) GTEST_SKIP() << "needs setpriv (util-linux)";
  const NetnsPair& net = *net_;
  TempDir d("vigil-watch-fail");
  d.write("auth.log", "");
  d.write("w.yaml", config(d, "",
                           "      - {type: exec, argv: [/nonexistent/handler], timeout: 2s}\n"
                           "      - {type: exec, argv: [/bin/sleep, '30'], timeout: 500ms}\n"
                           "      - {type: block, ttl: 1h}\n"
                           "      - {type: capture, interface: nosuchif0, duration: 1s}\n"));
  // Without CAP_NET_ADMIN nftables refuses every change.
  auto w = start_in(d, net, {}, {"/usr/bin/setpriv", "--bounding-set=-net_admin", "--inh-caps=-net_admin"});
  ASSERT_TRUE(w) << slurp(d / "err.txt");
  const auto started = std::chrono::steady_clock::now();
  brute_force(d, net.address_b());
  ASSERT_TRUE(wait_for([&] { return written(d, "watch.action-failed").size() == 4; }, 5.0)) << slurp(d / "out.jsonl");
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(4));  // the hung one was killed
  std::string said;
  for (const auto& f : written(d, "watch.action-failed")) {
    said += f["message"].get<std::string>() + "\n";
    EXPECT_EQ(f["vigil"]["severity"], "medium");
    EXPECT_EQ(f["event"]["outcome"], "failure");
  }
  EXPECT_NE(said.find("does not exist"), std::string::npos) << said;
  EXPECT_NE(said.find("did not finish within 0.5 s"), std::string::npos) << said;
  EXPECT_NE(said.find("nftables refused"), std::string::npos) << said;
  EXPECT_NE(said.find("nosuchif0"), std::string::npos) << said;
  // Still running: the next attacker is still reported.
  brute_force(d, net.address_b2());
  EXPECT_TRUE(wait_for([&] { return written(d, "logs.auth-brute-force").size() == 2; }, 3.0));
  EXPECT_TRUE(w->alive());
  EXPECT_EQ(w->stop(SIGTERM), 0);
}
