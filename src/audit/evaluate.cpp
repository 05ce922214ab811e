// Rule and check evaluation with Wazuh SCA's three-valued logic: a rule is found, not found
// or invalid (could not be decided: a file that cannot be read, a command not run); `not`
// inverts found and not found only; the condition aggregates as the SCA table says.
#include "audit/evaluate.hpp"

#include <fmt/format.h>
#include <sys/stat.h>

#include <dirent.h>

#include <algorithm>
#include <cerrno>

#include "core/command.hpp"
#include "collect/account_parse.hpp"
#include "collect/proc_parse.hpp"
#include "core/glob.hpp"
#include "core/text.hpp"

namespace vigil::audit {

namespace {

enum class Outcome { not_found, found, invalid };

struct RuleOutcome {
  Outcome outcome = Outcome::not_found;
  std::string reason;    // invalid: why
  std::string evidence;  // what was seen
};

constexpr std::size_t kMaxReadBytes = std::size_t{64} << 20;
constexpr int kMaxDirDepth = 16;
constexpr std::size_t kEvidenceChars = 200;

std::string excerpt(std::string_view s) {
  std::string cut(s.substr(0, kEvidenceChars));
  std::replace(cut.begin(), cut.end(), '\t', ' ');  // config files indent with tabs; \x09 reads badly
  std::string out = printable(cut);
  if (s.size() > kEvidenceChars) out += "…";
  return out;
}

std::vector<std::string_view> targets(std::string_view list) {
  std::vector<std::string_view> out;
  for (auto t : split(list, ','))
    if (auto v = trim(t); !v.empty()) out.push_back(v);
  return out;
}

std::string_view file_type_name(mode_t m) {
  if (S_ISREG(m)) return "file";
  if (S_ISDIR(m)) return "directory";
  if (S_ISLNK(m)) return "symlink";
  if (S_ISCHR(m) || S_ISBLK(m)) return "device";
  if (S_ISFIFO(m)) return "fifo";
  if (S_ISSOCK(m)) return "socket";
  return "other";
}

bool missing(int code) { return code == ENOENT || code == ENOTDIR; }

}  // namespace

// One rule's evaluation; the per-type methods follow Wazuh's wm_sca.c.
struct RuleRunner {
  const Evaluator& ev;

  // A list (files, directory entries, directories) is invalid when an entry could not be
  // decided and none was found; the first reason is kept.
  static void note_invalid(RuleOutcome& acc, const RuleOutcome& r) {
    if (r.outcome != Outcome::invalid) return;
    acc.outcome = Outcome::invalid;
    if (acc.reason.empty()) acc.reason = r.reason;
  }

  // Lines of `text` against the pattern: found on the first line that matches.
  RuleOutcome match_lines(std::string_view text, const ContentPattern& p, std::string_view where) const {
    RuleOutcome r;
    std::string near;
    bool hit = false;
    for_each_line(text, [&](std::string_view line, std::size_t n) {
      if (hit) return;
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (pattern_matches(p, line)) {
        hit = true;
        r.evidence = fmt::format("{}:{}: {}", where, n, excerpt(line));
      } else if (near.empty() && pattern_nearly_matches(p, line)) {
        near = fmt::format("{}:{}: {}", where, n, excerpt(line));
      }
    });
    if (text.empty() && pattern_matches(p, "")) hit = true, r.evidence = fmt::format("{}: (empty)", where);
    r.outcome = hit ? Outcome::found : Outcome::not_found;
    if (!hit)
      r.evidence = near.empty() ? fmt::format("no line of {} matches '{}'", where, excerpt(p.source))
                                : fmt::format("{} (does not satisfy '{}')", near, excerpt(p.source));
    return r;
  }

