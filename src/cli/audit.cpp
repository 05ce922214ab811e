// vigil audit: hardening checks (Wazuh SCA policies and vigil's own), a score, baselines and
// comparisons, exports; and vigil audit passwords.
#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>

#include "audit/accept.hpp"
#include "core/time_format.hpp"
#include "audit/baseline.hpp"
#include "audit/compare.hpp"
#include "audit/passwords.hpp"
#include "audit/patch_checks.hpp"
#include "audit/policy.hpp"
#include "audit/result_json.hpp"
#include "audit/run.hpp"
#include "cli/audit_patches.hpp"
#include "cli/collect_setup.hpp"
#include "cli/commands.hpp"
#include "cli/report_output.hpp"
#include "core/suppressions_file.hpp"
#include "collect/snapshot.hpp"
#include "core/host_files.hpp"
#include "core/outside_root.hpp"
#include "core/root.hpp"
#include "core/text.hpp"
#include "report/audit_report.hpp"
#include "report/result_set.hpp"
#include "store/store.hpp"

namespace vigil::cli {

namespace {

struct AuditOptions {
  std::vector<std::string> policies;
  std::string root = "/";
  bool force = false;  // inspect a --root that holds no operating system
  std::string format = "table";
  std::string out;
  bool no_commands = false;
  double timeout = 30;
  bool ignore_requirements = false;
  bool all = false;
  std::string save, compare, db;
  unsigned jobs = 0;
  double fail_under = 0;
  std::string suppress;
  bool no_suppress = false;
  // the patch section
  patch::PatchAuditOptions patch;
  bool no_patches = false;
  // passwords
  std::string wordlist = std::string(audit::kDefaultWordlist);
  bool no_variants = false, show = false;
  // compare A B
  std::string left, right;
  bool markdown = false;
};

// An error: on stderr, and as a JSON object on stdout for --format json or jsonl.
int fail(const AuditOptions& o, std::string_view message) { return RowsOptions{o.format, o.out}.error(message); }

std::vector<std::string> policy_paths(const AuditOptions& o) {
  std::vector<std::string> paths;
  for (const auto& p : o.policies) paths.push_back(p == "default" ? default_rules_dir() + "/policies" : p);
  if (paths.empty()) paths.push_back(default_rules_dir() + "/policies");
  return paths;
}

// Runs `write` on --out (or stdout); xlsx needs a file.
int with_output(const AuditOptions& o, const Root& root, const std::function<void(std::ostream&)>& write) {
  return write_output(o.out, root, write);
}

// --format xlsx: a workbook needs a file.
int write_workbook(const AuditOptions& o, const Root& root, const std::vector<report::Sheet>& sheets) {
  if (o.out.empty() || o.out == "-") return error_exit("--format xlsx writes a workbook: give --out FILE.xlsx");
  if (auto outside = refuse_inside_root(root, o.out, "--out"); !outside) return error_exit(outside.error());
  auto w = report::write_xlsx(o.out, sheets);
  return w ? kExitClean : error_exit(w.error());
}

std::string store_path(const AuditOptions& o) { return o.db.empty() ? std::string(store::kDefaultStorePath) : o.db; }

// A saved baseline by name, or a JSON file written by --format json.
expected<audit::AuditResult, std::string> load_compared(const AuditOptions& o, const std::string& what,
                                                        const Root& root) {
  std::error_code ec;
  if (what.find('/') != std::string::npos || what.ends_with(".json") || std::filesystem::is_regular_file(what, ec))
    return audit::load_result_file(what);
  auto st = open_store(store_path(o), root, store::Create::no);
  if (!st) return make_unexpected(st.error());
  return audit::load_baseline(*st, what);
}

int render(const AuditOptions& o, const Root& root, const audit::AuditResult& r, const audit::Comparison* cmp) {
  const auto& f = o.format;
  if (f == "xlsx") return write_workbook(o, root, report::audit_sheets(r, cmp));
  return with_output(o, root, [&](std::ostream& out) {
    if (f == "json") {
      auto j = audit::result_to_json(r);
      if (cmp) j["comparison"] = report::result_rows_json(report::comparison_rows(*cmp));
      out << audit::json_text(j, 2) << "\n";
    } else if (f == "jsonl") {
      report::render_audit_jsonl(r, out);
    } else if (f == "csv") {
      report::render_result_csv(cmp ? report::comparison_rows(*cmp) : report::audit_check_rows(r), out);
    } else if (f == "html") {
      report::render_audit_html(r, cmp, out);
    } else {
      report::render_audit_text(r, out, o.all);
      if (cmp) {
        out << "\n";
        report::render_comparison_text(*cmp, o.compare, out, o.all);
      }
    }
  });
}

// The patch section runs with vigil's own policies (or when a feed is given), not beside a
// policy file someone chose alone.
bool with_patches(const AuditOptions& o) {
  if (o.no_patches) return false;
  if (!o.patch.osv.empty() || !o.patch.debian_tracker.empty()) return true;
  return o.policies.empty() || std::find(o.policies.begin(), o.policies.end(), "default") != o.policies.end();
}

int run_audit_command(AuditOptions o) {
  auto root = open_system_root(o.root, o.force);
  if (!root) return fail(o, root.error());
  std::optional<audit::AuditResult> baseline;
  if (!o.compare.empty()) {  // read before the scan, so a typo fails fast
    auto b = load_compared(o, o.compare, *root);
    if (!b) return fail(o, b.error());
    baseline = std::move(*b);
  }
  auto accepted = load_suppressions(o.suppress, o.no_suppress);
  if (!accepted) return fail(o, accepted.error());
  auto set = audit::load_policies(policy_paths(o));
  for (const auto& p : set.problems)
    std::cerr << fmt::format("vigil: policy {}{}: {}\n", p.file, p.check.empty() ? "" : " check " + p.check, p.message);
  if (set.policies.empty()) return fail(o, "audit: no policy could be loaded");
  audit::RunOptions ro;
  ro.eval.run_commands = !o.no_commands;
  ro.eval.command_timeout = std::chrono::milliseconds(static_cast<long long>(o.timeout * 1000));
  ro.ignore_requirements = o.ignore_requirements;
  ro.jobs = o.jobs;
  auto result = audit::run_audit(set, *root, ro);
  if (with_patches(o)) {
    o.patch.judgement.now = epoch_now();
    auto patches = patch::audit_patches(*root, o.patch);
    if (!patches) return fail(o, "audit: " + patches.error());
    result.policies.push_back(audit::patch_policy(patches->status, patches->findings, patches->feed_given));
  }
  result.hostname = collect::collect_host_info(*root).hostname;
  audit::accept_failures(*accepted, result);
  std::optional<audit::Comparison> cmp;
  if (baseline) cmp = audit::compare_results(*baseline, result);
  if (!o.save.empty()) {
    auto st = open_store(store_path(o), *root);
    if (!st) return fail(o, st.error());
    auto id = audit::save_baseline(*st, result, o.save);
    if (!id) return fail(o, id.error());
    std::cerr << fmt::format("vigil: audit saved as '{}' (#{}) in {}\n", o.save, *id, st->path());
  }
  if (int rc = render(o, *root, result, cmp ? &*cmp : nullptr); rc != kExitClean) return rc;
  bool newly_failing = cmp && std::any_of(cmp->rows.begin(), cmp->rows.end(),
                                          [](const auto& r) { return r.change == audit::Change::newly_failing; });
  bool below = o.fail_under > 0 && result.score().percent() < o.fail_under;
  return newly_failing || below ? kExitFindings : kExitClean;
}

int run_compare_command(const AuditOptions& o) {
  auto root = open_root(o.root);
  if (!root) return fail(o, root.error());
  auto a = load_compared(o, o.left, *root);
  if (!a) return fail(o, a.error());
  auto b = load_compared(o, o.right, *root);
  if (!b) return fail(o, b.error());
  auto cmp = audit::compare_results(*a, *b);
  if (o.format == "xlsx")
    return write_workbook(o, *root, {{"Comparison", report::comparison_rows(cmp)},
                              {"Summary " + basename_of(o.left), report::audit_summary_rows(*a)},
                              {"Summary " + basename_of(o.right), report::audit_summary_rows(*b)}});
  return with_output(o, *root, [&](std::ostream& out) {
    auto rows = report::comparison_rows(cmp);
    rows.columns[4] = o.left;
    rows.columns[5] = o.right;
    if (o.format == "csv") report::render_result_csv(rows, out);
    else if (o.format == "html") report::render_comparison_html(cmp, *a, *b, o.left, o.right, out);
    else if (o.format == "json") report::render_result_json(rows, out);
    else if (o.format == "jsonl") report::render_result_jsonl(rows, out);
    else report::render_comparison_text(cmp, o.left, out, o.all);
  });
}

int run_passwords_command(const AuditOptions& o) {
  auto root = open_system_root(o.root, o.force);
  if (!root) return fail(o, root.error());
  audit::PasswordOptions po;
  po.wordlist = o.wordlist;
  po.user_variants = !o.no_variants;
  po.jobs = o.jobs;
  if (::isatty(2))  // a progress line on a terminal; nothing in a pipe or a log
    po.progress = [](std::uint64_t done, std::uint64_t total) {
      std::fprintf(stderr, "\r\033[Kpasswords: %llu of %llu candidates hashed", static_cast<unsigned long long>(done),
                   static_cast<unsigned long long>(total));
      if (done == total) std::fputs("\r\033[K", stderr);
      std::fflush(stderr);
    };
  auto r = audit::audit_passwords(*root, po);
  if (!r) return fail(o, r.error());
  for (const auto& p : r->problems) std::cerr << "vigil: " << p << "\n";
  int rc = with_output(o, *root, [&](std::ostream& out) {
    auto rows = report::password_rows(*r, o.show);
    if (o.format == "csv") report::render_result_csv(rows, out);
    else if (o.format == "jsonl") report::render_result_jsonl(rows, out);
    else if (o.format == "json") report::render_passwords_json(*r, o.show, out);
    else report::render_passwords_text(*r, o.show, out);
  });
  if (rc != kExitClean) return rc;
  bool weak = std::any_of(r->accounts.begin(), r->accounts.end(), [](const auto& a) { return a.severity == "high"; });
  return weak ? kExitFindings : kExitClean;
}

int run_checks_command(const AuditOptions& o) {
  auto set = audit::load_policies(policy_paths(o));
  int rc = o.markdown || o.format == "table" || o.format == "text"
               ? write_output(o.out, nullptr, [&](std::ostream& out) { report::render_check_list(set, o.markdown, out); })
               : render_rows(report::check_list_rows(set), RowsOptions{o.format, o.out});
  if (rc != kExitClean) return rc;
  return set.problems.empty() ? kExitClean : kExitError;
}

void add_common(CLI::App* cmd, AuditOptions& o) {
  cmd->add_option("--root", o.root, "audit a mounted image instead of the live host (read-only; commands are not run)");
  cmd->add_flag("--force", o.force, "inspect a --root that does not look like a system (no /etc/passwd or os-release)");
  cmd->add_option("--out", o.out, "write the report to FILE instead of standard output");
  cmd->add_option("--jobs", o.jobs, "threads (default: every core; twice that for policy checks)");
}

}  // namespace

void add_audit_command(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<AuditOptions>();
  auto* cmd = app.add_subcommand(
      "audit", "Is this host hardened? Run hardening policies (Wazuh SCA format: vigil's default, CIS …) and score them");
  cmd->require_subcommand(0, 1);
  cmd->add_option("--policy", o->policies,
                  "policy file or directory (repeatable; default: vigil's rules/policies; 'default' names it)")
      ->allow_extra_args(false);
  add_common(cmd, *o);
  cmd->add_option("--format", o->format, "table (default), json, jsonl, csv, xlsx (needs --out) or html")
      ->check(CLI::IsMember({"table", "text", "json", "jsonl", "csv", "xlsx", "html"}, CLI::ignore_case));
  cmd->add_flag("--no-commands", o->no_commands, "do not run the policies' c: commands (those checks are not applicable)");
  cmd->add_option("--timeout", o->timeout, "seconds a policy command may run before it is killed (default 30)");
  cmd->add_flag("--ignore-requirements", o->ignore_requirements,
                "run every policy even when its requirements (the OS it is written for) are not met");
  cmd->add_flag("--all", o->all, "list passed and not applicable checks too, not only failed ones");
  cmd->add_option("--save", o->save, "save this result in the store as baseline NAME");
  cmd->footer("Exit codes: 0 audited (no check newly failing against --compare, score not under --fail-under); "
              "1 newly failing checks or a score under --fail-under; 2 error (no policy loads, unreadable root).");
  cmd->add_option("--compare", o->compare,
                  "compare with baseline NAME (or a --format json FILE): newly failing checks first; exit 1 if any");
  cmd->add_option("--suppress", o->suppress,
                  "suppression file accepting failed checks: 'audit.POLICY.CHECK -- reason' (default " +
                      std::string(kDefaultSuppressionFile) + " if it exists)");
  cmd->add_flag("--no-suppress", o->no_suppress, "ignore the suppression file");
  cmd->add_option("--fail-under", o->fail_under, "exit 1 when the overall score is below this percentage");
  add_patch_feed_options(cmd, o->patch);
  cmd->add_flag("--no-patches", o->no_patches,
                "leave out the patch section (vigil_patches: apt lists, security updates, a feed when given), which "
                "runs with vigil's default policies or when a feed is given");
  add_store_option(cmd, o->db);
  cmd->callback([o, cmd, &exit_code] {
    if (cmd->get_subcommands().empty()) exit_code = run_audit_command(*o);
  });
  add_audit_patches_command(cmd, exit_code);

  auto* pw = cmd->add_subcommand(
      "passwords", "Weak-password audit of /etc/shadow: a wordlist (john's common passwords) and user name variants, "
                   "every libxcrypt scheme, all cores; also empty, never-expiring and deprecated hashes");
  add_common(pw, *o);
  pw->add_option("--wordlist", o->wordlist, "wordlist, one word per line (default " + std::string(audit::kDefaultWordlist) + ")");
  pw->add_flag("--no-variants", o->no_variants, "do not try user name variants");
  pw->add_flag("--show", o->show, "print the passwords found (hidden by default)");
  pw->add_option("--format", o->format, "text (default; table is the same), json, jsonl (an account a line) or csv")
      ->check(CLI::IsMember({"table", "text", "json", "jsonl", "csv"}, CLI::ignore_case));
  pw->footer("Exit codes: 0 no usable weak password; 1 a weak or empty password on an account that can log in; "
             "2 error (no readable shadow, no wordlist).");
  pw->callback([o, &exit_code] { exit_code = run_passwords_command(*o); });

  auto* checks = cmd->add_subcommand("checks", "List the checks of the policies (and what cannot be loaded, with why)");
  checks->add_option("--policy", o->policies, "policy file or directory (repeatable; default: vigil's rules/policies)")
      ->allow_extra_args(false);
  checks->add_flag("--markdown", o->markdown, "as docs/AUDIT_CHECKS.md");
  checks->add_option("--format", o->format, "text (default), json, jsonl or csv")
      ->check(CLI::IsMember({"text", "table", "json", "jsonl", "csv"}, CLI::ignore_case));
  checks->add_option("--out", o->out, "write to FILE instead of standard output");
  checks->callback([o, &exit_code] { exit_code = run_checks_command(*o); });

  auto* cmp = cmd->add_subcommand("compare", "Two saved audit results (names in the store, or JSON files) side by side");
  cmp->add_option("left", o->left, "baseline name or JSON file")->required();
  cmp->add_option("right", o->right, "baseline name or JSON file")->required();
  cmp->add_option("--format", o->format,
                  "text (default; table is the same), json, jsonl, csv, xlsx (needs --out) or html (side by side, "
                  "the changes marked)")
      ->check(CLI::IsMember({"table", "text", "json", "jsonl", "csv", "xlsx", "html"}, CLI::ignore_case));
  cmp->footer("Exit codes: 0 compared; 2 error (a name or file that cannot be read).");
  cmp->add_option("--out", o->out, "write to FILE");
  cmp->add_flag("--all", o->all, "list unchanged checks too");
  add_store_option(cmp, o->db);
  cmp->callback([o, &exit_code] { exit_code = run_compare_command(*o); });
}

}  // namespace vigil::cli
