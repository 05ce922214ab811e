// The Sigma condition grammar, by recursive descent: or < and < not < atoms.

#include <stdexcept>
#include <string>
#include <vector>

#include "core/glob.hpp"
#include "logs/sigma_rule.hpp"

namespace vigil::logs::sigma {

namespace {

class ConditionParser {
 public:
  ConditionParser(std::string_view text, const std::vector<std::string>& names) : names_(names) {
    std::size_t i = 0;
    while (i < text.size()) {
      char c = text[i];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        ++i;
      } else if (c == '(' || c == ')') {
        tokens_.emplace_back(1, c);
        ++i;
      } else if (c == '|') {
        throw std::runtime_error("aggregation expressions ('| count() …') are not supported; use a correlation rule");
      } else {
        std::size_t start = i;
        while (i < text.size() && text[i] != ' ' && text[i] != '\t' && text[i] != '(' && text[i] != ')' &&
               text[i] != '\n')
          ++i;
        tokens_.emplace_back(text.substr(start, i - start));
      }
    }
  }

  Node parse() {
    Node n = parse_or();
    if (pos_ != tokens_.size()) throw std::runtime_error("unexpected '" + tokens_[pos_] + "' in condition");
    return n;
  }

 private:
  bool accept(std::string_view word) {
    if (pos_ < tokens_.size() && tokens_[pos_] == word) {
      ++pos_;
      return true;
    }
    return false;
  }

  Node parse_or() {
    Node left = parse_and();
    if (pos_ >= tokens_.size() || tokens_[pos_] != "or") return left;
    Node n{Node::Kind::any, -1, {std::move(left)}};
    while (accept("or")) n.children.push_back(parse_and());
    return n;
  }

  Node parse_and() {
    Node left = parse_not();
    if (pos_ >= tokens_.size() || tokens_[pos_] != "and") return left;
    Node n{Node::Kind::all, -1, {std::move(left)}};
    while (accept("and")) n.children.push_back(parse_not());
    return n;
  }

  Node parse_not() {
    if (accept("not")) return Node{Node::Kind::negate, -1, {parse_not()}};
    return parse_atom();
  }

  Node parse_atom() {
    if (pos_ >= tokens_.size()) throw std::runtime_error("condition ends too early");
    if (accept("(")) {
      Node n = parse_or();
      if (!accept(")")) throw std::runtime_error("missing ')' in condition");
      return n;
    }
    const std::string& tok = tokens_[pos_++];
    if ((tok == "1" || tok == "any" || tok == "all") && pos_ < tokens_.size() && tokens_[pos_] == "of") {
      ++pos_;
      if (pos_ >= tokens_.size()) throw std::runtime_error("'of' without a pattern");
      const std::string& pattern = tokens_[pos_++];
      Node n{tok == "all" ? Node::Kind::all : Node::Kind::any, -1, {}};
      for (std::size_t i = 0; i < names_.size(); ++i) {
        bool hit = pattern == "them" ? names_[i].rfind('_', 0) != 0
                                     : glob_match(pattern, names_[i]);
        if (hit) n.children.push_back(Node{Node::Kind::selection, static_cast<int>(i), {}});
      }
      if (n.children.empty()) throw std::runtime_error("'" + pattern + "' names no selection");
      return n;
    }
    if (tok == "and" || tok == "or" || tok == ")" || tok == "of")
      throw std::runtime_error("unexpected '" + tok + "' in condition");
    for (std::size_t i = 0; i < names_.size(); ++i)
      if (names_[i] == tok) return Node{Node::Kind::selection, static_cast<int>(i), {}};
    throw std::runtime_error("condition names '" + tok + "', which is not a selection of the rule");
  }

  const std::vector<std::string>& names_;
  std::vector<std::string> tokens_;
  std::size_t pos_ = 0;
};

}  // namespace

Node parse_condition(std::string_view text, const std::vector<std::string>& names) {
  return ConditionParser(text, names).parse();
}

}  // namespace vigil::logs::sigma
