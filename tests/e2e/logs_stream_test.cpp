// The streaming contract of the log engine: a file fed line by line, as a tail reads it (in
// odd-sized chunks, half lines held back), with a flush every simulated minute, gives the
// same findings and attacker table as the batch scan of the whole file; and the same again
// when the engine is saved and restored into a new instance every 10,000 lines. On the
// shared 1M-line workloads and on every text log of the public corpus.
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>

#include <gtest/gtest.h>

#include "core/host_files.hpp"
#include "logs/engine.hpp"
#include "logs/inputs.hpp"
#include "logs/line_cutter.hpp"
#include "logs/line_sieve.hpp"
#include "logs/scan.hpp"
#include "support/temp_dir.hpp"
#include "support/workloads.hpp"

using namespace vigil;
using namespace vigil::logs;
using vigil::testing::kSharedDir;
using vigil::testing::TempDir;
using vigil::testing::workload;
namespace fs = std::filesystem;

namespace {

const LogRules& builtin_rules() {
  static const LogRules rules = load_log_rules({default_rules_dir() + "/logs"});
  return rules;
}

// A finding as text: rule, severity, title, why, every evidence value in order, fingerprint.
std::string canonical(const Finding& f) {
  std::string s = f.rule + "|" + std::to_string(static_cast<int>(f.severity)) + "|" + f.title + "|" + f.why;
  for (const auto& e : f.evidence) s += "|" + e.key + "=" + evidence_text(e.value);
  return s + "|" + f.fingerprint();
}

std::vector<std::string> canonical(const Findings& fs) {
  std::vector<std::string> out;
  for (const auto& f : fs) out.push_back(canonical(f));
  std::sort(out.begin(), out.end());
  return out;
}

std::string canonical(const Attacker& a) {
  std::string s = a.ip + "|" + std::to_string(a.first) + "|" + std::to_string(a.last) + "|" + std::to_string(a.events) +
                  "|" + std::to_string(a.failures) + "|" + std::to_string(a.successes) + "|" +
                  std::to_string(a.invalid_users) + "|" + std::to_string(a.web_successes) + "|" +
                  std::to_string(a.destination_port) + "|" + a.destination_ip;
  for (const auto& [k, n] : a.kinds) s += "|" + k + "=" + std::to_string(n);
  for (const auto& u : a.users) s += "|u:" + u;
  return s;
}

struct Streamed {
  Findings findings;
  std::vector<Attacker> attackers;
  std::uint64_t lines = 0, restores = 0;
  std::size_t peak_groups = 0;
};

// Reads `path` as a tail would: 4 KiB chunks cut into lines (the partial last line held),
// each line fed on its own; flush at every new simulated minute; optionally a save and a
// restore into a brand-new engine every `restore_every` lines.
Streamed stream(const std::string& path, std::uint64_t restore_every) {
  const auto& rules = builtin_rules();
  Streamed out;
  auto engine = std::make_unique<LogEngine>(rules);
  SourceCursor cursor;
  struct stat st {};
  ::stat(path.c_str(), &st);
  cursor.year = year_reference(st.st_mtime);
  std::ifstream in(path, std::ios::binary);
  std::string head(1 << 20, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<std::size_t>(in.gcount()));
  cursor.detect(head);  // a tail judges the format from the file's head, as the batch does from its first block
  in.clear();
  in.seekg(0);
  std::int64_t next_minute = 0;
  auto feed_block = [&](Block&& b) {
    cursor.next_line = b.first_line;  // lines the sieve left out still count
    std::string_view data = b.data;
    while (!data.empty()) {
      auto nl = data.find('\n');
      engine->feed(cursor, data.substr(0, nl), path);
      data.remove_prefix(nl + 1);
      ++out.lines;
      if (engine->latest() >= next_minute) {
        auto closed = engine->flush(engine->latest());
        out.findings.insert(out.findings.end(), closed.begin(), closed.end());
        next_minute = engine->latest() - engine->latest() % 60 + 60;
      }
      out.peak_groups = std::max(out.peak_groups, engine->size().windows);
      if (restore_every && out.lines % restore_every == 0) {
        auto blob = engine->save();
        engine = std::make_unique<LogEngine>(rules);
        auto ok = engine->restore(blob);
        EXPECT_TRUE(ok) << ok.error();
        ++out.restores;
      }
    }
  };
  LineCutter cutter(0, {}, feed_block);
  LineSieve sieve(cutter);  // binary regions are left out, as the batch reader does
  char buf[4096];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    sieve.feed(buf, static_cast<std::size_t>(in.gcount()));
    cutter.flush();  // whole lines go now; a half line waits for the next read
  }
  sieve.finish();
  cutter.finish();
  auto rest = engine->finish();
  out.findings.insert(out.findings.end(), rest.begin(), rest.end());
  out.attackers = engine->take_attackers();
  return out;
}

void expect_same_as_batch(const std::string& path) {
  ScanOptions o;
  o.paths = {path};
  auto batch = scan_logs(builtin_rules(), o);
  ASSERT_TRUE(batch.errors.empty());
  auto want = canonical(batch.findings);
  std::vector<std::string> want_attackers;
  for (const auto& a : batch.attackers) want_attackers.push_back(canonical(a));
  for (std::uint64_t every : {std::uint64_t{0}, std::uint64_t{10000}}) {
    auto s = stream(path, every);
    EXPECT_EQ(s.lines, batch.lines) << path;
    auto got = canonical(s.findings);
    EXPECT_EQ(got.size(), want.size()) << path << (every ? " (restored every 10,000 lines)" : "");
    std::vector<std::string> missing, extra;
    std::set_difference(want.begin(), want.end(), got.begin(), got.end(), std::back_inserter(missing));
    std::set_difference(got.begin(), got.end(), want.begin(), want.end(), std::back_inserter(extra));
    EXPECT_TRUE(missing.empty()) << path << ": in the batch only: " << (missing.empty() ? "" : missing.front());
    EXPECT_TRUE(extra.empty()) << path << ": in the stream only: " << (extra.empty() ? "" : extra.front());
    std::vector<std::string> got_attackers;
    for (const auto& a : s.attackers) got_attackers.push_back(canonical(a));
    EXPECT_EQ(got_attackers, want_attackers) << path;
    if (every) {
      EXPECT_EQ(s.restores, s.lines / every) << path;
    }
  }
}

}  // namespace

