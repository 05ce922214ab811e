// Judging a request against a learned web profile.
#include "logs/web_profile.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <mutex>

#include "core/rule_catalog.hpp"
#include "core/text.hpp"

namespace vigil::logs {

namespace {

constexpr std::array<std::string_view, kProfileModels> kNames = {
    "unknown-path",     "unknown-extension", "unknown-parameter", "missing-parameter",
    "value-length",     "value-characters",  "value-enumeration"};
constexpr std::array<std::string_view, kProfileModels> kRuleIds = {
    "logs.web-profile-unknown-path",      "logs.web-profile-unknown-extension", "logs.web-profile-unknown-parameter",
    "logs.web-profile-missing-parameter", "logs.web-profile-value-length",      "logs.web-profile-value-characters",
    "logs.web-profile-value-enumeration"};
constexpr std::array<Severity, kProfileModels> kSeverities = {Severity::low,    Severity::low,    Severity::medium,
                                                              Severity::low,    Severity::medium, Severity::medium,
                                                              Severity::medium};

// Classes 0-5 are named; 6.. are the 32 ASCII punctuation characters in order.
constexpr std::array<std::string_view, 6> kClassWords = {"digit", "lower", "upper", "space", "non-ascii", "control"};
constexpr std::string_view kPunctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

constexpr std::array<std::uint8_t, 256> make_class_table() {
  std::array<std::uint8_t, 256> t{};
  for (int c = 0; c < 256; ++c) {
    if (c >= '0' && c <= '9') t[c] = 0;
    else if (c >= 'a' && c <= 'z') t[c] = 1;
    else if (c >= 'A' && c <= 'Z') t[c] = 2;
    else if (c == ' ') t[c] = 3;
    else if (c >= 0x80) t[c] = 4;
    else if (c < 0x20 || c == 0x7f) t[c] = 5;
    else
      for (std::size_t i = 0; i < kPunctuation.size(); ++i)
        if (kPunctuation[i] == c) t[c] = static_cast<std::uint8_t>(6 + i);
  }
  return t;
}
constexpr auto kClassOf = make_class_table();

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// A hexadecimal id of 8 or more characters with at least one digit, or a UUID.
bool hex_id(std::string_view s) {
  if (s.size() < 8) return false;
  bool digit = false;
  for (char c : s) {
    if (c >= '0' && c <= '9') digit = true;
    else if (!((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == '-')) return false;
  }
  return digit;
}

// No segment normalise_path would rewrite as {n} or {id}.
bool plain_path(std::string_view path) {
  std::size_t pos = 0;
  while (pos <= path.size()) {
    auto slash = path.find('/', pos);
    std::string_view seg = path.substr(pos, slash == std::string_view::npos ? std::string_view::npos : slash - pos);
    if (!seg.empty() && seg[0] >= '0' && seg[0] <= 'f' && (all_digits(seg) || hex_id(seg))) return false;
    if (slash == std::string_view::npos) break;
    pos = slash + 1;
  }
  return true;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string excerpt_value(std::string_view v) {
  std::string out = printable(v.substr(0, 60));
  if (v.size() > 60) out += "…";
  return out;
}

std::string shown(std::string_view v) { return v.empty() ? "(empty)" : "'" + excerpt_value(v) + "'"; }

}  // namespace

std::string_view model_name(ProfileModel m) { return kNames[static_cast<std::size_t>(m)]; }
std::string_view profile_rule_id(ProfileModel m) { return kRuleIds[static_cast<std::size_t>(m)]; }

const sigma::RuleMeta& profile_rule(ProfileModel m) {
  static std::array<sigma::RuleMeta, kProfileModels> metas;
  static std::once_flag once;
  std::call_once(once, [] {
    for (std::size_t i = 0; i < kProfileModels; ++i) {
      const auto& info = rule_info(kRuleIds[i]);
      auto& meta = metas[i];
      meta.finding_id = std::string(kRuleIds[i]);
      meta.name = "vigil_" + std::string(kRuleIds[i].substr(5));
      meta.title = std::string(info.title);
      meta.description = std::string(info.why);
      meta.remedy = std::string(info.remedy);
      meta.severity = kSeverities[i];
      meta.level = std::string(to_string(kSeverities[i]));
      meta.attack = {std::string(info.attack)};
      meta.author = "vigil";
      meta.file = "learned profile (--profile)";
    }
  });
  return metas[static_cast<std::size_t>(m)];
}

CharClasses char_classes(std::string_view value) {
  CharClasses c = 0;
  for (unsigned char b : value) c |= CharClasses{1} << kClassOf[b];
  return c;
}

std::string describe_classes(CharClasses c) {
  std::string out;
  for (std::size_t i = 0; i < kClassWords.size(); ++i)
    if (c & (CharClasses{1} << i)) out += (out.empty() ? "" : " ") + std::string(kClassWords[i]);
  std::string punct;
  for (std::size_t i = 0; i < kPunctuation.size(); ++i)
    if (c & (CharClasses{1} << (6 + i))) punct += kPunctuation[i];
  if (!punct.empty()) out += (out.empty() ? "" : " ") + punct;
  return out;
}

bool parse_classes(std::string_view text, CharClasses& out) {
  out = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    if (text[pos] == ' ') {
      ++pos;
      continue;
    }
    auto end = text.find(' ', pos);
    std::string_view word = text.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos);
    pos = end == std::string_view::npos ? text.size() : end;
    auto named = std::find(kClassWords.begin(), kClassWords.end(), word);
    if (named != kClassWords.end()) {
      out |= CharClasses{1} << (named - kClassWords.begin());
      continue;
    }
    for (char ch : word) {
      auto p = kPunctuation.find(ch);
      if (p == std::string_view::npos) return false;
      out |= CharClasses{1} << (6 + p);
    }
  }
  return true;
}

namespace {

bool encoded(std::string_view in, bool plus_is_space) {
  return std::any_of(in.begin(), in.end(), [&](char c) { return c == '%' || (c == '+' && plus_is_space); });
}

}  // namespace

std::string_view url_decoded(std::string_view in, std::string& scratch, bool plus_is_space) {
  if (!encoded(in, plus_is_space)) return in;
  url_decode_once(in, scratch, plus_is_space);
  return scratch;
}

void url_decode_once(std::string_view in, std::string& out, bool plus_is_space) {
  if (!encoded(in, plus_is_space)) {
    out.assign(in);
    return;
  }
  out.clear();
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '+' && plus_is_space) {
      out += ' ';
    } else if (c == '%' && i + 2 < in.size() && hex_value(in[i + 1]) >= 0 && hex_value(in[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(in[i + 1]) * 16 + hex_value(in[i + 2]));
      i += 2;
    } else {
      out += c;
    }
  }
}

