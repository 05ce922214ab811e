// Sigma rules compiled for matching: per log family and per field, one Hyperscan database
// holding every rule's patterns for that field, so an event is scanned once per field
// whatever the number of rules. Only rules with a pattern hit (and the few whose condition
// can hold without one) have their condition evaluated. Hyperscan is automata-based:
// no input can make it backtrack. Web values are also matched decoded (see decode.hpp).
#pragma once

#include <array>
#include <memory>
#include <string>
#include <vector>

#include "logs/event.hpp"
#include "logs/sigma_rule.hpp"

struct hs_database;
struct hs_scratch;

namespace vigil::logs::sigma {

class RuleSet {
 public:
  class Scratch;  // per-thread matching state

  // Compiles `rules`; a rule Hyperscan cannot take is moved to `problems`.
  static RuleSet compile(std::vector<Rule> rules, std::vector<LoadProblem>& problems);
  RuleSet();
  RuleSet(RuleSet&&) noexcept;
  RuleSet& operator=(RuleSet&&) noexcept;
  ~RuleSet();

  const std::vector<Rule>& rules() const { return rules_; }
  std::unique_ptr<Scratch, void (*)(Scratch*)> make_scratch() const;
  // Appends the index of every rule matching `e` to `out`.
  void match(const Event& e, Scratch& s, std::vector<int>& out) const;

 private:
  static constexpr std::size_t kTargets = kFieldCount + 1;  // the fields, then keywords
  static constexpr std::size_t kKeyword = kFieldCount;
  bool eval(const Node& n, const Rule& r, int base, const Event& e, Scratch& s) const;
  bool matcher_true(const Matcher& m, int global, const Event& e, Scratch& s) const;
  void release();

  std::vector<Rule> rules_;
  std::vector<int> offset_;        // rule → its first global matcher id
  std::vector<int> matcher_rule_;  // global matcher id → rule
  std::vector<std::uint8_t> trigger_;  // global matcher id → a hit makes its rule a candidate
  std::array<std::array<hs_database*, kTargets>, kFamilyCount> db_{};
  std::array<std::vector<int>, kFamilyCount> always_;  // rules evaluated on every event
  hs_scratch* proto_ = nullptr;
};

}  // namespace vigil::logs::sigma
