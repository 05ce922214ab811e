// The attributes a file integrity rule can record, and the AIDE-like expressions that name
// sets of them ("R", "PERMS+sha512-inode").
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace vigil::fim {

enum Attr : std::uint32_t {
  kType = 1u << 0,
  kMode = 1u << 1,
  kUid = 1u << 2,
  kGid = 1u << 3,
  kSize = 1u << 4,
  kInode = 1u << 5,
  kLinks = 1u << 6,
  kMtime = 1u << 7,
  kCtime = 1u << 8,
  kTarget = 1u << 9,   // symlink target
  kXattrs = 1u << 10,  // extended attributes other than ACLs and capabilities
  kCaps = 1u << 11,    // file capabilities (security.capability)
  kAcl = 1u << 12,     // POSIX ACLs
  kSha256 = 1u << 13,
  kSha512 = 1u << 14,
  kBlake2b = 1u << 15,
  kGrowing = 1u << 16,  // size may only grow, and the content is not hashed (log files)
};
using Attrs = std::uint32_t;

inline constexpr Attrs kHashes = kSha256 | kSha512 | kBlake2b;

// Every attribute with its policy name, in report order.
struct AttrName {
  Attr attr;
  std::string_view name;
};
inline constexpr AttrName kAttrNames[] = {
    {kType, "type"},     {kMode, "mode"},       {kUid, "uid"},       {kGid, "gid"},       {kSize, "size"},
    {kInode, "inode"},   {kLinks, "links"},     {kMtime, "mtime"},   {kCtime, "ctime"},   {kTarget, "target"},
    {kXattrs, "xattrs"}, {kCaps, "caps"},       {kAcl, "acl"},       {kSha256, "sha256"}, {kSha512, "sha512"},
    {kBlake2b, "blake2b"}, {kGrowing, "growing"},
};

std::string attrs_text(Attrs a);  // "type+mode+uid"

// Named groups; the built-in ones (R, L, D, PERMS, CONTENT) are always there, and a policy
// may define more or redefine them.
using Groups = std::map<std::string, Attrs, std::less<>>;
Groups builtin_groups();

// "R-inode+sha512": names and groups joined by + (add) and - (remove). Error: the unknown word.
std::optional<Attrs> parse_attrs(std::string_view expr, const Groups& groups, std::string* error);

}  // namespace vigil::fim
