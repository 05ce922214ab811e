#include "logs/decode.hpp"

#include <array>
#include <cctype>
#include <cstring>

namespace vigil::logs {

namespace {

int hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void put_utf8(std::string& out, unsigned cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xE0 | ((cp >> 12) & 0x0F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Whether anything at i could start an encoding.
bool encoded_at(std::string_view in, std::size_t i, bool plus) {
  auto c = static_cast<unsigned char>(in[i]);
  switch (c) {
    case '%': return true;
    case '+': return plus;
    case '&': return i + 1 < in.size() && (in[i + 1] == '#' || std::isalpha(static_cast<unsigned char>(in[i + 1]))) &&
                     in.find(';', i) != std::string_view::npos;
    case '$': return i + 1 < in.size() && in[i + 1] == '{';
    case 0xC0:
    case 0xC1:
    case 0xE0: return true;
    default: return false;
  }
}

// One round of %-decoding, '+' and overlong UTF-8. Returns true when it changed anything.
bool percent_round(std::string_view in, std::string& out, bool plus) {
  out.clear();
  out.reserve(in.size());
  bool changed = false;
  for (std::size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '%' && i + 2 < in.size()) {
      int h = hex(in[i + 1]), l = hex(in[i + 2]);
      if (h >= 0 && l >= 0) {
        out += static_cast<char>(h * 16 + l);
        i += 2;
        changed = true;
        continue;
      }
      if ((in[i + 1] == 'u' || in[i + 1] == 'U') && i + 5 < in.size()) {
        int a = hex(in[i + 2]), b = hex(in[i + 3]), d = hex(in[i + 4]), e = hex(in[i + 5]);
        if (a >= 0 && b >= 0 && d >= 0 && e >= 0) {
          put_utf8(out, static_cast<unsigned>((a << 12) | (b << 8) | (d << 4) | e));
          i += 5;
          changed = true;
          continue;
        }
      }
    }
    if (c == '+' && plus) {
      out += ' ';
      changed = true;
      continue;
    }
    auto u = static_cast<unsigned char>(c);
    // Overlong 2-byte forms of ASCII (C0 AF is '/', C1 9C is '\'), and 3-byte E0 80..9F.
    if ((u == 0xC0 || u == 0xC1) && i + 1 < in.size()) {
      out += static_cast<char>(((u & 0x01) << 6) | (static_cast<unsigned char>(in[i + 1]) & 0x3F));
      ++i;
      changed = true;
      continue;
    }
    if (u == 0xE0 && i + 2 < in.size() && (static_cast<unsigned char>(in[i + 1]) & 0xE0) == 0x80) {
      unsigned cp = ((static_cast<unsigned char>(in[i + 1]) & 0x3F) << 6) | (static_cast<unsigned char>(in[i + 2]) & 0x3F);
      put_utf8(out, cp);
      i += 2;
      changed = true;
      continue;
    }
    out += c;
  }
  return changed;
}

bool entity_round(std::string_view in, std::string& out) {
  if (in.find('&') == std::string_view::npos) return false;
  out.clear();
  out.reserve(in.size());
  bool changed = false;
  static constexpr struct {
    std::string_view name;
    char ch;
  } named[] = {{"&lt;", '<'}, {"&gt;", '>'}, {"&amp;", '&'}, {"&quot;", '"'}, {"&apos;", '\''}, {"&sol;", '/'},
               {"&lpar;", '('}, {"&rpar;", ')'}, {"&colon;", ':'}, {"&Tab;", '\t'}, {"&NewLine;", '\n'}};
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '&') {
      bool done = false;
      for (const auto& n : named)
        if (in.substr(i, n.name.size()) == n.name) {
          out += n.ch;
          i += n.name.size() - 1;
          done = changed = true;
          break;
        }
      if (done) continue;
      if (i + 2 < in.size() && in[i + 1] == '#') {
        std::size_t j = i + 2;
        bool hexa = j < in.size() && (in[j] == 'x' || in[j] == 'X');
        if (hexa) ++j;
        unsigned cp = 0;
        std::size_t start = j;
        while (j < in.size() && j - start < 7 && (hexa ? hex(in[j]) >= 0 : (in[j] >= '0' && in[j] <= '9'))) {
          cp = cp * (hexa ? 16 : 10) + static_cast<unsigned>(hexa ? hex(in[j]) : in[j] - '0');
          ++j;
        }
        if (j > start && cp > 0 && cp < 0x10000) {
          put_utf8(out, cp);
          i = (j < in.size() && in[j] == ';') ? j : j - 1;
          changed = true;
          continue;
        }
      }
    }
    out += in[i];
  }
  return changed;
}

// ${lower:x} ${upper:x} ${::-x} ${env:NAME:-x} ${sys:NAME:-x} ${date:'x'} → x, innermost first.
bool lookup_round(std::string_view in, std::string& out) {
  if (in.find("${") == std::string_view::npos) return false;
  out.clear();
  out.reserve(in.size());
  bool changed = false;
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '$' && i + 1 < in.size() && in[i + 1] == '{') {
      auto close = in.find('}', i + 2);
      std::string_view body = close == std::string_view::npos ? std::string_view{} : in.substr(i + 2, close - i - 2);
      if (!body.empty() && body.find("${") == std::string_view::npos) {
        std::string_view value;
        bool hit = false;
        auto colon = body.find(':');
        std::string_view prefix = colon == std::string_view::npos ? body : body.substr(0, colon);
        std::string lower(prefix);
        for (auto& ch : lower) ch = static_cast<char>(ch | 0x20);
        if ((lower == "lower" || lower == "upper") && colon != std::string_view::npos) {
          value = body.substr(colon + 1);
          hit = true;
        } else if (auto dflt = body.find(":-"); dflt != std::string_view::npos &&
                   (prefix.empty() || lower == "env" || lower == "sys" || lower == "main" || lower == "ctx" ||
                    lower == "date" || lower == "java" || lower == "bundle" || lower == "sd" || lower == "k8s")) {
          value = body.substr(dflt + 2);
          hit = true;
        } else if (lower == "date" && colon != std::string_view::npos) {
          value = body.substr(colon + 1);
          if (value.size() >= 2 && value.front() == '\'' && value.back() == '\'') value = value.substr(1, value.size() - 2);
          hit = true;
        }
        if (hit) {
          out += value;
          i = close;
          changed = true;
          continue;
        }
      }
    }
    out += in[i];
  }
  return changed;
}

}  // namespace

bool decode_web(std::string_view in, std::string& out, bool plus) {
  static const auto starts = [] {
    std::array<bool, 256> t{};
    for (int c : {0x25, 0x2B, 0x26, 0x24, 0xC0, 0xC1, 0xE0}) t[static_cast<std::size_t>(c)] = true;
    return t;
  }();
  bool any = false;
  for (std::size_t i = 0; i < in.size() && !any; ++i)
    if (starts[static_cast<unsigned char>(in[i])]) any = encoded_at(in, i, plus);
  if (!any) return false;
  thread_local std::string cur, next;
  cur.assign(in);
  bool changed = false;
  for (int round = 0; round < 4; ++round) {  // double and triple encoding
    bool step = percent_round(cur, next, plus);
    if (step) cur.swap(next);
    bool ent = entity_round(cur, next);
    if (ent) cur.swap(next);
    if (!step && !ent) break;
    changed = true;
  }
  for (int round = 0; round < 8; ++round) {
    if (!lookup_round(cur, next)) break;
    cur.swap(next);
    changed = true;
  }
  if (changed) out.assign(cur);
  return changed;
}

}  // namespace vigil::logs
