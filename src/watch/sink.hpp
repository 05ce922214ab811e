// The JSONL file sink: each finding as the ECS object of --format jsonl, appended and synced
// before the state that says it was written.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/expected.hpp"
#include "core/unique_fd.hpp"

namespace vigil::watch {

// What makes a written finding the same one again after a replay: its fingerprint and, for
// windowed detections, when the window began (event.start).
std::string finding_key(const nlohmann::json& ecs);

class JsonlFileSink {
 public:
  static expected<JsonlFileSink, std::string> open(const std::string& path);
  // Keys of the findings in the file's last `tail_bytes`: written just before a crash that came
  // before the state recorded them.
  std::vector<std::string> recent_keys(std::size_t tail_bytes = std::size_t{1} << 20) const;
  // Appends each object as one line and syncs.
  expected<void, std::string> write(const std::vector<nlohmann::json>& objects);
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  UniqueFd fd_;
};

}  // namespace vigil::watch
