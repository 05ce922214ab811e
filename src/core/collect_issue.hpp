// "Couldn't read" is not "nothing found": what a collector could not read.
#pragma once

#include <string>
#include <vector>

#include "core/finding.hpp"
#include "core/io_error.hpp"

namespace vigil {

struct CollectIssue {
  std::string collector;  // processes, sockets, users, …
  std::string path;       // what could not be read (file, or file:line)
  std::string detail;     // why
};

class IssueLog {
 public:
  void add(std::string collector, std::string path, std::string detail) {
    issues_.push_back({std::move(collector), std::move(path), std::move(detail)});
  }
  void add(std::string collector, const IoError& e) { add(std::move(collector), e.path, e.reason()); }
  const std::vector<CollectIssue>& issues() const { return issues_; }
  std::vector<CollectIssue>& issues() { return issues_; }

 private:
  std::vector<CollectIssue> issues_;
};

// The issues as collector.partial findings, one per collector and reason (300 unreadable
// files are one finding with a count and examples, not 300). Each finding's source is
// `source_prefix` + the collector's name.
Findings partial_findings(const std::vector<CollectIssue>& issues, std::string_view source_prefix);

}  // namespace vigil