std::string profile_escape(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (unsigned char c : in)
    if (c < 0x20 || c >= 0x7f || c == '%') out += fmt::format("%{:02X}", c);
    else out += static_cast<char>(c);
  return out;
}

std::string normalise_path(std::string_view path) {
  std::string out, scratch;
  normalise_path(path, out, scratch);
  return out;
}

void normalise_path(std::string_view path, std::string& out, std::string& decoded) {
  url_decode_once(path, decoded);
  out.clear();
  if (plain_path(decoded)) {  // the common case: nothing to collapse
    out.assign(decoded.empty() ? std::string_view("/") : std::string_view(decoded));
    return;
  }
  std::size_t pos = 0;
  while (pos < decoded.size()) {
    auto slash = decoded.find('/', pos);
    std::string_view seg = std::string_view(decoded).substr(pos, slash == std::string::npos ? std::string::npos : slash - pos);
    if (all_digits(seg)) out += "{n}";
    else if (hex_id(seg)) out += "{id}";
    else out += seg;
    if (slash == std::string::npos) break;
    out += '/';
    pos = slash + 1;
  }
  if (out.empty()) out = "/";
}

std::string_view path_extension(std::string_view path) {
  auto slash = path.rfind('/');
  std::string_view last = slash == std::string_view::npos ? path : path.substr(slash + 1);
  auto dot = last.rfind('.');
  if (dot == std::string_view::npos || dot + 1 >= last.size() || dot == 0) return {};
  std::string_view ext = last.substr(dot + 1);
  // A date or a number after the dot (error.log.2020-06-20, access.log.1) is no file type.
  if (std::none_of(ext.begin(), ext.end(), [](char c) { return std::isalpha(static_cast<unsigned char>(c)); })) return {};
  return ext;
}

