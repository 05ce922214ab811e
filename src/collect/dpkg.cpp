// dpkg database reader.
#include "collect/dpkg.hpp"

#include <algorithm>
#include <cstring>
#include <thread>
#include <map>
#include <unordered_set>

#include "core/glob.hpp"
#include "core/text.hpp"

namespace vigil::collect {

namespace {

constexpr std::string_view kCollector = "packages";
constexpr std::string_view kListSuffix = ".list";
constexpr std::string_view kMd5Suffix = ".md5sums";

class NoPackageDb final : public PackageDb {
 public:
  std::string_view format() const override { return "none"; }
  std::size_t package_count() const override { return 0; }
  PathMap owners(std::span<const std::string>, IssueLog&) const override { return {}; }
  PathMap files_with_md5(std::span<const std::string>, IssueLog&) const override { return {}; }
  std::vector<PackagedFile> checksums(const std::function<bool(std::string_view)>&, IssueLog&) const override {
    return {};
  }
  std::vector<PackageRow> installed(IssueLog&) const override { return {}; }
};

std::string display_name(std::string_view file_stem) {
  return std::string(file_stem.substr(0, file_stem.find(':')));
}

// Runs scan(package, text, acc) over every package's file with `suffix`, the files split
// across the cores; returns each worker's accumulator for the caller to merge.
template <class Acc, class Scan>
std::vector<Acc> scan_files_parallel(const Root& root, const std::string& dir,
                                     const std::vector<std::string>& packages,
                                     std::string_view suffix, bool missing_is_error, IssueLog& log,
                                     Scan scan) {
  unsigned n = std::clamp(std::thread::hardware_concurrency(), 1u, 8u);
  std::vector<Acc> parts(n);
  std::vector<IssueLog> logs(n);
  {
    std::vector<std::jthread> workers;
    for (unsigned t = 0; t < n; ++t)
      workers.emplace_back([&, t] {
        ReadBuffer buf;
        for (std::size_t i = t; i < packages.size(); i += n) {
          auto text = root.read_into(dir + "/" + packages[i] + std::string(suffix), buf);
          if (!text) {
            if (missing_is_error || !text.error().vanished())
              logs[t].add(std::string(kCollector), text.error());
            continue;
          }
          scan(packages[i], *text, parts[t]);
        }
      });
  }
  for (auto& l : logs)
    for (auto& i : l.issues()) log.issues().push_back(std::move(i));
  return parts;
}

}  // namespace

std::optional<std::string> usrmerge_alias(std::string_view path) {
  for (std::string_view dir : {"/bin/", "/sbin/", "/lib/", "/lib32/", "/lib64/", "/libx32/"}) {
    if (path.starts_with(dir)) return "/usr" + std::string(path);
    if (path.starts_with("/usr") && path.substr(4).starts_with(dir))
      return std::string(path.substr(4));
  }
  return std::nullopt;
}

bool is_program_path(std::string_view path) {
  if (path.starts_with("/usr/")) path.remove_prefix(4);
  for (std::string_view dir : {"/bin/", "/sbin/", "/libexec/", "/games/"})
    if (path.starts_with(dir) && path.size() > dir.size()) return true;
  return false;
}

void scan_dpkg_list(std::string_view text, const std::function<void(std::string_view)>& f) {
  for_each_line(text, [&](std::string_view line, std::size_t) {
    if (!line.empty() && line.front() == '/') f(line);
  });
}

void scan_dpkg_md5sums(std::string_view text,
                       const std::function<void(std::string_view, std::string_view)>& f) {
  for_each_line(text, [&](std::string_view line, std::size_t) {
    // "<32 hex>  path/without/leading/slash"
    if (line.size() < 35 || line[32] != ' ') return;
    auto path = trim(line.substr(33));
    if (!path.empty()) f(line.substr(0, 32), path);
  });
}

std::shared_ptr<DpkgDb> DpkgDb::open(const Root& root, std::string info_dir, IssueLog& log) {
  auto entries = root.list(info_dir);
  if (!entries) {
    log.add(std::string(kCollector), entries.error());
    return nullptr;
  }
  std::shared_ptr<DpkgDb> db(new DpkgDb(root, std::move(info_dir)));
  for (const auto& e : *entries)
    if (e.name.ends_with(kListSuffix))
      db->packages_.push_back(e.name.substr(0, e.name.size() - kListSuffix.size()));
  // dpkg reads dpkg.cfg, then dpkg.cfg.d/* in name order.
  std::vector<std::string> configs = {"/etc/dpkg/dpkg.cfg"};
  if (auto d = root.list("/etc/dpkg/dpkg.cfg.d")) {
    std::vector<std::string> names;
    for (const auto& e : *d) names.push_back(e.name);
    std::sort(names.begin(), names.end());
    for (const auto& n : names) configs.push_back("/etc/dpkg/dpkg.cfg.d/" + n);
  }
  for (const auto& c : configs)
    if (auto text = root.read(c))
      for (auto& f : parse_dpkg_path_filters(*text)) db->filters_.push_back(std::move(f));
  if (auto text = root.read("/var/lib/dpkg/diversions")) db->diversions_ = parse_dpkg_diversions(*text);
  return db;
}

std::vector<PathFilter> parse_dpkg_path_filters(std::string_view config) {
  std::vector<PathFilter> out;
  for_each_line(config, [&](std::string_view line, std::size_t) {
    line = trim(line);
    for (auto [key, include] : {std::pair{std::string_view("path-exclude"), false}, std::pair{std::string_view("path-include"), true}}) {
      if (!line.starts_with(key)) continue;
      auto rest = trim(line.substr(key.size()));
      if (rest.starts_with('=')) rest = trim(rest.substr(1));
      if (!rest.empty() && rest.front() == '/') out.push_back({include, std::string(rest)});
    }
  });
  return out;
}

bool path_filtered_out(const std::vector<PathFilter>& filters, std::string_view path) {
  std::string p(path);
  for (auto it = filters.rbegin(); it != filters.rend(); ++it)
    if (glob_match(it->glob, p)) return !it->include;
  return false;
}

bool DpkgDb::excluded(std::string_view path) const { return path_filtered_out(filters_, path); }

PathMap DpkgDb::owners(std::span<const std::string> paths, IssueLog& log) const {
  if (paths.empty() && program_packages_) return {};
  // Each spelling dpkg might have recorded -> the paths we were asked about (/bin/x and
  // /usr/bin/x may both be asked, and each is the other's alias).
  // A diversion's target (/usr/bin/pg_config.libpq-dev) holds the file another package shipped
  // at the diverted path: that package, not the diverting one, owns it.
  struct Want {
    std::string asked;
    std::string_view not_by;  // the diverting package, whose own copy this is not
  };
  std::unordered_map<std::string, std::vector<Want>, StringHash, std::equal_to<>> wanted;
  for (const auto& p : paths) {
    wanted[p].push_back({p, {}});
    if (auto alias = usrmerge_alias(p)) wanted[*alias].push_back({p, {}});
    for (const auto& d : diversions_)
      if (d.to == p) wanted[d.from].push_back({p, d.package});
  }
  struct Acc {
    PathMap owners;
    std::vector<std::string> program_packages;
  };
  auto parts =
      scan_files_parallel<Acc>(root_, info_dir_, packages_, kListSuffix, true, log,
                               [&](const std::string& pkg, std::string_view text, Acc& acc) {
                                 bool programs = false;
                                 scan_dpkg_list(text, [&](std::string_view line) {
                                   programs = programs || is_program_path(line);
                                   if (auto it = wanted.find(line); it != wanted.end())
                                     for (const auto& w : it->second)
                                       if (w.not_by.empty() || w.not_by != display_name(pkg))
                                         acc.owners.try_emplace(w.asked, display_name(pkg));
                                 });
                                 if (programs) acc.program_packages.push_back(pkg);
                               });
  PathMap out;
  std::vector<std::string> programs;
  for (auto& p : parts) {
    out.merge(p.owners);
    programs.insert(programs.end(), p.program_packages.begin(), p.program_packages.end());
  }
  if (!program_packages_) program_packages_ = std::move(programs);
  return out;
}

PathMap DpkgDb::files_with_md5(std::span<const std::string> md5s, IssueLog& log) const {
  if (md5s.empty()) return {};
  if (!program_packages_) owners({}, log);
  // A handful of digests against 100k lines: search for each digest, parse only its line.
  auto parts = scan_files_parallel<PathMap>(
      root_, info_dir_, *program_packages_, kMd5Suffix, false, log,
      [&](const std::string&, std::string_view text, PathMap& out) {
        for (const auto& md5 : md5s) {
          for (auto at = text.find(md5); at != std::string_view::npos;
               at = text.find(md5, at + 1)) {
            if (at != 0 && text[at - 1] != '\n') continue;
            scan_dpkg_md5sums(text.substr(at, text.find('\n', at) - at),
                              [&](std::string_view, std::string_view path) {
                                out.try_emplace(md5, "/" + std::string(path));
                              });
            break;
          }
        }
      });
  PathMap out;
  for (auto& p : parts) out.merge(p);
  return out;
}

std::vector<Diversion> parse_dpkg_diversions(std::string_view text) {
  std::vector<Diversion> out;
  std::vector<std::string_view> lines;
  for_each_line(text, [&](std::string_view line, std::size_t) { lines.push_back(line); });
  for (std::size_t i = 0; i + 2 < lines.size(); i += 3)
    out.push_back({std::string(lines[i]), std::string(lines[i + 1]), std::string(lines[i + 2])});
  return out;
}

std::vector<PackagedFile> parse_dpkg_conffiles(std::string_view status) {
  std::vector<PackagedFile> out;
  std::string package;
  bool installed = false, in_conffiles = false;
  for_each_line(status, [&](std::string_view line, std::size_t) {
    if (line.empty()) {
      package.clear();
      installed = in_conffiles = false;
      return;
    }
    if (line.front() != ' ') {
      in_conffiles = line.starts_with("Conffiles:");
      if (line.starts_with("Package: ")) package = std::string(trim(line.substr(9)));
      if (line.starts_with("Status: ")) installed = line.ends_with(" installed");
      return;
    }
    if (!in_conffiles) return;
    // " /etc/foo.conf <md5> [obsolete|remove-on-upgrade]"
    auto words = split_ws(line);
    if (words.size() < 2 || !words[0].starts_with('/') || words[1].size() != 32) return;
    if (words.size() > 2) return;  // obsolete conffiles are no longer the package's
    if (installed) out.push_back({std::string(words[0]), std::string(words[1]), package, true});
  });
  return out;
}

std::vector<PackageRow> parse_dpkg_status(std::string_view status) {
  std::vector<PackageRow> out;
  PackageRow row;
  auto flush = [&] {
    if (!row.name.empty() && !row.status.empty() && row.status != "not-installed") out.push_back(std::move(row));
    row = {};
  };
  for_each_line(status, [&](std::string_view line, std::size_t) {
    if (line.empty()) return flush();
    if (line.front() == ' ' || line.front() == '\t') return;  // continuation of a multi-line field
    auto colon = line.find(':');
    if (colon == std::string_view::npos) return;
    auto field = line.substr(0, colon);
    auto value = printable(trim(line.substr(colon + 1)));
    if (field == "Package") row.name = value;
    else if (field == "Version") row.version = value;
    else if (field == "Architecture") row.arch = value;
    else if (field == "Source") {  // "src" or "src (version)"
      auto words = split_ws(value);
      row.source = words.empty() ? "" : std::string(words[0]);
      if (words.size() > 1 && words[1].size() > 2 && words[1].front() == '(' && words[1].back() == ')')
        row.source_version = std::string(words[1].substr(1, words[1].size() - 2));
    }
    else if (field == "Installed-Size") row.installed_size = to_number<std::int64_t>(value).value_or(0);
    else if (field == "Status") {
      auto words = split_ws(value);
      row.status = words.empty() ? "" : std::string(words.back());
    }
  });
  flush();
  return out;
}

std::vector<PackageRow> DpkgDb::installed(IssueLog& log) const {
  auto status = root_.read("/var/lib/dpkg/status");
  if (!status) {
    log.add(std::string(kCollector), status.error());
    return {};
  }
  return parse_dpkg_status(*status);
}

std::vector<PackagedFile> DpkgDb::checksums(const std::function<bool(std::string_view)>& want, IssueLog& log) const {
  std::map<std::string, Diversion, std::less<>> diverted;
  for (const auto& d : diversions_) diverted.emplace(d.from, d);
  struct Acc {
    std::vector<PackagedFile> files;
  };
  auto parts = scan_files_parallel<Acc>(
      root_, info_dir_, packages_, kMd5Suffix, false, log, [&](const std::string& pkg, std::string_view text, Acc& acc) {
        std::string name = display_name(pkg);
        scan_dpkg_md5sums(text, [&](std::string_view md5, std::string_view rel) {
          std::string path = "/" + std::string(rel);
          if (!want(path)) return;
          if (auto d = diverted.find(path); d != diverted.end() && d->second.package != name) path = d->second.to;
          acc.files.push_back({std::move(path), std::string(md5), name, false});
        });
      });
  std::vector<PackagedFile> out;
  for (auto& p : parts) std::move(p.files.begin(), p.files.end(), std::back_inserter(out));
  auto status = root_.read("/var/lib/dpkg/status");
  if (!status) log.add(std::string(kCollector), status.error());
  else
    for (auto& c : parse_dpkg_conffiles(*status)) out.push_back(std::move(c));
  return out;
}

std::shared_ptr<PackageDb> open_package_db(const Root& root, IssueLog& log) {
  constexpr std::string_view kDpkgInfo = "/var/lib/dpkg/info";
  if (root.stat(kDpkgInfo))
    if (auto db = DpkgDb::open(root, std::string(kDpkgInfo), log)) return db;
  return no_package_db();
}

std::shared_ptr<PackageDb> no_package_db() { return std::make_shared<NoPackageDb>(); }

}  // namespace vigil::collect
