// vigil collect OUT.tar.zst: the incident evidence bundle - the triage (JSON and HTML), the raw
// artefacts it rests on, and for the processes a finding names their /proc files and program;
// every member in MANIFEST.sha256, the bundle's own SHA-256 beside it, signed with the fim key
// when one is given.
#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <set>
#include <sstream>

#include "cli/commands.hpp"
#include "cli/report_output.hpp"
#include "cli/triage_run.hpp"
#include "collect/evidence.hpp"
#include "core/outside_root.hpp"
#include "core/time_format.hpp"
#include "core/unique_fd.hpp"
#include "fim/signature.hpp"
#include "report/bundle.hpp"
#include "report/report.hpp"

namespace vigil::cli {

namespace {

constexpr std::size_t kMaxFile = std::size_t{256} << 20;     // a log larger is left out (said)
constexpr std::size_t kMaxProgram = std::size_t{64} << 20;   // a program larger is left out (said)

struct CollectOptions {
  std::string out;
  TriageRunOptions run;
  bool with_secrets = false;
  std::string key;  // sign the bundle's hash with this fim key
  std::string command_line;
};

std::string read_program(pid_t pid, std::string& why) {
  UniqueFd fd(::open(fmt::format("/proc/{}/exe", pid).c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) {
    why = std::strerror(errno);
    return {};
  }
  auto text = read_all(fd.get(), fmt::format("/proc/{}/exe", pid), kMaxProgram);
  if (!text) why = text.error().reason();
  return text ? std::move(*text) : std::string();
}

int run_collect(CollectOptions o) {
  auto run = run_triage_collection(o.run);
  if (!run) return error_exit(run.error());
  const Root& root = *(*run)->root;
  if (auto r = refuse_inside_root(root, o.out, "OUT"); !r) return error_exit(r.error());
  std::optional<fim::SigningKey> key;
  if (!o.key.empty()) {
    auto k = fim::SigningKey::load(o.key);
    if (!k) return error_exit("--key: " + k.error());
    if (!k->can_sign()) return error_exit("--key " + o.key + " is a public key: give the private key to sign");
    key = std::move(*k);
  }
  auto t0 = std::chrono::steady_clock::now();
  auto writer = report::BundleWriter::create(o.out);
  if (!writer) return error_exit(writer.error());
  std::int64_t now = ::time(nullptr);
  std::vector<std::string> notes;
  report::TriageReport r;
  r.snapshot = &(*run)->snapshot;
  r.findings = (*run)->findings;
  r.seconds = (*run)->seconds;
  r.title = "vigil triage";
  std::ostringstream json, html;
  report::render_json(r, json);
  report::render_html(r, html);
  auto fail = [&](const expected<void, std::string>& e) {
    if (!e) std::cerr << "vigil: collect: " << e.error() << "\n";
    return !e;
  };
  if (fail(writer->add("triage.json", json.str(), now)) || fail(writer->add("triage.html", html.str(), now)))
    return kExitError;
  std::size_t files = 0, redacted = 0;
  for (const auto& e : collect::evidence_files(root)) {
    auto text = root.read(e.path, kMaxFile);
    if (!text) {
      notes.push_back(fmt::format("{}: left out: {}", e.path, text.error().reason()));
      continue;
    }
    std::string bytes = std::move(*text);
    if (e.password_hashes && !o.with_secrets) {
      bytes = collect::redact_password_hashes(bytes);
      ++redacted;
    }
    auto st = root.lstat(e.path);
    if (fail(writer->add("files" + e.path, bytes, st ? st->st_mtime : now, st ? st->st_mode : 0644))) return kExitError;
    ++files;
  }
  std::size_t processes = 0;
  if (root.live()) {
    for (auto pid : report::flagged_pids(r.findings)) {
      std::string dir = fmt::format("proc/{}/", pid);
      bool any = false;
      for (const char* what : {"cmdline", "status", "maps", "environ"}) {
        auto text = root.read_pseudo(fmt::format("/proc/{}/{}", pid, what));
        if (!text) continue;
        any = true;
        if (fail(writer->add(dir + what, *text, now))) return kExitError;
      }
      std::string why;
      auto program = read_program(static_cast<pid_t>(pid), why);
      if (!program.empty()) {
        if (fail(writer->add(dir + "exe", program, now, 0600))) return kExitError;
      } else if (any) {
        notes.push_back(fmt::format("/proc/{}/exe: left out: {}", pid, why));
      }
      processes += any;
    }
  }
  std::string collection = fmt::format(
      "vigil collect {}\nhost: {}\nroot: {}\ncollected: {}\ncommand: {}\nfindings: {}\nfiles: {}\nprocesses: {}\n"
      "password hashes: {}\n",
      VIGIL_VERSION, r.snapshot->host.hostname, root.path(), iso8601(now), o.command_line, r.findings.size(), files,
      processes, o.with_secrets ? "kept (--with-secrets)" : fmt::format("removed from {} file(s)", redacted));
  for (const auto& n : notes) collection += "note: " + n + "\n";
  if (fail(writer->add("COLLECTION.txt", collection, now)) || fail(writer->finish())) return kExitError;
  auto sha = report::file_sha256(o.out);
  if (!sha) return error_exit(sha.error());
  std::string name = std::filesystem::path(o.out).filename().string();
  std::ofstream(o.out + ".sha256") << *sha << "  " << name << "\n";
  if (key) {
    auto sig = key->sign(*sha);
    if (!sig) return error_exit(sig.error());
    std::ofstream(o.out + ".sig") << "vigil-bundle-signature " << key->kind() << " " << key->id() << " " << *sig << "\n";
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::cout << fmt::format(
      "{}: {} findings, {} files, {} processes' /proc files and programs ({} members) in {:.2f} s (triage {:.2f} s); "
      "SHA-256 {} in {}.sha256{}\n",
      o.out, r.findings.size(), files, processes, writer->manifest().size() + 1, seconds, r.seconds, *sha, o.out,
      key ? fmt::format(", signed with {} key {} in {}.sig", key->kind(), key->id(), o.out) : "");
  for (const auto& n : notes) std::cerr << "vigil: collect: " << n << "\n";
  return kExitClean;
}

}  // namespace

void add_collect_command(CLI::App& app, int& exit_code, const std::string& command_line) {
  auto o = std::make_shared<CollectOptions>();
  o->command_line = command_line;
  auto* cmd = app.add_subcommand(
      "collect", "the incident evidence bundle: the triage (JSON, HTML), the raw artefacts and the flagged "
                 "processes' files, with a manifest of SHA-256s, in one .tar.zst");
  cmd->add_option("out", o->out, "the bundle to write (OUT.tar.zst; OUT.tar.zst.sha256 beside it)")->required();
  add_triage_run_options(cmd, o->run);
  cmd->add_flag("--with-secrets", o->with_secrets, "keep the password hashes of /etc/shadow and gshadow");
  cmd->add_option("--key", o->key, "sign the bundle's SHA-256 with this fim key (HMAC or Ed25519 private key)");
  cmd->callback([o, &exit_code] { exit_code = run_collect(*o); });
}

}  // namespace vigil::cli
