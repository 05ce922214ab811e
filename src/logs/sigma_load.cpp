// Reading Sigma YAML into vigil's rule model.
#include <arpa/inet.h>
#include <fmt/format.h>
#include <hs/hs.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "core/rule_files.hpp"
#include "core/text.hpp"
#include "core/yaml_error.hpp"
#include "logs/sigma_rule.hpp"

namespace vigil::logs::sigma {

namespace {

struct RuleError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

std::string scalar(const YAML::Node& n) { return n && n.IsScalar() ? n.as<std::string>() : std::string{}; }

std::vector<std::string> string_list(const YAML::Node& n) {
  std::vector<std::string> out;
  if (!n) return out;
  if (n.IsScalar()) out.push_back(n.as<std::string>());
  if (n.IsSequence())
    for (const auto& v : n)
      if (v.IsScalar()) out.push_back(v.as<std::string>());
  return out;
}

Severity level_severity(const std::string& level) {
  if (level == "informational") return Severity::info;
  if (auto s = parse_severity(level)) return *s;
  throw RuleError("unknown level '" + level + "'");
}

void read_meta(const YAML::Node& doc, const std::string& file, RuleMeta& m) {
  m.file = file;
  m.title = scalar(doc["title"]);
  m.id = scalar(doc["id"]);
  m.name = scalar(doc["name"]);
  m.status = scalar(doc["status"]);
  m.description = scalar(doc["description"]);
  m.author = scalar(doc["author"]);
  m.references = string_list(doc["references"]);
  m.falsepositives = string_list(doc["falsepositives"]);
  m.remedy = scalar(doc["remedy"]);
  m.absorbed_by = string_list(doc["absorbed_by"]);
  if (const auto& by = doc["severity_by_failures"]) {
    if (!by.IsMap()) throw RuleError("severity_by_failures: expected level: count");
    for (const auto& kv : by) {
      auto count = to_number<std::uint64_t>(scalar(kv.second));
      if (!count) throw RuleError("severity_by_failures: " + scalar(kv.first) + ": expected a count");
      m.severity_by_failures.emplace_back(*count, level_severity(ascii_lower(scalar(kv.first))));
    }
  }
  if (doc["level"]) m.level = ascii_lower(scalar(doc["level"]));
  m.severity = level_severity(m.level);
  for (const auto& tag : string_list(doc["tags"])) {
    std::string t = ascii_lower(tag);
    if (t.rfind("attack.t", 0) == 0) {
      std::string id = tag.substr(7);
      for (auto& c : id) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      m.attack.push_back(id);
    }
  }
  if (m.title.empty()) throw RuleError("no title");
}

// Which events a logsource covers.
LogSource map_logsource(const YAML::Node& ls) {
  std::string product = ascii_lower(scalar(ls["product"])), category = ascii_lower(scalar(ls["category"])),
              service = ascii_lower(scalar(ls["service"]));
  LogSource out;
  if (category == "webserver" && (product.empty() || product == "apache" || product == "nginx" || product == "iis")) {
    out.family = LogFamily::web;
    return out;
  }
  if (category.empty() && (service == "apache" || service == "nginx" || service == "iis" ||
                           ((product == "apache" || product == "nginx") && service.empty()))) {
    out.family = LogFamily::web;
    return out;
  }
  if (product == "linux" && category.empty()) {
    out.family = LogFamily::linux_system;
    if (service.empty() || service == "syslog") return out;
    if (service == "sshd") out.programs = {"sshd", "sshd-session"};
    else if (service == "cron") out.programs = {"cron", "CRON", "crond", "crontab"};
    else if (service == "sudo") out.programs = {"sudo"};
    else if (service == "su") out.programs = {"su"};
    else if (service == "auth")
      out.programs = {"sshd", "sshd-session", "sudo", "su", "login", "useradd", "groupadd", "usermod", "userdel",
                      "passwd", "chpasswd", "gpasswd", "adduser", "systemd-logind", "polkitd"};
    else if (service == "clamav") out.programs = {"clamd", "freshclam", "clamav", "clamav-daemon", "clamdscan", "clamscan"};
    else if (service == "vsftpd") out.programs = {"vsftpd"};
    else if (service == "guacamole") out.programs = {"guacd", "guacamole", "tomcat9", "catalina"};
    else throw RuleError("logsource service '" + service + "' is not one vigil logs reads");
    return out;
  }
  std::string what = fmt::format("product={} category={} service={}", product.empty() ? "-" : product,
                                 category.empty() ? "-" : category, service.empty() ? "-" : service);
  // Process events: vigil watch feeds them from the kernel (BPF or the proc connector).
  if (product == "linux" && category == "process_creation" && service.empty()) {
    out.family = LogFamily::process_creation;
    return out;
  }
  if (product == "linux" && category == "network_connection" && service.empty()) {
    out.family = LogFamily::network_connection;
    return out;
  }
  if (product == "linux" && (category == "file_event" || service == "auditd"))
    throw RuleError("logsource " + what + " needs auditd or EDR telemetry, which vigil does not read");
  throw RuleError("logsource " + what + " is not supported (vigil logs reads linux system logs and web server logs)");
}

std::optional<Field> map_field(const std::string& name, LogFamily family) {
  if (auto f = field_by_name(name)) return f;
  std::string n = ascii_lower(name);
  struct Alias {
    std::string_view name;
    Field field;
  };
  static constexpr Alias web[] = {
      {"cs-method", Field::http_method},       {"c-uri", Field::url_original},
      {"cs-uri", Field::url_original},         {"cs-uri-query", Field::url_original},
      {"cs-uri-stem", Field::url_path},        {"c-uri-query", Field::url_query},
      {"c-uri-stem", Field::url_path},         {"sc-status", Field::http_status},
      {"cs-user-agent", Field::user_agent},    {"c-useragent", Field::user_agent},
      {"cs-referer", Field::http_referrer},    {"cs-referrer", Field::http_referrer},
      {"c-ip", Field::source_ip},              {"src_ip", Field::source_ip},
      {"clientip", Field::source_ip},          {"cs-username", Field::user_name},
      {"cs-host", Field::url_domain},          {"cs-version", Field::http_version},
      {"s-ip", Field::destination_ip},         {"dst_ip", Field::destination_ip},
      {"s-port", Field::destination_port},     {"sc-bytes", Field::http_bytes},
  };
  static constexpr Alias linux_sys[] = {
      {"message", Field::message},   {"msg", Field::message},   {"program", Field::process_name},
      {"processname", Field::process_name}, {"pid", Field::process_pid}, {"host", Field::host_hostname},
      {"user", Field::user_name},    {"src_ip", Field::source_ip}, {"command", Field::command_line},
  };
  // The Sysmon for Linux names SigmaHQ's process rules use, for what vigil knows of an event;
  // the others (LogonId, OriginalFileName, DestinationHostname, …) make a rule a load problem.
  static constexpr Alias process[] = {
      {"image", Field::process_executable},
      {"commandline", Field::command_line},
      {"parentimage", Field::process_parent_executable},
      {"parentcommandline", Field::process_parent_command_line},
      {"user", Field::user_name},
      {"currentdirectory", Field::process_working_directory},
      {"processid", Field::process_pid},
  };
  static constexpr Alias connection[] = {
      {"image", Field::process_executable},  {"commandline", Field::command_line},
      {"user", Field::user_name},            {"processid", Field::process_pid},
      {"destinationip", Field::destination_ip}, {"destinationport", Field::destination_port},
      {"initiated", Field::network_initiated}, {"sourceip", Field::source_ip},
      {"sourceport", Field::source_port},
  };
  if (family == LogFamily::process_creation) {
    for (const auto& a : process)
      if (a.name == n) return a.field;
  } else if (family == LogFamily::network_connection) {
    for (const auto& a : connection)
      if (a.name == n) return a.field;
  } else if (family == LogFamily::web) {
    for (const auto& a : web)
      if (a.name == n) return a.field;
  } else {
    for (const auto& a : linux_sys)
      if (a.name == n) return a.field;
  }
  return std::nullopt;
}

std::string regex_escape_byte(unsigned char c) {
  if (std::isalnum(c) || c == '_' || c == ' ' || c == '-' || c == ',' || c == ':' || c == ';' || c == '=' ||
      c == '<' || c == '>' || c == '\'' || c == '"' || c == '%' || c == '@' || c == '&' || c == '!' || c == '~' ||
      c == '`' || c == '#')
    return std::string(1, static_cast<char>(c));
  return fmt::format("\\x{:02x}", c);
}

std::vector<std::string> windash_variants(const std::string& v) {
  static const std::string dashes[] = {"-", "/", "\xE2\x80\x93", "\xE2\x80\x94", "\xE2\x80\x95"};
  std::vector<std::string> out;
  for (const auto& d : dashes) {
    std::string s;
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (v[i] == '-' && (i == 0 || v[i - 1] == ' ')) s += d;
      else s += v[i];
    }
    if (std::find(out.begin(), out.end(), s) == out.end()) out.push_back(s);
  }
  return out;
}

std::vector<std::string> base64offset_variants(const std::string& v) {
  static constexpr int start[] = {0, 2, 3};
  static constexpr int end[] = {0, -3, -2};
  std::vector<std::string> out;
  for (int i = 0; i < 3; ++i) {
    std::string enc = base64(std::string(static_cast<std::size_t>(i), ' ') + v);
    int e = end[(v.size() + static_cast<std::size_t>(i)) % 3];
    std::size_t stop = e == 0 ? enc.size() : enc.size() - static_cast<std::size_t>(-e);
    out.push_back(enc.substr(static_cast<std::size_t>(start[i]), stop - static_cast<std::size_t>(start[i])));
  }
  return out;
}

// The value as UTF-16 (Windows' "wide" strings), before any base64: little-endian, big-endian,
// or little-endian after a byte-order mark (Sigma's utf16).
enum class Wide : std::uint8_t { none, le, be, le_bom };

std::string utf16(std::string_view utf8, Wide w) {
  std::string out = w == Wide::le_bom ? std::string("\xff\xfe", 2) : std::string();
  auto unit = [&](std::uint32_t u) {
    char lo = static_cast<char>(u & 0xff), hi = static_cast<char>(u >> 8);
    if (w == Wide::be) out += hi, out += lo;
    else out += lo, out += hi;
  };
  for (std::size_t i = 0; i < utf8.size();) {
    auto c = static_cast<unsigned char>(utf8[i]);
    std::uint32_t cp = c;
    std::size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
    if (len > 1 && i + len <= utf8.size()) {
      cp = c & (0x7f >> len);
      for (std::size_t k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(utf8[i + k]) & 0x3f);
    } else {
      len = 1;  // not UTF-8: the byte as its Latin-1 character
    }
    i += len;
    if (cp >= 0x10000) {
      cp -= 0x10000;
      unit(0xd800 | (cp >> 10));
      unit(0xdc00 | (cp & 0x3ff));
    } else {
      unit(cp);
    }
  }
  return out;
}

struct Modifiers {
  bool contains = false, startswith = false, endswith = false, all = false, re = false, cased = false;
  bool base64 = false, base64offset = false, windash = false, exists = false, cidr = false, fieldref = false;
  Wide wide = Wide::none;
  bool re_i = false, re_m = false, re_s = false;
  std::optional<Op> compare;
};

Modifiers parse_modifiers(const std::vector<std::string>& mods) {
  Modifiers m;
  for (const auto& raw : mods) {
    std::string mod = ascii_lower(raw);
    if (mod == "contains") m.contains = true;
    else if (mod == "startswith") m.startswith = true;
    else if (mod == "endswith") m.endswith = true;
    else if (mod == "all") m.all = true;
    else if (mod == "re") m.re = true;
    else if (mod == "i" && m.re) m.re_i = true;
    else if (mod == "m" && m.re) m.re_m = true;
    else if (mod == "s" && m.re) m.re_s = true;
    else if (mod == "cased") m.cased = true;
    else if (mod == "base64") m.base64 = true;
    else if (mod == "base64offset") m.base64offset = true;
    else if (mod == "windash") m.windash = true;
    else if (mod == "exists") m.exists = true;
    else if (mod == "cidr") m.cidr = true;
    else if (mod == "fieldref") m.fieldref = true;
    else if (mod == "wide" || mod == "utf16le") m.wide = Wide::le;
    else if (mod == "utf16be") m.wide = Wide::be;
    else if (mod == "utf16") m.wide = Wide::le_bom;
    else if (mod == "lt") m.compare = Op::lt;
    else if (mod == "lte") m.compare = Op::lte;
    else if (mod == "gt") m.compare = Op::gt;
    else if (mod == "gte") m.compare = Op::gte;
    else throw RuleError("modifier '" + raw + "' is not supported");
  }
  return m;
}

void check_expression(const std::string& regex, unsigned flags) {
  hs_expr_info_t* info = nullptr;
  hs_compile_error_t* err = nullptr;
  if (hs_expression_info(regex.c_str(), flags, &info, &err) != HS_SUCCESS) {
    std::string why = err ? err->message : "invalid";
    hs_free_compile_error(err);
    throw RuleError("regular expression '" + regex + "' cannot be matched without backtracking: " + why);
  }
  std::free(info);
}

class RuleBuilder {
 public:
  RuleBuilder(Rule& rule) : rule_(rule) {}

