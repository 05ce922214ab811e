#include "scan/yara_match.hpp"

#include <fmt/format.h>

#include <cctype>

#include "core/text.hpp"

namespace vigil::scan {

namespace {

const std::string* meta(const YaraMatch& m, std::string_view key) {
  for (const auto& [k, v] : m.meta)
    if (k == key) return &v;
  return nullptr;
}

// T1059, T1059.004 in any metadata value that names ATT&CK.
std::vector<std::string> techniques(const YaraMatch& m) {
  std::vector<std::string> out;
  for (const auto& [k, v] : m.meta) {
    if (k != "attack" && k != "mitre_attack" && k != "mitre_att" && k != "technique" && k != "mitre") continue;
    for (std::size_t i = 0; i + 5 <= v.size(); ++i) {
      if ((v[i] != 'T' && v[i] != 't') || (i > 0 && std::isalnum(static_cast<unsigned char>(v[i - 1])))) continue;
      std::size_t j = i + 1;
      while (j < v.size() && std::isdigit(static_cast<unsigned char>(v[j]))) ++j;
      if (j - i != 5) continue;
      if (j + 4 <= v.size() && v[j] == '.' && std::isdigit(static_cast<unsigned char>(v[j + 1])) &&
          std::isdigit(static_cast<unsigned char>(v[j + 2])) && std::isdigit(static_cast<unsigned char>(v[j + 3])))
        j += 4;
      std::string t = "T" + v.substr(i + 1, j - i - 1);
      if (std::find(out.begin(), out.end(), t) == out.end()) out.push_back(t);
      i = j - 1;
    }
  }
  return out;
}

}  // namespace

Severity meta_severity(const YaraMatch& m) {
  if (const auto* s = meta(m, "severity"))
    if (auto sev = parse_severity(ascii_lower(trim(*s)))) return *sev;
  if (const auto* s = meta(m, "score"))
    if (auto score = to_number<long long>(trim(*s))) {
      if (*score >= 80) return Severity::high;
      if (*score >= 60) return Severity::medium;
      if (*score >= 40) return Severity::low;
      return Severity::info;
    }
  return Severity::medium;
}

Finding yara_finding(const YaraMatch& m) {
  Finding f;
  f.rule = "yara." + m.rule;
  f.severity = meta_severity(m);
  f.source = "scan";
  const auto* description = meta(m, "description");
  f.title = description && !description->empty() ? printable(description->substr(0, 200)) : "YARA rule " + m.rule;
  std::string strings;
  for (const auto& [id, offset] : m.strings)
    strings += fmt::format("{}{}@0x{:x}", strings.empty() ? "" : " ", printable(id), offset);
  if (m.string_matches > m.strings.size()) strings += fmt::format(" … ({} in all)", m.string_matches);
  f.why = fmt::format("The YARA rule {}{} matched{}.", m.ns.empty() || m.ns == "default" ? "" : m.ns + ":", m.rule,
                      strings.empty() ? " (by its condition alone)" : ": " + strings);
  f.remedy = "Copy the file (or dump the process) for analysis before anything else; then find how it got there "
             "and what runs it, and remove it.";
  f.attack = techniques(m);
  f.add("vigil.yara.rule", m.ns.empty() || m.ns == "default" ? m.rule : m.ns + ":" + m.rule);
  if (!strings.empty()) f.add("vigil.yara.strings", strings);
  if (const auto* id = meta(m, "id")) f.add("rule.uuid", printable(*id));
  if (const auto* ref = meta(m, "reference")) f.add("rule.reference", printable(ref->substr(0, 300)));
  if (const auto* author = meta(m, "author")) f.add("rule.author", printable(author->substr(0, 200)));
  return f;
}

}  // namespace vigil::scan
