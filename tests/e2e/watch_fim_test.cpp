// End-to-end: vigil watch's live file integrity. A fim baseline of a tree on a tmpfs that the
// test mounts in a private mount namespace (the host's mounts are never touched); the daemon
// started in that namespace; then a watched file changed, a directory made later with a file
// in it, a file replaced the way an editor does (write a copy, rename it over), and a file
// outside the policy. Each change is reported within 2 s, once; the file outside says nothing.
// Through fanotify, and separately inotify.
#include <filesystem>
#include <map>
#include <set>
#include <sstream>

#include <gtest/gtest.h>

#include "e2e/watch_support.hpp"

using namespace vigil::testing;
namespace fs = std::filesystem;

namespace {

// Runs inside `unshare -m`: mounts the tmpfs, makes the baseline, starts the daemon, makes the
// changes, and writes how long each took to be reported (ms) to D/elapsed.
constexpr std::string_view kScript = R"SH(
set -u
D="$1"; V="$2"
mount -t tmpfs vigil-fim-test "$D/watched" || exit 3
mkdir -p "$D/watched/etc" "$D/watched/scratch"
echo 'a=1' > "$D/watched/etc/app.conf"
echo 'b=1' > "$D/watched/etc/other.conf"
printf '%s R\n' "$D/watched/etc" > "$D/policy"
"$V" fim init --db "$D/store.db" --key "$D/fim.key" --policy "$D/policy" --progress never > /dev/null 2> "$D/init.err" || exit 4
start_watch
echo noise > "$D/watched/scratch/outside.txt"
echo 'a=2' > "$D/watched/etc/app.conf"; reported app.conf
mkdir "$D/watched/etc/new.d"; echo 'c=1' > "$D/watched/etc/new.d/added.conf"; reported added.conf
echo 'b=2' > "$D/watched/etc/.other.conf.swp"; mv "$D/watched/etc/.other.conf.swp" "$D/watched/etc/other.conf"
chmod 600 "$D/watched/etc/other.conf"; reported other.conf
sleep 0.6
kill $W; wait $W
)SH";

// The daemon stopped (SIGSTOP) while 20,000 files are made and removed under the tree: the
// kernel's queue (16,384 events) overflows. Once it runs again it checks the whole tree,
// says so, and the one real change made meanwhile is found by that check.
constexpr const char* kOverflowScript = R"SH(
set -u
D="$1"; V="$2"
mount -t tmpfs vigil-fim-test "$D/watched" || exit 3
mkdir -p "$D/watched/etc"
echo 'a=1' > "$D/watched/etc/app.conf"
printf '%s R
' "$D/watched/etc" > "$D/policy"
"$V" fim init --db "$D/store.db" --key "$D/fim.key" --policy "$D/policy" --progress never > /dev/null 2> "$D/init.err" || exit 4
"$V" watch --config "$D/w.yaml" 2>> "$D/err.txt" &
W=$!
i=0; while [ ! -f "$D/state/status.json" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i+1)); done
sleep 0.3
kill -STOP $W
cd "$D/watched/etc" && i=0 && while [ $i -lt 20000 ]; do : > "burst$i"; i=$((i+1)); done && rm -f burst*
echo 'a=2' > "$D/watched/etc/app.conf"
kill -CONT $W
i=0; while ! grep -q '"overflow"' "$D/out.jsonl" 2>/dev/null && [ $i -lt 200 ]; do sleep 0.05; i=$((i+1)); done
sleep 0.5
kill $W; wait $W
)SH";

std::string fim_config(const TempDir& d, const std::string& events) {
  return "state_dir: " + d / "state" + "\nsources:\n  triage: off\n  processes: off\n  fim:\n    store: " +
         d / "store.db" + "\n    key: " + d / "fim.key" + "\n    events: " + events +
         "\nsinks:\n  - {type: jsonl, path: " + d / "out.jsonl" + "}\n";
}

