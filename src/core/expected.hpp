// vigil::expected: std::expected where the compiler provides it (g++ 12 in c++2b mode), else
// Debian's tl::expected (clang 14, which builds the libFuzzer targets, lacks std::expected).
#pragma once

#include <version>

#if defined(__cpp_lib_expected)
#include <expected>
namespace vigil {
template <class T, class E>
using expected = std::expected<T, E>;
template <class E>
using unexpected = std::unexpected<E>;
}  // namespace vigil
#else
#include <tl/expected.hpp>
namespace vigil {
template <class T, class E>
using expected = tl::expected<T, E>;
template <class E>
using unexpected = tl::unexpected<E>;
}  // namespace vigil
#endif

#include <string>
#include <type_traits>
#include <utility>

namespace vigil {
// The error side of an expected; a function, because clang 14 has no CTAD for alias templates.
template <class E>
auto make_unexpected(E&& e) {
  return unexpected<std::decay_t<E>>(std::forward<E>(e));
}
inline unexpected<std::string> make_unexpected(const char* message) {
  return unexpected<std::string>(message);
}
}  // namespace vigil