  // One "field|mods: value(s)" entry (field empty for keywords).
  FieldTest field_test(const std::string& key, const YAML::Node& values) {
    std::vector<std::string> parts;
    std::stringstream ss(key);
    std::string part;
    while (std::getline(ss, part, '|')) parts.push_back(part);
    if (!key.empty() && key.back() == '|') throw RuleError("empty modifier in '" + key + "'");
    std::string field_name = parts.empty() ? std::string{} : parts[0];
    Modifiers mods = parse_modifiers(std::vector<std::string>(parts.begin() + (parts.empty() ? 0 : 1), parts.end()));
    std::optional<Field> field;
    if (!field_name.empty()) {
      field = map_field(field_name, rule_.source.family);
      if (!field) throw RuleError("field '" + field_name + "' is not in " + std::string(family_label(rule_.source.family)));
    }
    FieldTest test;
    test.all = mods.all;
    std::vector<YAML::Node> list;
    if (values.IsSequence())
      for (const auto& v : values) list.push_back(v);
    else
      list.push_back(values);
    if (list.empty()) throw RuleError("'" + key + "' has an empty list of values");
    for (const auto& v : list) add_value(field, mods, v, test);
    return test;
  }

 private:
  int push(Matcher m) {
    rule_.matchers.push_back(std::move(m));
    return static_cast<int>(rule_.matchers.size()) - 1;
  }