void lost_events(const std::string& events) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root for a private mount namespace";
  if (!fs::exists("/usr/bin/unshare")) GTEST_SKIP() << "needs unshare (util-linux)";
  TempDir d("vigil-watch-fim-overflow");
  fs::create_directories(d / "watched");
  d.write("w.yaml", fim_config(d, events));
  auto r = run_vigil_as({"/usr/bin/unshare", "-m", "--propagation", "private", "/bin/sh", "-c", kOverflowScript, "sh",
                         d.path(), VIGIL_BINARY});
  ASSERT_EQ(r.exit_code, 0) << r.err << slurp(d / "init.err") << slurp(d / "err.txt");
  std::vector<nlohmann::json> said;
  for (const auto& f : written(d, "watch.source-problem"))
    if (f["event"]["reason"] == "overflow") said.push_back(f);
  ASSERT_EQ(said.size(), 1u) << slurp(d / "out.jsonl") << slurp(d / "err.txt");
  EXPECT_EQ(said[0]["vigil"]["severity"], "info");
  bool app = false;
  for (const auto& f : written(d, "fim.changed")) app = app || f["file"]["path"] == d / "watched/etc/app.conf";
  EXPECT_TRUE(app) << "the change made while events were lost is found by the full check\n" << slurp(d / "out.jsonl");
  EXPECT_EQ(slurp(d / "out.jsonl").find("burst"), std::string::npos) << "files gone by the check are not reported";
}

// Two trees, one on a tmpfs and one on a ramfs (no file handles, so no fanotify mark): in
// auto mode fanotify watches the first, inotify the second, and both report.
constexpr const char* kSplitScript = R"SH(
set -u
D="$1"; V="$2"
mount -t tmpfs vigil-fim-test "$D/watched" || exit 3
mount -t ramfs vigil-fim-ramfs "$D/watched2" || exit 3
mkdir -p "$D/watched/etc" "$D/watched2/etc"
echo 'a=1' > "$D/watched/etc/app.conf"
echo 'r=1' > "$D/watched2/etc/ram.conf"
printf '%s R\n%s R\n' "$D/watched/etc" "$D/watched2/etc" > "$D/policy"
"$V" fim init --db "$D/store.db" --key "$D/fim.key" --policy "$D/policy" --progress never > /dev/null 2> "$D/init.err" || exit 4
"$V" watch --config "$D/w.yaml" 2>> "$D/err.txt" &
W=$!
i=0; while [ ! -f "$D/state/status.json" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i+1)); done
sleep 0.3
echo 'a=2' > "$D/watched/etc/app.conf"
echo 'r=2' > "$D/watched2/etc/ram.conf"
i=0; while [ $(grep -c '"fim.changed"' "$D/out.jsonl" 2>/dev/null || echo 0) -lt 2 ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i+1)); done
sleep 1.2
kill $W; wait $W
)SH";

