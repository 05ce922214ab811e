#include "logs/timestamp.hpp"

#include <array>
#include <cctype>

namespace vigil::logs {

namespace {

bool digits(std::string_view s, std::size_t pos, std::size_t n, int& out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
    v = v * 10 + (s[i] - '0');
  }
  out = v;
  return true;
}

bool valid(int month, int day, int hour, int minute, int second) {
  return month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour <= 23 && minute <= 59 && second <= 60;
}

}  // namespace

std::int64_t epoch_seconds(int year, int month, int day, int hour, int minute, int second) {
  // Howard Hinnant's days_from_civil.
  int y = year - (month <= 2 ? 1 : 0);
  int era = (y >= 0 ? y : y - 399) / 400;
  unsigned yoe = static_cast<unsigned>(y - era * 400);
  unsigned doy = (153 * static_cast<unsigned>(month + (month > 2 ? -3 : 9)) + 2) / 5 + static_cast<unsigned>(day) - 1;
  unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  std::int64_t days = static_cast<std::int64_t>(era) * 146097 + static_cast<std::int64_t>(doe) - 719468;
  return days * 86400 + hour * 3600 + minute * 60 + second;
}

int month_number(std::string_view m) {
  static constexpr std::array<std::string_view, 12> names = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                             "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  if (m.size() != 3) return 0;
  for (std::size_t i = 0; i < names.size(); ++i)
    if ((m[0] | 0x20) == (names[i][0] | 0x20) && (m[1] | 0x20) == names[i][1] && (m[2] | 0x20) == names[i][2])
      return static_cast<int>(i) + 1;
  return 0;
}

std::optional<std::int64_t> parse_iso8601(std::string_view s, std::size_t* consumed) {
  int y, mo, d, h, mi, sec;
  if (!digits(s, 0, 4, y) || s.size() < 19 || s[4] != '-' || !digits(s, 5, 2, mo) || s[7] != '-' ||
      !digits(s, 8, 2, d) || (s[10] != 'T' && s[10] != ' ') || !digits(s, 11, 2, h) || s[13] != ':' ||
      !digits(s, 14, 2, mi) || s[16] != ':' || !digits(s, 17, 2, sec))
    return std::nullopt;
  if (!valid(mo, d, h, mi, sec)) return std::nullopt;
  std::size_t pos = 19;
  if (pos < s.size() && (s[pos] == '.' || s[pos] == ',')) {
    ++pos;
    while (pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos]))) ++pos;
  }
  std::int64_t t = epoch_seconds(y, mo, d, h, mi, sec);
  if (pos < s.size() && s[pos] == 'Z') {
    ++pos;
  } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    int oh, om = 0;
    bool colon = pos + 3 < s.size() && s[pos + 3] == ':';
    if (digits(s, pos + 1, 2, oh) && digits(s, pos + (colon ? 4 : 3), 2, om)) {
      int sign = s[pos] == '+' ? 1 : -1;
      t -= sign * (oh * 3600 + om * 60);
      pos += colon ? 6 : 5;
    }
  }
  if (consumed) *consumed = pos;
  return t;
}

std::optional<std::int64_t> parse_clf_time(std::string_view s) {
  int d, y, h, mi, sec;
  if (s.size() < 20 || !digits(s, 0, 2, d) || s[2] != '/' || s[6] != '/' || !digits(s, 7, 4, y) || s[11] != ':' ||
      !digits(s, 12, 2, h) || s[14] != ':' || !digits(s, 15, 2, mi) || s[17] != ':' || !digits(s, 18, 2, sec))
    return std::nullopt;
  int mo = month_number(s.substr(3, 3));
  if (!valid(mo, d, h, mi, sec)) return std::nullopt;
  std::int64_t t = epoch_seconds(y, mo, d, h, mi, sec);
  int oh, om;
  if (s.size() >= 26 && s[20] == ' ' && (s[21] == '+' || s[21] == '-') && digits(s, 22, 2, oh) && digits(s, 24, 2, om))
    t -= (s[21] == '+' ? 1 : -1) * (oh * 3600 + om * 60);
  return t;
}

}  // namespace vigil::logs
