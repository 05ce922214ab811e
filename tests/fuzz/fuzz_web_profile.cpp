// Fuzz target: the web profile file loader, and judging a request with whatever it loaded.
#include <string_view>

#include "fuzz.hpp"
#include "logs/web_profile.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view s(reinterpret_cast<const char*>(data), size);
  auto p = vigil::logs::parse_profile(s);
  if (p) {
    vigil::logs::Event e;
    e.family = vigil::logs::LogFamily::web;
    e.set(vigil::logs::Field::url_path, "/a.php");
    e.set(vigil::logs::Field::url_query, "n=1%3B&x=%E9&&=&n");
    std::vector<vigil::logs::ProfileAnomaly> out;
    p->judge(e, out);
    (void)vigil::logs::profile_json(*p);
  }
  return 0;
}

std::vector<std::string> fuzz_seeds() {
  return {R"({"format":"vigil-web-profile","version":1,"extensions":["php",""],"open_directories":["/img/"],)"
          R"("models":{"unknown-path":{"enabled":false,"holdout_rate":0.2}},)"
          R"("paths":{"/a.php":{"requests":9,"parameters":{"n":{"seen":9,"required":true,"max_length":4,)"
          R"("chars":"digit -.","values":["1","2%E9"]}}}}})",
          R"({"format":"vigil-web-profile","version":1,"settings":{"min_support":3,"length_p":0.5}})"};
}
