// Debian version comparison (Debian Policy 5.6.12): [epoch:]upstream[-revision], the epoch
// compared as a number, then upstream and revision each as alternating runs of non-digits
// (compared character by character: '~' before everything, even the end; letters before
// other characters) and digits (compared as numbers). The order dpkg --compare-versions gives.
#pragma once

#include <string_view>

namespace vigil::collect {

// Negative when a < b, zero when equal, positive when a > b.
int compare_debian_versions(std::string_view a, std::string_view b);

}  // namespace vigil::collect
