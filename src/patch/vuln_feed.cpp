#include "patch/vuln_feed.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>

#include "collect/debian_version.hpp"
#include "core/text.hpp"
#include "collect/compressed_file.hpp"
#include "core/host_files.hpp"
#include "patch/archive_read.hpp"

namespace vigil::patch {

namespace {

using nlohmann::json;

constexpr std::size_t kMaxRecordBytes = std::size_t{64} << 20;    // one OSV record
constexpr std::size_t kMaxTrackerBytes = std::size_t{1} << 30;    // the whole tracker JSON (~70 MB today)

int cmp(std::string_view a, std::string_view b) { return collect::compare_debian_versions(a, b); }

bool wanted(const FeedScope& scope, std::string_view package) {
  return scope.packages.empty() || scope.packages.contains(package);
}

std::string text_of(const json& j, std::string_view key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? printable(it->get_ref<const std::string&>()) : std::string();
}

// "medium**" (the tracker marks guesses with stars), "Not yet assigned" -> lower case, bare.
std::string clean_urgency(std::string_view u) {
  while (!u.empty() && (u.back() == '*' || u.back() == ' ')) u.remove_suffix(1);
  return ascii_lower(u);
}

// The CVE an id is about: CVE-2023-1 and DEBIAN-CVE-2023-1 are the same issue.
std::string_view cve_of(std::string_view id) {
  if (id.starts_with("DEBIAN-")) id.remove_prefix(7);
  return id;
}

bool is_per_cve(std::string_view id) { return cve_of(id).starts_with("CVE-") || id.starts_with("TEMP-"); }

bool is_archive_name(std::string_view path) {
  for (std::string_view ext : {".zip", ".tar", ".tar.gz", ".tgz", ".tar.xz", ".tar.zst"})
    if (path.ends_with(ext)) return true;
  return false;
}

// One affected entry of an OSV record into advisories: one per introduced..fixed pair.
void add_affected(const json& rec, const json& affected, const std::string& package, VulnFeed& feed) {
  Advisory base;
  base.id = text_of(rec, "id");
  for (const char* key : {"aliases", "related", "upstream"})
    if (auto it = rec.find(key); it != rec.end() && it->is_array())
      for (const auto& a : *it)
        if (a.is_string() && a.get_ref<const std::string&>() != base.id) base.aliases.push_back(printable(a.get<std::string>()));
  base.summary = text_of(rec, "summary");
  if (base.summary.empty()) base.summary = text_of(rec, "details").substr(0, 300);
  base.package = package;
  base.feed = "osv";
  if (auto es = affected.find("ecosystem_specific"); es != affected.end() && es->is_object())
    base.urgency = clean_urgency(text_of(*es, "urgency"));
  if (auto ds = affected.find("database_specific"); base.urgency.empty() && ds != affected.end() && ds->is_object())
    base.urgency = clean_urgency(text_of(*ds, "severity"));
  if (auto ds = rec.find("database_specific"); base.urgency.empty() && ds != rec.end() && ds->is_object())
    base.urgency = clean_urgency(text_of(*ds, "severity"));
  std::vector<Advisory> out;
  if (auto v = affected.find("versions"); v != affected.end() && v->is_array() && !v->empty()) {
    Advisory a = base;
    for (const auto& x : *v)
      if (x.is_string()) a.versions.push_back(x.get<std::string>());
    a.fixed = "-";  // a list of versions is complete: nothing outside it is affected
    out.push_back(std::move(a));
  }
  if (auto ranges = affected.find("ranges"); ranges != affected.end() && ranges->is_array())
    for (const auto& r : *ranges) {
      if (!r.is_object() || text_of(r, "type") != "ECOSYSTEM") continue;
      auto events = r.find("events");
      if (events == r.end() || !events->is_array()) continue;
      std::optional<Advisory> open;
      for (const auto& e : *events) {
        if (!e.is_object()) continue;
        if (auto i = text_of(e, "introduced"); !i.empty()) {
          if (open) out.push_back(*open);
          open = base;
          open->introduced = i;
        } else if (auto f = text_of(e, "fixed"); !f.empty() && open) {
          open->fixed = f;
          out.push_back(*open);
          open.reset();
        } else if (auto l = text_of(e, "last_affected"); !l.empty() && open) {
          open->last_affected = l;
          open->fixed = "-";
          out.push_back(*open);
          open.reset();
        }
      }
      if (open) out.push_back(*open);
    }
  for (auto& a : out) {
    ++feed.advisories;
    feed.by_package[package].push_back(std::move(a));
  }
}

}  // namespace

bool Advisory::affects(std::string_view version) const {
  if (!versions.empty()) return std::find(versions.begin(), versions.end(), version) != versions.end();
  if (!introduced.empty() && introduced != "0" && cmp(version, introduced) < 0) return false;
  if (!last_affected.empty()) return cmp(version, last_affected) <= 0;
  if (fixed.empty()) return true;  // no fix in this release yet
  return cmp(version, fixed) < 0;
}

void add_osv_record(std::string_view text, std::string_view name, const FeedScope& scope, VulnFeed& feed) {
  auto rec = json::parse(text, nullptr, false);
  if (rec.is_discarded() || !rec.is_object()) {
    feed.problems.push_back(fmt::format("{}: not an OSV record (not a JSON object)", name));
    return;
  }
  ++feed.records;
  if (text_of(rec, "id").empty()) {
    feed.problems.push_back(fmt::format("{}: an OSV record without an id", name));
    return;
  }
  if (rec.contains("withdrawn")) return;  // retracted by its publisher
  auto affected = rec.find("affected");
  if (affected == rec.end() || !affected->is_array()) return;
  for (const auto& a : *affected) {
    if (!a.is_object()) continue;
    auto pkg = a.find("package");
    if (pkg == a.end() || !pkg->is_object()) continue;
    if (text_of(*pkg, "ecosystem") != scope.osv_ecosystem) continue;
    auto package = text_of(*pkg, "name");
    if (package.empty() || !wanted(scope, package)) continue;
    add_affected(rec, a, package, feed);
  }
}

expected<void, std::string> load_osv(const std::string& path, const FeedScope& scope, VulnFeed& feed) {
  std::error_code ec;
  auto one = [&](std::string_view name, std::string_view text) {
    if (name.ends_with(".json")) add_osv_record(text, name, scope, feed);
  };
  if (std::filesystem::is_directory(path, ec)) {
    std::vector<std::string> files;
    for (auto it = std::filesystem::recursive_directory_iterator(
             path, std::filesystem::directory_options::skip_permission_denied, ec);
         !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec))
      if (it->is_regular_file(ec) && it->path().extension() == ".json") files.push_back(it->path().string());
    if (ec) feed.problems.push_back(fmt::format("{}: {} (the files listed before were read)", path, ec.message()));
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
      auto text = read_host_file(f, kMaxRecordBytes);
      if (!text) feed.problems.push_back(text.error().message());
      else one(f, *text);
    }
  } else if (is_archive_name(path)) {
    auto n = for_each_archive_member(path, kMaxRecordBytes, [&](std::string_view member, std::string_view text) {
      one(fmt::format("{}:{}", path, member), text);
    });
    if (!n) {
      if (!feed.records) return make_unexpected(n.error());
      feed.problems.push_back(n.error() + " (the members before it were read)");
    }
  } else {
    auto text = read_host_file(path, kMaxRecordBytes);
    if (!text) return make_unexpected(text.error().message());
    add_osv_record(*text, path, scope, feed);
  }
  feed.sources.push_back(fmt::format("OSV {} ({} records)", path, feed.records));
  return {};
}

