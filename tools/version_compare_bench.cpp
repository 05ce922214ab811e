// bench/patches.sh's version comparison benchmark: reads one Debian version per line from
// standard input and compares every version with every other `rounds` times; prints the
// comparisons, the time and a checksum of the results (the sum of sign(a_i, a_j) * (i - j)), which the
// peer (python3-apt's apt_pkg.version_compare) must reproduce.
#include <chrono>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "collect/debian_version.hpp"

int main(int argc, char** argv) {
  int rounds = argc > 1 ? std::stoi(argv[1]) : 1;
  std::vector<std::string> versions;
  for (std::string line; std::getline(std::cin, line);)
    if (!line.empty()) versions.push_back(line);
  long long sum = 0, n = 0;
  auto t0 = std::chrono::steady_clock::now();
  for (int r = 0; r < rounds; ++r)
    for (std::size_t i = 0; i < versions.size(); ++i)
      for (std::size_t j = 0; j < versions.size(); ++j) {
        int c = vigil::collect::compare_debian_versions(versions[i], versions[j]);
        sum += ((c > 0) - (c < 0)) * (static_cast<long long>(i) - static_cast<long long>(j));
        ++n;
      }
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("%lld comparisons in %.3f s: %.1f ns each; checksum %lld\n", n, s, s * 1e9 / static_cast<double>(n),
              sum / rounds);
}
