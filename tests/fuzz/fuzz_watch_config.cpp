// Fuzz target: the watch.yaml loader. Any bytes give a config or a list of errors, each with
// a position inside the text - never a crash, an exception or an error without a message.
#include <fstream>
#include <sstream>
#include <string_view>

#include "fuzz.hpp"
#include "watch/config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto c = vigil::watch::parse_config(text, "fuzz.yaml");
  if (c) return 0;
  if (c.error().empty()) __builtin_trap();
  for (const auto& e : c.error())
    if (e.message.empty() || e.mark.line < 0 || e.mark.column < 0) __builtin_trap();
  return 0;
}

std::vector<std::string> fuzz_seeds() {
  std::ifstream in(std::string(VIGIL_SOURCE_DIR) + "/packaging/watch.yaml");
  std::stringstream example;
  example << in.rdbuf();
  return {example.str(),
          "sources:\n  logs: [/var/log/auth.log, journal]\nsinks:\n  - type: syslog\n    transport: tcp\n"
          "    address: '[::1]:514'\n    min_severity: high\nlimits: {rss: 50MB, cpu: 5%}\n",
          "rules:\n  disable: [logs.web-xss]\n  flush: 250ms\n", "sinks: [{type: jsonl, keep: 101}]\n"};
}
