// One file system entry as a fim baseline records it.
#pragma once

#include <cstdint>
#include <string>
#include <tuple>

#include "core/table.hpp"

namespace vigil::fim {

struct FimEntry {
  std::string path;
  std::string type;  // file, dir, symlink, fifo, socket, char, block
  std::int64_t mode = 0, uid = 0, gid = 0, size = 0, inode = 0, links = 0, mtime = 0, ctime = 0;
  std::string target, xattrs, caps, acl, sha256, sha512, blake2b;
  std::int64_t attrs = 0;  // the attributes the policy asked for (fim::Attrs)
  std::string error;       // why content or attributes could not be read; "" when all were

  static constexpr std::string_view kTable = "fim_entries";
  static constexpr std::array<Column, 19> kColumns{{
      {"path", "the path inside the root"},
      {"type", "file, dir, symlink, fifo, socket, char or block"},
      {"mode", "st_mode (type and permission bits)"},
      {"uid", "owner"},
      {"gid", "group"},
      {"size", "size in bytes"},
      {"inode", "inode number"},
      {"links", "hard link count"},
      {"mtime", "modification time, nanoseconds since the epoch"},
      {"ctime", "inode change time, nanoseconds since the epoch (touch -r cannot set it)"},
      {"target", "symlink target"},
      {"xattrs", "extended attributes (name=hex value;…) other than ACLs and capabilities"},
      {"caps", "file capabilities, as cap_to_text writes them"},
      {"acl", "POSIX ACL (access, and default for directories), as text"},
      {"sha256", "SHA-256 of the content"},
      {"sha512", "SHA-512 of the content"},
      {"blake2b", "BLAKE2b-512 of the content"},
      {"attrs", "the attributes the policy rule records, a bit set"},
      {"error", "why something could not be read"},
  }};
  auto fields() const {
    return std::tie(path, type, mode, uid, gid, size, inode, links, mtime, ctime, target, xattrs, caps, acl, sha256,
                    sha512, blake2b, attrs, error);
  }
};
static_assert(columns_match<FimEntry>());

}  // namespace vigil::fim
