// Typed rows in and out of SQLite statements, column by column in column-list order.
#pragma once

#include <type_traits>

#include "core/table.hpp"
#include "store/sqlite.hpp"

namespace vigil::store {

// Binds the row's columns to parameters first, first + 1, …
template <TableRow Row>
void bind_row(Statement& st, int first, const Row& row) {
  int i = first;
  for_each_column(row, [&](const Column&, const auto& v) {
    using T = std::remove_cvref_t<decltype(v)>;
    if constexpr (std::is_same_v<T, std::string>)
      st.bind(i++, std::string_view(v));
    else if constexpr (std::is_same_v<T, bool>)
      st.bind(i++, v);
    else
      st.bind(i++, static_cast<std::int64_t>(v));
  });
}

// Fills the row from result columns first, first + 1, …
template <TableRow Row>
void read_row(const Statement& st, int first, Row& row) {
  int i = first;
  for_each_column_mut(row, [&](const Column&, auto& v) {
    using T = std::remove_cvref_t<decltype(v)>;
    if constexpr (std::is_same_v<T, std::string>)
      v = st.text(i++);
    else if constexpr (std::is_same_v<T, bool>)
      v = st.integer(i++) != 0;
    else
      v = static_cast<T>(st.integer(i++));
  });
}

}  // namespace vigil::store
