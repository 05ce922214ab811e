#include "audit/baseline.hpp"

#include <fmt/format.h>

#include <fstream>
#include <sstream>

#include "audit/result_json.hpp"

namespace vigil::audit {

expected<std::int64_t, std::string> save_baseline(store::Store& store, const AuditResult& r, std::string_view name) {
  auto& db = store.db();
  auto st = db.prepare(
      "INSERT INTO audit_results(name, hostname, root, created_at, passed, failed, not_applicable, document, "
      "vigil_version) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!st) return make_unexpected(store.path() + ": " + st.error());
  auto score = r.score();
  std::string doc = json_text(result_to_json(r));
  st->bind(1, name);
  st->bind(2, std::string_view(r.hostname));
  st->bind(3, std::string_view(r.root));
  st->bind(4, r.started_at);
  st->bind(5, static_cast<std::int64_t>(score.passed));
  st->bind(6, static_cast<std::int64_t>(score.failed));
  st->bind(7, static_cast<std::int64_t>(score.not_applicable));
  st->bind(8, std::string_view(doc));
  st->bind(9, std::string_view(VIGIL_VERSION));
  if (st->step() != SQLITE_DONE) return make_unexpected(store.path() + ": " + db.error());
  return sqlite3_last_insert_rowid(db.get());
}

expected<AuditResult, std::string> load_baseline(store::Store& store, std::string_view name) {
  auto st = store.db().prepare("SELECT document FROM audit_results WHERE name = ? ORDER BY id DESC LIMIT 1");
  if (!st) return make_unexpected(store.path() + ": " + st.error());
  st->bind(1, name);
  if (st->step() == SQLITE_ROW) {
    auto r = result_from_json(st->text(0));
    if (!r) return make_unexpected(fmt::format("{}: audit baseline '{}': {}", store.path(), name, r.error()));
    return r;
  }
  auto names = store.db().prepare("SELECT DISTINCT name FROM audit_results ORDER BY name");
  std::vector<std::string> known;
  if (names)
    while (names->step() == SQLITE_ROW) known.push_back(names->text(0));
  return make_unexpected(fmt::format("{}: no audit baseline named '{}' (saved: {})", store.path(), name,
                                     known.empty() ? "none; make one with --save NAME" : fmt::format("{}", fmt::join(known, ", "))));
}

expected<AuditResult, std::string> load_result_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_unexpected(fmt::format("{}: cannot be read", path));
  std::stringstream ss;
  ss << in.rdbuf();
  auto r = result_from_json(ss.str());
  if (!r) return make_unexpected(fmt::format("{}: {}", path, r.error()));
  return r;
}

}  // namespace vigil::audit
