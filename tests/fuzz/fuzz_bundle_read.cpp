// Fuzz target: a bundle to unpack (vigil triage --bundle). Whatever the bytes, the reader
// either refuses them or unpacks verified members inside its private directory — nothing is
// created beside it, and the directory is gone after a refusal.
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "fuzz.hpp"
#include "report/bundle.hpp"
#include "report/bundle_read.hpp"

namespace {

// A private directory for the run, removed when the process ends.
struct WorkDir {
  std::string path;
  WorkDir() {
    std::string t = std::filesystem::temp_directory_path().string() + "/vigil-fuzz-bundle-XXXXXX";
    path = ::mkdtemp(t.data()) ? t : std::string("/nonexistent");
  }
  ~WorkDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
};

const std::string& work() {
  static const WorkDir dir;
  return dir.path;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string file = work() + "/in.tar.zst", parent = work() + "/out";
  std::filesystem::create_directories(parent);
  std::ofstream(file, std::ios::binary | std::ios::trunc).write(reinterpret_cast<const char*>(data),
                                                                 static_cast<std::streamsize>(size));
  auto r = vigil::report::unpack_bundle(file, parent);
  std::size_t left = 0;
  for (const auto& e : std::filesystem::directory_iterator(parent)) {
    ++left;
    if (!r || e.path() != r->dir) __builtin_trap();  // only the bundle's own directory, only on success
  }
  if (r) std::filesystem::remove_all(r->dir);
  if (left > 1) __builtin_trap();
  return 0;
}

std::vector<std::string> fuzz_seeds() {
  std::string file = work() + "/seed.tar.zst";
  auto w = vigil::report::BundleWriter::create(file);
  if (w) {
    (void)w->add("triage.json", "{\"findings\": []}", 0);
    (void)w->add("files/etc/passwd", "root:x:0:0::/root:/bin/sh\n", 0);
    (void)w->finish();
  }
  std::ifstream in(file, std::ios::binary);
  std::string bundle((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return {bundle, "not a bundle"};
}