  void add_value(std::optional<Field> field, const Modifiers& mods, const YAML::Node& v, FieldTest& test) {
    if (v.IsMap() || v.IsSequence()) throw RuleError("nested values are not supported");
    Matcher m;
    m.field = field;
    if (mods.exists) {
      std::string b = ascii_lower(scalar(v));
      if (!field) throw RuleError("|exists needs a field");
      m.op = (b == "true" || b == "yes") ? Op::exists : Op::missing;
      test.matchers.push_back(push(m));
      return;
    }
    if (v.IsNull() || (v.IsScalar() && v.as<std::string>().empty())) {
      if (!field) throw RuleError("a null keyword");
      m.op = Op::missing;
      test.matchers.push_back(push(m));
      return;
    }
    std::string value = v.as<std::string>();
    if (mods.compare) {
      if (!field) throw RuleError("a comparison needs a field");
      m.op = *mods.compare;
      char* end = nullptr;
      m.number = std::strtod(value.c_str(), &end);
      if (end == value.c_str()) throw RuleError("'" + value + "' is not a number");
      test.matchers.push_back(push(m));
      return;
    }
    if (mods.fieldref) {
      if (!field) throw RuleError("|fieldref needs a field");
      auto other = map_field(value, rule_.source.family);
      if (!other) throw RuleError("|fieldref: field '" + value + "' is not in " + std::string(family_label(rule_.source.family)));
      m.op = Op::fieldref;
      m.other = other;
      test.matchers.push_back(push(m));
      return;
    }
    if (mods.cidr) {
      if (!field) throw RuleError("|cidr needs a field");
      m.op = Op::cidr;
      auto net = Cidr::parse(value);
      if (!net) throw RuleError("'" + value + "' is not a network");
      m.net = *net;
      test.matchers.push_back(push(m));
      return;
    }
    if (mods.re) {
      m.regex = value;
      m.hs_flags = HS_FLAG_SINGLEMATCH | HS_FLAG_ALLOWEMPTY | (mods.re_i ? HS_FLAG_CASELESS : 0u) |
                   (mods.re_m ? HS_FLAG_MULTILINE : 0u) | (mods.re_s ? HS_FLAG_DOTALL : 0u);
      check_expression(m.regex, m.hs_flags);
      test.matchers.push_back(push(m));
      return;
    }
    std::vector<std::string> variants = mods.windash ? windash_variants(value) : std::vector<std::string>{value};
    if (mods.wide != Wide::none)
      for (auto& var : variants) var = utf16(var, mods.wide);
    std::vector<std::string> bodies;
    // Encoded values are bytes: matched exactly, no wildcards, case as written.
    bool encoded = mods.base64 || mods.base64offset || mods.wide != Wide::none;
    for (const auto& var : variants) {
      if (mods.base64offset)
        for (auto& b : base64offset_variants(var)) bodies.push_back(b);
      else if (mods.base64)
        bodies.push_back(base64(var));
      else
        bodies.push_back(var);
    }
    // A value that is several variants is still one value: any variant matches it.
    std::string alternation;
    for (const auto& body : bodies) {
      std::string rx;
      if (encoded)
        for (unsigned char c : body) rx += regex_escape_byte(c);
      else
        rx = wildcard_regex(body);
      if (!alternation.empty()) alternation += '|';
      alternation += "(?:" + rx + ")";
    }
    bool keyword = !field;
    bool contains = mods.contains || keyword;
    std::string rx = bodies.size() == 1 ? alternation.substr(3, alternation.size() - 4) : alternation;
    if (bodies.size() > 1) rx = "(?:" + rx + ")";
    if (!contains && !mods.startswith) rx += "$";  // equality and endswith are anchored at the end
    if (!contains && !mods.endswith) rx = "^" + rx;  // equality and startswith at the start
    m.regex = rx;
    m.hs_flags = HS_FLAG_SINGLEMATCH | HS_FLAG_DOTALL | HS_FLAG_ALLOWEMPTY |
                 ((mods.cased || encoded) ? 0u : HS_FLAG_CASELESS);
    check_expression(m.regex, m.hs_flags);
    test.matchers.push_back(push(m));
  }

