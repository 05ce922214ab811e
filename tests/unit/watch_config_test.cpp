// watch.yaml: the shipped example loads, every error is reported where it was written, units
// are checked; the spool keeps order and bounds; syslog messages follow RFC 5424.
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "support/temp_dir.hpp"
#include "watch/config.hpp"
#include "watch/sink_kinds.hpp"
#include "watch/sources.hpp"
#include "watch/spool.hpp"
#include "watch/units.hpp"

using namespace vigil::watch;

namespace {

std::vector<ConfigError> errors_of(const std::string& yaml) {
  auto c = parse_config(yaml, "w.yaml");
  return c ? std::vector<ConfigError>{} : c.error();
}

bool has_error(const std::vector<ConfigError>& errors, int line, int column, const std::string& words) {
  for (const auto& e : errors)
    if (e.mark.line == line && e.mark.column == column && e.message.find(words) != std::string::npos) return true;
  return false;
}

std::string dump(const std::vector<ConfigError>& errors) {
  std::string out;
  for (const auto& e : errors) out += format_error(e) + "\n";
  return out;
}

}  // namespace

TEST(WatchConfig, TheShippedExampleLoadsWithEverySinkKind) {
  std::ifstream in(std::string(VIGIL_SOURCE_DIR) + "/packaging/watch.yaml");
  std::stringstream text;
  text << in.rdbuf();
  auto c = parse_config(text.str(), "watch.yaml");
  ASSERT_TRUE(c) << dump(c.error());
  EXPECT_EQ(c->state_dir, "/var/lib/vigil/watch");
  EXPECT_EQ(c->logs.size(), 3u);
  ASSERT_EQ(c->sinks.size(), 4u);
  EXPECT_EQ(c->sinks[0].kind, SinkKind::jsonl);
  EXPECT_EQ(c->sinks[0].max_size, 100ll << 20);
  EXPECT_EQ(c->sinks[1].kind, SinkKind::stdout_);
  EXPECT_EQ(c->sinks[1].min_severity, vigil::Severity::medium);
  EXPECT_EQ(c->sinks[2].kind, SinkKind::syslog);
  EXPECT_EQ(c->sinks[2].transport, SyslogTransport::tcp);
  EXPECT_EQ(c->sinks[2].facility, 10);
  EXPECT_EQ(c->sinks[3].kind, SinkKind::journal);
  EXPECT_EQ(c->sinks[3].buffer, 16ll << 20);
  EXPECT_EQ(c->triage_quick_ms, 60'000);
  EXPECT_EQ(c->triage_full_ms, 300'000);
  EXPECT_EQ(c->processes, "auto");
  EXPECT_EQ(c->scan.mode, "on");
  EXPECT_TRUE(c->events.on);
  EXPECT_EQ(c->events.store, "/var/lib/vigil/watch/events.db");
  EXPECT_EQ(c->events.keep_ms, 7ll * 86'400'000);
  EXPECT_EQ(c->events.max_rows, 1'000'000);
  EXPECT_EQ(c->suppressions, "/etc/vigil/suppressions.conf");
  EXPECT_EQ(c->flush_ms, 1000);
  EXPECT_EQ(c->idle_close_ms, 600'000);
  EXPECT_EQ(c->rss_limit, 200ll << 20);
  EXPECT_DOUBLE_EQ(c->cpu_limit, 10);
}

TEST(WatchConfig, AnEmptyFileIsEveryDefault) {
  auto c = parse_config("", "w.yaml");
  ASSERT_TRUE(c);
  EXPECT_TRUE(c->logs.empty());
  EXPECT_TRUE(c->builtin_rules);
}

TEST(WatchConfig, EveryErrorIsListedWithLineAndColumn) {
  auto e = errors_of(
      "state_dir: /tmp/x\n"
      "sourcez:\n"                   // 2:1 unknown top-level key
      "  logs: [a]\n"
      "rules:\n"
      "  flush: 60\n"                // 5:10 a bare number is not a duration
      "  idle_close: soon\n"         // 6:15
      "sinks:\n"
      "  - type: syslog\n"           // 8:5 no address
      "    transport: sctp\n"        // 9:16
      "  - type: jsonl\n"
      "    facility: auth\n"         // 11:15 only syslog takes it
      "  - type: carrier-pigeon\n"   // 12:11
      "limits:\n"
      "  rss: lots\n"                // 14:8
      "  cpu: 0%\n");                // 15:8
  EXPECT_TRUE(has_error(e, 2, 1, "unknown key 'sourcez'")) << dump(e);
  EXPECT_TRUE(has_error(e, 5, 10, "'60' is not a duration")) << dump(e);
  EXPECT_TRUE(has_error(e, 6, 15, "'soon' is not a duration")) << dump(e);
  EXPECT_TRUE(has_error(e, 8, 5, "needs 'address'")) << dump(e);
  EXPECT_TRUE(has_error(e, 9, 16, "'sctp' is not udp, tcp or unix")) << dump(e);
  EXPECT_TRUE(has_error(e, 11, 15, "only syslog sinks take it")) << dump(e);
  EXPECT_TRUE(has_error(e, 12, 11, "'carrier-pigeon' is not jsonl")) << dump(e);
  EXPECT_TRUE(has_error(e, 14, 8, "'lots' is not a size")) << dump(e);
  EXPECT_TRUE(has_error(e, 15, 8, "'0%' is not a percentage")) << dump(e);
  EXPECT_EQ(e.size(), 9u) << dump(e);
}

TEST(WatchConfig, WrongShapesAndBrokenYamlAreErrorsNotCrashes) {
  EXPECT_TRUE(has_error(errors_of("sources: [a, b]\n"), 1, 10, "expected a mapping")) << dump(errors_of("sources: [a, b]\n"));
  EXPECT_TRUE(has_error(errors_of("sources:\n  logs: /var/log/auth.log\n"), 2, 9, "expected a list"));
  EXPECT_TRUE(has_error(errors_of("sinks:\n  - {type: jsonl}\n  - {type: jsonl}\n"), 3, 5, "a second sink named 'jsonl'"));
  auto broken = errors_of("sources:\n  logs: [a\n");
  ASSERT_EQ(broken.size(), 1u);
  EXPECT_NE(broken[0].message.find("not valid YAML"), std::string::npos);
  EXPECT_GT(broken[0].mark.line, 0);
  EXPECT_FALSE(errors_of("- 1\n- 2\n").empty());
  EXPECT_FALSE(errors_of("sources:\n  from_start: maybe\n").empty());
  EXPECT_TRUE(has_error(errors_of("sources:\n  triage: {quick: 60}\n"), 2, 19, "'60' is not a duration"));
  EXPECT_TRUE(has_error(errors_of("sources:\n  processes: bpf-please\n"), 2, 14, "is not auto, bpf, audit, connector or off"));
  auto off = parse_config("sources:\n  triage: off\n", "w.yaml");
  ASSERT_TRUE(off);
  EXPECT_EQ(off->triage_quick_ms + off->triage_full_ms, 0);
}

TEST(WatchConfig, CommandLineOverridesCombineWithTheFile) {
  vigil::testing::TempDir d("vigil-watch-config");
  d.write("w.yaml", "sources:\n  logs: [/var/log/a.log]\nsinks:\n  - type: stdout\n");
  CommandLine cl;
  cl.config = d / "w.yaml";
  cl.logs = {"/var/log/b.log"};
  cl.output = "/tmp/out.jsonl";
  cl.state_dir = "/tmp/st";
  cl.builtin_rules = "/usr/share/vigil/rules/logs";
  auto c = resolve_config(cl);
  ASSERT_TRUE(c) << dump(c.error());
  EXPECT_EQ(c->logs, (std::vector<std::string>{"/var/log/a.log", "/var/log/b.log"}));
  EXPECT_EQ(c->state_dir, "/tmp/st");
  ASSERT_EQ(c->sinks.size(), 2u);
  EXPECT_EQ(c->sinks[1].kind, SinkKind::jsonl);
  EXPECT_EQ(c->sinks[1].path, "/tmp/out.jsonl");
  EXPECT_EQ(c->rule_paths.back(), "/usr/share/vigil/rules/logs");
  cl.config = d / "missing.yaml";
  EXPECT_FALSE(resolve_config(cl));
  d.write("empty.yaml", "sources:\n  triage: off\n  processes: off\n");
  CommandLine nothing;
  nothing.config = d / "empty.yaml";
  auto none = resolve_config(nothing);
  ASSERT_FALSE(none);
  EXPECT_NE(none.error()[0].message.find("nothing to watch"), std::string::npos);
}

TEST(WatchConfig, EventTablesCanBeBoundedOrSwitchedOff) {
  auto c = parse_config("events:\n  keep: 12h\n  max_rows: 5000\n", "w.yaml");
  ASSERT_TRUE(c) << dump(c.error());
  EXPECT_TRUE(c->events.on);
  EXPECT_TRUE(c->events.store.empty());  // STATE_DIR/events.db
  EXPECT_EQ(c->events.keep_ms, 12ll * 3'600'000);
  EXPECT_EQ(c->events.max_rows, 5000);
  c = parse_config("events: off\n", "w.yaml");
  ASSERT_TRUE(c);
  EXPECT_FALSE(c->events.on);
  auto bad = parse_config("events:\n  keep: 7\n  max_rows: 10\n  retention: 1d\n", "w.yaml");
  ASSERT_FALSE(bad);
  auto text = dump(bad.error());
  EXPECT_NE(text.find("w.yaml:2:9: events.keep: '7' is not a duration such as 7d"), std::string::npos) << text;
  EXPECT_NE(text.find("events.max_rows: expected a whole number from 1000"), std::string::npos) << text;
  EXPECT_NE(text.find("retention"), std::string::npos) << text;
}

TEST(WatchConfig, Units) {
  EXPECT_EQ(parse_duration_ms("500ms"), 500);
  EXPECT_EQ(parse_duration_ms("2s"), 2000);
  EXPECT_EQ(parse_duration_ms("1.5m"), 90'000);
  EXPECT_EQ(parse_duration_ms("1d"), 86'400'000);
  EXPECT_FALSE(parse_duration_ms("60"));
  EXPECT_FALSE(parse_duration_ms("-1s"));
  EXPECT_FALSE(parse_duration_ms("1 fortnight"));
  EXPECT_EQ(parse_size("64KB"), 65536);
  EXPECT_EQ(parse_size("1GB"), 1ll << 30);
  EXPECT_EQ(parse_size("4096"), 4096);
  EXPECT_FALSE(parse_size("big"));
  EXPECT_EQ(parse_percent("10%"), 10);
  EXPECT_FALSE(parse_percent("0%"));
}

TEST(WatchSources, RotatedCopiesAreNotFollowedInADirectory) {
  for (const char* name : {"auth.log.1", "syslog.2.gz", "secure-20261201", "access.log.old", "x.log~"})
    EXPECT_TRUE(rotated_name(name)) << name;
  for (const char* name : {"auth.log", "access.log", "error_log", "php8.2-fpm.log", "mail.err"})
    EXPECT_FALSE(rotated_name(name)) << name;
}

TEST(WatchSpool, KeepsOrderAcrossReopenDropsTheOldestWhenFullAndEmptiesWhenDelivered) {
  vigil::testing::TempDir d("vigil-spool");
  auto path = d / "spool.jsonl";
  {
    auto s = Spool::open(path, 1 << 20);
    ASSERT_TRUE(s);
    ASSERT_TRUE(s->append({"{\"n\":1}", "{\"n\":2}", "{\"n\":3}"}));
    auto items = s->peek(2);
    ASSERT_EQ(items.size(), 2u);
    EXPECT_EQ(items[0].line, "{\"n\":1}");
    s->mark_delivered(1, items[0].end);
    EXPECT_EQ(s->pending_lines(), 2u);
    auto mark = s->mark();
    // Reopened after a restart, from the saved mark: the rest, in order.
    auto again = Spool::open(path, 1 << 20);
    ASSERT_TRUE(again);
    again->restore(mark);
    auto rest = again->peek(10);
    ASSERT_EQ(rest.size(), 2u);
    EXPECT_EQ(rest[0].line, "{\"n\":2}");
    again->mark_delivered(2, rest[1].end);
    EXPECT_TRUE(again->compact());
    EXPECT_EQ(again->pending_bytes(), 0u);
    // The old mark now points past the emptied file: from the start.
    again->restore(mark);
    EXPECT_EQ(again->delivered(), 0u);
  }
  auto small = Spool::open(d / "small.jsonl", 20);
  ASSERT_TRUE(small);
  auto dropped = small->append({"{\"n\":1}", "{\"n\":2}", "{\"n\":3}", "{\"n\":4}"});
  ASSERT_TRUE(dropped);
  EXPECT_EQ(*dropped, 2u);
  auto left = small->peek(10);
  ASSERT_EQ(left.size(), 2u);
  EXPECT_EQ(left[0].line, "{\"n\":3}");
}

TEST(WatchSyslog, MessagesFollowRfc5424) {
  std::string json =
      R"({"@timestamp":"2026-12-07T05:26:28Z","rule":{"id":"logs.auth-brute-force"},"vigil":{"severity":"medium","fingerprint":"ab\"c]"}})";
  auto m = syslog_message(json, 10, "web 1");
  // <PRI>VERSION SP TIMESTAMP SP HOSTNAME SP APP-NAME SP PROCID SP MSGID SP SD SP MSG
  EXPECT_EQ(m.rfind("<84>1 2026-12-07T05:26:28Z web1 vigil ", 0), 0u) << m;  // authpriv*8 + warning
  EXPECT_NE(m.find(" logs.auth-brute-force [vigil@32473 rule=\"logs.auth-brute-force\" severity=\"medium\" "
                   "fingerprint=\"ab\\\"c\\]\"] {"),
            std::string::npos)
      << m;
  EXPECT_EQ(m.substr(m.size() - json.size()), json);
  auto garbage = syslog_message("not json", 4, "");
  EXPECT_EQ(garbage.rfind("<38>1 - - vigil ", 0), 0u) << garbage;
}

TEST(WatchConfig, YaraScanSourceIsOffInAFileUntilAsked) {
  auto none = parse_config("sources:\n  triage: off\n", "w.yaml");
  ASSERT_TRUE(none);
  EXPECT_EQ(none->scan.mode, "off");
  auto on = parse_config("sources:\n  scan: on\n", "w.yaml");
  ASSERT_TRUE(on);
  EXPECT_EQ(on->scan.mode, "on");
  EXPECT_TRUE(on->scan.paths.empty());  // the drop zones
  auto full = parse_config("sources:\n  scan:\n    paths: [/srv/www]\n    rules: [/etc/vigil/yara]\n    builtin: false\n"
                           "    max_size: 8MB\n    debounce: 1s\n    events: inotify\n",
                           "w.yaml");
  ASSERT_TRUE(full) << dump(full.error());
  EXPECT_EQ(full->scan.paths, std::vector<std::string>{"/srv/www"});
  EXPECT_EQ(full->scan.rules, std::vector<std::string>{"/etc/vigil/yara"});
  EXPECT_FALSE(full->scan.builtin);
  EXPECT_EQ(full->scan.max_size, 8 << 20);
  EXPECT_EQ(full->scan.debounce_ms, 1000);
  EXPECT_EQ(full->scan.events, "inotify");
  EXPECT_TRUE(has_error(errors_of("sources:\n  scan: {events: fast}\n"), 2, 18, "is not auto, fanotify or inotify"))
      << dump(errors_of("sources:\n  scan: {events: fast}\n"));
  EXPECT_FALSE(errors_of("sources:\n  scan: {builtin: false}\n").empty());
  EXPECT_FALSE(errors_of("sources:\n  scan: {colour: red}\n").empty());
  EXPECT_TRUE(default_config().scan.mode == "on");
}
