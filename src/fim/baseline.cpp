// Baseline storage and verification.
#include "fim/baseline.hpp"

#include <fmt/format.h>
#include <openssl/evp.h>
#include <sys/stat.h>

#include <memory>

#include "core/hash.hpp"
#include "core/rule_catalog.hpp"
#include "store/rows.hpp"
#include "store/schema.hpp"

namespace vigil::fim {

namespace {

// SHA-256 over the baseline's identity and every entry, each value length-prefixed so no
// two different baselines serialise alike. Fed one entry at a time.
class Digest {
 public:
  explicit Digest(const BaselineInfo& info) : ctx_(EVP_MD_CTX_new(), EVP_MD_CTX_free) {
    EVP_DigestInit_ex(ctx_.get(), EVP_sha256(), nullptr);
    feed("vigil-fim-baseline-v1");
    feed(info.name);
    feed(info.hostname);
    feed(info.root);
    feed(std::to_string(info.created_at));
    feed(info.policy);
    feed(std::to_string(info.entries));
  }
  void entry(const FimEntry& e) {
    ++count_;
    for_each_column(e, [&](const Column&, const auto& v) {
      if constexpr (std::is_same_v<std::remove_cvref_t<decltype(v)>, std::string>)
        feed(v);
      else
        feed(std::to_string(v));
    });
  }
  std::int64_t count() const { return count_; }
  std::string finish() {
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned len = 0;
    EVP_DigestFinal_ex(ctx_.get(), out, &len);
    return hex(out, len);
  }

