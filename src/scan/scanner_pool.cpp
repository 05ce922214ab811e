#include "scan/scanner_pool.hpp"

namespace vigil::scan {

int collect_matches(YR_SCAN_CONTEXT* ctx, int message, void* data, void* user) {
  if (message != CALLBACK_MSG_RULE_MATCHING) return CALLBACK_CONTINUE;
  auto* rule = static_cast<YR_RULE*>(data);
  YaraMatch m;
  m.rule = rule->identifier;
  m.ns = rule->ns && rule->ns->name ? rule->ns->name : "";
  const YR_META* meta;
  yr_rule_metas_foreach(rule, meta) {
    std::string value = meta->type == META_TYPE_STRING    ? std::string(meta->string ? meta->string : "")
                        : meta->type == META_TYPE_BOOLEAN ? std::string(meta->integer ? "true" : "false")
                                                          : std::to_string(meta->integer);
    m.meta.emplace_back(meta->identifier ? meta->identifier : "", std::move(value));
  }
  const YR_STRING* string;
  yr_rule_strings_foreach(rule, string) {
    const YR_MATCH* match;
    yr_string_matches_foreach(ctx, string, match) {
      ++m.string_matches;
      if (m.strings.size() < kStringsKept)
        m.strings.emplace_back(string->identifier ? string->identifier : "", static_cast<std::uint64_t>(match->base + match->offset));
    }
  }
  static_cast<MatchCollector*>(user)->matches.push_back(std::move(m));
  return CALLBACK_CONTINUE;
}

}  // namespace vigil::scan
