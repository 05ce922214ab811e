#include "watch/action_ledger.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include <nlohmann/json.hpp>

namespace vigil::watch {

namespace {

std::string error_text(const std::string& path, std::string_view what) {
  return path + ": " + std::string(what) + ": " + std::strerror(errno);
}

}  // namespace

expected<void, std::string> ActionLedger::open(const std::string& path, std::int64_t now, bool dry_run) {
  path_ = path;
  until_.clear();
  unreadable_ = 0;
  {
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line)) {
      auto j = nlohmann::json::parse(line, nullptr, false);
      if (!j.is_object() || !j.contains("trigger") || !j.contains("key")) {
        ++unreadable_;
        continue;
      }
      if (!j.contains("until")) continue;  // an outcome line
      if (j.value("dry_run", false) && !dry_run) continue;
      auto& until = until_[{j.value("trigger", ""), j.value("key", "")}];
      until = std::max(until, j.value("until", std::int64_t{0}));
    }
  }
  fd_ = UniqueFd(::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600));
  if (!fd_) return make_unexpected(error_text(path, "cannot open"));
  struct stat st {};
  size_ = ::fstat(fd_.get(), &st) == 0 ? st.st_size : 0;
  // A line torn by a kill -9 is ended, so the next one starts on a line of its own.
  if (size_ > 0) {
    UniqueFd in(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    char last = '\n';
    if (in && ::pread(in.get(), &last, 1, size_ - 1) == 1 && last != '\n')
      if (auto r = append(""); !r) return r;
  }
  if (size_ > compact_at_) return compact(now);
  return {};
}

bool ActionLedger::active(const std::string& trigger, const std::string& key, std::int64_t now) const {
  auto it = until_.find({trigger, key});
  return it != until_.end() && it->second > now;
}

std::size_t ActionLedger::active_keys(std::int64_t now) const {
  std::size_t n = 0;
  for (const auto& [k, until] : until_) n += until > now ? 1 : 0;
  return n;
}

expected<void, std::string> ActionLedger::started(const std::string& trigger, const std::string& key,
                                                  std::int64_t now, std::int64_t until, bool dry_run) {
  until_[{trigger, key}] = until;
  nlohmann::json j = {{"time", now}, {"trigger", trigger}, {"key", key}, {"until", until}};
  if (dry_run) j["dry_run"] = true;
  if (auto r = append(j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)); !r) return r;
  if (size_ > compact_at_) return compact(now);
  return {};
}

expected<void, std::string> ActionLedger::outcome(const std::string& trigger, const std::string& key,
                                                  std::string_view action, bool ok, const std::string& detail,
                                                  std::int64_t now) {
  nlohmann::json j = {{"time", now},       {"trigger", trigger},           {"key", key},
                      {"action", action},  {"outcome", ok ? "success" : "failure"}, {"detail", detail}};
  return append(j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

expected<void, std::string> ActionLedger::append(const std::string& line) {
  if (!fd_) return make_unexpected(path_ + ": not open");
  std::string text = line + "\n";
  if (::write(fd_.get(), text.data(), text.size()) != static_cast<ssize_t>(text.size()))
    return make_unexpected(error_text(path_, "cannot write"));
  if (::fdatasync(fd_.get()) != 0) return make_unexpected(error_text(path_, "cannot sync"));
  size_ += static_cast<std::int64_t>(text.size());
  return {};
}

// The keys still active, written to a new file that replaces the old one.
expected<void, std::string> ActionLedger::compact(std::int64_t now) {
  std::string tmp = path_ + ".new";
  std::string text;
  for (const auto& [k, until] : until_)
    if (until > now)
      text += nlohmann::json({{"time", now}, {"trigger", k.first}, {"key", k.second}, {"until", until}})
                  .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) +
              "\n";
  {
    UniqueFd out(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
    if (!out) return make_unexpected(error_text(tmp, "cannot open"));
    if (::write(out.get(), text.data(), text.size()) != static_cast<ssize_t>(text.size()) || ::fsync(out.get()) != 0)
      return make_unexpected(error_text(tmp, "cannot write"));
  }
  if (::rename(tmp.c_str(), path_.c_str()) != 0) return make_unexpected(error_text(path_, "cannot replace"));
  std::erase_if(until_, [&](const auto& kv) { return kv.second <= now; });
  fd_ = UniqueFd(::open(path_.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC));
  if (!fd_) return make_unexpected(error_text(path_, "cannot open"));
  size_ = static_cast<std::int64_t>(text.size());
  return {};
}

}  // namespace vigil::watch