  // vigil extension: a '*' or '?' in the last component of an f: or s: path names every
  // matching entry (none is not an error), as sshd's "Include sshd_config.d/*.conf" does.
  std::vector<std::string> expand(std::string_view list, bool files_only) const {
    std::vector<std::string> out;
    for (auto t : targets(list)) {
      auto slash = t.rfind('/');
      auto last = t.substr(slash + 1);
      if (slash == std::string_view::npos || last.find_first_of("*?[") == std::string_view::npos) {
        out.emplace_back(t);
        continue;
      }
      std::string dir(t.substr(0, slash == 0 ? 1 : slash));
      auto entries = ev.root_.list(dir);
      if (!entries) continue;
      std::vector<std::string> names;
      std::string pattern(last);
      for (const auto& e : *entries)
        if (glob_match(pattern, e.name, kGlobPeriod) && !(files_only && e.type == DT_DIR))
          names.push_back(e.name);
      std::sort(names.begin(), names.end());
      for (const auto& n : names) out.push_back(dir == "/" ? "/" + n : dir + "/" + n);
    }
    return out;
  }

  RuleOutcome file_existence(std::string_view path) const {
    RuleOutcome r;
    auto st = ev.root_.stat(path);
    if (!st) {
      if (missing(st.error().code)) return {Outcome::not_found, {}, fmt::format("{} does not exist", path)};
      return {Outcome::invalid, fmt::format("cannot check {}: {}", path, st.error().reason()), {}};
    }
    if (!S_ISREG(st->st_mode)) return {Outcome::invalid, fmt::format("{} is not a regular file", path), {}};
    return {Outcome::found, {}, fmt::format("{} exists", path)};
  }

  RuleOutcome file_content(std::string_view path, const ContentPattern& p) const {
    auto exists = file_existence(path);
    if (exists.outcome != Outcome::found) {
      if (exists.reason.empty()) exists.reason = fmt::format("{} does not exist", path);
      exists.outcome = Outcome::invalid;
      return exists;
    }
    auto text = path.starts_with("/proc/") || path.starts_with("/sys/") ? ev.root_.read_pseudo(path, kMaxReadBytes)
                                                                         : ev.root_.read(path, kMaxReadBytes);
    if (!text) return {Outcome::invalid, fmt::format("cannot read {}: {}", path, text.error().reason()), {}};
    return match_lines(*text, p, path);
  }

  // A list of files: found when any is; invalid when none is and one could not be read.
  RuleOutcome file_list(std::string_view list, const std::optional<ContentPattern>& p) const {
    RuleOutcome acc;
    std::vector<std::string> seen;
    for (const auto& path : expand(list, true)) {
      auto r = p ? file_content(path, *p) : file_existence(path);
      if (r.outcome == Outcome::found) return r;
      note_invalid(acc, r);
      seen.push_back(r.evidence.empty() ? r.reason : r.evidence);
    }
    acc.evidence = seen.empty() ? fmt::format("no file matches {}", list) : fmt::format("{}", fmt::join(seen, "; "));
    return acc;
  }

  RuleOutcome scan_dir(const std::string& dir, const Rule& rule, int depth) const {
    auto entries = ev.root_.list_stat(dir);
    if (!entries) return {Outcome::invalid, fmt::format("cannot open {}: {}", dir, entries.error().reason()), {}};
    RuleOutcome acc;
    std::size_t looked = 0;
    for (const auto& e : *entries) {
      std::string path = dir.ends_with('/') ? dir + e.name : dir + "/" + e.name;
      RuleOutcome r;
      if (S_ISDIR(e.st.st_mode)) {
        if (depth >= kMaxDirDepth) continue;
        r = scan_dir(path, rule, depth + 1);
      } else if (name_matches(*rule.file_name, e.name)) {
        ++looked;
        r = rule.content ? file_content(path, *rule.content) : file_existence(path);
      } else {
        continue;
      }
      if (r.outcome == Outcome::found) return r;
      note_invalid(acc, r);
    }
    if (acc.evidence.empty())
      acc.evidence = rule.content ? fmt::format("no line of {} file(s) under {} named '{}' matches '{}'", looked, dir,
                                                rule.file_name->source, excerpt(rule.content->source))
                                  : fmt::format("no entry under {} named '{}'", dir, rule.file_name->source);
    return acc;
  }