  Rule& rule_;
};

Conjunction parse_map(RuleBuilder& b, const YAML::Node& map) {
  Conjunction c;
  for (const auto& kv : map) c.push_back(b.field_test(kv.first.as<std::string>(), kv.second));
  if (c.empty()) throw RuleError("an empty selection");
  return c;
}

Selection parse_selection(RuleBuilder& b, const YAML::Node& node) {
  Selection s;
  if (node.IsMap()) {
    s.any.push_back(parse_map(b, node));
  } else if (node.IsSequence()) {
    bool all_scalars = true;
    for (const auto& item : node)
      if (!item.IsScalar() && !item.IsNull()) all_scalars = false;
    if (all_scalars) {
      s.any.push_back({b.field_test("", node)});  // keywords: any of them
    } else {
      for (const auto& item : node) {
        if (!item.IsMap()) throw RuleError("a list mixing keywords and maps");
        s.any.push_back(parse_map(b, item));
      }
    }
  } else if (node.IsScalar()) {
    s.any.push_back({b.field_test("", node)});
  } else {
    throw RuleError("an empty selection");
  }
  return s;
}

void parse_detection_rule(const YAML::Node& doc, const std::string& file, RuleFiles& out) {
  Rule rule;
  read_meta(doc, file, rule.meta);
  if (!doc["logsource"] || !doc["logsource"].IsMap()) throw RuleError("no logsource");
  rule.source = map_logsource(doc["logsource"]);
  const YAML::Node det = doc["detection"];
  if (!det.IsMap()) throw RuleError("detection is not a map");
  RuleBuilder builder(rule);
  std::vector<std::string> conditions;
  for (const auto& kv : det) {
    std::string name = kv.first.as<std::string>();
    if (name == "condition") {
      conditions = string_list(kv.second);
      continue;
    }
    if (name == "timeframe") throw RuleError("timeframe aggregations are not supported (use a correlation rule)");
    rule.selection_names.push_back(name);
    rule.selections.push_back(parse_selection(builder, kv.second));
  }
  if (conditions.empty()) throw RuleError("no condition");
  if (conditions.size() == 1) {
    rule.condition = parse_condition(conditions[0], rule.selection_names);
  } else {
    rule.condition.kind = Node::Kind::any;
    for (const auto& c : conditions) rule.condition.children.push_back(parse_condition(c, rule.selection_names));
  }
  out.rules.push_back(std::move(rule));
}

std::int64_t parse_timespan(const std::string& s) {
  if (s.empty()) throw RuleError("correlation without a timespan");
  char unit = s.back();
  long long n = std::atoll(s.c_str());
  if (n <= 0) throw RuleError("bad timespan '" + s + "'");
  switch (unit) {
    case 's': return n;
    case 'm': return n * 60;
    case 'h': return n * 3600;
    case 'd': return n * 86400;
    case 'w': return n * 7 * 86400;
    default: throw RuleError("bad timespan '" + s + "'");
  }
}

void parse_correlation(const YAML::Node& doc, const std::string& file, RuleFiles& out) {
  Correlation c;
  read_meta(doc, file, c.meta);
  const YAML::Node cor = doc["correlation"];
  std::string type = ascii_lower(scalar(cor["type"]));
  if (type == "event_count") c.type = CorrelationType::event_count;
  else if (type == "value_count") c.type = CorrelationType::value_count;
  else if (type == "temporal") c.type = CorrelationType::temporal;
  else if (type == "temporal_ordered") c.type = CorrelationType::temporal_ordered;
  else throw RuleError("correlation type '" + type + "' is not supported");
  c.rules = string_list(cor["rules"]);
  if (c.rules.empty()) throw RuleError("correlation without rules");
  for (const auto& g : string_list(cor["group-by"])) {
    auto f = field_by_name(g);
    if (!f) f = map_field(g, LogFamily::web);
    if (!f) f = map_field(g, LogFamily::linux_system);
    if (!f) throw RuleError("group-by field '" + g + "' is not known");
    c.group_by.push_back(*f);
  }
  c.timespan = parse_timespan(scalar(cor["timespan"]) + (cor["timeframe"] ? scalar(cor["timeframe"]) : ""));
  if (cor["generate"]) c.generate = ascii_lower(scalar(cor["generate"])) == "true";
  const YAML::Node cond = cor["condition"];
  if (c.type == CorrelationType::event_count || c.type == CorrelationType::value_count) {
    if (!cond || !cond.IsMap()) throw RuleError("correlation without a condition");
    bool have = false;
    for (const auto& kv : cond) {
      std::string k = ascii_lower(kv.first.as<std::string>());
      if (k == "field") {
        auto f = field_by_name(scalar(kv.second));
        if (!f) f = map_field(scalar(kv.second), LogFamily::web);
        if (!f) throw RuleError("value_count field '" + scalar(kv.second) + "' is not known");
        c.field = f;
        continue;
      }
      using C = Threshold::Cmp;
      if (k == "gte") c.condition.cmp = C::gte;
      else if (k == "gt") c.condition.cmp = C::gt;
      else if (k == "lte") c.condition.cmp = C::lte;
      else if (k == "lt") c.condition.cmp = C::lt;
      else if (k == "eq") c.condition.cmp = C::eq;
      else throw RuleError("correlation condition '" + k + "' is not supported");
      c.condition.value = std::strtod(scalar(kv.second).c_str(), nullptr);
      have = true;
    }
    if (!have) throw RuleError("correlation condition without a threshold");
    if (c.type == CorrelationType::value_count && !c.field) throw RuleError("value_count without a field");
  }
  out.correlations.push_back(std::move(c));
}

}  // namespace

