// Learning a web profile from requests of normal traffic.
#include <algorithm>
#include <cctype>
#include <cmath>

#include "core/text.hpp"
#include "logs/web_profile.hpp"

namespace vigil::logs {

namespace {

constexpr std::size_t kMaxPaths = 200000;     // distinct paths learned; more is a crawl, not an application
constexpr std::size_t kMaxParams = 1000;      // distinct parameter names per path
constexpr std::uint64_t kRequiredMinimum = 10;  // requests with a query before a parameter can be required

bool supported(std::uint64_t n, std::uint64_t total, const ProfileSettings& s) {
  return n >= s.min_support && static_cast<double>(n) >= s.rare_fraction * static_cast<double>(total);
}


}  // namespace

void ProfileLearner::add(const Event& e) {
  std::string_view raw_path = e.get(Field::url_path);
  if (raw_path.empty()) return;
  std::string_view status = e.get(Field::http_status);
  if (!status.empty() && (status[0] == '4' || status[0] == '5')) {
    ++skipped_;
    return;
  }
  std::string key = normalise_path(raw_path);
  auto it = paths_.find(key);
  if (it == paths_.end()) {
    if (paths_.size() >= kMaxPaths) {
      ++skipped_;
      return;
    }
    it = paths_.emplace(key, PathStats{}).first;
  }
  ++requests_;
  ++extensions_[ascii_lower(path_extension(key))];
  PathStats& ps = it->second;
  ++ps.requests;
  std::string_view query = e.get(Field::url_query);
  if (query.empty()) return;
  ++ps.with_query;
  std::string name, value;
  for_each_parameter(query, name, value, [&](std::string_view n, std::string_view v, bool) {
    auto p = ps.params.find(n);
    if (p == ps.params.end()) {
      if (ps.params.size() >= kMaxParams) return;
      p = ps.params.emplace(std::string(n), ParamStats{}).first;
    }
    ParamStats& st = p->second;
    ++st.seen;
    ++st.lengths[static_cast<std::uint32_t>(std::min<std::size_t>(v.size(), UINT32_MAX))];
    CharClasses c = char_classes(v);
    for (std::size_t i = 0; i < 64; ++i)
      if (c & (CharClasses{1} << i)) ++st.classes[i];
    if (!st.many_values) {
      auto vi = st.values.find(v);
      if (vi != st.values.end()) {
        ++vi->second;
      } else if (st.values.size() < kValuesKept) {
        st.values.emplace(std::string(v), 1);
      } else {
        st.many_values = true;
        st.values.clear();
      }
    }
  });
}

namespace {

// Length bound: the trimmed lengths' mean plus σ/√p (Chebyshev: P(|X-μ| ≥ kσ) ≤ 1/k²), at least
// the longest trimmed length. The longest few lengths (the rare share, at least min_support-1
// values) are trimmed, so one overlong attack value in the training logs does not widen it.
void learn_lengths(const std::map<std::uint32_t, std::uint64_t>& lengths, std::uint64_t seen,
                   const ProfileSettings& s, ParamProfile& out) {
  auto trim = static_cast<std::uint64_t>(
      std::max(std::floor(s.rare_fraction * static_cast<double>(seen)), static_cast<double>(s.min_support) - 1));
  std::uint64_t n = 0, longest = 0;
  double sum = 0, sum2 = 0;
  std::uint64_t dropped = 0;
  for (auto it = lengths.rbegin(); it != lengths.rend(); ++it) {
    std::uint64_t count = it->second;
    if (dropped < trim) {
      std::uint64_t d = std::min(count, trim - dropped);
      dropped += d;
      count -= d;
    }
    if (!count) continue;
    longest = std::max<std::uint64_t>(longest, it->first);
    n += count;
    sum += static_cast<double>(it->first) * static_cast<double>(count);
    sum2 += static_cast<double>(it->first) * static_cast<double>(it->first) * static_cast<double>(count);
  }
  if (!n) return;
  out.mean = sum / static_cast<double>(n);
  out.stddev = std::sqrt(std::max(0.0, sum2 / static_cast<double>(n) - out.mean * out.mean));
  double k = 1.0 / std::sqrt(std::max(1e-6, s.length_p));
  auto bound = static_cast<std::uint64_t>(std::ceil(out.mean + k * std::max(out.stddev, 1.0)));
  out.max_length = std::max(bound, longest);
}

// An enumeration: enough requests, at most enum_max values each seen often enough, and the
// values seen too rarely to learn (attacks, typos) at most 1 % of the requests.
void learn_enumeration(const std::map<std::string, std::uint64_t, std::less<>>& values, bool many, std::uint64_t seen,
                       const ProfileSettings& s, ParamProfile& out) {
  if (many || seen < s.enum_min || values.empty()) return;
  std::vector<std::string> frequent;
  std::uint64_t rare = 0;
  for (const auto& [v, n] : values)
    if (supported(n, seen, s)) frequent.push_back(v);
    else rare += n;
  if (frequent.empty() || frequent.size() > s.enum_max) return;
  if (static_cast<double>(rare) > std::max(static_cast<double>(s.min_support), 0.01 * static_cast<double>(seen)))
    return;
  out.values = std::move(frequent);
}

}  // namespace

WebProfile ProfileLearner::finish(const ProfileSettings& s) const {
  WebProfile p;
  p.settings = s;
  p.requests = requests_;
  p.skipped = skipped_;
  for (const auto& [ext, n] : extensions_)
    if (n >= s.min_support) p.extensions.insert(ext);
  std::map<std::string, std::size_t> children;
  for (const auto& [key, ps] : paths_) {
    auto slash = key.rfind('/');
    ++children[slash == std::string::npos ? "/" : key.substr(0, slash + 1)];
  }
  for (const auto& [dir, n] : children)
    if (n >= s.open_directory) p.open_directories.insert(dir);
  for (const auto& [key, ps] : paths_) {
    if (ps.requests < s.min_support) continue;
    PathProfile path;
    path.requests = ps.requests;
    for (const auto& [name, st] : ps.params) {
      if (!supported(st.seen, ps.with_query, s)) continue;
      ParamProfile pp;
      pp.seen = st.seen;
      pp.required = ps.with_query >= kRequiredMinimum &&
                    static_cast<double>(st.seen) >= s.required_share * static_cast<double>(ps.with_query);
      learn_lengths(st.lengths, st.seen, s, pp);
      for (std::size_t i = 0; i < 64; ++i)
        if (supported(st.classes[i], st.seen, s)) pp.chars |= CharClasses{1} << i;
      learn_enumeration(st.values, st.many_values, st.seen, s, pp);
      path.params.emplace(name, std::move(pp));
    }
    p.paths.emplace(key, std::move(path));
  }
  return p;
}

}  // namespace vigil::logs
