// Building an allowlist from the package database and the administrator's additions.
#include "allow/build.hpp"
#include "core/time_format.hpp"

#include <chrono>
#include <unordered_map>

#include "allow/file_digests.hpp"
#include "collect/walk.hpp"
#include "core/resolve_path.hpp"

namespace vigil::allow {

namespace {

constexpr std::string_view kCollector = "allowlist";
constexpr std::string_view kDpkgInfo = "/var/lib/dpkg/info";

struct Candidate {
  std::string path;  // real path
  std::string md5;   // the package's checksum; empty for additions and maintainer scripts
  std::string source;
  std::int64_t size = 0;
};

// dpkg runs these itself (preinst, postinst, prerm, postrm, config) when packages change.
bool is_maintainer_script(std::string_view name) {
  for (std::string_view s : {".preinst", ".postinst", ".prerm", ".postrm", ".config"})
    if (name.ends_with(s)) return true;
  return false;
}

void package_candidates(const Root& root, const collect::PackageDb& db, IssueLog& log, std::vector<Candidate>& out) {
  DirectoryResolver resolver(root);
  for (auto& f : db.checksums([](std::string_view) { return true; }, log)) {
    auto real = resolver.resolve(f.path);
    if (!real) continue;  // its directory is gone: nothing to run there
    auto st = root.lstat(*real);
    if (!st || !is_executable_candidate(*real, st->st_mode)) continue;
    out.push_back({std::move(*real), std::move(f.md5), std::move(f.package), st->st_size});
  }
  if (db.format() != "dpkg") return;
  auto entries = root.list_stat(kDpkgInfo);
  if (!entries) return;
  for (const auto& e : *entries)
    if (S_ISREG(e.st.st_mode) && is_maintainer_script(e.name))
      out.push_back({std::string(kDpkgInfo) + "/" + e.name, "", "dpkg-maintainer-script", e.st.st_size});
}

// An added file as it is, or every program and library below an added directory.
void added_candidates(const Root& root, const std::string& add, IssueLog& log, BuildResult& r,
                      std::vector<Candidate>& out) {
  auto real = resolve_path(root, add);
  if (!real) {
    r.missing_adds.push_back(add);
    return;
  }
  auto st = root.lstat(*real);
  if (!st) {
    r.missing_adds.push_back(add);
    return;
  }
  if (S_ISREG(st->st_mode)) {
    out.push_back({*real, "", "added", st->st_size});
    return;
  }
  collect::WalkLimits limits;
  limits.max_entries = 10'000'000;
  collect::walk(root, *real, limits, kCollector, log, [&](const collect::WalkEntry& e) {
    if (is_executable_candidate(e.path, e.st.st_mode)) out.push_back({e.path, "", "added", e.st.st_size});
    return true;
  });
}

}  // namespace

BuildResult build_allowlist(const Root& root, const collect::PackageDb& packages, const BuildOptions& o,
                            IssueLog& log) {
  auto t0 = std::chrono::steady_clock::now();
  BuildResult r;
  std::vector<Candidate> candidates;
  if (o.packages) package_candidates(root, packages, log, candidates);
  for (const auto& a : o.add) added_candidates(root, a, log, r, candidates);
  // One entry per real path: an addition wins over a package (the administrator reviewed it).
  std::unordered_map<std::string, std::size_t> seen;
  std::vector<Candidate> unique;
  for (auto& c : candidates) {
    auto [it, fresh] = seen.emplace(c.path, unique.size());
    if (fresh)
      unique.push_back(std::move(c));
    else if (c.source == "added")
      unique[it->second] = std::move(c);
  }
  std::vector<std::string> paths;
  paths.reserve(unique.size());
  for (const auto& c : unique) paths.push_back(c.path);
  auto digests = hash_files(root, paths, o.jobs);
  for (std::size_t i = 0; i < unique.size(); ++i) {
    auto& c = unique[i];
    if (!digests[i]) {
      if (!digests[i].error().vanished()) log.add(std::string(kCollector), digests[i].error());
      continue;
    }
    if (!c.md5.empty() && digests[i]->md5 != c.md5) {
      r.modified.push_back(c.path);
      continue;
    }
    r.bytes += c.size;
    if (c.source == "added")
      ++r.added;
    else if (c.source == "dpkg-maintainer-script")
      ++r.maintainer_scripts;
    else
      ++r.package_files;
    r.list.entries.push_back({std::move(c.path), std::move(digests[i]->sha256), c.size, std::move(c.source)});
  }
  r.list.root = root.path();
  r.list.created = epoch_now();
  r.list.normalise();
  std::sort(r.modified.begin(), r.modified.end());
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return r;
}

}  // namespace vigil::allow
