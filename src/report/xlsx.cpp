// libxlsxwriter: streams cells into the .xlsx zip; numbers stay numbers so filters sort them.
#include "report/xlsx.hpp"

#include <fmt/format.h>
#include <xlsxwriter.h>

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <set>

namespace vigil::report {

namespace {

constexpr std::size_t kMaxCell = 32767;  // Excel's cell limit

std::string cell(std::string s) {
  if (s.size() > kMaxCell) s.resize(kMaxCell);
  return s;
}

// Excel's rules for sheet names: at most 31 characters, none of []:*?/\, unique in the book.
std::string sheet_name(std::string name, const std::set<std::string>& taken) {
  for (auto& c : name)
    if (std::string_view("[]:*?/\\").find(c) != std::string_view::npos) c = '_';
  if (name.empty()) name = "Sheet";
  std::string base = name.substr(0, 31), out = base;
  for (int n = 2; taken.count(out); ++n) {
    auto suffix = fmt::format(" ({})", n);
    out = base.substr(0, 31 - suffix.size()) + suffix;
  }
  return out;
}

}  // namespace

expected<void, std::string> write_xlsx(const std::string& path, const std::vector<Sheet>& sheets) {
  lxw_workbook* wb = workbook_new(path.c_str());
  if (!wb) return make_unexpected(fmt::format("{}: cannot create the workbook", path));
  lxw_format* header = workbook_add_format(wb);
  format_set_bold(header);
  format_set_bg_color(header, 0xD9E1F2);
  format_set_border(header, LXW_BORDER_THIN);
  lxw_format* wrap = workbook_add_format(wb);
  format_set_text_wrap(wrap);
  format_set_align(wrap, LXW_ALIGN_VERTICAL_TOP);
  std::set<std::string> names;
  for (const auto& s : sheets) {
    auto name = *names.insert(sheet_name(s.name, names)).first;
    lxw_worksheet* ws = workbook_add_worksheet(wb, name.c_str());
    if (!ws) {
      workbook_close(wb);
      return make_unexpected(fmt::format("{}: cannot add sheet '{}'", path, s.name));
    }
    const auto& cols = s.rows.columns;
    for (std::size_t c = 0; c < cols.size(); ++c) {
      worksheet_write_string(ws, 0, static_cast<lxw_col_t>(c), cols[c].c_str(), header);
      std::size_t widest = cols[c].size();
      for (const auto& r : s.rows.rows)
        if (const auto* v = std::get_if<std::string>(&r[c])) widest = std::max(widest, std::min<std::size_t>(v->size(), 60));
      worksheet_set_column(ws, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c), static_cast<double>(widest + 2),
                           widest >= 60 ? wrap : nullptr);
    }
    for (std::size_t r = 0; r < s.rows.rows.size(); ++r) {
      auto row = static_cast<lxw_row_t>(r + 1);
      for (std::size_t c = 0; c < cols.size(); ++c) {
        const auto& v = s.rows.rows[r][c];
        auto col = static_cast<lxw_col_t>(c);
        if (const auto* i = std::get_if<std::int64_t>(&v)) worksheet_write_number(ws, row, col, static_cast<double>(*i), nullptr);
        else if (const auto* d = std::get_if<double>(&v)) worksheet_write_number(ws, row, col, *d, nullptr);
        else if (const auto* str = std::get_if<std::string>(&v)) worksheet_write_string(ws, row, col, cell(*str).c_str(), nullptr);
      }
    }
    worksheet_freeze_panes(ws, 1, 0);
    if (!cols.empty())
      worksheet_autofilter(ws, 0, 0, static_cast<lxw_row_t>(s.rows.rows.size()), static_cast<lxw_col_t>(cols.size() - 1));
  }
  lxw_error err = workbook_close(wb);
  if (err != LXW_NO_ERROR) return make_unexpected(fmt::format("{}: {}", path, lxw_strerror(err)));
  return {};
}

expected<std::string, std::string> xlsx_bytes(const std::vector<Sheet>& sheets) {
  const char* tmpdir = std::getenv("TMPDIR");
  std::string path = std::string(tmpdir && *tmpdir ? tmpdir : "/tmp") + "/vigil-xlsx-XXXXXX";
  int fd = ::mkstemp(path.data());
  if (fd < 0) return make_unexpected(fmt::format("{}: {}", path, std::strerror(errno)));
  ::close(fd);
  auto written = write_xlsx(path, sheets);
  std::string bytes;
  if (written) {
    std::ifstream in(path, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  ::unlink(path.c_str());
  if (!written) return make_unexpected(written.error());
  return bytes;
}

}  // namespace vigil::report
