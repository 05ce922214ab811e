// /proc/PID parsers.
#include "collect/proc_parse.hpp"

#include "core/text.hpp"

namespace vigil::collect {

expected<ProcStat, std::string> parse_proc_stat(std::string_view text) {
  auto open = text.find('(');
  auto close = text.rfind(')');
  if (open == std::string_view::npos || close == std::string_view::npos || close < open)
    return make_unexpected("no (comm) field");
  ProcStat st;
  auto pid = to_number<std::int64_t>(trim(text.substr(0, open)));
  if (!pid) return make_unexpected("bad pid");
  st.pid = *pid;
  st.comm = std::string(text.substr(open + 1, close - open - 1));
  auto rest = split_ws(text.substr(close + 1));
  // rest[0] = state (field 3), rest[1] = ppid (4), rest[4] = tty_nr (7), rest[6] = flags (9), rest[11] = utime (14),
  // rest[12] = stime (15), rest[19] = starttime (22)
  if (rest.size() < 20) return make_unexpected("too few fields");
  if (rest[0].size() != 1) return make_unexpected("bad state");
  st.state = rest[0][0];
  auto ppid = to_number<std::int64_t>(rest[1]);
  auto flags = to_number<std::uint64_t>(rest[6]);
  auto start = to_number<std::uint64_t>(rest[19]);
  if (!ppid || !flags || !start) return make_unexpected("bad number");
  st.ppid = *ppid;
  st.tty_nr = to_number<std::int64_t>(rest[4]).value_or(0);
  st.flags = *flags;
  st.start_ticks = *start;
  st.cpu_ticks = to_number<std::uint64_t>(rest[11]).value_or(0) + to_number<std::uint64_t>(rest[12]).value_or(0);
  return st;
}

expected<std::int64_t, std::string> parse_status_uid(std::string_view text) {
  expected<std::int64_t, std::string> out = make_unexpected("no Uid line");
  for_each_line(text, [&](std::string_view line, std::size_t) {
    if (!line.starts_with("Uid:") || out) return;
    auto f = split_ws(line.substr(4));
    if (f.empty()) return;
    if (auto uid = to_number<std::int64_t>(f[0]))
      out = *uid;
    else
      out = make_unexpected("bad Uid line");
  });
  return out;
}

std::vector<std::string> parse_cmdline(std::string_view text) {
  std::vector<std::string> argv;
  if (text.empty()) return argv;
  if (text.back() == '\0') text.remove_suffix(1);
  for (auto a : split(text, '\0')) argv.emplace_back(a);
  return argv;
}

ExeLink parse_exe_link(std::string_view link) {
  ExeLink e;
  constexpr std::string_view kDeleted = " (deleted)";
  if (link.ends_with(kDeleted)) {
    e.deleted = true;
    link.remove_suffix(kDeleted.size());
  }
  e.memfd = link.starts_with("/memfd:");
  e.path = std::string(link);
  return e;
}

std::uint64_t parse_ns_link(std::string_view link) {
  auto open = link.find('[');
  auto close = link.rfind(']');
  if (open == std::string_view::npos || close == std::string_view::npos || close <= open) return 0;
  return to_number<std::uint64_t>(link.substr(open + 1, close - open - 1)).value_or(0);
}

std::string join_argv(const std::vector<std::string>& argv) {
  std::string s;
  for (std::size_t i = 0; i < argv.size(); ++i) {
    if (i) s.push_back(' ');
    s += printable(argv[i]);
  }
  return s;
}

}  // namespace vigil::collect
