// In-memory snapshots for detector tests: rows written by hand, no system read.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "collect/snapshot.hpp"
#include "core/finding.hpp"

namespace vigil::testing {

// A package database that answers "dpkg" and owns nothing; rows carry ownership themselves.
class FakePackageDb final : public collect::PackageDb {
 public:
  std::string_view format() const override { return "dpkg"; }
  std::size_t package_count() const override { return 1; }
  collect::PathMap owners(std::span<const std::string>, IssueLog&) const override { return {}; }
  collect::PathMap files_with_md5(std::span<const std::string>, IssueLog&) const override { return {}; }
  std::vector<collect::PackagedFile> checksums(const std::function<bool(std::string_view)>&,
                                               IssueLog&) const override {
    return {};
  }
  std::vector<collect::PackageRow> installed(IssueLog&) const override { return {}; }
};

inline collect::Snapshot empty_snapshot() {
  collect::Snapshot s;
  s.host.hostname = "test";
  s.host.collected_at = 1700000000;
  s.packages = std::make_shared<FakePackageDb>();
  return s;
}

inline collect::ProcessRow process(std::int64_t pid, std::string exe, std::vector<std::string> argv,
                                   std::string package = "", std::int64_t ppid = 1) {
  collect::ProcessRow p;
  p.pid = pid;
  p.ppid = ppid;
  p.executable = std::move(exe);
  p.argv = std::move(argv);
  p.name = p.argv.empty() ? "" : p.argv[0].substr(p.argv[0].rfind('/') + 1).substr(0, 15);
  for (std::size_t i = 0; i < p.argv.size(); ++i) p.cmdline += (i ? " " : "") + p.argv[i];
  p.package = std::move(package);
  p.uid = 0;
  p.user = "root";
  return p;
}

inline collect::SocketRow socket(std::string proto, std::string state, std::string local,
                                 std::int64_t lport, std::int64_t pid, std::int64_t fd = 3,
                                 std::string remote = "0.0.0.0", std::int64_t rport = 0) {
  collect::SocketRow s;
  s.protocol = std::move(proto);
  s.state = std::move(state);
  s.local_address = std::move(local);
  s.local_port = lport;
  s.remote_address = std::move(remote);
  s.remote_port = rport;
  s.pid = pid;
  s.owners = 1;
  s.holders = {{pid, fd}};
  return s;
}

// Pointers into `f`: keep the findings alive while they are used.
inline std::vector<const Finding*> with_rule(const Findings& f, std::string_view rule) {
  std::vector<const Finding*> out;
  for (const auto& x : f)
    if (x.rule == rule) out.push_back(&x);
  return out;
}

}  // namespace vigil::testing

namespace vigil::testing {
std::vector<const Finding*> with_rule(Findings&& f,
                                      std::string_view rule) = delete;  // would dangle

inline std::size_t count_rule(const Findings& f, std::string_view rule) {
  return with_rule(f, rule).size();
}
// A copy of the first finding with this rule; an empty Finding when there is none.
inline Finding first_with_rule(const Findings& f, std::string_view rule) {
  auto w = with_rule(f, rule);
  return w.empty() ? Finding{} : *w.front();
}
}  // namespace vigil::testing
