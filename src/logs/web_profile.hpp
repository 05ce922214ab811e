// Learned web profiles: what an application normally receives, learned from logs of normal
// traffic, and the anomalies of a request against it (Kruegel & Vigna, "Anomaly detection of
// web-based attacks", CCS 2003). Signatures find the attacks someone wrote down; a profile
// finds a parameter the application never receives (actionX=), punctuation in a quantity, a
// slash in a button label, a value ten times longer than any seen.
//
// The models, per normalised path (numeric and hex ids collapsed): the parameter names and
// which are always sent; per parameter the length (a Chebyshev bound over the learned
// lengths), the character classes, and whether it is an enumeration (a few values, each seen
// often); and for the site the known paths, extensions and open directories (many distinct
// files, where a new one is normal). Learning keeps only what enough requests share (minimum
// support, trimmed lengths), so a little attack traffic in the training logs is not learned
// as normal. The profile is a versioned JSON file a person can read and edit (see
// docs/LOG_RULES.md); its values are used as written.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/expected.hpp"
#include "logs/event.hpp"
#include "logs/sigma_rule.hpp"

namespace vigil::logs {

enum class ProfileModel : std::uint8_t {
  unknown_path,
  unknown_extension,
  unknown_parameter,
  missing_parameter,
  value_length,
  value_characters,
  value_enumeration,
};
inline constexpr std::size_t kProfileModels = 7;

std::string_view model_name(ProfileModel m);  // "unknown-parameter"
// The finding rule of a model (logs.web-profile-<name>), described by the rule catalog.
const sigma::RuleMeta& profile_rule(ProfileModel m);
std::string_view profile_rule_id(ProfileModel m);

struct ProfileAnomaly {
  ProfileModel model = ProfileModel::unknown_path;
  std::string detail;  // what was seen and what the profile expected
};

// Character classes of a (decoded) value as a bit set: digits, lower and upper case letters,
// space, bytes ≥ 0x80, control characters, and each ASCII punctuation character on its own.
using CharClasses = std::uint64_t;
CharClasses char_classes(std::string_view value);
std::string describe_classes(CharClasses c);  // "digit lower -.@"
// Parses describe_classes' form back; false on an unknown word.
bool parse_classes(std::string_view text, CharClasses& out);

struct ParamProfile {
  std::uint64_t seen = 0;          // learned requests that carried it
  bool required = false;           // in every learned request to the path that had a query
  double mean = 0, stddev = 0;     // of the learned lengths (informative)
  std::uint64_t max_length = 0;    // longer values are anomalous
  CharClasses chars = 0;           // classes a value may contain
  std::vector<std::string> values; // non-empty: an enumeration, only these values
  bool ignore = false;             // judged by no model (an edit)
};

struct PathProfile {
  std::uint64_t requests = 0;
  std::map<std::string, ParamProfile, std::less<>> params;
  bool other_params = false;  // names not listed are accepted (an edit)
  bool ignore = false;        // judged by no model (an edit)
};

struct ProfileSettings {
  std::uint64_t min_support = 2;       // a path, name, class or value seen fewer times is not learned
  double rare_fraction = 0.001;        // … nor one seen in a smaller share of the requests concerned
  double length_p = 0.01;              // Chebyshev: a length whose bound σ²/(l-μ)² is below this
  std::size_t enum_max = 10;           // an enumeration has at most this many values
  std::uint64_t enum_min = 20;         // … and needs this many learned requests
  double required_share = 0.99;        // a parameter in this share of requests with a query is required
  std::size_t open_directory = 20;     // a directory with this many distinct files is open
  double model_fp_max = 0.005;         // a model flagging more held-out normal requests is turned off
};

// Whether a model is used, and the share of held-out normal training requests it flagged
// (negative: not measured). vigil logs learn holds back part of the training logs, judges
// it with a profile learned from the rest, and turns off a model that flags more than
// model_fp_max of it: on a blog whose traffic reaches new posts every day, unknown paths are
// normal, and that model would only make noise.
struct ModelState {
  bool enabled = true;
  double holdout_rate = -1;
};

// Lookup by string_view in an unordered map of strings.
struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};

