// End-to-end: the periodic triage inside vigil watch reports a listener that appears while it
// runs, once, within an interval - from the same detectors and diff as vigil triage and diff.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <filesystem>
#include <sstream>

#include <gtest/gtest.h>

#include "e2e/watch_support.hpp"

using namespace vigil::testing;
namespace fs = std::filesystem;

namespace {

// Some socket listens on the port (read from /proc/net/tcp: connecting would end netcat).
bool listening(int port) {
  std::istringstream in(slurp("/proc/net/tcp"));
  char hex[8];
  std::snprintf(hex, sizeof hex, ":%04X", port);
  for (std::string line; std::getline(in, line);) {
    std::istringstream f(line);
    std::string sl, local, remote, state;
    f >> sl >> local >> remote >> state;
    if (local.ends_with(hex) && state == "0A") return true;
  }
  return false;
}

std::vector<nlohmann::json> listener_added(const TempDir& d, int port) {
  std::vector<nlohmann::json> out;
  for (const auto& f : written(d, "change.listener-added"))
    if (f.contains("destination") && f["destination"].value("port", 0) == port) out.push_back(f);
  return out;
}

}  // namespace

TEST(WatchTriage, ANewListenerIsReportedWithinAnIntervalAndOnlyOnce) {
  const std::string nc = "/usr/bin/nc.traditional";
  if (!fs::exists(nc)) GTEST_SKIP() << "needs netcat-traditional (make setup installs it)";
  const int port = 3371;
  if (listening(port)) GTEST_SKIP() << "127.0.0.1:" << port << " is in use";
  TempDir d("vigil-watch-triage");
  d.write("w.yaml", "state_dir: " + d / "state" + "\nsources:\n  triage: {quick: 1s, full: off}\n  processes: off\nsinks:\n" +
                        "  - {type: jsonl, path: " + d / "out.jsonl" + "}\nlimits:\n  cpu: 100%\n");
  WatchDaemon w(d, {"--config", d / "w.yaml"});
  ASSERT_TRUE(watch_started(d)) << slurp(d / "err.txt");
  // The baseline run is done when --status counts it.
  ASSERT_TRUE(wait_for([&] {
    auto st = run_vigil({"watch", "--status", "--state-dir", d / "state", "--format", "json"});
    auto j = nlohmann::json::parse(st.out, nullptr, false);
    return !j.is_discarded() && j.contains("triage") && j["triage"]["runs"].get<int>() >= 1;
  }, 15.0)) << slurp(d / "err.txt");
  EXPECT_TRUE(listener_added(d, port).empty());
  Planted listener(nc, {"nc", "-l", "-p", std::to_string(port), "-s", "127.0.0.1"});
  ASSERT_TRUE(wait_for([&] { return listening(port) || !listener.alive(); })) << "netcat did not listen";
  ASSERT_TRUE(wait_for([&] { return !listener_added(d, port).empty(); }, 10.0)) << slurp(d / "err.txt");
  auto f = listener_added(d, port)[0];
  EXPECT_EQ(f["vigil"]["severity"], "medium") << "a packaged program on loopback: " << f.dump();
  EXPECT_EQ(f["process"]["executable"], nc) << f.dump();
  // Still listening three runs later: not reported again.
  std::this_thread::sleep_for(std::chrono::milliseconds(3500));
  EXPECT_EQ(listener_added(d, port).size(), 1u);
  EXPECT_EQ(w.stop(SIGTERM), 0);
}
