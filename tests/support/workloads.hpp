// The shared benchmark workloads (../shared/workloads), generated once per machine and kept
// in /tmp, since several tests read the same million lines. Generation is deterministic.
#pragma once

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace vigil::testing {

inline const std::string kSharedDir = std::string(VIGIL_SOURCE_DIR) + "/../shared";

// The path of `script` run with `--lines N` and `outputs` (option → file name), made on first
// use; "" when ../shared/workloads or python3 is absent. Returns the directory holding them.
inline std::string workload(const std::string& script, long lines, const std::vector<std::pair<std::string, std::string>>& outputs) {
  namespace fs = std::filesystem;
  std::string gen = kSharedDir + "/workloads/" + script;
  if (!fs::exists(gen) || std::system("command -v python3 >/dev/null 2>&1") != 0) return {};
  std::string dir = "/tmp/vigil-test-workloads/" + script + "-" + std::to_string(lines);
  if (fs::exists(dir + "/complete")) return dir;
  std::string tmp = dir + ".tmp." + std::to_string(::getpid());
  fs::create_directories(tmp);
  std::string cmd = "python3 " + gen + " --lines " + std::to_string(lines);
  for (const auto& [option, name] : outputs) cmd += " " + option + " " + tmp + "/" + name;
  if (std::system((cmd + " >/dev/null").c_str()) != 0) return {};
  std::ofstream(tmp + "/complete") << "ok\n";
  std::error_code ec;
  fs::rename(tmp, dir, ec);  // another test may have won the race: its copy is the same
  if (ec) fs::remove_all(tmp, ec);
  return dir;
}

}  // namespace vigil::testing
