// A finding the daemon makes about itself or one of its sources (a source down, a config
// refused, events lost): each episode is its own finding, so the time it began is its identity.
#pragma once

#include <ctime>
#include <string>
#include <string_view>

#include "core/rule_catalog.hpp"
#include "core/time_format.hpp"

namespace vigil::watch {

inline Finding self_finding(std::string_view rule, Severity s, std::string detail, std::string_view source = "watch") {
  auto f = make_finding(rule, s, source, detail);
  f.add("event.start", iso8601(static_cast<std::int64_t>(std::time(nullptr))));
  f.identity = {"event.start"};
  return f;
}

}  // namespace vigil::watch
