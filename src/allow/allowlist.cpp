// The allowlist file: writing, parsing, signing and verifying.
#include "allow/allowlist.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>

#include "core/text.hpp"

namespace vigil::allow {

namespace {

constexpr std::string_view kMagic = "vigil-allowlist 1";
constexpr std::size_t kMaxFile = std::size_t{1} << 30;

bool is_hex(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Splits off the first space-separated word.
std::string_view next_word(std::string_view& rest) {
  auto sp = rest.find(' ');
  auto word = rest.substr(0, sp);
  rest = sp == std::string_view::npos ? std::string_view{} : rest.substr(sp + 1);
  return word;
}

}  // namespace

const AllowEntry* Allowlist::find(std::string_view path) const {
  auto it = std::lower_bound(entries.begin(), entries.end(), path,
                             [](const AllowEntry& e, std::string_view p) { return e.path < p; });
  return it != entries.end() && it->path == path ? &*it : nullptr;
}

void Allowlist::normalise() {
  std::stable_sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) { return a.path < b.path; });
  entries.erase(std::unique(entries.begin(), entries.end(), [](const auto& a, const auto& b) { return a.path == b.path; }),
                entries.end());
}

std::string escape_path(std::string_view path) {
  std::string out;
  out.reserve(path.size());
  for (unsigned char c : path) {
    if (c <= 0x20 || c == 0x7f || c == '\\')
      out += fmt::format("\\x{:02x}", c);
    else
      out += static_cast<char>(c);
  }
  return out;
}

std::optional<std::string> unescape_path(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\\') {
      out += text[i];
      continue;
    }
    if (i + 3 >= text.size() || text[i + 1] != 'x') return std::nullopt;
    int hi = hex_digit(text[i + 2]), lo = hex_digit(text[i + 3]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out += static_cast<char>(hi * 16 + lo);
    i += 3;
  }
  return out;
}

std::string allowlist_body(const Allowlist& list) {
  std::string out;
  out.reserve(list.entries.size() * 120 + 256);
  out += kMagic;
  out += '\n';
  out += fmt::format("host {}\nroot {}\ncreated {}\n", escape_path(list.host), escape_path(list.root), list.created);
  if (!list.key_kind.empty()) out += fmt::format("key {} {}\n", list.key_kind, list.key_id);
  for (const auto& e : list.entries)
    out += fmt::format("{} {} {} {}\n", e.sha256, e.size, escape_path(e.source), escape_path(e.path));
  return out;
}

expected<std::string, std::string> signed_allowlist(Allowlist list, const fim::SigningKey& key) {
  if (!key.can_sign()) return make_unexpected("the key is a public key: give the private key to sign an allowlist");
  list.key_kind = std::string(key.kind());
  list.key_id = key.id();
  list.normalise();
  auto body = allowlist_body(list);
  auto sig = key.sign(body);
  if (!sig) return make_unexpected(sig.error());
  return body + "signature " + *sig + "\n";
}

expected<ParsedAllowlist, std::string> parse_allowlist(std::string_view text) {
  ParsedAllowlist out;
  std::size_t line_no = 0, pos = 0;
  bool signed_seen = false;
  auto fail = [&](std::string message) {
    return make_unexpected(fmt::format("line {}: {}", line_no, message));
  };
  while (pos < text.size()) {
    auto nl = text.find('\n', pos);
    if (nl == std::string_view::npos) {
      ++line_no;
      return fail("the file ends inside a line (cut short?)");
    }
    std::string_view line = text.substr(pos, nl - pos);
    std::size_t start = pos;
    pos = nl + 1;
    ++line_no;
    if (signed_seen) return fail("text after the signature line");
    if (line_no == 1) {
      if (line != kMagic) return fail(fmt::format("not a vigil allowlist (the first line is not '{}')", kMagic));
      continue;
    }
    std::string_view rest = line;
    auto word = next_word(rest);
    if (word == "signature") {
      if (rest.empty() || !is_hex(rest)) return fail("the signature is not hexadecimal");
      out.signature = std::string(rest);
      out.body = std::string(text.substr(0, start));
      signed_seen = true;
      continue;
    }
    if (word == "host" || word == "root") {
      auto value = unescape_path(rest);
      if (!value) return fail(fmt::format("a malformed \\x escape in the {}", word));
      (word == "host" ? out.list.host : out.list.root) = *value;
      continue;
    }
    if (word == "created") {
      auto t = to_number<std::int64_t>(rest);
      if (!t) return fail(fmt::format("the creation time '{}' is not a number", printable(rest)));
      out.list.created = *t;
      continue;
    }
    if (word == "key") {
      auto kind = next_word(rest);
      if (kind.empty() || rest.empty()) return fail("the key line needs a kind and an id");
      out.list.key_kind = std::string(kind);
      out.list.key_id = std::string(rest);
      continue;
    }
    if (word.size() != 64 || !is_hex(word))
      return fail(fmt::format("'{}' is neither a header word nor a SHA-256", printable(word.substr(0, 80))));
    AllowEntry e;
    e.sha256 = std::string(word);
    auto size = to_number<std::int64_t>(next_word(rest));
    if (!size || *size < 0) return fail("the size is not a whole number");
    e.size = *size;
    auto source = unescape_path(next_word(rest));
    auto path = unescape_path(rest);
    if (!source || source->empty()) return fail("no source (package or added)");
    if (!path || !path->starts_with('/')) return fail("the path is not absolute or has a malformed escape");
    e.source = std::move(*source);
    e.path = std::move(*path);
    if (!out.list.entries.empty() && out.list.entries.back().path >= e.path)
      return fail(fmt::format("{} is out of order or repeated (the list is sorted by path)", printable(e.path)));
    out.list.entries.push_back(std::move(e));
  }
  if (line_no == 0) return make_unexpected("the file is empty");
  return out;
}

expected<Allowlist, std::string> verify_allowlist(std::string_view text, const fim::SigningKey& key) {
  auto parsed = parse_allowlist(text);
  if (!parsed) return make_unexpected(parsed.error());
  const auto& l = parsed->list;
  if (parsed->signature.empty()) return make_unexpected("the list has no signature line: it cannot be trusted");
  if (l.key_kind != key.kind() || l.key_id != key.id())
    return make_unexpected(fmt::format("the list was signed with the {} key {}, not with this {} key {}", l.key_kind,
                                       l.key_id, key.kind(), key.id()));
  if (!key.verify(parsed->body, parsed->signature))
    return make_unexpected("the signature does not match the list: it was edited after it was signed");
  return std::move(parsed->list);
}

expected<Allowlist, std::string> load_allowlist(const std::string& path, const fim::SigningKey& key) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_unexpected(fmt::format("{}: cannot be read", path));
  in.seekg(0, std::ios::end);
  auto size = static_cast<std::size_t>(std::max<std::streamoff>(0, in.tellg()));
  if (size > kMaxFile) return make_unexpected(fmt::format("{}: larger than 1 GiB: not an allowlist", path));
  in.seekg(0);
  std::string text(size, '\0');
  in.read(text.data(), static_cast<std::streamsize>(size));
  auto list = verify_allowlist(text, key);
  if (!list) return make_unexpected(fmt::format("{}: {}", path, list.error()));
  return list;
}

}  // namespace vigil::allow