namespace {

void lower(std::string_view s, std::string& out) {
  out.assign(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

// Judging allocates nothing per request once these have grown (one set per parser thread).
struct JudgeScratch {
  std::string key, decoded, ext, name, value;
  std::vector<const std::string*> present;
};
thread_local JudgeScratch t_scratch;

std::string_view directory_of(std::string_view path) {
  auto slash = path.rfind('/');
  return slash == std::string_view::npos ? std::string_view("/") : path.substr(0, slash + 1);
}

std::string listed(const std::set<std::string, std::less<>>& names, std::size_t max = 8) {
  std::string out;
  std::size_t n = 0;
  for (const auto& s : names) {
    if (n++ == max) {
      out += fmt::format(" … ({} in all)", names.size());
      break;
    }
    out += (out.empty() ? "" : " ") + (s.empty() ? std::string("(none)") : s);
  }
  return out;
}

}  // namespace

void WebProfile::judge(const Event& e, std::vector<ProfileAnomaly>& out) const {
  std::string_view raw_path = e.get(Field::url_path);
  if (raw_path.empty()) return;
  JudgeScratch& s = t_scratch;
  std::string_view key = raw_path;  // most paths have nothing to decode or collapse
  if (encoded(raw_path, false) || !plain_path(raw_path)) {
    normalise_path(raw_path, s.key, s.decoded);
    key = s.key;
  }
  std::string_view ext = path_extension(key);
  if (std::any_of(ext.begin(), ext.end(), [](char c) { return c >= 'A' && c <= 'Z'; })) {
    lower(ext, s.ext);
    ext = s.ext;
  }
  auto on = [&](ProfileModel m) { return models[static_cast<std::size_t>(m)].enabled; };
  auto add = [&](ProfileModel m, std::string detail) { out.push_back({m, std::move(detail)}); };

  bool known_ext = extensions.count(ext) > 0;
  if (!known_ext && on(ProfileModel::unknown_extension))
    add(ProfileModel::unknown_extension,
        fmt::format("{}: the extension '{}' was never requested in the learned traffic (known: {})", excerpt_value(key),
                    excerpt_value(ext), listed(extensions)));
  auto it = paths.find(key);
  if (it == paths.end()) {
    if (on(ProfileModel::unknown_path) && !(known_ext && open_directories.count(directory_of(key))))
      add(ProfileModel::unknown_path,
          fmt::format("{}: a path the learned traffic never requested ({} known)", excerpt_value(key), paths.size()));
    return;
  }
  const PathProfile& path = it->second;
  if (path.ignore) return;
  std::string_view query = e.get(Field::url_query);
  if (query.empty()) return;

  auto& present = s.present;
  present.clear();
  for_each_parameter(query, s.name, s.value, [&](std::string_view n, std::string_view v, bool) {
    auto p = path.params.find(n);
    if (p == path.params.end()) {
      if (!path.other_params && on(ProfileModel::unknown_parameter)) {
        std::set<std::string, std::less<>> known;
        for (const auto& [k, pp] : path.params) known.insert(k);
        add(ProfileModel::unknown_parameter,
            fmt::format("{} on {}: a parameter the learned traffic never sent there (known: {})", shown(n), key,
                        listed(known)));
      }
      return;
    }
    present.push_back(&p->first);
    const ParamProfile& pp = p->second;
    if (pp.ignore) return;
    if (!pp.values.empty()) {
      if (std::find(pp.values.begin(), pp.values.end(), v) == pp.values.end()) {
        if (on(ProfileModel::value_enumeration)) {
          std::string vals;
          for (const auto& x : pp.values) vals += (vals.empty() ? "" : ", ") + shown(x);
          add(ProfileModel::value_enumeration, fmt::format("{} on {}: {} is none of the {} value(s) learned ({})", n,
                                                           key, shown(v), pp.values.size(), vals));
        }
      } else {
        return;  // a learned value
      }
    }
    if (pp.max_length && v.size() > pp.max_length && on(ProfileModel::value_length))
      add(ProfileModel::value_length,
          fmt::format("{} on {}: {} characters, the profile allows up to {} (learned mean {:.1f}, stddev {:.1f})", n,
                      key, v.size(), pp.max_length, pp.mean, pp.stddev));
    CharClasses c = char_classes(v);
    if ((c & ~pp.chars) && on(ProfileModel::value_characters))
      add(ProfileModel::value_characters,
          fmt::format("{} on {}: {} has {} which the learned values never had (learned: {})", n, key, shown(v),
                      describe_classes(c & ~pp.chars), pp.chars ? describe_classes(pp.chars) : "(nothing)"));
  });
  for (const auto& [n, pp] : path.params)
    if (pp.required && !pp.ignore && on(ProfileModel::missing_parameter) &&
        std::none_of(present.begin(), present.end(), [&](const std::string* s) { return *s == n; }))
      add(ProfileModel::missing_parameter,
          fmt::format("{} on {}: missing, yet every learned request with a query sent it", shown(n), key));
}

}  // namespace vigil::logs