void live_fim(const std::string& events) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root for a private mount namespace";
  if (!fs::exists("/usr/bin/unshare")) GTEST_SKIP() << "needs unshare (util-linux)";
  TempDir d("vigil-watch-fim");
  fs::create_directories(d / "watched");
  d.write("w.yaml", fim_config(d, events));
  auto r = run_vigil_as({"/usr/bin/unshare", "-m", "--propagation", "private", "/bin/sh", "-c", std::string(kWatchShellFunctions) + std::string(kScript), "sh", d.path(),
                         VIGIL_BINARY});
  ASSERT_EQ(r.exit_code, 0) << r.err << slurp(d / "init.err") << slurp(d / "err.txt");
  if (slurp(d / "err.txt").find("file integrity off: fanotify") != std::string::npos)
    GTEST_SKIP() << "fanotify refused here: " << slurp(d / "err.txt");
  std::map<std::string, int> elapsed;
  std::istringstream in(slurp(d / "elapsed"));
  for (std::string name; in >> name;) in >> elapsed[name];
  for (const char* name : {"app.conf", "added.conf", "other.conf"}) {
    ASSERT_TRUE(elapsed.contains(name)) << slurp(d / "elapsed");
    EXPECT_LT(elapsed[name], 2000) << name << " reported after " << elapsed[name] << " ms\n"
                                   << slurp(d / "out.jsonl") << slurp(d / "err.txt");
  }
  auto changed = written(d, "fim.changed");
  std::map<std::string, int> per_path;
  for (const auto& f : changed) ++per_path[f["file"]["path"]];
  EXPECT_EQ(per_path[d / "watched/etc/app.conf"], 1) << slurp(d / "out.jsonl");
  EXPECT_EQ(per_path[d / "watched/etc/other.conf"], 1) << "write, rename and chmod are one change\n" << slurp(d / "out.jsonl");
  auto added = written(d, "fim.added");
  bool new_file = false;
  for (const auto& f : added) new_file = new_file || f["file"]["path"] == d / "watched/etc/new.d/added.conf";
  EXPECT_TRUE(new_file) << slurp(d / "out.jsonl");
  EXPECT_EQ(slurp(d / "out.jsonl").find("outside.txt"), std::string::npos);
  EXPECT_EQ(slurp(d / "out.jsonl").find(".swp"), std::string::npos) << "the editor's copy lived a moment only";
  for (const auto& f : changed) EXPECT_EQ(f["event"]["action"], "file-changed");
  auto status = nlohmann::json::parse(slurp(d / "state/status.json"), nullptr, false);
  ASSERT_TRUE(status.is_object());
  EXPECT_EQ(status["fim"]["source"], events) << status.dump();
  EXPECT_EQ(status["fim"]["overflows"], 0);
}

}  // namespace

TEST(WatchFim, AChangedFileIsReportedWithinTwoSeconds_Fanotify) { live_fim("fanotify"); }
TEST(WatchFim, AChangedFileIsReportedWithinTwoSeconds_Inotify) { live_fim("inotify"); }
TEST(WatchFim, LostEventsRunAFullCheckAndSaySo_Fanotify) { lost_events("fanotify"); }
TEST(WatchFim, LostEventsRunAFullCheckAndSaySo_Inotify) { lost_events("inotify"); }

TEST(WatchFim, ATreeWhoseFileSystemRefusesFanotifyIsWatchedByInotify) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root for a private mount namespace";
  if (!fs::exists("/usr/bin/unshare")) GTEST_SKIP() << "needs unshare (util-linux)";
  TempDir d("vigil-watch-fim-split");
  fs::create_directories(d / "watched");
  fs::create_directories(d / "watched2");
  d.write("w.yaml", fim_config(d, "auto"));
  auto r = run_vigil_as({"/usr/bin/unshare", "-m", "--propagation", "private", "/bin/sh", "-c", kSplitScript, "sh",
                         d.path(), VIGIL_BINARY});
  ASSERT_EQ(r.exit_code, 0) << r.err << slurp(d / "init.err") << slurp(d / "err.txt");
  auto status = nlohmann::json::parse(slurp(d / "state/status.json"), nullptr, false);
  ASSERT_TRUE(status.is_object()) << slurp(d / "err.txt");
  if (status["fim"]["source"] == "inotify") GTEST_SKIP() << "fanotify refused here: " << slurp(d / "err.txt");
  EXPECT_EQ(status["fim"]["source"], "fanotify+inotify") << slurp(d / "err.txt");
  EXPECT_NE(slurp(d / "err.txt").find(d / "watched2/etc"), std::string::npos) << "the daemon says which tree and why";
  std::set<std::string> paths;
  for (const auto& f : written(d, "fim.changed")) paths.insert(f["file"]["path"]);
  EXPECT_TRUE(paths.contains(d / "watched/etc/app.conf")) << slurp(d / "out.jsonl");
  EXPECT_TRUE(paths.contains(d / "watched2/etc/ram.conf")) << slurp(d / "out.jsonl");
}
