// The rule and policy files named on a command line: files as given, directories searched
// (recursively, in name order) for *.yml and *.yaml. Shared by the Sigma and SCA loaders.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace vigil {

// Calls on_file(path, text) for each file read, on_problem(path, message) for each path that
// cannot be read or does not exist (and for a directory holding no such file).
void for_each_yaml_file(const std::vector<std::string>& paths,
                        const std::function<void(const std::string&, const std::string&)>& on_file,
                        const std::function<void(const std::string&, std::string_view)>& on_problem);

}  // namespace vigil
