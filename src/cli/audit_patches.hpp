// vigil audit patches: the options it shares with vigil audit's patch section.
#pragma once

#include <CLI/CLI.hpp>

#include "patch/patch_audit.hpp"

namespace vigil::cli {

// --osv, --debian-tracker, --unfixed, --max-list-age.
void add_patch_feed_options(CLI::App* cmd, patch::PatchAuditOptions& o);
// The subcommand, under `vigil audit`.
void add_audit_patches_command(CLI::App* audit, int& exit_code);

}  // namespace vigil::cli
