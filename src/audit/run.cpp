// A shared counter hands checks to worker threads; results land in their fixed slots, so the
// output order is the policy's order whatever the scheduling.
#include "audit/run.hpp"
#include "core/time_format.hpp"

#include <fmt/format.h>

#include <atomic>
#include <chrono>
#include <thread>

namespace vigil::audit {

AuditResult run_audit(const PolicySet& set, const Root& root, const RunOptions& options) {
  auto t0 = std::chrono::steady_clock::now();
  AuditResult out;
  out.root = root.path();
  out.live = root.live();
  out.started_at = epoch_now();
  out.problems = set.problems;
  Evaluator ev(root, options.eval);  // it refuses commands and processes under --root itself

  struct Job {
    const Check* check;
    CheckResult* slot;
  };
  std::vector<Job> jobs;
  out.policies.reserve(set.policies.size());
  for (const auto& p : set.policies) {
    PolicyResult pr;
    pr.id = p.id;
    pr.name = p.name;
    pr.description = p.description;
    pr.file = p.path;
    if (p.has_requirements && !options.ignore_requirements) {
      auto req = ev.evaluate(p.requirements);
      if (req.status != Status::passed) {
        pr.ran = false;
        pr.skipped_why = req.status == Status::failed
                             ? fmt::format("requirements not met ({}): {}", p.requirements.title,
                                           req.evidence.empty() ? "" : req.evidence.front())
                             : fmt::format("requirements could not be checked: {}", req.reason);
      }
    }
    if (pr.ran)
      for (const auto& c : p.checks) pr.checks.push_back(describe(c, p.id));
    out.policies.push_back(std::move(pr));
  }
  for (std::size_t i = 0; i < set.policies.size(); ++i) {
    if (!out.policies[i].ran) continue;
    for (std::size_t j = 0; j < set.policies[i].checks.size(); ++j)
      jobs.push_back({&set.policies[i].checks[j], &out.policies[i].checks[j]});
  }

  unsigned n = options.jobs ? options.jobs : std::max(2u, 2 * std::thread::hardware_concurrency());
  n = std::min<unsigned>(n, static_cast<unsigned>(std::max<std::size_t>(1, jobs.size())));
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t i; (i = next.fetch_add(1)) < jobs.size();) {
      auto r = ev.evaluate(*jobs[i].check);
      jobs[i].slot->status = r.status;
      jobs[i].slot->reason = std::move(r.reason);
      jobs[i].slot->evidence = std::move(r.evidence);
    }
  };
  std::vector<std::thread> threads;
  for (unsigned t = 1; t < n; ++t) threads.emplace_back(work);
  work();
  for (auto& t : threads) t.join();
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return out;
}

}  // namespace vigil::audit
