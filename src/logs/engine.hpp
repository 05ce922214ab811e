// The stateful half of log detection: matched lines, in log order, through the correlations
// (brute force in a window, a login after failures), the per-rule and per-source tallies that
// become findings, the attacker table, and the built-ins that need the absence of an event
// (a source that never logged in, a user's new login source).
//
// One engine serves both paths. `vigil logs scan` consumes blocks matched on every core and
// calls finish(); `vigil watch` feeds lines as a tail reads them and calls flush(now) on a
// timer. Every bit of state is explicit, bounded by time (windows evicted by flush, idle
// groups closed) and saved/restored as a versioned blob, so a restart after kill -9 carries
// on a half-counted brute-force window.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "core/expected.hpp"
#include "core/finding.hpp"
#include "logs/line_matcher.hpp"

namespace vigil::logs {

struct Attacker {
  std::string ip;
  std::int64_t first = 0, last = 0;
  std::uint64_t events = 0;           // matched events from this source
  std::uint64_t failures = 0, successes = 0, invalid_users = 0;
  std::map<std::string, std::uint64_t> kinds;  // rule title → matches
  std::set<std::string> users;        // user names tried (at most 20 kept)
  std::uint64_t web_successes = 0;    // attack requests answered 2xx
  std::uint64_t destination_port = 0; // 22 for ssh, 80 for web, when known
  std::string destination_ip;
  bool reported = false;              // some finding names this source
  bool windowed = false;              // a correlation grouped by source fired for it
};

// One matched line, for --events (the lines with rules or anomalies) and the reports' counts
// (also the lines that only feed a correlation: each failed login of a brute force).
struct MatchedLine {
  const std::string* path;
  std::uint64_t line;
  std::int64_t time;
  std::vector<const sigma::RuleMeta*> rules;  // rules reported for this line
  const std::vector<ProfileAnomaly>* anomalies = nullptr;  // what the learned profile did not expect
  std::string_view source_ip;
  std::string_view raw;
  std::vector<const sigma::RuleMeta*> feeding = {};  // rules whose matches only feed a correlation
  bool reported() const { return !rules.empty() || anomalies; }
};

struct EngineOptions {
  std::uint64_t slow_failures = 5;  // failed logins from a source that never logged in; 0 off
  bool new_source = true;           // a user's successful login from a source not seen before
  // flush(now) closes a finding group, and forgets a source, idle for this long (seconds),
  // giving its final finding; 0 keeps everything until finish(), as one scan of a file does.
  std::int64_t idle_close = 0;
  // Lines may arrive this far out of time order (several programs, several files): windows
  // are evicted only this long after they closed.
  std::int64_t reorder_slack = 300;
};

class LogEngine {
 public:
  using FindingSink = std::function<void(const Finding&)>;
  using MatchSink = std::function<void(const MatchedLine&)>;

  LogEngine(const LogRules& rules, EngineOptions options = {});

  // Findings that are events, as they happen: a correlation firing (a brute force crossing
  // its threshold, a login after one), a new login source. Summaries come from flush/finish.
  void on_event(FindingSink sink) { on_event_ = std::move(sink); }
  // Every line that matched a rule reported on its own (vigil logs scan --events).
  void on_match(MatchSink sink) { on_match_ = std::move(sink); }

  // The batch path: one block matched elsewhere, consumed in log order.
  void consume(const MatchedBlock& block, const std::string& path);
  // The stream path: one whole line of `path` (no newline) at `cursor`, which moves on. A
  // tail gives the cursor the file's first lines (SourceCursor::detect) before the first
  // feed; otherwise the format is judged from the first line alone.
  ParseResult feed(SourceCursor& cursor, std::string_view line, const std::string& path);

  // Evicts windows that closed before `now` (less the reorder slack) and, with idle_close,
  // closes idle groups and sources: their findings are returned.
  Findings flush(std::int64_t now);
  // Closes everything: the findings of one whole scan, sorted.
  Findings finish();
  // The sources some finding names, most events first; once, after finish().
  std::vector<Attacker> take_attackers();
  std::uint64_t matched_lines() const { return matched_lines_; }
  // The newest event time seen (log time, which may lag or lead the clock).
  std::int64_t latest() const { return latest_; }

  // All window, tally and learned state as a compact versioned blob, and back (rules are
  // referred to by id, so a restart with an edited rule set keeps what still applies).
  std::string save() const;
  expected<void, std::string> restore(std::string_view blob);

  struct Size {
    std::size_t groups = 0, sources = 0, users = 0, windows = 0;
  };
  Size size() const;

 private:
  // A finding under construction: one per rule (a Sigma rule, a correlation, a profile model)
  // and group (the source, or the correlation's group-by values).
  enum class Kind : std::uint8_t { rule, correlation, profile };
  struct Group {
    Kind kind = Kind::rule;
    std::size_t index = 0;
    std::string key;
    std::uint64_t count = 0;
    double peak = 0;
    std::int64_t first = 0, last = 0;
    std::string path;
    std::uint64_t line = 0;
    std::string sample;
    std::string detail;  // a profile model's: what the first request had and what was expected
    std::set<std::string> users;
  };
  using GroupKey = std::tuple<Kind, std::size_t, std::string>;

  std::string_view val(const Hit& h, std::size_t i) const;
  Attacker* attacker(std::string_view ip);
  void hit(const Hit& h, const std::string& path);
  void anomalies(const Hit& h, const std::string& path, Attacker* a, MatchedLine& ml);
  Group& group(Kind kind, std::size_t index, const std::string& key, const Hit& h, const std::string& path);
  void fired(const CorrelationFire& f, const Hit& h, const std::string& path);
  bool absorbed(const CorrelationFire& f, const std::vector<CorrelationFire>& with) const;
  void new_source(const Hit& h, const std::string& path, std::string_view user, std::string_view ip);
  // Closes groups and sources last seen at or before `cutoff`, in finish()'s order.
  Findings close(std::int64_t cutoff);
  std::optional<Finding> slow_brute_force(Attacker& a) const;
  Finding new_source_finding(std::string_view user, const Hit& h, const std::string& path, std::size_t known) const;
  Finding to_finding(const Group& g) const;

  const LogRules& rules_;
  LineMatcher matcher_;
  EngineOptions o_;
  std::unique_ptr<sigma::RuleSet::Scratch, void (*)(sigma::RuleSet::Scratch*)> scratch_;
  CorrelationState windows_;
  std::vector<std::vector<std::size_t>> absorbers_;  // per correlation: those whose firing absorbs it
  std::size_t ip_, user_, action_, outcome_, status_, dst_ip_, dst_port_;
  std::map<GroupKey, Group> groups_;
  std::unordered_map<std::string, Attacker> attackers_;
  std::unordered_map<std::string, std::set<std::string>> user_sources_;
  struct NewSources {  // one finding per user, listing the new sources
    Finding finding;
    std::int64_t last = 0;
  };
  std::map<std::string, NewSources> new_sources_;
  std::vector<Attacker> reported_;  // the reported sources, gathered by finish()
  std::uint64_t matched_lines_ = 0;
  std::int64_t latest_ = 0;
  FindingSink on_event_;
  MatchSink on_match_;
};

}  // namespace vigil::logs
