// The decision for one file the kernel is about to run: is it on the allowlist, under its
// real path, with the recorded size and SHA-256? Verdicts are remembered per file version
// (device, inode, size, mtime, ctime), so a program run again costs a stat and a lookup;
// any write or chmod changes ctime and makes the file judged afresh. A hard link of an
// allowed file is the same file and is allowed.
#pragma once

#include <sys/stat.h>

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>

#include "allow/allowlist.hpp"

namespace vigil::allow {

struct Judgement {
  bool allowed = false;
  bool changed = false;   // on the list under this path with other content
  bool cached = false;    // from an earlier decision
  std::string path;       // as the kernel names the file ("… (deleted)" stripped)
  bool deleted = false;
  std::string sha256;     // when it was hashed
  dev_t dev = 0;
  ino_t ino = 0;
};

class ExecJudge {
 public:
  explicit ExecJudge(const Allowlist& list);
  ~ExecJudge();
  // fd is open on the file (read-only); it is read from offset 0 with pread when hashed.
  Judgement judge(int fd);
  std::size_t cache_size() const { return cache_.size(); }

 private:
  struct Key {
    dev_t dev;
    ino_t ino;
    std::int64_t size, mtime, ctime;
    bool operator==(const Key&) const = default;
  };
  struct KeyHash {
    std::size_t operator()(const Key& k) const {
      return std::hash<std::uint64_t>()(k.ino * 1000003u ^ k.dev ^ static_cast<std::uint64_t>(k.ctime) * 31u);
    }
  };
  // SHA-256 of the whole file from offset 0; empty when it cannot be read.
  std::string sha256(int fd);

  const Allowlist& list_;
  std::unordered_map<Key, Judgement, KeyHash> cache_;
  std::unique_ptr<unsigned char[]> buf_;  // one read buffer for every decision
  void* ctx_ = nullptr;                   // EVP_MD_CTX, reused
};

// The path /proc/self/fd/FD names, with " (deleted)" stripped and reported.
std::string fd_path(int fd, bool* deleted = nullptr);

}  // namespace vigil::allow
