// More live artefacts: a fileless program, programs renamed as daemons and attacker tools, a
// public unpackaged listener, a promiscuous interface. Each is planted for real and removed.
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <netinet/in.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include <gtest/gtest.h>

#include "e2e/vigil_run.hpp"
#include "support/temp_dir.hpp"

using namespace vigil::testing;
namespace fs = std::filesystem;

namespace {

std::vector<nlohmann::json> triage_quick() {
  auto r = run_vigil({"triage", "--quick", "--format", "jsonl", "--no-suppress"});
  EXPECT_TRUE(r.exit_code == 0 || r.exit_code == 1) << r.err;
  return parse_jsonl(r.out);
}

std::string exe_of(pid_t pid) {
  std::error_code ec;
  return fs::read_symlink("/proc/" + std::to_string(pid) + "/exe", ec).string();
}

// A child that runs /usr/bin/sleep from a memfd: no file on any disk.
class FilelessSleep {
 public:
  FilelessSleep() {
    std::ifstream in("/usr/bin/sleep", std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    std::string image = bytes.str();
    pid_ = ::fork();
    if (pid_ == 0) {
      int fd = ::memfd_create("payload", 0);
      if (fd < 0 || ::write(fd, image.data(), image.size()) != static_cast<ssize_t>(image.size())) ::_exit(1);
      char arg0[] = "payload", arg1[] = "300";
      char* argv[] = {arg0, arg1, nullptr};
      ::fexecve(fd, argv, environ);
      ::_exit(1);
    }
  }
  ~FilelessSleep() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
};

}  // namespace

TEST(LiveMore, FilelessProgram_IsReported) {
  if (!fs::exists("/usr/bin/sleep")) GTEST_SKIP() << "needs /usr/bin/sleep";
  FilelessSleep p;
  ASSERT_TRUE(wait_for([&] { return exe_of(p.pid()).starts_with("/memfd:payload"); }));
  auto f = findings_of(triage_quick(), "process.fileless", p.pid());
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0]["vigil"]["severity"], "medium");  // alone it is one signal
}

TEST(LiveMore, UnpackagedCopiesNamedLikeDaemonsOrAttackerTools_AreReported) {
  if (!fs::exists("/usr/bin/sleep")) GTEST_SKIP() << "needs /usr/bin/sleep";
  TempDir dir("vigil-e2e");
  fs::create_directories(dir / "opt");
  fs::copy_file("/usr/bin/sleep", dir / "opt/sshd");
  fs::copy_file("/usr/bin/sleep", dir / "opt/xmrig");
  Planted sshd(dir / "opt/sshd", {"sshd", "300"});
  Planted miner(dir / "opt/xmrig", {"xmrig", "300"});
  ASSERT_TRUE(wait_for([&] { return exe_of(sshd.pid()).ends_with("/sshd") && exe_of(miner.pid()).ends_with("/xmrig"); }));
  auto all = triage_quick();
  EXPECT_EQ(findings_of(all, "process.name-masquerade", sshd.pid()).size(), 1u);
  EXPECT_EQ(findings_of(all, "process.attacker-tool", miner.pid()).size(), 1u);
}

TEST(LiveMore, ShellStartedByAWebServerNamedProcess_IsReported) {
  if (!fs::exists("/bin/bash")) GTEST_SKIP() << "needs bash";
  TempDir dir("vigil-e2e");
  fs::copy_file("/bin/bash", dir / "nginx");  // the parent calls itself nginx
  Planted web(dir / "nginx", {"nginx", "-c", "sh -c 'sleep 300; true'; true"});
  bool seen = false;
  ASSERT_TRUE(wait_for([&] {
    for (const auto& f : findings_of(triage_quick(), "process.shell-from-network-service"))
      if (f["process"]["parent"]["name"] == "nginx") seen = true;
    return seen;
  }, 10));
}

TEST(LiveMore, UnpackagedListenerOnAllInterfaces_IsMedium) {
  const std::string nc = "/usr/bin/nc.traditional";
  if (!fs::exists(nc)) GTEST_SKIP() << "needs netcat-traditional (make setup installs it)";
  {
    // Skip, saying so, when something already holds the port.
    int probe = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(3351);
    int one = 1;
    ::setsockopt(probe, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    bool free = ::bind(probe, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    ::close(probe);
    if (!free) GTEST_SKIP() << "port 3351 is in use";
  }
  TempDir dir("vigil-e2e");
  fs::create_directories(dir / "srv");
  fs::copy_file(nc, dir / "srv/listener");
  // Listening only: nothing is sent anywhere. Port 3351 on every address of this host.
  Planted p(dir / "srv/listener", {"listener", "-l", "-p", "3351"});
  ASSERT_TRUE(wait_for([] {
    std::ifstream in("/proc/net/tcp");
    for (std::string line; std::getline(in, line);)
      if (line.find("00000000:0D17") != std::string::npos && line.find(" 0A ") != std::string::npos) return true;
    return false;
  }));
  auto f = findings_of(triage_quick(), "network.unowned-public-listener", p.pid());
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0]["destination"]["port"], 3351);
}

