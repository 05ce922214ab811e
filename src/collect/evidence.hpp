// The raw artefacts an incident bundle keeps beside the triage (vigil collect): the account
// files, sudoers, crontabs, systemd units, SSH keys, shell histories, login records and the
// system logs, found inside a Root (the live host or an image). The bundle copies them; the
// analysis never needs the host again.
#pragma once

#include <string>
#include <vector>

#include "core/root.hpp"

namespace vigil::collect {

struct EvidenceFile {
  std::string path;           // inside the root
  std::string why;            // accounts, privileges, persistence, ssh, history, logins, logs, network
  bool password_hashes = false;  // shadow files: hashes are removed unless asked to keep them
};

// Every such file that exists (regular files only, no symlink followed), in a stable order.
std::vector<EvidenceFile> evidence_files(const Root& root);

// A shadow file with each password hash replaced by "<removed>" (locked markers ! and * and
// empty fields are kept: they are evidence too).
std::string redact_password_hashes(std::string_view shadow);

}  // namespace vigil::collect
