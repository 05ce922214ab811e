// The one list of tables a snapshot holds: row type, where it is collected, and where it
// lives in a Snapshot. Docs, JSON inventory, the store and `vigil query` all walk it.
#pragma once

#include <string_view>

#include "collect/snapshot.hpp"

namespace vigil::collect {

// Calls f.template operator()<Row>(where, rows) for every table, where `rows` is the
// snapshot's vector of that row type (const or not, as the snapshot given).
template <class S, class F>
void for_each_table(S& s, F&& f) {
  f.template operator()<ProcessRow>("live only", s.processes);
  f.template operator()<SocketRow>("live only", s.sockets);
  f.template operator()<InterfaceRow>("live only", s.interfaces);
  f.template operator()<UserRow>("live and --root", s.accounts.users);
  f.template operator()<GroupRow>("live and --root", s.accounts.groups);
  f.template operator()<SudoRuleRow>("live and --root", s.accounts.sudo_rules);
  f.template operator()<SudoDefaultRow>("live and --root", s.accounts.sudo_defaults);
  f.template operator()<LoginRecordRow>("live and --root", s.logins.records);
  f.template operator()<LastlogRow>("live and --root", s.logins.lastlog);
  f.template operator()<PersistenceRow>("live and --root", s.persistence);
  f.template operator()<SshdSettingRow>("live and --root", s.sshd_config);
  f.template operator()<PackageRow>("live and --root", s.installed_packages);
  f.template operator()<FileCheckRow>("live and --root", s.file_checks);
  f.template operator()<RootkitProbeRow>(
      "live (hidden processes, ports, modules) and --root (files, link counts)", s.rootkit_probes);
}

// The same walk without a snapshot, for schemas and docs.
template <class F>
void for_each_table_type(F&& f) {
  static const Snapshot empty;
  for_each_table(empty, [&]<class Row>(std::string_view where, const auto&) { f.template operator()<Row>(where); });
}

}  // namespace vigil::collect
