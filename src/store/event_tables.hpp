// The tables vigil watch keeps of what the kernel reported, as osquery's process_events and
// socket_events: one row per exec and per connect, bind or accept, in STATE_DIR/events.db
// (event_store.hpp), kept for a bounded time and number of rows. Typed rows like the
// snapshot tables, so the store's SQL, `vigil query` and docs/TABLES.md come from one list.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <tuple>

#include "core/table.hpp"

namespace vigil::store {

struct ProcessEventRow {
  std::int64_t time = 0;  // epoch seconds
  std::int64_t pid = 0;
  std::int64_t ppid = 0;
  std::int64_t uid = -1;
  std::string user;
  std::string name;
  std::string executable;
  std::string cmdline;
  std::string cwd;
  std::string package;
  std::string parent_executable;
  std::string parent_cmdline;
  bool gone = false;
  std::string source;

  static constexpr std::string_view kTable = "process_events";
  static constexpr std::array<Column, 14> kColumns{{
      {"time", "when the program was started (exec), seconds since the epoch"},
      {"pid", "process id"},
      {"ppid", "parent process id"},
      {"uid", "real user id; -1 when unknown"},
      {"user", "user name of uid"},
      {"name", "process name (comm)"},
      {"executable", "the program run; empty when the process ended before it could be read (proc connector)"},
      {"cmdline", "command line, arguments joined by spaces"},
      {"cwd", "working directory; empty when unknown"},
      {"package", "package that owns the executable; empty when none"},
      {"parent_executable", "the parent's program; empty when unknown"},
      {"parent_cmdline", "the parent's command line"},
      {"gone", "the process ended before /proc could be read: program and arguments are the kernel's (BPF, audit)"},
      {"source", "where the event came from: bpf, audit or proc connector"},
  }};
  auto fields() const {
    return std::tie(time, pid, ppid, uid, user, name, executable, cmdline, cwd, package, parent_executable,
                    parent_cmdline, gone, source);
  }
};
static_assert(columns_match<ProcessEventRow>());

struct SocketEventRow {
  std::int64_t time = 0;
  std::string action;  // connect, bind, accept
  std::int64_t pid = 0;
  std::int64_t uid = -1;
  std::string name;
  std::string executable;
  std::string protocol;  // tcp, udp, tcp6, udp6
  std::string local_address;
  std::int64_t local_port = 0;
  std::string remote_address;
  std::int64_t remote_port = 0;

  static constexpr std::string_view kTable = "socket_events";
  static constexpr std::array<Column, 11> kColumns{{
      {"time", "when, seconds since the epoch"},
      {"action", "connect (outgoing), bind (an address taken, usually before listen), accept (incoming)"},
      {"pid", "process id"},
      {"uid", "user id; -1 when unknown"},
      {"name", "process name (comm)"},
      {"executable", "the process's program; empty when it was not known"},
      {"protocol", "tcp, udp, tcp6 or udp6 (the socket's type and family)"},
      {"local_address", "bind: the address taken; empty otherwise"},
      {"local_port", "bind: the port taken (0: any)"},
      {"remote_address", "connect: the address connected to; accept: the peer's"},
      {"remote_port", "connect: the port connected to; accept: the peer's"},
  }};
  auto fields() const {
    return std::tie(time, action, pid, uid, name, executable, protocol, local_address, local_port, remote_address,
                    remote_port);
  }
};
static_assert(columns_match<SocketEventRow>());

// Calls f.template operator()<Row>(where) for each event table.
template <class F>
void for_each_event_table_type(F&& f) {
  constexpr std::string_view kWhere = "by vigil watch from the kernel's events, kept in STATE_DIR/events.db";
  f.template operator()<ProcessEventRow>(kWhere);
  f.template operator()<SocketEventRow>(kWhere);
}

}  // namespace vigil::store