TEST(LogStream, LineByLineEqualsTheBatchScan_OnTheMillionLineWorkloads) {
  auto auth = workload("gen_authlog.py", 1000000, {{"--out", "auth.log"}, {"--truth", "auth.truth"}});
  if (auth.empty()) GTEST_SKIP() << "../shared/workloads (or python3) is absent: workload contract skipped";
  expect_same_as_batch(auth + "/auth.log");
  auto access = workload("gen_accesslog.py", 1000000,
                         {{"--out", "access.log"}, {"--truth", "access.truth"}, {"--labels", "access.labels"}});
  ASSERT_FALSE(access.empty());
  expect_same_as_batch(access + "/access.log");
}

TEST(LogStream, LineByLineEqualsTheBatchScan_OnThePublicCorpus) {
  std::string corpus = kSharedDir + "/corpus";
  if (!fs::exists(corpus)) GTEST_SKIP() << "../shared/corpus is absent: corpus contract skipped";
  int files = 0;
  std::uint64_t lines = 0;
  for (const auto& e : fs::recursive_directory_iterator(corpus)) {
    if (!e.is_regular_file() || e.file_size() == 0 || e.file_size() > (64 << 20)) continue;
    auto p = e.path().string();
    auto ext = e.path().extension().string();
    // Rule sets, scripts, documents and Windows event logs are not logs vigil logs reads.
    if (p.find("/sigma/") != std::string::npos || p.find("/wazuh") != std::string::npos ||
        p.find("/signature-base/") != std::string::npos || p.find("/DeepBlueCLI/") != std::string::npos)
      continue;
    static const std::set<std::string> kSkip = {".evtx", ".yml", ".yaml", ".md", ".py", ".ps1", ".psm1", ".xml",
                                                ".sh", ".c", ".h", ".cpp", ".gz", ".zip", ".pdf", ".png", ".csv"};
    if (kSkip.count(ext)) continue;
    ScanOptions probe;
    probe.paths = {p};
    auto r = scan_logs(builtin_rules(), probe);
    if (r.events == 0) continue;  // not a log vigil reads
    SCOPED_TRACE(p);
    expect_same_as_batch(p);
    ++files;
    lines += r.lines;
  }
  std::printf("%d corpus logs, %llu lines, fed line by line\n", files, static_cast<unsigned long long>(lines));
  EXPECT_GE(files, 5);
}

// The engine's memory follows the active sources, not the lines: ten million auth lines
// through feed() with a flush every minute keep the resident set flat. The generated
// million-line week is replayed ten times, each pass dated a year later (the year of
// year-less syslog dates comes from the cursor), so sources come back and go idle again.
TEST(LogStream, TenMillionLinesKeepMemoryFlat) {
  auto dir = workload("gen_authlog.py", 1000000, {{"--out", "auth.log"}, {"--truth", "auth.truth"}});
  if (dir.empty()) GTEST_SKIP() << "../shared/workloads (or python3) is absent: memory test skipped";
  const auto& rules = builtin_rules();
  EngineOptions opts;
  opts.idle_close = 3600;  // as the daemon runs: a source idle for an hour is closed
  LogEngine engine(rules, opts);
  auto rss_kib = [] {
    std::ifstream s("/proc/self/status");
    for (std::string line; std::getline(s, line);)
      if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
    return 0L;
  };
  std::uint64_t n = 0, closed = 0;
  std::int64_t next_minute = 0;
  long rss_at_1m = 0, rss_max_after = 0;
  std::size_t max_windows = 0, max_sources = 0;
  for (int pass = 0; pass < 10; ++pass) {
    SourceCursor cursor;
    cursor.year = {2015 + pass, 12};
    cursor.detect("Nov 17 00:00:00 h sshd[1]: x\n");
    std::ifstream in(dir + "/auth.log");
    for (std::string line; std::getline(in, line);) {
      engine.feed(cursor, line, "auth.log");
      if (engine.latest() >= next_minute) {
        closed += engine.flush(engine.latest()).size();
        next_minute = engine.latest() - engine.latest() % 60 + 60;
        auto sz = engine.size();
        max_windows = std::max(max_windows, sz.windows);
        max_sources = std::max(max_sources, sz.sources);
      }
      if (++n == 1000000) rss_at_1m = rss_kib();
      if (n > 1000000 && n % 100000 == 0) rss_max_after = std::max(rss_max_after, rss_kib());
    }
  }
  EXPECT_EQ(n, 10000000u);
  std::printf("10M lines: RSS %ld KiB after 1M lines, at most %ld KiB after; at most %zu open windows and %zu sources; "
              "%llu findings closed on the way\n",
              rss_at_1m, rss_max_after, max_windows, max_sources, static_cast<unsigned long long>(closed));
  EXPECT_GT(closed, 0u);
  EXPECT_LT(rss_max_after, rss_at_1m + 16 * 1024) << "memory grew with the lines";
}
