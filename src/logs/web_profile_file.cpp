// The web profile file: versioned JSON, written for a person to read and edit, and read back
// with every field's type and range checked (the first wrong one is named).
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>

#include "core/host_files.hpp"
#include "logs/web_profile.hpp"

namespace vigil::logs {

namespace {

using nlohmann::json;
using ordered = nlohmann::ordered_json;

constexpr std::string_view kFormat = "vigil-web-profile";

struct Bad {
  std::string message;
};

[[noreturn]] void bad(const std::string& where, std::string_view what) { throw Bad{where + ": " + std::string(what)}; }

const json* member(const json& obj, const char* key) {
  auto it = obj.find(key);
  return it == obj.end() || it->is_null() ? nullptr : &*it;
}

std::uint64_t count(const json& obj, const char* key, const std::string& where, std::uint64_t fallback = 0) {
  const json* v = member(obj, key);
  if (!v) return fallback;
  if (v->is_number_unsigned()) return v->get<std::uint64_t>();
  if (v->is_number_integer() && v->get<std::int64_t>() >= 0) return static_cast<std::uint64_t>(v->get<std::int64_t>());
  bad(where + "." + key, "expected a whole number ≥ 0");
}

double number(const json& obj, const char* key, const std::string& where, double fallback, double lo, double hi) {
  const json* v = member(obj, key);
  if (!v) return fallback;
  if (!v->is_number()) bad(where + "." + key, "expected a number");
  double d = v->get<double>();
  if (!std::isfinite(d) || d < lo || d > hi) bad(where + "." + key, fmt::format("expected a number from {} to {}", lo, hi));
  return d;
}

bool flag(const json& obj, const char* key, const std::string& where) {
  const json* v = member(obj, key);
  if (!v) return false;
  if (!v->is_boolean()) bad(where + "." + key, "expected true or false");
  return v->get<bool>();
}

std::string text(const json& obj, const char* key, const std::string& where) {
  const json* v = member(obj, key);
  if (!v) return {};
  if (!v->is_string()) bad(where + "." + key, "expected a string");
  return v->get<std::string>();
}

std::string unescape(std::string_view s) {
  std::string out;
  url_decode_once(s, out, false);
  return out;
}

std::vector<std::string> escaped(const std::vector<std::string>& in) {
  std::vector<std::string> out;
  for (const auto& s : in) out.push_back(profile_escape(s));
  return out;
}

std::vector<std::string> strings(const json& obj, const char* key, const std::string& where) {
  const json* v = member(obj, key);
  if (!v) return {};
  if (!v->is_array()) bad(where + "." + key, "expected a list of strings");
  std::vector<std::string> out;
  for (const auto& s : *v) {
    if (!s.is_string()) bad(where + "." + key, "expected a list of strings");
    out.push_back(s.get<std::string>());
  }
  return out;
}

const json& object(const json& obj, const char* key, const std::string& where) {
  static const json empty = json::object();
  const json* v = member(obj, key);
  if (!v) return empty;
  if (!v->is_object()) bad(where + "." + key, "expected an object");
  return *v;
}

ParamProfile read_param(const json& j, const std::string& where) {
  if (!j.is_object()) bad(where, "expected an object");
  ParamProfile p;
  p.seen = count(j, "seen", where);
  p.required = flag(j, "required", where);
  p.max_length = count(j, "max_length", where);
  p.mean = number(j, "mean", where, 0, 0, 1e12);
  p.stddev = number(j, "stddev", where, 0, 0, 1e12);
  if (const json* c = member(j, "chars")) {
    if (!c->is_string() || !parse_classes(c->get<std::string>(), p.chars))
      bad(where + ".chars", "expected classes (digit lower upper space non-ascii control) and punctuation characters");
  } else {
    p.chars = ~CharClasses{0};  // not given: any character
  }
  for (const auto& v : strings(j, "values", where)) p.values.push_back(unescape(v));
  p.ignore = flag(j, "ignore", where);
  return p;
}

ProfileSettings read_settings(const json& j) {
  const std::string where = "settings";
  ProfileSettings s;
  s.min_support = count(j, "min_support", where, s.min_support);
  s.rare_fraction = number(j, "rare_fraction", where, s.rare_fraction, 0, 1);
  s.length_p = number(j, "length_p", where, s.length_p, 1e-6, 1);
  s.enum_max = count(j, "enum_max", where, s.enum_max);
  s.enum_min = count(j, "enum_min", where, s.enum_min);
  s.required_share = number(j, "required_share", where, s.required_share, 0, 1);
  s.open_directory = count(j, "open_directory", where, s.open_directory);
  s.model_fp_max = number(j, "model_fp_max", where, s.model_fp_max, 0, 1);
  return s;
}

WebProfile read_profile(const json& j) {
  if (!j.is_object()) bad("profile", "expected a JSON object");
  if (text(j, "format", "profile") != kFormat)
    bad("format", fmt::format("not a vigil web profile (expected \"format\": \"{}\")", kFormat));
  const json* version = member(j, "version");
  if (!version || !version->is_number_integer() || version->get<std::int64_t>() != WebProfile::kVersion)
    bad("version", fmt::format("version {}, this vigil reads version {}", version ? version->dump() : "none",
                               WebProfile::kVersion));
  WebProfile p;
  p.settings = read_settings(object(j, "settings", "profile"));
  const json& learned = object(j, "learned", "profile");
  p.requests = count(learned, "requests", "learned");
  p.skipped = count(learned, "skipped", "learned");
  p.learned_at = text(learned, "at", "learned");
  p.sources = strings(learned, "from", "learned");
  const json& models = object(j, "models", "profile");
  for (const auto& [name, mj] : models.items()) {
    std::size_t m = 0;
    while (m < kProfileModels && model_name(static_cast<ProfileModel>(m)) != name) ++m;
    if (m == kProfileModels) bad("models." + name, "no such model (unknown-path, unknown-extension, unknown-parameter, "
                                                   "missing-parameter, value-length, value-characters, value-enumeration)");
    if (!mj.is_object()) bad("models." + name, "expected an object");
    p.models[m].enabled = !member(mj, "enabled") || flag(mj, "enabled", "models." + name);
    p.models[m].holdout_rate = number(mj, "holdout_rate", "models." + name, -1, -1, 1);
  }
  p.holdout = count(j, "holdout", "profile");
  for (const auto& e : strings(j, "extensions", "profile")) p.extensions.insert(unescape(e));
  for (const auto& d : strings(j, "open_directories", "profile")) p.open_directories.insert(unescape(d));
  for (const auto& [key, pj] : object(j, "paths", "profile").items()) {
    std::string where = "paths." + key;
    if (!pj.is_object()) bad(where, "expected an object");
    PathProfile path;
    path.requests = count(pj, "requests", where);
    path.other_params = flag(pj, "other_parameters", where);
    path.ignore = flag(pj, "ignore", where);
    for (const auto& [name, param] : object(pj, "parameters", where).items())
      path.params.emplace(unescape(name), read_param(param, where + ".parameters." + name));
    p.paths.emplace(unescape(key), std::move(path));
  }
  return p;
}

}  // namespace

std::string profile_json(const WebProfile& p) {
  ordered j;
  j["format"] = kFormat;
  j["version"] = WebProfile::kVersion;
  j["learned"] = {{"requests", p.requests}, {"skipped", p.skipped}, {"at", p.learned_at}, {"from", p.sources}};
  const auto& s = p.settings;
  j["settings"] = {{"min_support", s.min_support},       {"rare_fraction", s.rare_fraction},
                   {"length_p", s.length_p},             {"enum_max", s.enum_max},
                   {"enum_min", s.enum_min},             {"required_share", s.required_share},
                   {"open_directory", s.open_directory}, {"model_fp_max", s.model_fp_max}};
  ordered models = ordered::object();
  for (std::size_t m = 0; m < kProfileModels; ++m) {
    ordered mj = {{"enabled", p.models[m].enabled}};
    if (p.models[m].holdout_rate >= 0) mj["holdout_rate"] = std::round(p.models[m].holdout_rate * 1e6) / 1e6;
    models[std::string(model_name(static_cast<ProfileModel>(m)))] = std::move(mj);
  }
  j["models"] = std::move(models);
  j["holdout"] = p.holdout;
  j["extensions"] = escaped({p.extensions.begin(), p.extensions.end()});
  j["open_directories"] = escaped({p.open_directories.begin(), p.open_directories.end()});
  ordered paths = ordered::object();
  std::vector<const std::string*> keys;
  for (const auto& kv : p.paths) keys.push_back(&kv.first);
  std::sort(keys.begin(), keys.end(), [](const std::string* a, const std::string* b) { return *a < *b; });
  for (const std::string* k : keys) {
    const std::string& key = *k;
    const PathProfile& path = p.paths.at(key);
    ordered pj;
    pj["requests"] = path.requests;
    if (path.other_params) pj["other_parameters"] = true;
    if (path.ignore) pj["ignore"] = true;
    ordered params = ordered::object();
    for (const auto& [name, pp] : path.params) {
      ordered q;
      q["seen"] = pp.seen;
      q["required"] = pp.required;
      q["max_length"] = pp.max_length;
      q["mean"] = std::round(pp.mean * 100) / 100;
      q["stddev"] = std::round(pp.stddev * 100) / 100;
      q["chars"] = describe_classes(pp.chars);
      if (!pp.values.empty()) q["values"] = escaped(pp.values);
      if (pp.ignore) q["ignore"] = true;
      params[profile_escape(name)] = std::move(q);
    }
    pj["parameters"] = std::move(params);
    paths[profile_escape(key)] = std::move(pj);
  }
  j["paths"] = std::move(paths);
  return j.dump(1, ' ', false, json::error_handler_t::replace) + "\n";
}

expected<WebProfile, std::string> parse_profile(std::string_view text) {
  json j = json::parse(text.begin(), text.end(), nullptr, false);
  if (j.is_discarded()) return make_unexpected(std::string("not valid JSON"));
  try {
    return read_profile(j);
  } catch (const Bad& b) {
    return make_unexpected(b.message);
  } catch (const json::exception& e) {
    return make_unexpected(std::string("malformed: ") + e.what());
  }
}

expected<WebProfile, std::string> load_profile(const std::string& path) {
  auto content = read_host_file(path);
  if (!content) return make_unexpected(content.error().message());
  auto p = parse_profile(*content);
  if (!p) return make_unexpected(path + ": " + p.error());
  return p;
}

}  // namespace vigil::logs