namespace {

// The tracker's JSON as a stream: {package: {issue: {description, releases: {release:
// {status, fixed_version, urgency, …}}}}}. Depth counts objects and arrays alike.
class TrackerSax final : public nlohmann::json_sax<json> {
 public:
  TrackerSax(const FeedScope& scope, VulnFeed& feed) : scope_(scope), feed_(feed) {}
  std::string error;

  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool string(string_t& v) override {
    if (!keep_) return true;
    if (depth_ == 3 && key_ == "description") description_ = printable(v).substr(0, 300);
    else if (depth_ == 5 && in_release_) {
      if (key_ == "status") status_ = v;
      else if (key_ == "fixed_version") fixed_ = v;
      else if (key_ == "urgency") urgency_ = clean_urgency(v);
    }
    return true;
  }
  bool start_object(std::size_t) override {
    ++depth_;
    if (depth_ == 3) {  // an issue of a package
      issue_ = key_;
      description_.clear();
      pending_.clear();
      if (keep_) ++feed_.records;
    } else if (depth_ == 5) {  // a release of the issue
      in_release_ = keep_ && in_releases_ && key_ == scope_.codename;
      status_.clear(), fixed_.clear(), urgency_.clear();
    } else if (depth_ == 4) {
      in_releases_ = key_ == "releases";
    } else if (depth_ == 2) {
      package_ = key_;
      keep_ = wanted(scope_, package_);
    }
    return true;
  }
  bool end_object() override {
    if (depth_ == 5 && in_release_) release_done();
    if (depth_ == 3)
      for (auto& a : pending_) {
        a.summary = description_;
        ++feed_.advisories;
        feed_.by_package[package_].push_back(std::move(a));
      }
    if (depth_ == 4) in_releases_ = false;
    if (depth_ == 5) in_release_ = false;
    --depth_;
    return true;
  }
  bool start_array(std::size_t) override {
    ++depth_;
    return true;
  }
  bool end_array() override {
    --depth_;
    return true;
  }
  bool key(string_t& k) override {
    key_ = k;
    return true;
  }
  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& e) override {
    error = fmt::format("byte {}: {}", position, e.what());
    return false;
  }