  RuleOutcome directory(const Rule& rule) const {
    RuleOutcome acc;
    for (auto d : targets(rule.target)) {
      std::string dir(d);
      RuleOutcome r;
      if (!rule.file_name) {
        auto st = ev.root_.stat(dir);
        if (!st) {
          r = missing(st.error().code) ? RuleOutcome{Outcome::not_found, {}, fmt::format("{} does not exist", dir)}
                                       : RuleOutcome{Outcome::invalid, fmt::format("cannot check {}: {}", dir, st.error().reason()), {}};
        } else {
          r = S_ISDIR(st->st_mode) ? RuleOutcome{Outcome::found, {}, fmt::format("{} exists", dir)}
                                   : RuleOutcome{Outcome::not_found, {}, fmt::format("{} is not a directory", dir)};
        }
      } else {
        r = scan_dir(dir, rule, 0);
      }
      if (r.outcome == Outcome::found) return r;
      note_invalid(acc, r);
      if (!acc.evidence.empty()) acc.evidence += "; ";
      acc.evidence += r.evidence.empty() ? r.reason : r.evidence;
    }
    return acc;
  }

  RuleOutcome process(const Rule& rule) const {
    if (!ev.root_.live()) return {Outcome::invalid, "processes are only seen on the live host, not under --root", {}};
    for (const auto& proc : ev.processes()) {
      for (const std::string* name : {&proc.comm, &proc.argv0}) {
        if (name->empty()) continue;
        if (pattern_matches(*rule.content, *name) || pattern_matches(*rule.content, basename_of(*name)))
          return {Outcome::found, {}, fmt::format("process '{}' is running", excerpt(*name))};
      }
    }
    return {Outcome::not_found, {}, fmt::format("no running process is named '{}'", rule.target)};
  }

  RuleOutcome command(const Rule& rule) const {
    if (!ev.root_.live()) return {Outcome::invalid, "commands run only on the live host, not under --root", {}};
    if (!ev.options_.run_commands) return {Outcome::invalid, "commands are not run (--no-commands)", {}};
    if (!rule.content) return {Outcome::found, {}, "no output pattern: nothing to run"};
    auto out = run_command(rule.target, ev.options_.command_timeout);
    if (!out) return {Outcome::invalid, out.error(), {}};
    auto r = match_lines(out->output, *rule.content, fmt::format("`{}`", excerpt(rule.target)));
    if (r.outcome == Outcome::not_found) {
      auto first = out->output.substr(0, out->output.find('\n'));
      r.evidence = fmt::format("`{}` printed {} line(s) (exit {}), none matching '{}'{}", excerpt(rule.target),
                               std::count(out->output.begin(), out->output.end(), '\n'), out->exit_status,
                               excerpt(rule.content->source), first.empty() ? "" : ": first: " + excerpt(first));
    }
    return r;
  }

  RuleOutcome status(const Rule& rule) const {
    RuleOutcome acc;
    std::size_t seen = 0;
    for (const auto& path : expand(rule.target, false)) {
      auto st = ev.root_.lstat(path);
      if (!st) {
        if (!missing(st.error().code))
          note_invalid(acc, {Outcome::invalid, fmt::format("cannot check {}: {}", path, st.error().reason()), {}});
        continue;
      }
      ++seen;
      std::string line = fmt::format("mode={:04o} uid={} gid={} user={} group={} type={}", st->st_mode & 07777,
                                     st->st_uid, st->st_gid, ev.user_name(st->st_uid), ev.group_name(st->st_gid),
                                     file_type_name(st->st_mode));
      if (!rule.content || pattern_matches(*rule.content, line)) return {Outcome::found, {}, fmt::format("{}: {}", path, line)};
      if (!acc.evidence.empty()) acc.evidence += "; ";
      acc.evidence += fmt::format("{}: {}", path, line);
    }
    if (seen == 0 && acc.outcome != Outcome::invalid)
      return {Outcome::invalid, fmt::format("{} does not exist", rule.target), {}};
    return acc;
  }

