// Stand-alone fuzz driver for ctest: runs the seeds, any files given as arguments, and
// VIGIL_FUZZ_RUNS deterministic random mutations of the seeds through the target.
// (`make fuzz` builds the same targets for libFuzzer's coverage-guided search instead.)
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>

#include "fuzz.hpp"

namespace {

// VIGIL_FUZZ_SAVE=FILE writes each input there before running it: after a hang or a
// crash, FILE holds the input that caused it.
void run(const std::string& s) {
  if (const char* save = std::getenv("VIGIL_FUZZ_SAVE")) std::ofstream(save, std::ios::binary) << s;
  LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(s.data()), s.size());
}

std::string mutate(std::string s, std::mt19937_64& rng) {
  static const std::vector<std::string> kTokens = {
      ":", "\n", std::string(1, '\0'),   "(",        ")", " ", "\\",
      "=", "-1", "99999999999999999999", "\xff\xfe", "%", "#", ","};
  int steps = 1 + static_cast<int>(rng() % 8);
  for (int i = 0; i < steps; ++i) {
    std::size_t pos = s.empty() ? 0 : rng() % (s.size() + 1);
    switch (rng() % 6) {
      case 0:  // flip a byte
        if (!s.empty()) s[pos % s.size()] = static_cast<char>(rng());
        break;
      case 1:  // insert a token
        s.insert(pos, kTokens[rng() % kTokens.size()]);
        break;
      case 2:  // delete a range
        if (!s.empty()) s.erase(pos % s.size(), rng() % 16);
        break;
      case 3:  // truncate
        s.resize(pos);
        break;
      case 4:  // repeat a slice (long lines, many fields)
        if (!s.empty()) {
          std::size_t at = pos % s.size();
          std::string slice = s.substr(at, 1 + rng() % 32);
          for (int k = 0; k < 1 + static_cast<int>(rng() % 64); ++k) s.insert(at, slice);
        }
        break;
      default:  // random bytes
        for (int k = 0; k < 1 + static_cast<int>(rng() % 32); ++k)
          s.insert(pos, 1, static_cast<char>(rng()));
    }
  }
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  auto seeds = fuzz_seeds();
  seeds.push_back("");
  for (const auto& s : seeds) run(s);
  for (int i = 1; i < argc; ++i) {
    std::ifstream in(argv[i], std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    run(ss.str());
  }
  long runs = std::getenv("VIGIL_FUZZ_RUNS") ? std::atol(std::getenv("VIGIL_FUZZ_RUNS")) : 10000;
  std::mt19937_64 rng(0x5eed);
  for (long i = 0; i < runs; ++i)
    run(mutate(seeds[static_cast<std::size_t>(i) % seeds.size()], rng));
  std::printf("%ld mutated inputs, %zu seeds: no crash\n", runs, seeds.size());
  return 0;
}