struct WebProfile {
  static constexpr int kVersion = 1;
  ProfileSettings settings;
  std::uint64_t requests = 0;          // requests learned from
  std::uint64_t skipped = 0;           // requests not learned (status ≥ 400)
  std::vector<std::string> sources;    // logs learned from
  std::string learned_at;              // ISO 8601
  std::unordered_map<std::string, PathProfile, StringHash, std::equal_to<>> paths;  // written sorted
  std::set<std::string, std::less<>> extensions;        // "" for paths without one
  std::set<std::string, std::less<>> open_directories;  // "/blog/"
  std::array<ModelState, kProfileModels> models{};
  std::uint64_t holdout = 0;           // held-out requests the models were measured on

  // The anomalies of one web request, appended to `out`; none when it fits the profile.
  void judge(const Event& e, std::vector<ProfileAnomaly>& out) const;
};

// Builds a profile from requests of normal traffic. Requests answered ≥ 400 are not part of
// the application and are not learned.
class ProfileLearner {
 public:
  void add(const Event& e);
  WebProfile finish(const ProfileSettings& settings) const;
  std::uint64_t requests() const { return requests_; }
  std::uint64_t skipped() const { return skipped_; }

 private:
  static constexpr std::size_t kValuesKept = 64;  // distinct values counted per parameter
  struct ParamStats {
    std::uint64_t seen = 0;
    std::map<std::uint32_t, std::uint64_t> lengths;
    std::array<std::uint64_t, 64> classes{};  // values containing each class
    std::map<std::string, std::uint64_t, std::less<>> values;
    bool many_values = false;  // more than kValuesKept distinct
  };
  struct PathStats {
    std::uint64_t requests = 0, with_query = 0;
    std::map<std::string, ParamStats, std::less<>> params;
  };
  std::map<std::string, PathStats, std::less<>> paths_;
  std::map<std::string, std::uint64_t, std::less<>> extensions_;
  std::uint64_t requests_ = 0, skipped_ = 0;
};

// The profile as its JSON file, and back. Loading checks every field's type and range and
// names the first one that is wrong.
std::string profile_json(const WebProfile& p);
expected<WebProfile, std::string> parse_profile(std::string_view text);
expected<WebProfile, std::string> load_profile(const std::string& path);

// The path a profile keys on: %-decoded once, numeric segments as {n}, hex and UUID ids as {id}.
std::string normalise_path(std::string_view path);
// The same into `out`, with `scratch` for the decoding (no allocation once they are grown).
void normalise_path(std::string_view path, std::string& out, std::string& scratch);
// The extension of a path's last segment, without the dot; "" for none (or one without a
// letter: a date or a rotation number).
std::string_view path_extension(std::string_view path);
// Each name=value of a query string, both %-decoded once ('+' a space): f(name, value, has_equals),
// views into the query or into `name`/`value` when something was decoded.
template <class F>
void for_each_parameter(std::string_view query, std::string& name, std::string& value, F&& f);
void url_decode_once(std::string_view in, std::string& out, bool plus_is_space = true);
// `in` itself when it holds nothing to decode, else its decoding in `scratch`.
std::string_view url_decoded(std::string_view in, std::string& scratch, bool plus_is_space = true);
// How the profile file writes names, paths and values: printable ASCII as is, every other
// byte and '%' as %XX (so Latin-1 and binary values survive JSON); undone by
// url_decode_once(in, out, false).
std::string profile_escape(std::string_view in);

template <class F>
void for_each_parameter(std::string_view query, std::string& name, std::string& value, F&& f) {
  std::size_t pos = 0;
  while (pos <= query.size()) {
    auto amp = query.find('&', pos);
    std::string_view pair = query.substr(pos, amp == std::string_view::npos ? std::string_view::npos : amp - pos);
    pos = amp == std::string_view::npos ? query.size() + 1 : amp + 1;
    if (pair.empty()) continue;
    auto eq = pair.find('=');
    std::string_view n = url_decoded(pair.substr(0, eq), name);
    std::string_view v = eq == std::string_view::npos ? std::string_view{} : url_decoded(pair.substr(eq + 1), value);
    f(n, v, eq != std::string_view::npos);
  }
}

}  // namespace vigil::logs
