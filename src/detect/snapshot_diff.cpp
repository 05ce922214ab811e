// Snapshot comparison: rows become generic records, matched per table by identity key.
#include "detect/snapshot_diff.hpp"

#include <fmt/format.h>

#include <functional>
#include <map>
#include <set>

#include "collect/script_patterns.hpp"
#include "collect/tables.hpp"
#include "core/rule_catalog.hpp"
#include "core/text.hpp"
#include "detect/detectors.hpp"
#include "detect/paths.hpp"
#include "detect/shell_patterns.hpp"

namespace vigil::detect {

namespace {

constexpr std::string_view kSource = "diff";

// One row as (column, value) pairs, in column order; booleans as "true"/"false".
struct Record {
  std::vector<std::pair<std::string_view, EvidenceValue>> values;

  const EvidenceValue* get(std::string_view column) const {
    for (const auto& [c, v] : values)
      if (c == column) return &v;
    return nullptr;
  }
  std::string text(std::string_view column) const {
    const auto* v = get(column);
    return v ? evidence_text(*v) : std::string();
  }
  bool flag(std::string_view column) const { return text(column) == "true"; }
};

template <class Row>
Record to_record(const Row& row) {
  Record r;
  for_each_column(row, [&](const Column& c, const auto& v) {
    using T = std::remove_cvref_t<decltype(v)>;
    if constexpr (std::is_same_v<T, bool>)
      r.values.emplace_back(c.name, std::string(v ? "true" : "false"));
    else if constexpr (std::is_same_v<T, std::string>)
      r.values.emplace_back(c.name, v);
    else
      r.values.emplace_back(c.name, static_cast<std::int64_t>(v));
  });
  return r;
}

enum class Change { added, removed, changed };

// What the severity rules may know about the newer snapshot besides the row itself.
struct Facts {
  std::set<std::string> packaged_programs;  // executables some package owns
};

struct TableDiff {
  std::string_view table;
  std::string_view rule;    // change.<rule>-added …
  std::string_view prefix;  // evidence key prefix (ECS-like: process, user, package …)
  std::vector<std::string_view> key;
  std::vector<std::string_view> compare;  // a change in these is reported
  std::vector<std::string_view> show;     // shown with added and removed rows
  std::string_view rows;                  // which rows take part, for docs
  std::function<bool(const Record&)> include;
  std::function<Severity(Change, const Record* before, const Record& after, const Facts&)> severity;
};

constexpr std::array<std::string_view, 9> kPrivilegedGroups = {"root", "sudo", "wheel", "adm", "admin",
                                                              "shadow", "disk", "docker", "lxd"};

std::set<std::string_view> members(const std::string& list) {
  std::set<std::string_view> out;
  for (auto m : split(list, ','))
    if (!m.empty()) out.insert(m);
  return out;
}

const std::vector<TableDiff>& table_diffs() {
  static const std::vector<TableDiff> diffs = {
      {"sockets", "listener", "socket", {"protocol", "local_address", "local_port", "executable"}, {},
       {"process", "pid", "uid"}, "listening TCP and unconnected UDP sockets; connections come and go",
       [](const Record& r) {
         auto proto = r.text("protocol"), state = r.text("state");
         return state == "LISTEN" || (proto.starts_with("udp") && state == "UNCONN");
       },
       [](Change c, const Record*, const Record& r, const Facts& f) {
         if (c == Change::removed) return Severity::low;
         bool packaged = f.packaged_programs.contains(r.text("executable"));
         return loopback_address(r.text("local_address")) && packaged ? Severity::medium : Severity::high;
       }},
      {"processes", "process", "process", {"executable", "cmdline", "user"}, {"deleted", "sha256"},
       {"name", "pid", "ppid", "package", "copy_of"}, "user processes; kernel threads and vigil itself are left out",
       [](const Record& r) { return !r.flag("kernel_thread"); },
       [](Change c, const Record*, const Record& r, const Facts&) {
         if (c == Change::removed) return Severity::info;
         if (c == Change::changed) return Severity::medium;
         if (!r.text("package").empty() || r.flag("in_container")) return Severity::info;
         bool odd = in_temp_dir(r.text("executable")) || r.flag("deleted") || r.flag("fileless");
         return odd ? Severity::medium : Severity::low;
       }},
      {"interfaces", "interface", "interface", {"name"}, {"mac", "promiscuous"}, {"up"}, "every interface",
       nullptr,
       [](Change c, const Record* before, const Record& r, const Facts&) {
         if (c != Change::changed) return Severity::info;
         return r.flag("promiscuous") && !before->flag("promiscuous") && !r.flag("bridge_port") ? Severity::medium
                                                                                                 : Severity::low;
       }},
      {"users", "user", "user", {"name"}, {"uid", "gid", "home", "shell", "password", "hash_scheme"},
       {"uid", "shell", "password"}, "every account", nullptr,
       [](Change c, const Record* before, const Record& r, const Facts&) {
         if (c == Change::removed) return Severity::low;
         bool root = r.text("uid") == "0";
         if (c == Change::added) return root ? Severity::high : r.flag("login_shell") ? Severity::medium : Severity::low;
         if (root && before->text("uid") != "0") return Severity::high;
         bool gained_shell = r.flag("login_shell") && !before->flag("login_shell");
         bool emptied = r.text("password") == "empty" && before->text("password") != "empty";
         return gained_shell || emptied ? Severity::medium : Severity::low;
       }},
      {"groups", "group", "group", {"name"}, {"gid", "members"}, {"gid", "members"}, "every group", nullptr,
       [](Change c, const Record* before, const Record& r, const Facts&) {
         if (c == Change::removed) return Severity::info;
         auto name = r.text("name");
         bool privileged = std::find(kPrivilegedGroups.begin(), kPrivilegedGroups.end(), name) != kPrivilegedGroups.end();
         if (c == Change::added) return Severity::low;
         auto now = r.text("members"), was = before->text("members");
         auto old_members = members(was);
         for (auto m : members(now))
           if (!old_members.contains(m) && privileged) return Severity::high;
         return Severity::low;
       }},
      {"sudo_rules", "sudo-rule", "sudo", {"file", "principal", "hosts", "runas", "commands"}, {}, {"line", "nopasswd"},
       "every rule", nullptr,
       [](Change c, const Record*, const Record& r, const Facts&) {
         if (c == Change::removed) return Severity::info;
         return r.flag("nopasswd_all") ? Severity::high : Severity::medium;
       }},
      {"persistence", "persistence", "persistence", {"kind", "location", "user", "command"},
       {"options", "enabled", "file_uid", "package"}, {"line", "detail", "package"}, "every start-up item", nullptr,
       [](Change c, const Record*, const Record& r, const Facts&) {
         if (c == Change::removed) return Severity::info;
         if (c == Change::changed) return Severity::medium;
         auto command = r.text("command");
         auto words = command_words(command);
         // What the item says, by the start-up patterns triage uses.
         bool bad = (!collect::scan_script(command).empty() && r.text("verify") != "ok") ||
                    (!words.empty() && in_temp_dir(words.front()));
         if (bad) return Severity::high;
         return r.text("package").empty() ? Severity::medium : Severity::low;
       }},
      {"packages", "package", "package", {"name", "arch"}, {"version", "status"}, {"version"}, "every package",
       nullptr, [](Change, const Record*, const Record&, const Facts&) { return Severity::info; }},
      {"file_checks", "file-check", "file", {"check", "path"}, {"mode", "uid", "package", "copy_of"},
       {"detail", "package"}, "every check except the recency ones (recent-*), which change with the clock",
       [](const Record& r) { return !r.text("check").starts_with("recent-"); },
       [](Change c, const Record*, const Record& r, const Facts&) {
         if (c == Change::removed) return Severity::info;
         auto check = r.text("check");
         return check == "setuid" || check == "package-modified" ? Severity::high : Severity::medium;
       }},
      {"rootkit_probes", "rootkit-probe", "rootkit", {"probe", "target"}, {}, {"detail", "family"}, "every result",
       nullptr,
       [](Change c, const Record*, const Record&, const Facts&) {
         return c == Change::removed ? Severity::info : Severity::medium;
       }},
  };
  return diffs;
}

std::string key_of(const Record& r, const std::vector<std::string_view>& key) {
  std::string k;
  for (auto c : key) {
    k += r.text(c);
    k += '\x1f';
  }
  return k;
}

// The ECS field a column is reported under, the same names triage uses (process.command_line,
// not process.cmdline); columns ECS has no field for go under vigil.<table>.
struct EcsName {
  std::string_view prefix, column, key;
};
constexpr EcsName kEcsNames[] = {
    {"socket", "protocol", "network.transport"},        {"socket", "local_address", "destination.ip"},
    {"socket", "local_port", "destination.port"},       {"socket", "executable", "process.executable"},
    {"socket", "process", "process.name"},              {"socket", "pid", "process.pid"},
    {"socket", "uid", "user.id"},
    {"process", "executable", "process.executable"},    {"process", "cmdline", "process.command_line"},
    {"process", "user", "user.name"},                   {"process", "uid", "user.id"},
    {"process", "name", "process.name"},                {"process", "pid", "process.pid"},
    {"process", "ppid", "process.parent.pid"},          {"process", "sha256", "process.hash.sha256"},
    {"process", "package", "package.name"},             {"process", "cwd", "process.working_directory"},
    {"process", "copy_of", "vigil.file.copy_of"},
    {"interface", "name", "observer.ingress.interface.name"}, {"interface", "mac", "observer.mac"},
    {"user", "name", "user.name"},                      {"user", "uid", "user.id"},
    {"user", "gid", "user.group.id"},                   {"user", "home", "user.home"},
    {"user", "shell", "user.shell"},                    {"user", "password", "vigil.password"},
    {"group", "name", "group.name"},                    {"group", "gid", "group.id"},
    {"sudo", "file", "file.path"},                      {"sudo", "line", "file.line"},
    {"sudo", "principal", "user.name"},                 {"sudo", "commands", "vigil.sudo.commands"},
    {"persistence", "kind", "vigil.persistence.kind"},  {"persistence", "location", "file.path"},
    {"persistence", "line", "file.line"},               {"persistence", "user", "user.name"},
    {"persistence", "command", "process.command_line"}, {"persistence", "package", "package.name"},
    {"persistence", "detail", "vigil.persistence.detail"},
    {"package", "name", "package.name"},                {"package", "arch", "package.architecture"},
    {"package", "version", "package.version"},
    {"file", "path", "file.path"},                      {"file", "mode", "file.mode"},
    {"file", "uid", "file.uid"},                        {"file", "package", "package.name"},
    {"file", "copy_of", "vigil.file.copy_of"},          {"file", "check", "vigil.file.check"},
    {"rootkit", "family", "vigil.rootkit.family"},      {"rootkit", "detail", "vigil.probe.detail"},
};

std::string evidence_key(std::string_view prefix, std::string_view column) {
  for (const auto& n : kEcsNames)
    if (n.prefix == prefix && n.column == column) return std::string(n.key);
  return fmt::format("vigil.{}.{}", prefix, column);
}

// Key columns always; the shown ones only when they say something (no empty strings).
void add_columns(Finding& f, const TableDiff& d, const Record& r, const std::vector<std::string_view>& columns,
                 bool skip_empty) {
  for (auto c : columns)
    if (const auto* v = r.get(c); v && !(skip_empty && evidence_text(*v).empty()))
      f.evidence.push_back({evidence_key(d.prefix, c), *v});
}

Finding change_finding(const TableDiff& d, Change c, Severity s) {
  std::string_view kind = c == Change::added ? "added" : c == Change::removed ? "removed" : "changed";
  auto f = make_finding(fmt::format("change.{}-{}", d.rule, kind), s, kSource);
  f.add("event.action", std::string(kind));
  return f;
}

void diff_table(const TableDiff& d, const std::vector<Record>& before, const std::vector<Record>& after,
                const Facts& facts, Findings& out) {
  std::map<std::string, const Record*> old_rows, new_rows;
  for (const auto& r : before)
    if (!d.include || d.include(r)) old_rows.try_emplace(key_of(r, d.key), &r);
  for (const auto& r : after)
    if (!d.include || d.include(r)) new_rows.try_emplace(key_of(r, d.key), &r);
  for (const auto& [k, r] : new_rows) {
    auto old = old_rows.find(k);
    if (old == old_rows.end()) {
      auto f = change_finding(d, Change::added, d.severity(Change::added, nullptr, *r, facts));
      add_columns(f, d, *r, d.key, false);
      add_columns(f, d, *r, d.show, true);
      out.push_back(std::move(f));
      continue;
    }
    std::vector<std::string> changes;  // one vigil.changes value each: a list in JSON
    for (auto c : d.compare) {
      auto was = old->second->text(c), now = r->text(c);
      // A hash is only known when it was computed: an empty one is "not taken", not a change.
      if (was == now || (c == "sha256" && (was.empty() || now.empty()))) continue;
      changes.push_back(fmt::format("{}: {} → {}", c, was.empty() ? "\"\"" : was,
                                    now.empty() ? "\"\"" : now));
    }
    if (changes.empty()) continue;
    auto f = change_finding(d, Change::changed, d.severity(Change::changed, old->second, *r, facts));
    add_columns(f, d, *r, d.key, false);
    for (auto& change : changes) f.add("vigil.changes", std::move(change));
    out.push_back(std::move(f));
  }
  for (const auto& [k, r] : old_rows)
    if (!new_rows.contains(k)) {
      auto f = change_finding(d, Change::removed, d.severity(Change::removed, nullptr, *r, facts));
      add_columns(f, d, *r, d.key, false);
      add_columns(f, d, *r, d.show, true);
      out.push_back(std::move(f));
    }
}

// The records of every table of a snapshot; vigil's own process is no part of the host.
std::map<std::string_view, std::vector<Record>> records_of(const collect::Snapshot& s) {
  std::map<std::string_view, std::vector<Record>> out;
  collect::for_each_table(s, [&]<class Row>(std::string_view, const std::vector<Row>& rows) {
    auto& records = out[Row::kTable];
    for (const auto& row : rows) {
      if constexpr (std::is_same_v<Row, collect::ProcessRow>)
        if (row.self) continue;
      records.push_back(to_record(row));
    }
  });
  return out;
}

}  // namespace

DiffResult diff_snapshots(const collect::Snapshot& before, collect::Snapshot& after) {
  after.probes_skipped.clear();  // a diff judges tables, no probe: none is "skipped" for it
  DiffResult result;
  Facts facts;
  for (const auto& p : after.processes)
    if (!p.package.empty()) facts.packaged_programs.insert(p.executable);
  auto old_records = records_of(before), new_records = records_of(after);
  for (const auto& d : table_diffs()) {
    if (!before.has(d.table) || !after.has(d.table)) {
      if (before.has(d.table) || after.has(d.table)) result.skipped.emplace_back(d.table);
      continue;
    }
    result.compared.emplace_back(d.table);
    diff_table(d, old_records[d.table], new_records[d.table], facts, result.findings);
  }
  sort_findings(result.findings);
  return result;
}

}  // namespace vigil::detect
