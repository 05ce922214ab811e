#include "patch/updates.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <future>
#include <unordered_map>

#include "collect/debian_version.hpp"
#include "collect/compressed_file.hpp"
#include "patch/archive_read.hpp"

namespace vigil::patch {

namespace {

constexpr std::string_view kCollector = "apt-lists";

struct Offer {
  std::string version;
  int priority = 0;
  bool security = false;
  std::string suite;
};

int cmp(std::string_view a, std::string_view b) { return collect::compare_debian_versions(a, b); }

// apt's choice among the offers for one installed version: the highest priority wins, the
// higher version between equals; below priority 1000 never a downgrade. The installed version
// ranks at least 100 (dpkg's status), more when a repository still offers it.
const Offer* candidate(const std::string& installed, const std::vector<Offer>& offers) {
  int installed_priority = 100;
  for (const auto& o : offers)
    if (o.priority > installed_priority && cmp(o.version, installed) == 0) installed_priority = o.priority;
  const Offer* best = nullptr;
  int best_priority = installed_priority;
  for (const auto& o : offers) {
    if (o.priority <= 0 || cmp(o.version, installed) <= 0) continue;
    if (o.priority > best_priority ||
        (o.priority == best_priority && (!best || cmp(o.version, best->version) > 0)))
      best = &o, best_priority = o.priority;
  }
  return best;
}

struct ListOffers {
  std::vector<std::pair<std::size_t, Offer>> offers;  // installed row index -> offer
  std::size_t entries = 0;
  IssueLog log;
};

}  // namespace

std::size_t PatchStatus::security_updates() const {
  return static_cast<std::size_t>(std::count_if(updates.begin(), updates.end(), [](const auto& u) { return u.security; }));
}

PatchStatus patch_status(const Root& root, const std::vector<collect::PackageRow>& installed, IssueLog& log) {
  PatchStatus st;
  st.lists = find_apt_lists(root, log);
  std::unordered_map<std::string, std::vector<std::size_t>> by_name;  // multi-arch: one name, several rows
  for (std::size_t i = 0; i < installed.size(); ++i)
    if (installed[i].status == "installed") by_name[installed[i].name].push_back(i), ++st.installed;

  // Each list is decompressed and read on its own thread: the main archive's is ~50 MB.
  std::vector<std::future<ListOffers>> work;
  for (const auto& list : st.lists)
    work.push_back(std::async(std::launch::async, [&root, &list, &by_name, &installed] {
      ListOffers out;
      auto text = collect::read_decompressed(root, list.path, kMaxIndexBytes);
      if (!text) {
        out.log.add(std::string(kCollector), text.error());
        return out;
      }
      const int priority = list.release.priority();
      const bool security = list.release.security();
      const std::string suite = list.release.name();
      auto scan = scan_packages_index(*text, [&](const IndexEntry& e) {
        ++out.entries;
        auto it = by_name.find(std::string(e.package));
        if (it == by_name.end()) return;
        for (auto i : it->second)
          if (installed[i].arch == e.arch) out.offers.push_back({i, Offer{std::string(e.version), priority, security, suite}});
      });
      if (scan.bad_lines)
        out.log.add(std::string(kCollector), fmt::format("{}:{}", root.display(list.path), scan.first_bad_line),
                    fmt::format("{} line(s) that are not 'Field: value' skipped (the first here); the rest was read",
                                scan.bad_lines));
      if (scan.incomplete)
        out.log.add(std::string(kCollector), root.display(list.path),
                    fmt::format("{} stanza(s) without a Package or Version field skipped", scan.incomplete));
      return out;
    }));
  std::vector<std::vector<Offer>> offers(installed.size());
  for (auto& w : work) {
    auto part = w.get();
    st.index_entries += part.entries;
    st.offers += part.offers.size();
    for (auto& [i, o] : part.offers) offers[i].push_back(std::move(o));
    for (auto& issue : part.log.issues()) log.issues().push_back(std::move(issue));
  }
  for (std::size_t i = 0; i < installed.size(); ++i) {
    const auto& row = installed[i];
    if (row.status != "installed" || offers[i].empty()) continue;
    const Offer* best = candidate(row.version, offers[i]);
    if (!best) continue;
    PendingUpdate u{row.name, row.arch, std::string(row.source_name()), row.version, best->version, best->suite,
                    false, {}};
    for (const auto& o : offers[i])  // a security fix the candidate includes
      if (o.security && cmp(o.version, row.version) > 0 && cmp(o.version, best->version) <= 0) {
        u.security = true;
        u.security_suite = o.suite;
        break;
      }
    st.updates.push_back(std::move(u));
  }
  std::sort(st.updates.begin(), st.updates.end(), [](const PendingUpdate& a, const PendingUpdate& b) {
    return std::tie(a.package, a.arch) < std::tie(b.package, b.arch);
  });
  return st;
}

}  // namespace vigil::patch
