#include "watch/process_sigma.hpp"

#include "core/text.hpp"
#include "detect/process_view.hpp"

namespace vigil::watch {

namespace {

constexpr std::string_view kSource = "watch/sigma";

Finding rule_finding(const logs::sigma::RuleMeta& m) {
  Finding f;
  logs::sigma::describe_rule(f, m);
  f.why = m.description.empty() ? "A Sigma rule matched a process event." : m.description;
  f.remedy = m.remedy.empty() ? "Look at the process, its parent and its user, and decide whether an administrator "
                                "or an intruder ran it."
                              : m.remedy;
  f.source = std::string(kSource);
  return f;
}

// The fields both kinds of event have; views into `p` and `pid`, which outlive the match.
logs::Event process_event(logs::LogFamily family, const collect::ProcessRow& p, const std::string& pid) {
  using logs::Field;
  logs::Event e;
  e.family = family;
  e.set(Field::process_executable, p.executable);
  e.set(Field::command_line, p.cmdline);
  e.set(Field::message, p.cmdline);  // what keywords search
  e.raw = p.cmdline;
  e.set(Field::process_name, p.name);
  e.set(Field::process_pid, pid);
  e.set(Field::user_name, p.user);
  return e;
}

}  // namespace

void ProcessSigma::set_rules(const logs::LogRules* rules) {
  rules_ = rules;
  scratch_ = rules ? rules->rules.make_scratch() : decltype(scratch_){nullptr, nullptr};
  connection_rules_ = false;
  if (rules)
    for (const auto& r : rules->rules.rules())
      connection_rules_ = connection_rules_ || r.source.family == logs::LogFamily::network_connection;
}

Findings ProcessSigma::judge(const logs::Event& e, const collect::ProcessRow& p, const char* action) {
  Findings out;
  if (!rules_ || !scratch_) return out;
  hits_.clear();
  rules_->rules.match(e, *scratch_, hits_);
  for (int i : hits_) {
    const auto& m = rules_->rules.rules()[static_cast<std::size_t>(i)].meta;
    if (m.severity == Severity::info) {  // Sigma: informational rules tag events, they never alert
      ++informational_;
      continue;
    }
    std::string key = m.id + m.title + "\x1f" + std::to_string(p.pid) + "\x1f" + std::to_string(p.start_time);
    if (fired_.size() > 100'000) fired_.clear();
    if (!fired_.insert(key).second) continue;
    auto f = rule_finding(m);
    detect::add_process_evidence(f, p);
    f.add("event.action", std::string(action));
    out.push_back(std::move(f));
  }
  return out;
}

Findings ProcessSigma::on_exec(const collect::ProcessRow& p, const collect::ProcessRow* parent) {
  using logs::Field;
  std::string pid = std::to_string(p.pid);
  auto e = process_event(logs::LogFamily::process_creation, p, pid);
  e.set(Field::process_working_directory, p.cwd);
  if (parent) {
    e.set(Field::process_parent_executable, parent->executable);
    e.set(Field::process_parent_command_line, parent->cmdline);
  }
  auto out = judge(e, p, "exec");
  if (parent)
    for (auto& f : out) detect::add_parent_evidence(f, *parent);
  return out;
}

Findings ProcessSigma::on_connection(const collect::ProcessRow& p, const Connection& c) {
  using logs::Field;
  std::string pid = std::to_string(p.pid), port = std::to_string(c.port);
  auto e = process_event(logs::LogFamily::network_connection, p, pid);
  // The remote end: where a connect goes (destination), where an accepted connection came from
  // (source, the side that initiated it).
  e.set(c.initiated ? Field::destination_ip : Field::source_ip, c.ip);
  e.set(c.initiated ? Field::destination_port : Field::source_port, port);
  e.set(Field::network_initiated, c.initiated ? "true" : "false");
  auto out = judge(e, p, c.initiated ? "connect" : "accept");
  for (auto& f : out) {
    f.add(c.initiated ? "destination.ip" : "source.ip", c.ip);
    f.add(c.initiated ? "destination.port" : "source.port", static_cast<std::int64_t>(c.port));
    f.add("network.direction", std::string(c.initiated ? "egress" : "ingress"));
  }
  return out;
}

}  // namespace vigil::watch
