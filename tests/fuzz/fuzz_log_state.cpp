// The log engine's saved state (CBOR from the daemon's state directory, which a crash or a
// full disk can leave truncated): restore() must refuse garbage cleanly, never crash.
#include <string>
#include <string_view>

#include "core/host_files.hpp"
#include "fuzz.hpp"
#include "logs/engine.hpp"

namespace {

const vigil::logs::LogRules& rules() {
  static const vigil::logs::LogRules r = vigil::logs::load_log_rules({vigil::default_rules_dir() + "/logs/auth"});
  return r;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  vigil::logs::LogEngine engine(rules());
  if (engine.restore(std::string_view(reinterpret_cast<const char*>(data), size))) {
    engine.flush(1700000000);
    (void)engine.save();
    (void)engine.finish();
  }
  return 0;
}

std::vector<std::string> fuzz_seeds() {
  vigil::logs::LogEngine engine(rules());
  vigil::logs::SourceCursor cursor;
  cursor.year = {2024, 12};
  cursor.detect("Nov 17 10:00:00 h sshd[9]: x\n");
  for (int i = 0; i < 6; ++i)
    engine.feed(cursor, "Nov 17 10:00:0" + std::to_string(i) + " h sshd[9]: Failed password for root from 203.0.113." +
                            std::to_string(i % 2) + " port 4 ssh2",
                "auth.log");
  engine.feed(cursor, "Nov 17 10:01:00 h sshd[9]: Accepted password for alice from 10.0.0.1 port 4 ssh2", "auth.log");
  engine.feed(cursor, "Nov 17 10:02:00 h sshd[9]: Accepted password for alice from 8.8.8.8 port 4 ssh2", "auth.log");
  return {engine.save(), std::string(), std::string("\xa0", 1)};
}
