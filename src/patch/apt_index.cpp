#include "patch/apt_index.hpp"

#include <fmt/format.h>
#include <time.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <map>

#include "core/text.hpp"

namespace vigil::patch {

namespace {

constexpr std::string_view kCollector = "apt-lists";

bool yes(std::string_view v) { return ascii_lower(trim(v)) == "yes"; }

// The file name of the repository's Release file for a list file name: apt names both from
// the same URI, the list adding "_<component>_binary-<arch>_Packages" (or only "_Packages" for
// a flat repository), so the longest prefix that has an InRelease or Release file is it.
std::string release_for(std::string_view list_name, const std::map<std::string, bool, std::less<>>& names) {
  std::string_view prefix = list_name;
  while (true) {
    auto us = prefix.rfind('_');
    if (us == std::string_view::npos || us == 0) return {};
    prefix = prefix.substr(0, us);
    for (std::string_view kind : {"_InRelease", "_Release"}) {
      std::string candidate = std::string(prefix) + std::string(kind);
      if (names.contains(candidate)) return candidate;
    }
  }
}

bool is_packages_name(std::string_view name) {
  if (name.ends_with("_Packages")) return true;
  for (std::string_view ext : {".lz4", ".gz", ".xz", ".zst", ".bz2"})
    if (name.ends_with(ext)) return name.substr(0, name.size() - ext.size()).ends_with("_Packages");
  return false;
}

}  // namespace

bool AptRelease::security() const {
  return label == "Debian-Security" || suite.ends_with("-security") || codename.ends_with("-security") ||
         suite.ends_with("/updates");  // Debian 10 and older: buster/updates
}

int AptRelease::priority() const {
  if (!not_automatic) return 500;
  return but_automatic_upgrades ? 100 : 1;
}

std::string AptRelease::name() const { return suite.empty() ? codename : suite; }

std::int64_t parse_release_date(std::string_view text) {
  std::string s(trim(text));
  struct tm tm {};
  const char* end = ::strptime(s.c_str(), "%a, %d %b %Y %H:%M:%S", &tm);
  if (!end) end = ::strptime(s.c_str(), "%d %b %Y %H:%M:%S", &tm);
  if (!end) return 0;
  std::int64_t t = ::timegm(&tm);
  std::string_view zone = trim(std::string_view(end));
  // "UTC", "GMT", "+0000" or another numeric offset
  if ((zone.starts_with('+') || zone.starts_with('-')) && zone.size() == 5) {
    auto hh = to_number<int>(zone.substr(1, 2)), mm = to_number<int>(zone.substr(3, 2));
    if (hh && mm) t -= (zone[0] == '-' ? -1 : 1) * (*hh * 3600 + *mm * 60);
  }
  return t;
}

AptRelease parse_release(std::string_view text) {
  AptRelease r;
  bool header = text.starts_with("-----BEGIN PGP SIGNED MESSAGE-----");  // "Hash:" lines up to a blank line
  bool signature = false;
  for_each_line(text, [&](std::string_view line, std::size_t) {
    if (signature) return;
    if (header) {
      if (trim(line).empty()) header = false;
      return;
    }
    if (line.starts_with("-----BEGIN PGP SIGNATURE-----")) {
      signature = true;
      return;
    }
    if (line.empty() || line.front() == ' ' || line.front() == '\t') return;
    auto colon = line.find(':');
    if (colon == std::string_view::npos) return;
    auto field = line.substr(0, colon);
    auto value = trim(line.substr(colon + 1));
    if (field == "Origin") r.origin = printable(value);
    else if (field == "Label") r.label = printable(value);
    else if (field == "Suite") r.suite = printable(value);
    else if (field == "Codename") r.codename = printable(value);
    else if (field == "Date") r.date = parse_release_date(value);
    else if (field == "Valid-Until") r.valid_until = parse_release_date(value);
    else if (field == "NotAutomatic") r.not_automatic = yes(value);
    else if (field == "ButAutomaticUpgrades") r.but_automatic_upgrades = yes(value);
  });
  return r;
}

IndexScan scan_packages_index(std::string_view text, const std::function<void(const IndexEntry&)>& f) {
  IndexScan scan;
  IndexEntry e;
  bool any = false;
  auto flush = [&] {
    if (any) {
      ++scan.stanzas;
      if (e.package.empty() || e.version.empty()) ++scan.incomplete;
      else f(e);
    }
    e = {};
    any = false;
  };
  std::size_t line_no = 0, pos = 0;
  while (pos < text.size()) {
    ++line_no;
    const char* nl = static_cast<const char*>(std::memchr(text.data() + pos, '\n', text.size() - pos));
    std::size_t end = nl ? static_cast<std::size_t>(nl - text.data()) : text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) {
      flush();
      continue;
    }
    if (line.front() == ' ' || line.front() == '\t') continue;  // a multi-line field (Description)
    auto colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) {
      if (!scan.bad_lines++) scan.first_bad_line = line_no;
      continue;
    }
    any = true;
    auto field = line.substr(0, colon);
    // Only four fields matter; compare the first letter before the whole name.
    switch (field[0]) {
      case 'P':
        if (field == "Package") e.package = trim(line.substr(colon + 1));
        break;
      case 'V':
        if (field == "Version") e.version = trim(line.substr(colon + 1));
        break;
      case 'A':
        if (field == "Architecture") e.arch = trim(line.substr(colon + 1));
        break;
      case 'S':
        if (field == "Source") {
          auto v = trim(line.substr(colon + 1));
          e.source = v.substr(0, v.find(' '));  // "src (version)"
        }
        break;
      default:
        break;
    }
  }
  flush();
  return scan;
}

std::vector<AptList> find_apt_lists(const Root& root, IssueLog& log) {
  std::vector<AptList> out;
  auto entries = root.list_stat(kAptListsDir);
  if (!entries) {
    if (!entries.error().vanished()) log.add(std::string(kCollector), entries.error());
    return out;
  }
  std::map<std::string, bool, std::less<>> names;
  for (const auto& e : *entries)
    if (S_ISREG(e.st.st_mode)) names.emplace(e.name, true);
  std::map<std::string, AptRelease, std::less<>> releases;
  for (const auto& e : *entries) {
    if (!S_ISREG(e.st.st_mode) || !is_packages_name(e.name)) continue;
    AptList list;
    list.path = std::string(kAptListsDir) + "/" + e.name;
    list.mtime = e.st.st_mtime;
    if (auto rel = release_for(e.name, names); !rel.empty()) {
      list.release_path = std::string(kAptListsDir) + "/" + rel;
      auto known = releases.find(rel);
      if (known == releases.end()) {
        auto text = root.read(list.release_path, 64 << 20);
        if (!text) log.add(std::string(kCollector), text.error());
        known = releases.emplace(rel, text ? parse_release(*text) : AptRelease{}).first;
      }
      list.release = known->second;
    }
    out.push_back(std::move(list));
  }
  std::sort(out.begin(), out.end(), [](const AptList& a, const AptList& b) { return a.path < b.path; });
  return out;
}

}  // namespace vigil::patch