bool Threshold::met(double n) const {
  switch (cmp) {
    case Cmp::gte: return n >= value;
    case Cmp::gt: return n > value;
    case Cmp::lte: return n <= value;
    case Cmp::lt: return n < value;
    case Cmp::eq: return n == value;
  }
  return false;
}

std::string wildcard_regex(std::string_view value) {
  std::string rx;
  for (std::size_t i = 0; i < value.size(); ++i) {
    char c = value[i];
    if (c == '\\' && i + 1 < value.size() && (value[i + 1] == '*' || value[i + 1] == '?' || value[i + 1] == '\\')) {
      rx += regex_escape_byte(static_cast<unsigned char>(value[++i]));
    } else if (c == '*') {
      rx += ".*";
    } else if (c == '?') {
      rx += '.';
    } else {
      rx += regex_escape_byte(static_cast<unsigned char>(c));
    }
  }
  return rx;
}

std::string base64(std::string_view in) {
  static constexpr char table[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    unsigned v = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8) |
                 static_cast<unsigned char>(in[i + 2]);
    out += table[(v >> 18) & 63];
    out += table[(v >> 12) & 63];
    out += table[(v >> 6) & 63];
    out += table[v & 63];
  }
  if (i + 1 == in.size()) {
    unsigned v = static_cast<unsigned char>(in[i]) << 16;
    out += table[(v >> 18) & 63];
    out += table[(v >> 12) & 63];
    out += "==";
  } else if (i + 2 == in.size()) {
    unsigned v = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8);
    out += table[(v >> 18) & 63];
    out += table[(v >> 12) & 63];
    out += table[(v >> 6) & 63];
    out += '=';
  }
  return out;
}