  RuleOutcome run(const Rule& rule) const {
    RuleOutcome r;
    switch (rule.type) {
      case RuleType::file: r = file_list(rule.target, rule.content); break;
      case RuleType::directory: r = directory(rule); break;
      case RuleType::process: r = process(rule); break;
      case RuleType::command: r = command(rule); break;
      case RuleType::status: r = status(rule); break;
      case RuleType::registry: r = {Outcome::invalid, "registry rules exist only on Windows", {}}; break;
    }
    if (r.outcome != Outcome::invalid && rule.negated)
      r.outcome = r.outcome == Outcome::found ? Outcome::not_found : Outcome::found;
    return r;
  }
};

Evaluator::Evaluator(const Root& root, EvalOptions options) : root_(root), options_(options) {}

const std::vector<Evaluator::ProcessName>& Evaluator::processes() const {
  std::call_once(processes_once_, [&] {
    auto entries = root_.list("/proc");
    if (!entries) return;
    for (const auto& e : *entries) {
      if (!to_number<unsigned>(e.name)) continue;
      ProcessName p;
      if (auto comm = root_.read_pseudo("/proc/" + e.name + "/comm", 4096)) p.comm = std::string(trim(*comm));
      if (auto cmd = root_.read_pseudo("/proc/" + e.name + "/cmdline", 1 << 16))
        if (auto argv = collect::parse_cmdline(*cmd); !argv.empty()) p.argv0 = std::move(argv.front());
      if (!p.comm.empty() || !p.argv0.empty()) processes_.push_back(std::move(p));
    }
  });
  return processes_;
}

std::string Evaluator::user_name(unsigned uid) const {
  std::call_once(names_once_, [&] {
    if (auto t = root_.read("/etc/passwd", 16 << 20))
      for (const auto& u : collect::parse_passwd(*t).rows) users_.emplace(static_cast<unsigned>(u.uid), u.name);
    if (auto t = root_.read("/etc/group", 16 << 20))
      for (const auto& g : collect::parse_group(*t).rows) groups_.emplace(static_cast<unsigned>(g.gid), g.name);
  });
  auto it = users_.find(uid);
  return it == users_.end() ? std::to_string(uid) : it->second;
}

std::string Evaluator::group_name(unsigned gid) const {
  user_name(0);  // loads both tables once
  auto it = groups_.find(gid);
  return it == groups_.end() ? std::to_string(gid) : it->second;
}

CheckResult describe(const Check& check, std::string_view policy_id) {
  CheckResult r;
  r.policy_id = std::string(policy_id);
  r.check_id = check.id;
  r.title = check.title;
  r.rationale = check.rationale;
  r.remediation = check.remediation;
  r.condition = std::string(condition_name(check.condition));
  r.references = check.references;
  r.rules = check.rule_sources;
  for (const auto* list : {&check.tactics, &check.techniques, &check.mitigations})
    for (const auto& m : *list) r.mitre.push_back(m.name.empty() ? m.id : m.id + " " + m.name);
  std::vector<std::string> comp;
  for (const auto& [k, v] : check.compliance) comp.push_back(fmt::format("{}: {}", k, fmt::join(v, ", ")));
  r.compliance = fmt::format("{}", fmt::join(comp, "; "));
  return r;
}

// The condition table of Wazuh's SCA: `all` fails on the first rule not found, `any` passes
// on the first found, `none` fails on the first found; otherwise an invalid rule makes the
// check not applicable.
CheckResult Evaluator::evaluate(const Check& check) const {
  CheckResult result;
  if (!check.unevaluable.empty()) {
    result.status = Status::not_applicable;
    result.reason = "cannot be evaluated: " + check.unevaluable;
    return result;
  }
  RuleRunner runner{*this};
  Outcome total = check.condition == Condition::all ? Outcome::found : Outcome::not_found;
  std::string reason;
  std::vector<std::string> evidence;
  for (const auto& rule : check.rules) {
    auto r = runner.run(rule);
    std::string shown = r.evidence.empty() ? r.reason : r.evidence;
    if ((check.condition == Condition::all && r.outcome == Outcome::not_found) ||
        (check.condition != Condition::all && r.outcome == Outcome::found)) {
      total = r.outcome;
      evidence.assign(1, shown);  // the rule that decided (found or not found, never invalid)
      break;
    }
    if (r.outcome == Outcome::invalid) {
      total = Outcome::invalid;
      if (reason.empty()) reason = r.reason;
    }
    if (evidence.size() < 4) evidence.push_back(shown);
  }
  if (total == Outcome::invalid) {
    result.status = Status::not_applicable;
    result.reason = reason.empty() ? "a rule could not be evaluated" : reason;
  } else {
    if (check.condition == Condition::none) total = total == Outcome::found ? Outcome::not_found : Outcome::found;
    result.status = total == Outcome::found ? Status::passed : Status::failed;
  }
  result.evidence = std::move(evidence);
  return result;
}

}  // namespace vigil::audit
