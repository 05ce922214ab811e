#include "logs/scan.hpp"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <thread>

#include "logs/line_matcher.hpp"

namespace vigil::logs {

namespace {

struct Task {
  std::uint64_t seq;
  Block block;
  SourceCursor at;  // the cursor before the block
};

struct Done {
  std::size_t input = 0;
  MatchedBlock matched;
};

void add(InputReport& in, MatchedBlock& b) {
  in.lines += b.lines;
  in.events += b.events;
  in.unparsed += b.unparsed;
  in.directives += b.directives;
  in.blank += b.blank;
  for (auto& s : b.unparsed_samples)
    if (in.unparsed_samples.size() < 3) in.unparsed_samples.push_back(std::move(s));
}

// Matches blocks on `jobs` threads and hands them back in the order they were submitted.
class OrderedPool {
 public:
  OrderedPool(const LineMatcher& matcher, const LogRules& rules, unsigned jobs) : max_inflight_(jobs * 2 + 1) {
    for (unsigned i = 0; i < jobs; ++i)
      workers_.emplace_back([this, &matcher, &rules] {
        auto scratch = rules.rules.make_scratch();
        while (true) {
          Task t;
          {
            std::unique_lock lk(mu_);
            work_cv_.wait(lk, [&] { return closing_ || !queue_.empty(); });
            if (queue_.empty()) return;
            t = std::move(queue_.front());
            queue_.pop_front();
          }
          Done d{t.block.input, matcher.match(t.block.data, t.at, *scratch)};
          {
            std::lock_guard lk(mu_);
            done_.emplace(t.seq, std::move(d));
          }
          done_cv_.notify_all();
        }
      });
  }
  ~OrderedPool() {
    {
      std::lock_guard lk(mu_);
      closing_ = true;
    }
    work_cv_.notify_all();
    for (auto& w : workers_) w.join();
  }

  // Queues a block, first handing finished ones to `take` while too many are in flight.
  template <class Take>
  void submit(Block&& b, const SourceCursor& at, Take&& take) {
    while (next_seq_ - next_take_ > max_inflight_) take(next());
    {
      std::lock_guard lk(mu_);
      queue_.push_back({next_seq_++, std::move(b), at});
    }
    work_cv_.notify_one();
  }
  template <class Take>
  void drain(Take&& take) {
    while (next_take_ < next_seq_) take(next());
  }

 private:
  Done next() {
    std::unique_lock lk(mu_);
    done_cv_.wait(lk, [&] { return done_.count(next_take_) > 0; });
    Done d = std::move(done_[next_take_]);
    done_.erase(next_take_++);
    return d;
  }

  const std::size_t max_inflight_;
  std::mutex mu_;
  std::condition_variable work_cv_, done_cv_;
  std::deque<Task> queue_;
  std::map<std::uint64_t, Done> done_;
  bool closing_ = false;
  std::vector<std::thread> workers_;
  std::uint64_t next_seq_ = 0, next_take_ = 0;
};

}  // namespace

ScanResult scan_logs(const ScanOptions& o, const LogEngine::MatchSink& on_match) {
  return scan_logs(load_log_rules(o.rule_paths), o, on_match);
}

ScanResult scan_logs(const LogRules& rules, const ScanOptions& o, const LogEngine::MatchSink& on_match) {
  ScanResult result;
  result.rule_files = rules.files;
  result.rule_problems = rules.problems;
  result.rules_loaded = rules.rules.rules().size();
  result.correlations_loaded = rules.correlations.correlations().size();
  result.loaded = rules.loaded;

  auto inputs = expand_inputs(o.paths, result.errors);
  if (o.journal) inputs.push_back({"journal", true});
  result.inputs.resize(inputs.size());
  for (std::size_t i = 0; i < inputs.size(); ++i) result.inputs[i].path = inputs[i].path;

  LineMatcher matcher(rules);
  LogEngine engine(rules, o.engine);
  if (on_match) engine.on_match(on_match);
  {
    OrderedPool pool(matcher, rules, o.jobs ? o.jobs : std::max(1u, std::thread::hardware_concurrency()));
    auto take = [&](Done&& d) {
      add(result.inputs[d.input], d.matched);
      engine.consume(d.matched, inputs[d.input].path);
    };
    for (std::size_t i = 0; i < inputs.size(); ++i) {
      if (o.on_input) o.on_input(inputs[i].path, i, inputs.size());
      SourceCursor cursor;
      auto emit = [&](Block&& b) {
        if (!cursor.detected) {
          cursor.detect(b.data);
          cursor.year = b.year;
          result.inputs[i].format = cursor.format;
        }
        cursor.next_line = b.first_line;  // the cutter numbers lines
        SourceCursor at = cursor;
        cursor.follow_headers(b.data);
        pool.submit(std::move(b), at, take);
      };
      auto notes = read_input(inputs[i], i, o.limits, emit);
      auto& report = result.inputs[i];
      report.messages = std::move(notes.messages);
      report.failed = notes.failed;
      report.compressed = notes.compressed;
      report.binary = notes.binary;
    }
    pool.drain(take);
  }
  result.findings = engine.finish();
  result.attackers = engine.take_attackers();
  result.matched_lines = engine.matched_lines();
  for (const auto& in : result.inputs) {
    result.lines += in.lines;
    result.events += in.events;
    result.unparsed += in.unparsed;
  }
  return result;
}

}  // namespace vigil::logs
