// The shared start-up content patterns, compiled into one Hyperscan database.
#include "collect/script_patterns.hpp"

#include "collect/script_pattern_table.hpp"

#include <hs/hs.h>

#include <algorithm>
#include <array>
#include <memory>
#include <stdexcept>
#include <string>

namespace vigil::collect {

namespace {

using script_pattern_data::kPatterns;

struct Database {
  hs_database_t* db = nullptr;
  hs_scratch_t* prototype = nullptr;

  // The database compiled at build time, unless it was made from other patterns or by
  // another Hyperscan version; then compiled now (about 0.1 s).
  Database() {
    namespace data = script_pattern_data;
    if (data::kDatabaseHash != data::patterns_hash() ||
        hs_deserialize_database(data::kDatabase, data::kDatabaseSize, &db) != HS_SUCCESS) {
      db = nullptr;
      std::string error;
      db = data::compile(nullptr, error);
      // The patterns are part of the program: a failure here is a bug the tests catch.
      if (!db) throw std::logic_error(error);
    }
    if (hs_alloc_scratch(db, &prototype) != HS_SUCCESS) throw std::bad_alloc();
  }
  ~Database() {
    hs_free_scratch(prototype);
    hs_free_database(db);
  }
};

const Database& database() {
  static const Database d;
  return d;
}

struct ScratchDeleter {
  void operator()(hs_scratch_t* s) const { hs_free_scratch(s); }
};

hs_scratch_t* thread_scratch() {
  thread_local std::unique_ptr<hs_scratch_t, ScratchDeleter> scratch = [] {
    hs_scratch_t* s = nullptr;
    if (hs_clone_scratch(database().prototype, &s) != HS_SUCCESS) throw std::bad_alloc();
    return std::unique_ptr<hs_scratch_t, ScratchDeleter>(s);
  }();
  return scratch.get();
}

struct ScanState {
  std::string_view text;
  std::vector<std::size_t> line_starts;  // filled on the first match
  std::vector<ScriptHit> hits;

  std::size_t line_of(std::size_t offset) {
    if (line_starts.empty()) {
      line_starts.push_back(0);
      for (std::size_t i = 0; i < text.size(); ++i)
        if (text[i] == '\n') line_starts.push_back(i + 1);
    }
    auto it = std::upper_bound(line_starts.begin(), line_starts.end(), offset);
    return static_cast<std::size_t>(it - line_starts.begin());
  }
};

int on_match(unsigned id, unsigned long long, unsigned long long to, unsigned, void* context) {
  auto& st = *static_cast<ScanState*>(context);
  // A match ending at `to` lies on the line holding its last byte.
  std::size_t line = st.line_of(to == 0 ? 0 : static_cast<std::size_t>(to - 1));
  st.hits.push_back({&kPatterns[id], line});
  return 0;
}

}  // namespace

std::string_view trait_name(ScriptTrait t) {
  switch (t) {
    case ScriptTrait::reverse_shell: return "reverse-shell";
    case ScriptTrait::netcat: return "netcat";
    case ScriptTrait::download_exec: return "download-exec";
    case ScriptTrait::decode_exec: return "decode-exec";
    case ScriptTrait::temp_exec: return "temp-exec";
    case ScriptTrait::history_off: return "history-off";
    case ScriptTrait::web_shell: return "web-shell";
  }
  return "?";
}

std::span<const ScriptPattern> script_patterns() { return kPatterns; }

const ScriptPattern* find_script_pattern(std::string_view id) {
  for (const auto& p : kPatterns)
    if (p.id == id) return &p;
  return nullptr;
}

std::vector<ScriptHit> scan_script(std::string_view text) {
  // Hyperscan takes an unsigned length; start-up files are read with a 16 MiB cap.
  text = text.substr(0, std::min<std::size_t>(text.size(), 0xffffffffu));
  ScanState st{text, {}, {}};
  if (text.empty()) return {};
  hs_scan(database().db, text.data(), static_cast<unsigned>(text.size()), 0, thread_scratch(), on_match, &st);
  std::sort(st.hits.begin(), st.hits.end(), [](const ScriptHit& a, const ScriptHit& b) {
    return a.line != b.line ? a.line < b.line : a.pattern < b.pattern;
  });
  st.hits.erase(std::unique(st.hits.begin(), st.hits.end(),
                            [](const ScriptHit& a, const ScriptHit& b) {
                              return a.line == b.line && a.pattern == b.pattern;
                            }),
                st.hits.end());
  return std::move(st.hits);
}

}  // namespace vigil::collect