 private:
  void release_done() {
    // resolved with fixed_version 0: this release never had the bug; undetermined: nobody knows yet
    if (status_ == "resolved" && (fixed_.empty() || fixed_ == "0")) return;
    if (status_ != "resolved" && status_ != "open" && status_ != "undetermined") return;
    Advisory a;
    a.id = issue_;
    a.package = package_;
    a.fixed = status_ == "resolved" ? fixed_ : "";
    a.urgency = urgency_;
    a.feed = "debian-tracker";
    pending_.push_back(std::move(a));
  }

  const FeedScope& scope_;
  VulnFeed& feed_;
  int depth_ = 0;
  std::string key_, package_, issue_, description_, status_, fixed_, urgency_;
  bool keep_ = false, in_releases_ = false, in_release_ = false;
  std::vector<Advisory> pending_;
};

}  // namespace

void add_debian_tracker(std::string_view text, std::string_view name, const FeedScope& scope, VulnFeed& feed) {
  TrackerSax sax(scope, feed);
  bool ok = json::sax_parse(text, &sax);
  if (!ok)
    feed.problems.push_back(fmt::format("{}: {} (the issues before it were read)", name,
                                        sax.error.empty() ? "not the tracker's JSON" : sax.error));
}

expected<void, std::string> load_debian_tracker(const std::string& path, const FeedScope& scope, VulnFeed& feed) {
  // Plain or compressed (.gz, .xz, .zst): the content says which.
  auto host = Root::open("/");
  if (!host) return make_unexpected(host.error().message());
  auto text = collect::read_decompressed(*host, path, kMaxTrackerBytes);
  if (!text) return make_unexpected(text.error().message());
  std::size_t before = feed.records;
  add_debian_tracker(*text, path, scope, feed);
  feed.sources.push_back(fmt::format("Debian security tracker {} ({} issues of installed packages)", path,
                                     feed.records - before));
  return {};
}

std::vector<Vulnerable> match_feed(const VulnFeed& feed, const std::vector<collect::PackageRow>& installed,
                                   bool unfixed) {
  // (source, source version) -> binary packages
  std::map<std::pair<std::string, std::string>, std::vector<std::string>> sources;
  for (const auto& row : installed)
    if (row.status == "installed")
      sources[{std::string(row.source_name()), std::string(row.source_ver())}].push_back(row.name);
  std::vector<Vulnerable> out;
  for (auto& [key, binaries] : sources) {
    auto it = feed.by_package.find(key.first);
    if (it == feed.by_package.end()) continue;
    std::vector<const Advisory*> hits;
    for (const auto& a : it->second)
      if (a.affects(key.second) && (unfixed || !a.fixed.empty())) hits.push_back(&a);
    // Advisories (DSA, DLA) first; a per-CVE record of a CVE an advisory fixes folds into it,
    // and the same CVE from two feeds is one entry.
    std::stable_sort(hits.begin(), hits.end(),
                     [](const Advisory* a, const Advisory* b) { return !is_per_cve(a->id) && is_per_cve(b->id); });
    std::map<std::string, std::size_t, std::less<>> covered;  // CVE or id -> entry in `out`
    for (const auto* a : hits) {
      std::string_view self = cve_of(a->id);
      auto seen = covered.find(self);
      if (seen == covered.end())
        for (const auto& alias : a->aliases)
          if ((seen = covered.find(cve_of(alias))) != covered.end()) break;
      if (seen != covered.end()) {
        auto& also = out[seen->second].also;
        auto same = [&](const Advisory* b) { return b->id == a->id; };
        if (a->id != out[seen->second].advisory->id && std::none_of(also.begin(), also.end(), same))
          also.push_back(a);
        continue;
      }
      out.push_back({key.first, key.second, binaries, a, {}});
      covered.emplace(std::string(self), out.size() - 1);
      for (const auto& alias : a->aliases) covered.emplace(std::string(cve_of(alias)), out.size() - 1);
    }
  }
  return out;
}

}  // namespace vigil::patch
