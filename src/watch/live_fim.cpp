#include "watch/live_fim.hpp"

#include "core/collect_issue.hpp"
#include "fim/baseline.hpp"
#include "fim/compare.hpp"
#include "fim/scan.hpp"
#include "watch/clock.hpp"
#include "watch/self_finding.hpp"

namespace vigil::watch {

namespace {

// An editor saving a file can keep it busy a while; a path is judged at the latest this long
// after its first event even if events keep coming.
constexpr std::int64_t kMaxWaitMs = 2000;

}  // namespace

LiveFim::LiveFim() = default;
LiveFim::~LiveFim() = default;

expected<void, std::string> LiveFim::open(const LiveFimSettings& s, std::vector<std::string>& notes) {
  settings_ = s;
  auto root = Root::open("/");
  if (!root) return make_unexpected(std::string("cannot open /"));
  root_.emplace(std::move(*root));
  auto st = store::Store::open(s.store, *root_, "sources.fim.store", store::Create::no);
  if (!st) return make_unexpected(st.error());
  store_.emplace(std::move(*st));
  // Verified once, streaming every entry, inside one read transaction.
  (void)store_->db().exec("BEGIN");
  auto base = fim::open_trusted_baseline(*store_, {s.baseline, "/", 0, s.key, [&](const std::string& w) { notes.push_back(w); }});
  (void)store_->db().exec("COMMIT");
  if (!base) {
    refusal_ = std::move(base.error().finding);  // a forged or edited baseline: critical
    return make_unexpected("baseline '" + s.baseline + "': " + base.error().message);
  }
  stats_.baseline_id = base->id;
  baseline_name_ = base->name;
  std::vector<ParseError> errors;
  policy_.emplace(fim::Policy::parse(base->policy, errors));
  if (!errors.empty()) return make_unexpected("the baseline's policy has errors (line " + std::to_string(errors[0].line) + ")");
  std::string fallback;
  std::vector<std::string> problems;
  if (auto r = events_.open(policy_->watch_dirs(), s.events, fallback, problems); !r) return r;
  if (!fallback.empty()) notes.push_back(fallback);
  for (auto& p : problems) notes.push_back("not watched: " + p);
  stats_.source = events_.kind();
  return {};
}

Findings LiveFim::read() {
  std::vector<std::string> paths;
  bool overflow = false;
  events_.read(paths, overflow);
  const std::int64_t now = monotonic_ms();
  for (auto& p : paths) {
    ++stats_.events;
    // Quiet for the debounce time, but never later than kMaxWaitMs after the first event:
    // the due time moves with each event up to that cap.
    auto [it, fresh] = pending_.try_emplace(std::move(p), Pending{now, now + settings_.debounce_ms});
    if (!fresh) it->second.due = std::min(now + settings_.debounce_ms, it->second.first + kMaxWaitMs);
  }
  if (!overflow) return {};
  ++stats_.overflows;
  pending_.clear();
  auto out = full_check();
  auto f = self_finding("watch.source-problem", Severity::info,
                        "File events were lost (the kernel's queue overflowed); every watched tree was checked "
                        "against the baseline instead.",
                        "watch/fim");
  f.add("event.reason", std::string("overflow"));
  out.push_back(std::move(f));
  return out;
}

std::optional<Finding> LiveFim::judge(const std::string& path) {
  auto attrs = policy_->attrs_for(path);
  if (attrs == 0) return std::nullopt;
  ++stats_.judged;
  auto was = fim::find_entry(*store_, stats_.baseline_id, path);
  if (!was) return std::nullopt;
  // A path deleted between the event and now is measured as absent: a removal.
  auto is = fim::measure(*root_, path, attrs, hasher_);
  if (!is) return std::nullopt;
  auto f = fim::judge(*was ? &**was : nullptr, *is ? &**is : nullptr);
  if (!f) {
    last_.erase(path);  // back as the baseline has it: a later change is news again
    return std::nullopt;
  }
  ++stats_.changes;
  auto print = f->fingerprint();
  auto& last = last_[path];
  if (last == print) return std::nullopt;  // the same difference, touched again
  last = print;
  f->add("event.action", std::string("file-changed"));
  f->add("vigil.baseline", baseline_name_);
  return f;
}

Findings LiveFim::tick() {
  Findings out;
  const std::int64_t now = monotonic_ms();
  for (auto it = pending_.begin(); it != pending_.end();) {
    if (it->second.due > now) {
      ++it;
      continue;
    }
    if (auto f = judge(it->first)) out.push_back(std::move(*f));
    it = pending_.erase(it);
  }
  return out;
}

Findings LiveFim::full_check() {
  ++stats_.full_checks;
  IssueLog log;
  fim::ScanStats scan_stats;
  auto now = fim::scan(*root_, *policy_, fim::ScanOptions{}, log, scan_stats);
  fim::Comparison comparison(now);
  (void)store_->db().exec("BEGIN");
  (void)fim::for_each_entry(*store_, stats_.baseline_id, [&](const fim::FimEntry& e) { comparison.baseline(e); });
  (void)store_->db().exec("COMMIT");
  Findings out;
  for (auto& f : comparison.finish().findings) {
    auto path = f.get("file.path");
    auto print = f.fingerprint();
    if (!path.empty()) {
      if (last_[path] == print) continue;
      last_[path] = print;
    }
    f.add("event.action", std::string("file-changed"));
    f.add("vigil.baseline", baseline_name_);
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace vigil::watch
