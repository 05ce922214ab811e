// Query result renderers.
#include "report/result_set.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/text.hpp"

namespace vigil::report {

namespace {

// Display width of UTF-8 text: code points, which is right for everything but wide scripts.
std::size_t width(std::string_view s) {
  return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

std::string cut(std::string s, std::size_t max) {
  if (width(s) <= max) return s;
  std::size_t n = 0, i = 0;
  for (; i < s.size(); ++i)
    if ((s[i] & 0xC0) != 0x80 && ++n > max - 1) break;
  s.resize(i);
  return s + "…";
}

}  // namespace

std::string cell_text(const SqlValue& v) {
  if (std::holds_alternative<std::monostate>(v)) return "";
  if (const auto* i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
  if (const auto* d = std::get_if<double>(&v)) return fmt::format("{}", *d);
  return std::get<std::string>(v);
}

nlohmann::json result_rows_json(const ResultSet& r) {
  auto doc = nlohmann::json::array();
  for (const auto& row : r.rows) {
    auto o = nlohmann::json::object();
    for (std::size_t i = 0; i < row.size(); ++i) {
      const auto& v = row[i];
      auto& cell = o[r.columns[i]];
      if (const auto* n = std::get_if<std::int64_t>(&v)) cell = *n;
      else if (const auto* d = std::get_if<double>(&v)) cell = *d;
      else if (const auto* s = std::get_if<std::string>(&v)) cell = *s;
    }
    doc.push_back(std::move(o));
  }
  return doc;
}

void render_result_table(const ResultSet& r, std::ostream& out) {
  constexpr std::size_t kMaxCell = 60;
  std::vector<std::vector<std::string>> cells;
  std::vector<std::size_t> widths;
  for (const auto& c : r.columns) widths.push_back(width(c));
  for (const auto& row : r.rows) {
    auto& line = cells.emplace_back();
    for (std::size_t i = 0; i < row.size(); ++i) {
      line.push_back(cut(printable(cell_text(row[i])), kMaxCell));
      widths[i] = std::max(widths[i], width(line.back()));
    }
  }
  auto emit = [&](const std::vector<std::string>& line) {
    std::string text;
    for (std::size_t i = 0; i < line.size(); ++i) {
      text += line[i];
      if (i + 1 < line.size()) text += std::string(widths[i] - width(line[i]) + 2, ' ');
    }
    out << text << "\n";
  };
  emit(r.columns);
  std::vector<std::string> rule;
  for (auto w : widths) rule.emplace_back(w, '-');
  emit(rule);
  for (const auto& line : cells) emit(line);
  out << fmt::format("({} row{})\n", r.rows.size(), r.rows.size() == 1 ? "" : "s");
}

void render_result_json(const ResultSet& r, std::ostream& out) {
  out << result_rows_json(r).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
}

void render_result_jsonl(const ResultSet& r, std::ostream& out) {
  for (const auto& row : result_rows_json(r)) out << row.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
}

void render_result_csv(const ResultSet& r, std::ostream& out) {
  auto field = [](const std::string& s) {
    if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
    std::string q = "\"";
    for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
  };
  auto emit = [&](const std::vector<std::string>& line) {
    for (std::size_t i = 0; i < line.size(); ++i) out << (i ? "," : "") << field(line[i]);
    out << "\r\n";
  };
  emit(r.columns);
  for (const auto& row : r.rows) {
    std::vector<std::string> line;
    for (const auto& v : row) line.push_back(cell_text(v));
    emit(line);
  }
}

}  // namespace vigil::report
