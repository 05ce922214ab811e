// What vigil watch follows, which rules it runs, where findings go and how much it may use:
// /etc/vigil/watch.yaml read into one typed value. Every error is reported (file:line:column,
// what was expected); an unknown key or a bad value is an error, never a silent default.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/cidr.hpp"
#include "core/expected.hpp"
#include "core/finding.hpp"
#include "core/finding_match.hpp"

namespace vigil::watch {

inline constexpr const char* kDefaultConfigPath = "/etc/vigil/watch.yaml";
inline constexpr const char* kDefaultStateDir = "/var/lib/vigil/watch";

// Where in the config a value was written (1-based), for errors found after parsing.
struct ConfigMark {
  int line = 0, column = 0;
};

struct ConfigError {
  std::string file;
  ConfigMark mark;
  std::string message;
};
std::string format_error(const ConfigError& e);

enum class SinkKind { jsonl, stdout_, syslog, journal };
enum class SyslogTransport { udp, tcp, unix_ };

struct SinkConfig {
  SinkKind kind = SinkKind::jsonl;
  std::string name = "jsonl";                // unique; names the sink in --status and its spool
  Severity min_severity = Severity::info;    // findings below this are not sent here
  // jsonl
  std::string path;                          // empty: STATE_DIR/findings.jsonl
  std::int64_t max_size = 100ll << 20;       // rotated to PATH.1 … PATH.keep beyond this
  int keep = 5;
  // syslog
  SyslogTransport transport = SyslogTransport::udp;
  std::string address;                       // host:port, [v6]:port, or a socket path (unix)
  int facility = 10;                         // authpriv
  // syslog and journal: findings kept on disk while the receiver is down
  std::int64_t buffer = 64ll << 20;
  std::size_t queue = 10'000;                // stdout: findings held in memory (limits.queue)
};

// Live file integrity against a fim baseline (sources.fim).
struct FimSourceConfig {
  std::string mode = "auto";  // auto: on when the store has the baseline; on (a mapping given); off
  std::string store = "/var/lib/vigil/vigil.db";
  std::string baseline = "default";
  std::string key = "/etc/vigil/fim.key";
  std::string events = "auto";  // auto (fanotify, else inotify), fanotify, inotify
  std::int64_t debounce_ms = 200;
  bool operator==(const FimSourceConfig&) const = default;
};

// YARA over the files written in the drop zones (sources.scan).
struct ScanSourceConfig {
  std::string mode = "off";            // on (the default configuration, or a mapping given), off
  std::vector<std::string> paths;      // empty: the drop zones of vigil scan
  std::vector<std::string> rules;      // more rule files or directories
  bool builtin = true;                 // vigil's rules/yara
  std::int64_t max_size = 64ll << 20;
  std::int64_t debounce_ms = 500;
  std::string events = "auto";
  bool operator==(const ScanSourceConfig&) const = default;
};

// The process and socket events kept for vigil query (events:).
struct EventsConfig {
  bool on = true;
  std::string store;                      // empty: STATE_DIR/events.db
  std::int64_t keep_ms = 7ll * 86'400'000;  // rows older than this are deleted
  std::int64_t max_rows = 1'000'000;       // per table
  bool operator==(const EventsConfig&) const = default;
};

// What a trigger does (triggers: … actions:).
enum class ActionKind { exec, block, capture };
struct ActionConfig {
  ActionKind kind = ActionKind::exec;
  std::vector<std::string> argv;         // exec: the program and its arguments (no shell)
  std::int64_t timeout_ms = 10'000;      // exec: killed after this
  std::int64_t ttl_ms = 3'600'000;       // block: how long the address stays blocked
  std::int64_t duration_ms = 60'000;     // capture: how long it records
  std::int64_t max_size = 20ll << 20;    // capture: the pcap stops growing here
  std::string interface = "any";         // capture
  std::string field = "source.ip";       // block, capture: the finding field naming the address
};

// Findings that set actions off: the suppression file's grammar (`when`), a least severity,
// at most one run per key and `once_per`, at most `max_per_minute` runs.
struct TriggerConfig {
  std::string name;
  FindingMatch when;
  Severity min_severity = Severity::info;
  std::string key;                       // a finding field; empty: the finding's fingerprint
  std::int64_t once_per_ms = 3'600'000;
  int max_per_minute = 60;
  std::vector<ActionConfig> actions;
};

// What every action obeys (response:).
struct ResponseConfig {
  bool dry_run = false;                  // say what would be done, do nothing
  std::vector<Cidr> allowlist;           // never blocked (nor loopback, nor the host's own addresses)
  std::string table = "vigil";           // nftables: table inet TABLE
  std::int64_t captures_max = 1ll << 30;  // STATE_DIR/captures stops taking new captures here
};

struct WatchConfig {
  std::string file;                          // the config it came from; empty for defaults
  std::string state_dir = kDefaultStateDir;
  std::vector<std::string> logs;             // files, directories, or "journal"
  bool from_start = false;
  std::int64_t triage_quick_ms = 60'000;   // periodic triage, cheap tables; 0 off
  std::int64_t triage_full_ms = 300'000;   // every table; 0 off
  std::string processes = "auto";          // process events: auto (BPF, else audit, else proc connector), bpf, audit, connector, off
  FimSourceConfig fim;
  ScanSourceConfig scan;
  EventsConfig events;
  std::vector<TriggerConfig> triggers;
  ResponseConfig response;
  bool builtin_rules = true;
  std::vector<std::string> rule_paths;
  std::vector<std::pair<std::string, ConfigMark>> disabled_rules;  // checked against the loaded rules
  std::string web_profile;  // a learned web profile (vigil logs learn) every web request is judged by
  ConfigMark web_profile_mark;
  // The administrator's suppression file (known local services, a reason each); empty: the
  // default /etc/vigil/suppressions.conf when it exists. `none` turns it off.
  std::string suppressions;
  ConfigMark suppressions_mark;
  std::int64_t flush_ms = 1000;
  std::int64_t idle_close_ms = 600'000;
  std::vector<SinkConfig> sinks;
  std::int64_t rss_limit = 200ll << 20;      // bytes
  double cpu_limit = 10;                     // percent of one core over a minute
  std::size_t queue = 10'000;                // findings held in memory per sink
};

// Parses `text` (named `file` in errors). Every error found is returned, not just the first.
expected<WatchConfig, std::vector<ConfigError>> parse_config(std::string_view text, const std::string& file);
expected<WatchConfig, std::vector<ConfigError>> load_config(const std::string& file);

// What runs with no config at all: the system's auth log and syslog, web server logs that
// exist, the journal when journald runs; a JSONL sink in the state directory, and stdout when
// it is a terminal.
WatchConfig default_config();

// Paths in `candidates` that exist, for the default sources (a test can give its own list).
std::vector<std::string> existing_default_logs();

std::string_view sink_kind_name(SinkKind k);

// The command line's part: a config file, and overrides that combine with it.
struct CommandLine {
  std::string config;              // --config; empty: /etc/vigil/watch.yaml if it exists and no --log is given
  std::vector<std::string> logs;   // --log: with a config, added to its sources; without, the only sources
  std::string output;              // --output: the (first) JSONL sink's file
  std::string state_dir;           // --state-dir
  bool from_start = false;         // --from-start
  bool dry_run = false;            // --dry-run
  std::vector<std::string> rules;  // --rules, added
  bool no_builtin = false;         // --no-builtin
  std::string builtin_rules;       // vigil's rules/logs directory
};

// The config a daemon runs with: read (or the defaults), then the overrides; the rule
// directories resolved (builtin added unless switched off).
expected<WatchConfig, std::vector<ConfigError>> resolve_config(const CommandLine& cl);

}  // namespace vigil::watch