void parse_rule_file(std::string_view text, const std::string& file, RuleFiles& out) {
  // Documents are split at their '---' lines and loaded one by one: yaml-cpp 0.7's LoadAll
  // loops forever on some malformed input (a lone ',').
  std::vector<std::pair<std::size_t, std::string>> pieces{{0, {}}};  // first line, text
  std::size_t line_no = 0, pos = 0;
  while (pos < text.size()) {
    auto nl = text.find('\n', pos);
    std::string_view line = text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    pos = nl == std::string_view::npos ? text.size() : nl + 1;
    if (line.substr(0, 3) == "---" && line.find_first_not_of(" \t\r", 3) == std::string_view::npos) {
      pieces.push_back({line_no + 1, {}});
    } else {
      pieces.back().second.append(line);
      pieces.back().second += '\n';
    }
    ++line_no;
  }
  std::vector<std::pair<std::size_t, YAML::Node>> docs;  // the file line each starts on, the document
  for (const auto& [first, piece] : pieces) {
    try {
      docs.emplace_back(first + 1, YAML::Load(piece));
    } catch (const YAML::Exception& e) {
      out.problems.push_back({file, "", yaml_error_text(e, first + 1)});
    }
  }
  for (const auto& [first_line, doc] : docs) {
    if (!doc || doc.IsNull()) continue;
    std::string title = doc.IsMap() ? scalar(doc["title"]) : std::string{};
    try {
      if (!doc.IsMap()) throw RuleError("not a YAML map");
      if (doc["correlation"]) parse_correlation(doc, file, out);
      else if (doc["detection"]) parse_detection_rule(doc, file, out);
      else if (doc["filter"]) throw RuleError("filter (meta) rules are not supported");
      else if (doc["action"]) throw RuleError("multi-document action: global/repeat rules are not supported");
      else throw RuleError("no detection and no correlation");
    } catch (const YAML::Exception& e) {
      out.problems.push_back({file, title, yaml_error_text(e, first_line)});
    } catch (const std::exception& e) {
      out.problems.push_back({file, title, e.what()});
    }
  }
}

