// The collection and detection a triage runs, shared by vigil triage and vigil collect.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "collect/snapshot.hpp"
#include "core/expected.hpp"
#include "core/finding.hpp"
#include "core/root.hpp"

namespace vigil::cli {

struct TriageRunOptions {
  std::string root = "/";
  bool force = false;  // inspect a --root that holds no operating system
  bool hash = false;
  unsigned jobs = 0;
  std::int64_t failed_login_threshold = 10;
  std::int64_t since_days = 3;
  std::string rules_dir;
  bool no_port_probe = false;
  std::string verify = "common";
  bool quick = false;
  bool yara = false;
  bool timings = false;
  bool quiet = false;  // no progress line
  std::string bundle;  // a bundle of vigil collect to analyse instead of a root
};

struct TriageRun {
  ~TriageRun();  // removes the unpacked bundle
  std::string unpacked;  // the private directory a bundle was unpacked into
  std::optional<Root> root;
  collect::Snapshot snapshot;
  Findings findings;
  double seconds = 0;  // collection and detection
};

// The options --root, --force, --hash, --yara, --timings, --jobs, --rules, --no-port-probe,
// --quick, --verify-packages, --since and --failed-login-threshold (and, with `bundle`, --bundle).
void add_triage_run_options(CLI::App* cmd, TriageRunOptions& o, bool bundle = false);
// Opens the root, collects, runs the detectors (and YARA with --yara).
expected<std::unique_ptr<TriageRun>, std::string> run_triage_collection(const TriageRunOptions& o);

}  // namespace vigil::cli
