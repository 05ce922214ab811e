// Sigma rules on live process events: linux `process_creation` rules judge every exec and
// `network_connection` rules every connect and accept, through the same compiled rule set as
// the log rules (their own logsource families, so a log line never meets them). Field names
// as Sysmon for Linux gives them to SigmaHQ's rules: Image, CommandLine, ParentImage,
// ParentCommandLine, User, CurrentDirectory, ProcessId; DestinationIp, DestinationPort,
// Initiated. A rule that fires again for the same process is reported once; matches of
// informational rules are only counted.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_set>

#include "collect/processes.hpp"
#include "core/finding.hpp"
#include "logs/rules.hpp"

namespace vigil::watch {

struct Connection {
  std::string ip;
  int port = 0;
  bool initiated = true;  // connect (true) or accept (false)
};

class ProcessSigma {
 public:
  // The rules in use (kept by the daemon; replaced on reload). nullptr: none.
  void set_rules(const logs::LogRules* rules);
  // Whether any loaded rule judges connections (so connect events are worth reading /proc for).
  bool wants_connections() const { return connection_rules_; }
  Findings on_exec(const collect::ProcessRow& p, const collect::ProcessRow* parent);
  Findings on_connection(const collect::ProcessRow& p, const Connection& c);
  // Matches of informational rules, counted and not sent (Sigma: they tag, they do not alert).
  std::uint64_t informational() const { return informational_; }

 private:
  Findings judge(const logs::Event& e, const collect::ProcessRow& p, const char* action);

  const logs::LogRules* rules_ = nullptr;
  std::unique_ptr<logs::sigma::RuleSet::Scratch, void (*)(logs::sigma::RuleSet::Scratch*)> scratch_{nullptr, nullptr};
  bool connection_rules_ = false;
  std::vector<int> hits_;
  std::uint64_t informational_ = 0;
  std::unordered_set<std::string> fired_;  // rule and process already reported (bounded)
};

}  // namespace vigil::watch
