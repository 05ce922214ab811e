// vigil logs learn: a web profile from logs of normal traffic. Reads inputs as `logs scan`
// does (directories, rotated sets oldest first, .gz, stdin) and gives every web request to a
// ProfileLearner; other lines are counted and left.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "logs/line_cutter.hpp"
#include "logs/rules.hpp"
#include "logs/web_profile.hpp"

namespace vigil::logs {

struct LearnOptions {
  std::vector<std::string> paths;
  ReadLimits limits;
  ProfileSettings settings;
  // Requests these rules match (at level low or above) are attacks, not normal traffic, and
  // are not learned: signatures clean the training logs. None: every request is learned.
  const LogRules* rules = nullptr;
};

struct LearnResult {
  WebProfile profile;
  std::uint64_t lines = 0, requests = 0, other_events = 0, unparsed = 0;
  std::uint64_t attacks = 0;          // requests a signature matched, not learned
  std::vector<std::string> errors;    // inputs that do not exist or could not be read
  std::vector<std::string> messages;  // "FILE: line 12: …" cut lines, binary data
};

LearnResult learn_profile(const LearnOptions& o);

}  // namespace vigil::logs