 private:
  void feed(std::string_view v) {
    auto len = fmt::format("{}:", v.size());
    EVP_DigestUpdate(ctx_.get(), len.data(), len.size());
    EVP_DigestUpdate(ctx_.get(), v.data(), v.size());
  }
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx_;
  std::int64_t count_ = 0;
};

std::string compute_digest(const BaselineInfo& info, const std::vector<FimEntry>& entries) {
  Digest d(info);
  for (const auto& e : entries) d.entry(e);
  return d.finish();
}

// The checks both verify_baseline forms share, once the digest is recomputed.
expected<void, std::string> check_signature(const BaselineInfo& info, const std::string& digest, std::int64_t rows,
                                            const SigningKey& key) {
  if (rows != info.entries || digest != info.digest)
    return make_unexpected(fmt::format(
        "baseline #{} was changed after it was signed: its entries no longer match their recorded digest", info.id));
  if (!key.verify(info.digest, info.signature))
    return make_unexpected(fmt::format("baseline #{}: the signature does not verify (forged or corrupted)", info.id));
  return {};
}

expected<void, std::string> check_key(const BaselineInfo& info, const SigningKey& key) {
  if (info.key_kind != key.kind() || info.key_id != key.id())
    return make_unexpected(fmt::format("baseline #{} was signed with {} key {}, not with the {} key {} given", info.id,
                                       info.key_kind, info.key_id, key.kind(), key.id()));
  return {};
}

const store::TableSql& entries_table() {
  static const store::TableSql t = store::table_sql<FimEntry>("fim_baselines", "baseline_id");
  return t;
}

constexpr std::string_view kColumns =
    "id, name, hostname, root, created_at, policy, entries, digest, key_kind, key_id, signature, status";

BaselineInfo read_info(const store::Statement& st) {
  BaselineInfo b;
  b.id = st.integer(0);
  b.name = st.text(1);
  b.hostname = st.text(2);
  b.root = st.text(3);
  b.created_at = st.integer(4);
  b.policy = st.text(5);
  b.entries = st.integer(6);
  b.digest = st.text(7);
  b.key_kind = st.text(8);
  b.key_id = st.text(9);
  b.signature = st.text(10);
  b.status = st.text(11);
  return b;
}

expected<std::vector<BaselineInfo>, std::string> select_baselines(store::Store& store, const std::string& where,
                                                                 const std::function<void(store::Statement&)>& bind) {
  auto st = store.db().prepare(fmt::format("SELECT {} FROM fim_baselines {} ORDER BY id DESC", kColumns, where));
  if (!st) return make_unexpected(store.path() + ": " + st.error());
  bind(*st);
  std::vector<BaselineInfo> out;
  int rc;
  while ((rc = st->step()) == SQLITE_ROW) out.push_back(read_info(*st));
  if (rc != SQLITE_DONE) return make_unexpected(store.path() + ": " + store.db().error());
  return out;
}

// Errors name the store file.
expected<void, std::string> write_baseline(store::Database& db, BaselineInfo& info, const std::vector<FimEntry>& entries) {
  auto head = db.prepare(
      "INSERT INTO fim_baselines(name, hostname, root, created_at, policy, entries, digest, key_kind, key_id, "
      "signature, status, vigil_version) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!head) return make_unexpected(db.path() + ": " + head.error());
  int i = 1;
  for (std::string_view v : {std::string_view(info.name), std::string_view(info.hostname), std::string_view(info.root)})
    head->bind(i++, v);
  head->bind(i++, info.created_at);
  head->bind(i++, std::string_view(info.policy));
  head->bind(i++, info.entries);
  for (std::string_view v : {std::string_view(info.digest), std::string_view(info.key_kind),
                             std::string_view(info.key_id), std::string_view(info.signature),
                             std::string_view(info.status), std::string_view(VIGIL_VERSION)})
    head->bind(i++, v);
  if (head->step() != SQLITE_DONE) return make_unexpected(db.path() + ": " + db.error());
  info.id = sqlite3_last_insert_rowid(db.get());
  const auto& t = entries_table();
  if (auto r = store::reconcile_table(db, t); !r) return r;
  auto insert = db.prepare(store::insert_sql(t));
  if (!insert) return make_unexpected(db.path() + ": " + insert.error());
  for (const auto& e : entries) {
    insert->bind(1, info.id);
    store::bind_row(*insert, 2, e);
    if (insert->step() != SQLITE_DONE) return make_unexpected(db.path() + ": " + db.error());
    insert->reset();
  }
  return {};
}

}  // namespace

expected<std::int64_t, std::string> save_baseline(store::Store& store, BaselineInfo& info,
                                                  const std::vector<FimEntry>& entries, const SigningKey& key) {
  info.entries = static_cast<std::int64_t>(entries.size());
  info.digest = compute_digest(info, entries);
  auto sig = key.sign(info.digest);
  if (!sig) return make_unexpected(sig.error());
  info.signature = *sig;
  info.key_kind = std::string(key.kind());
  info.key_id = key.id();
  info.status = "active";
  auto& db = store.db();
  auto r = db.transaction([&]() -> expected<void, std::string> {
    auto old = db.prepare("UPDATE fim_baselines SET status = 'history' WHERE name = ? AND root = ? AND status = 'active'");
    if (!old) return make_unexpected(db.path() + ": " + old.error());
    old->bind(1, std::string_view(info.name));
    old->bind(2, std::string_view(info.root));
    if (old->step() != SQLITE_DONE) return make_unexpected(db.path() + ": " + db.error());
    return write_baseline(db, info, entries);
  });
  if (!r) return make_unexpected(r.error());
  return info.id;
}

expected<std::optional<BaselineInfo>, std::string> find_baseline(store::Store& store, const std::string& name,
                                                                 const std::string& root) {
  auto all = select_baselines(store, "WHERE name = ? AND root = ? AND status = 'active'", [&](store::Statement& st) {
    st.bind(1, std::string_view(name));
    st.bind(2, std::string_view(root));
  });
  if (!all) return make_unexpected(all.error());
  if (all->empty()) return std::optional<BaselineInfo>();
  return std::optional<BaselineInfo>(all->front());
}

expected<std::optional<BaselineInfo>, std::string> baseline_by_id(store::Store& store, std::int64_t id) {
  auto all = select_baselines(store, "WHERE id = ?", [&](store::Statement& st) { st.bind(1, id); });
  if (!all) return make_unexpected(all.error());
  if (all->empty()) return std::optional<BaselineInfo>();
  return std::optional<BaselineInfo>(all->front());
}

expected<std::vector<BaselineInfo>, std::string> list_baselines(store::Store& store) {
  return select_baselines(store, "", [](store::Statement&) {});
}

expected<void, std::string> for_each_entry(store::Store& store, std::int64_t id,
                                           const std::function<void(const FimEntry&)>& f) {
  const auto& t = entries_table();
  if (auto r = store::reconcile_table(store.db(), t); !r) return r;
  auto st = store.db().prepare(
      fmt::format("SELECT {} FROM fim_entries WHERE baseline_id = ? ORDER BY path", store::column_list(t)));
  if (!st) return make_unexpected(store.path() + ": " + st.error());
  st->bind(1, id);
  int rc;
  FimEntry e;
  while ((rc = st->step()) == SQLITE_ROW) {
    store::read_row(*st, 0, e);
    f(e);
  }
  if (rc != SQLITE_DONE) return make_unexpected(store.path() + ": " + store.db().error());
  return {};
}

expected<std::optional<FimEntry>, std::string> find_entry(store::Store& store, std::int64_t id, std::string_view path) {
  const auto& t = entries_table();
  auto st = store.db().prepare(
      fmt::format("SELECT {} FROM fim_entries WHERE baseline_id = ? AND path = ?", store::column_list(t)));
  if (!st) return make_unexpected(store.path() + ": " + st.error());
  st->bind(1, id);
  st->bind(2, path);
  int rc = st->step();
  if (rc == SQLITE_DONE) return std::optional<FimEntry>{};
  if (rc != SQLITE_ROW) return make_unexpected(store.path() + ": " + store.db().error());
  FimEntry e;
  store::read_row(*st, 0, e);
  return std::optional<FimEntry>(std::move(e));
}

expected<std::vector<FimEntry>, std::string> load_entries(store::Store& store, std::int64_t id) {
  std::vector<FimEntry> out;
  auto r = for_each_entry(store, id, [&](const FimEntry& e) { out.push_back(e); });
  if (!r) return make_unexpected(r.error());
  return out;
}

expected<void, std::string> verify_baseline(const BaselineInfo& info, const std::vector<FimEntry>& entries,
                                            const SigningKey& key) {
  if (auto k = check_key(info, key); !k) return k;
  return check_signature(info, compute_digest(info, entries), static_cast<std::int64_t>(entries.size()), key);
}

expected<void, std::string> verify_baseline(store::Store& store, const BaselineInfo& info, const SigningKey& key) {
  if (auto k = check_key(info, key); !k) return k;
  Digest d(info);
  if (auto r = for_each_entry(store, info.id, [&](const FimEntry& e) { d.entry(e); }); !r) return r;
  auto rows = d.count();
  return check_signature(info, d.finish(), rows, key);
}

expected<BaselineInfo, BaselineRefusal> open_trusted_baseline(store::Store& store, const BaselineQuery& q) {
  auto info = q.id ? baseline_by_id(store, q.id) : find_baseline(store, q.name, q.root);
  if (!info) return make_unexpected(BaselineRefusal{info.error(), {}});
  if (!*info)
    return make_unexpected(BaselineRefusal{
        q.id ? fmt::format("no fim baseline #{} in {}", q.id, store.path())
             : fmt::format("no fim baseline '{}' for {} in {}: make one with vigil fim init{}", q.name, q.root,
                           store.path(), q.root == "/" ? "" : " --root " + q.root),
        {}});
  auto key = SigningKey::load(q.key_path);
  if (!key) return make_unexpected(BaselineRefusal{"--key: " + key.error(), {}});
  if (!key->warning().empty() && q.warn) q.warn(key->warning());
  if (auto ok = verify_baseline(store, **info, *key); !ok) {
    auto f = make_finding("fim.baseline-invalid", Severity::critical, "fim", ok.error());
    f.add("vigil.store", store.path());
    f.add("vigil.baseline", (*info)->id);
    return make_unexpected(BaselineRefusal{ok.error(), std::move(f)});
  }
  return std::move(**info);
}

expected<std::size_t, std::string> prune_history(store::Store& store, const std::string& name, const std::string& root,
                                                 std::size_t keep) {
  auto st = store.db().prepare(
      "DELETE FROM fim_baselines WHERE name = ?1 AND root = ?2 AND status = 'history' AND id NOT IN "
      "(SELECT id FROM fim_baselines WHERE name = ?1 AND root = ?2 AND status = 'history' ORDER BY id DESC LIMIT ?3)");
  if (!st) return make_unexpected(store.path() + ": " + st.error());
  st->bind(1, std::string_view(name));
  st->bind(2, std::string_view(root));
  st->bind(3, static_cast<std::int64_t>(keep));
  if (st->step() != SQLITE_DONE) return make_unexpected(store.path() + ": " + store.db().error());
  auto n = static_cast<std::size_t>(sqlite3_changes(store.db().get()));
  if (n) (void)store.db().exec("PRAGMA incremental_vacuum");
  return n;
}

expected<void, std::string> export_baseline(store::Store& store, std::int64_t id, const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) return make_unexpected(path + ": exists; export writes a new file");
  auto info = baseline_by_id(store, id);
  if (!info) return make_unexpected(info.error());
  if (!*info) return make_unexpected(fmt::format("no baseline #{}", id));
  auto entries = load_entries(store, id);
  if (!entries) return make_unexpected(entries.error());
  if (!store.inspected()) return make_unexpected("export: the store has no root (an in-memory store)");
  auto out = store::Store::open(path, *store.inspected(), "--out");
  if (!out) return make_unexpected(out.error());
  auto copy = **info;
  return out->db().transaction([&] { return write_baseline(out->db(), copy, *entries); });
}

}  // namespace vigil::fim