TEST(LiveMore, PromiscuousInterface_IsReported) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to create an interface";
  // A tap device needs no kernel module beyond tun; a dummy one is the fallback.
  if (std::system("ip tuntap add dev vigiltest0 mode tap 2>/dev/null") != 0 &&
      std::system("ip link add vigiltest0 type dummy 2>/dev/null") != 0)
    GTEST_SKIP() << "cannot create a tap or dummy interface here (iproute2, tun or dummy missing)";
  struct Remove {
    ~Remove() { (void)std::system("ip link del vigiltest0 2>/dev/null"); }
  } remove;
  auto quiet = findings_of(triage_quick(), "network.promiscuous-interface");
  for (const auto& f : quiet) EXPECT_NE(f["observer"]["ingress"]["interface"]["name"], "vigiltest0");
  ASSERT_EQ(std::system("ip link set vigiltest0 promisc on"), 0);
  bool seen = false;
  for (const auto& f : findings_of(triage_quick(), "network.promiscuous-interface"))
    if (f["observer"]["ingress"]["interface"]["name"] == "vigiltest0") seen = true;
  EXPECT_TRUE(seen);
}

TEST(LiveTriage, DeletedOrTemporaryScriptsOfInterpreters) {
  TempDir dir("vigil-script");
  // bash keeps its script open on descriptor 255; it waits on a FIFO with a builtin, so it
  // starts no child that could outlive the test.
  ASSERT_EQ(::mkfifo((dir / "wait").c_str(), 0600), 0);
  std::string sh = dir.write("stage.sh", "#!/bin/bash\nexec 9<>" + (dir / "wait") + "\nread -t 300 -u 9\n");
  Planted bash("/bin/bash", {"bash", sh});
  std::unique_ptr<Planted> python;
  std::string py;
  if (fs::exists("/usr/bin/python3")) {
    py = dir.write("loader.py", "import time\ntime.sleep(300)\n");
    python = std::make_unique<Planted>("/usr/bin/python3", std::vector<std::string>{"python3", py});
  }
  ASSERT_TRUE(wait_for([&] {
    std::error_code ec;
    return fs::read_symlink("/proc/" + std::to_string(bash.pid()) + "/fd/255", ec).string() == sh;
  }));
  fs::remove(sh);  // the dropper cleans up after itself
  auto all = triage_quick();
  auto severity_for = [&](pid_t pid) {
    for (const auto& f : findings_of(all, "process.suspicious-script"))
      if (f["process"]["pid"] == pid) return std::string(f["vigil"]["severity"]);
    return std::string();
  };
  EXPECT_EQ(severity_for(bash.pid()), "critical") << "deleted, and from a temporary directory";
  if (python) EXPECT_EQ(severity_for(python->pid()), "medium") << "a script kept in a temporary directory";
}

TEST(LiveTriage, ProcessHiddenByAMountOverItsProcEntry) {
  if (::geteuid() != 0) GTEST_SKIP() << "mounting needs root";
  Planted sleeper("/usr/bin/sleep", {"sleep", "300"});
  ASSERT_GT(sleeper.pid(), 0);
  TempDir dir("vigil-procmount");
  std::string out = dir / "out.jsonl";
  // The mount is made in a mount namespace of the child's own, which ends with it: the host's
  // /proc is never touched.
  pid_t child = ::fork();
  if (child == 0) {
    if (::unshare(CLONE_NEWNS) != 0) ::_exit(3);
    if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) ::_exit(3);
    std::string target = "/proc/" + std::to_string(sleeper.pid());
    if (::mount("none", target.c_str(), "tmpfs", 0, nullptr) != 0) ::_exit(3);
    int fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int nul = ::open("/dev/null", O_WRONLY);
    if (fd < 0 || nul < 0 || ::dup2(fd, 1) < 0 || ::dup2(nul, 2) < 0) ::_exit(4);
    ::execl(VIGIL_BINARY, "vigil", "triage", "--quick", "--format", "jsonl", "--no-suppress", nullptr);
    ::_exit(4);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  if (WEXITSTATUS(status) == 3) GTEST_SKIP() << "no private mount namespace (or no mount over /proc) here";
  ASSERT_LE(WEXITSTATUS(status), 1);
  auto all = parse_jsonl(slurp(out));
  bool found = false;
  for (const auto& f : findings_of(all, "rootkit.proc-mount"))
    found = found || (f["process"]["pid"] == sleeper.pid() && f["vigil"]["severity"] == "critical");
  EXPECT_TRUE(found) << out << "\n" << slurp(out).substr(0, 2000);
}

TEST(LiveTriage, PacketSocketWithABpfFilterInAnUnpackagedProgram) {
  if (::geteuid() != 0) GTEST_SKIP() << "packet sockets need root";
  // The child holds the socket in a network namespace of its own: it sees none of the host's
  // traffic, and its filter drops every packet anyway.
  int ready[2];
  ASSERT_EQ(::pipe(ready), 0);
  pid_t child = ::fork();
  if (child == 0) {
    ::close(ready[0]);
    char ok = 'n';
    if (::unshare(CLONE_NEWNET) == 0) {
      int s = ::socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
      sock_filter drop[] = {{BPF_RET | BPF_K, 0, 0, 0}};
      sock_fprog prog{1, drop};
      if (s >= 0 && ::setsockopt(s, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof prog) == 0) ok = 'y';
    }
    (void)!::write(ready[1], &ok, 1);
    for (;;) ::pause();
  }
  ::close(ready[1]);
  char ok = 'n';
  (void)!::read(ready[0], &ok, 1);
  ::close(ready[0]);
  auto all = ok == 'y' ? triage_quick() : std::vector<nlohmann::json>{};
  ::kill(child, SIGKILL);
  ::waitpid(child, nullptr, 0);
  if (ok != 'y') GTEST_SKIP() << "no network namespace or packet socket here";
  bool found = false;
  for (const auto& f : findings_of(all, "network.bpf-filter-socket"))
    found = found || (f["process"]["pid"] == child && f["vigil"]["severity"] == "critical" &&
                      f["vigil"]["socket"]["bpf_filter"] == 1);
  EXPECT_TRUE(found);
}
