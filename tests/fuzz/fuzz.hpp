// Shared declarations for the fuzz targets and the stand-alone driver.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);
// Realistic inputs the driver mutates (each target defines them).
std::vector<std::string> fuzz_seeds();