RuleFiles load_rule_paths(const std::vector<std::string>& paths) {
  RuleFiles out;
  for_each_yaml_file(
      paths,
      [&](const std::string& path, const std::string& text) {
        ++out.files;
        parse_rule_file(text, path, out);
      },
      [&](const std::string& path, std::string_view message) { out.problems.push_back({path, "", std::string(message)}); });
  return out;
}

std::string finding_rule_id(const RuleMeta& m) {
  if (!m.finding_id.empty()) return m.finding_id;
  std::string n = !m.name.empty() ? m.name : !m.id.empty() ? m.id : m.title;
  if (n.rfind("vigil_", 0) == 0) n = n.substr(6);
  std::string out = "logs.";
  for (char c : n) {
    auto u = static_cast<unsigned char>(c);
    char k = std::isalnum(u) || c == '.' ? static_cast<char>(std::tolower(u)) : '-';
    if (k != '-' || (out.back() != '-' && out.back() != '.')) out += k;
  }
  while (out.size() > 5 && out.back() == '-') out.pop_back();
  return out.size() > 5 ? out : "logs.unnamed-rule";
}

void describe_rule(Finding& f, const RuleMeta& m) {
  f.rule = finding_rule_id(m);
  f.severity = m.severity;
  f.title = m.title;
  f.attack = m.attack;
  if (!m.id.empty()) f.add("rule.uuid", m.id);
  if (!m.author.empty()) f.add("rule.author", m.author);
  if (!m.references.empty()) f.add("rule.reference", m.references.front());
  f.add("rule.ruleset", m.file);
}

}  // namespace vigil::logs::sigma
