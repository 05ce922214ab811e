#include "core/rule_files.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace vigil {

void for_each_yaml_file(const std::vector<std::string>& paths,
                        const std::function<void(const std::string&, const std::string&)>& on_file,
                        const std::function<void(const std::string&, std::string_view)>& on_problem) {
  namespace fs = std::filesystem;
  auto load_one = [&](const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    if (!in) {
      on_problem(p.string(), "cannot be read");
      return;
    }
    std::stringstream ss;
    ss << in.rdbuf();
    on_file(p.string(), ss.str());
  };
  for (const auto& path : paths) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      std::vector<fs::path> files;
      for (fs::recursive_directory_iterator it(path, fs::directory_options::skip_permission_denied, ec), end;
           !ec && it != end; it.increment(ec)) {
        auto ext = it->path().extension();
        if (it->is_regular_file(ec) && (ext == ".yml" || ext == ".yaml")) files.push_back(it->path());
      }
      if (ec) on_problem(path, ec.message());
      else if (files.empty()) on_problem(path, "no *.yml files in this directory");
      std::sort(files.begin(), files.end());
      for (const auto& f : files) load_one(f);
    } else if (fs::exists(path, ec)) {
      load_one(path);
    } else {
      on_problem(path, "no such file or directory");
    }
  }
}

}  // namespace vigil
