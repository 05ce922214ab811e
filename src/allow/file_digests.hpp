// Hashing many files of a Root in parallel (SHA-256 and MD5 in one read each), for building
// and checking an allowlist.
#pragma once

#include <string>
#include <vector>

#include "core/expected.hpp"
#include "core/hash.hpp"
#include "core/io_error.hpp"
#include "core/root.hpp"

namespace vigil::allow {

// One result per path, in order; jobs 0 for one thread per core.
std::vector<expected<FileDigests, IoError>> hash_files(const Root& root, const std::vector<std::string>& paths,
                                                       unsigned jobs);

// An executable program or a shared library by its mode and name: any execute bit, or a
// name ending in .so or holding .so. (libraries are installed 0644).
bool is_executable_candidate(std::string_view path, unsigned mode);

}  // namespace vigil::allow
