#include "watch/units.hpp"

#include <charconv>

namespace vigil::watch {

namespace {

// The leading number and the unit after it (spaces between allowed).
std::optional<std::pair<double, std::string_view>> split(std::string_view t) {
  while (!t.empty() && t.front() == ' ') t.remove_prefix(1);
  while (!t.empty() && t.back() == ' ') t.remove_suffix(1);
  double v = 0;
  auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (ec != std::errc() || end == t.data() || v < 0) return std::nullopt;
  std::string_view unit(end, static_cast<std::size_t>(t.data() + t.size() - end));
  while (!unit.empty() && unit.front() == ' ') unit.remove_prefix(1);
  return std::pair{v, unit};
}

}  // namespace

std::optional<std::int64_t> parse_duration_ms(std::string_view text) {
  auto s = split(text);
  if (!s) return std::nullopt;
  auto [v, unit] = *s;
  double scale = 0;
  if (unit == "ms") scale = 1;
  else if (unit == "s") scale = 1e3;
  else if (unit == "m" || unit == "min") scale = 60e3;
  else if (unit == "h") scale = 3600e3;
  else if (unit == "d") scale = 86400e3;
  else return std::nullopt;
  double ms = v * scale;
  if (ms > 1e15) return std::nullopt;
  return static_cast<std::int64_t>(ms);
}

std::optional<std::int64_t> parse_size(std::string_view text) {
  auto s = split(text);
  if (!s) return std::nullopt;
  auto [v, unit] = *s;
  double scale = 0;
  if (unit.empty() || unit == "B") scale = 1;
  else if (unit == "KB" || unit == "K" || unit == "KiB") scale = 1024;
  else if (unit == "MB" || unit == "M" || unit == "MiB") scale = 1024.0 * 1024;
  else if (unit == "GB" || unit == "G" || unit == "GiB") scale = 1024.0 * 1024 * 1024;
  else return std::nullopt;
  double b = v * scale;
  if (b > 1e15) return std::nullopt;
  return static_cast<std::int64_t>(b);
}

std::optional<double> parse_percent(std::string_view text) {
  auto s = split(text);
  if (!s) return std::nullopt;
  auto [v, unit] = *s;
  if (!(unit.empty() || unit == "%") || v <= 0 || v > 10000) return std::nullopt;
  return v;
}

}  // namespace vigil::watch
