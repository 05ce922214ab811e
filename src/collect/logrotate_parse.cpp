// logrotate configuration parser.
#include "collect/logrotate_parse.hpp"

#include "core/text.hpp"

namespace vigil::collect {

std::vector<LogrotateEntry> parse_logrotate(std::string_view text) {
  std::vector<LogrotateEntry> out;
  enum class State { outside, stanza, script } state = State::outside;
  LogrotateEntry pending;  // paths named before the '{' (they may span lines)
  for_each_line(text, [&](std::string_view raw, std::size_t n) {
    auto t = trim(raw);
    if (t.empty() || t.front() == '#') return;
    switch (state) {
      case State::script:
        if (t == "endscript") state = State::stanza;
        return;
      case State::stanza: {
        auto words = split_ws(t);
        if (t.starts_with('}')) {
          state = State::outside;
          return;
        }
        if (words[0] == "postrotate" || words[0] == "prerotate" || words[0] == "firstaction" ||
            words[0] == "lastaction" || words[0] == "preremove")
          state = State::script;
        else if (words[0] == "copytruncate" && !out.empty())
          out.back().copytruncate = true;
        return;
      }
      case State::outside: {
        auto brace = t.find('{');
        std::string_view names = t.substr(0, brace);
        if (pending.paths.empty()) pending.line = n;
        for (auto w : split_ws(names)) {
          std::string path(w);
          if (path.size() >= 2 && (path.front() == '"' || path.front() == '\'') && path.back() == path.front())
            path = path.substr(1, path.size() - 2);
          if (path.starts_with('/')) pending.paths.push_back(std::move(path));
          else if (brace == std::string_view::npos) return;  // a global directive (weekly, include …)
        }
        if (brace == std::string_view::npos) return;
        if (!pending.paths.empty()) out.push_back(std::move(pending));
        pending = {};
        state = t.find('}', brace) != std::string_view::npos ? State::outside : State::stanza;
        return;
      }
    }
  });
  return out;
}

}  // namespace vigil::collect
