// Typed rows: each table is a struct with one constexpr column list tied to it.
// A row type declares `kTable`, `kColumns` ({name, doc} per column) and `fields()`,
// which returns a tuple of references to the column members in the same order.
// Column types derive from the member types, so schema, JSON and docs cannot drift.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>

namespace vigil {

struct Column {
  std::string_view name;
  std::string_view doc;
};

enum class ColumnType { integer, text, boolean };

template <class T>
constexpr ColumnType column_type_of() {
  using U = std::remove_cvref_t<T>;
  if constexpr (std::is_same_v<U, bool>)
    return ColumnType::boolean;
  else if constexpr (std::is_integral_v<U>)
    return ColumnType::integer;
  else {
    static_assert(std::is_same_v<U, std::string>, "columns are integers, booleans or strings");
    return ColumnType::text;
  }
}

constexpr std::string_view to_string(ColumnType t) {
  return t == ColumnType::integer ? "integer" : t == ColumnType::boolean ? "boolean" : "text";
}

template <class Row>
concept TableRow = requires(const Row& r) {
  { Row::kTable } -> std::convertible_to<std::string_view>;
  Row::kColumns.size();
  r.fields();
};

// True when the column list and fields() agree in length; each row type asserts it.
template <class Row>
constexpr bool columns_match() {
  using Fields = decltype(std::declval<const Row&>().fields());
  return std::tuple_size_v<Fields> == Row::kColumns.size();
}

// Calls f(column, value) for each column of a row, in order.
template <TableRow Row, class F>
void for_each_column(const Row& row, F&& f) {
  auto values = row.fields();
  [&]<std::size_t... I>(std::index_sequence<I...>) {
    (f(Row::kColumns[I], std::get<I>(values)), ...);
  }
  (std::make_index_sequence<Row::kColumns.size()>{});
}

// Calls f(column, value&) for each column of a row, with the value writable (to fill a row
// from storage). fields() hands out const references; the row itself is not const here.
template <TableRow Row, class F>
void for_each_column_mut(Row& row, F&& f) {
  auto values = std::as_const(row).fields();
  [&]<std::size_t... I>(std::index_sequence<I...>) {
    (f(Row::kColumns[I], const_cast<std::remove_cvref_t<std::tuple_element_t<I, decltype(values)>>&>(std::get<I>(values))), ...);
  }
  (std::make_index_sequence<Row::kColumns.size()>{});
}

// The column types of a row type, for schema listings.
template <TableRow Row>
constexpr auto column_types() {
  using Fields = decltype(std::declval<const Row&>().fields());
  return [&]<std::size_t... I>(std::index_sequence<I...>) {
    return std::array<ColumnType, sizeof...(I)>{
        column_type_of<std::tuple_element_t<I, Fields>>()...};
  }
  (std::make_index_sequence<Row::kColumns.size()>{});
}

}  // namespace vigil
