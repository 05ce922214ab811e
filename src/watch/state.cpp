// The watch state as CBOR (nlohmann), written with write + fsync + rename.
#include "watch/state.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>

#include <nlohmann/json.hpp>

#include "core/replace_file.hpp"

namespace vigil::watch {

namespace {

constexpr int kVersion = 1;

}  // namespace

std::string encode_state(const WatchState& s) {
  nlohmann::json j;
  j["version"] = kVersion;
  j["tails"] = nlohmann::json::array();
  for (const auto& t : s.tails)
    j["tails"].push_back({{"path", t.path}, {"dev", t.dev}, {"ino", t.ino}, {"offset", t.offset}, {"line", t.line},
                          {"head", t.head}});
  j["engine"] = nlohmann::json::binary(std::vector<std::uint8_t>(s.engine.begin(), s.engine.end()));
  j["emitted"] = s.emitted;
  j["journal"] = s.journal_cursor;
  j["spools"] = nlohmann::json::object();
  for (const auto& [name, m] : s.spools) j["spools"][name] = {m.ino, m.delivered};
  j["triage"] = s.triage_seen;
  auto bytes = nlohmann::json::to_cbor(j);
  return {bytes.begin(), bytes.end()};
}

expected<WatchState, std::string> decode_state(std::string_view blob) {
  try {
    // Even with exceptions off, nlohmann throws for a size that cannot be reserved.
    auto j = nlohmann::json::from_cbor(blob.begin(), blob.end(), true, false);
    if (j.is_discarded() || !j.is_object()) return make_unexpected(std::string("not a vigil watch state (bad CBOR)"));
    if (j.at("version").get<int>() != kVersion)
      return make_unexpected("state version " + j.at("version").dump() + ", expected " + std::to_string(kVersion));
    WatchState s;
    for (const auto& t : j.at("tails")) {
      TailPosition p;
      p.path = t.at("path").get<std::string>();
      p.dev = t.at("dev").get<std::uint64_t>();
      p.ino = t.at("ino").get<std::uint64_t>();
      p.offset = t.at("offset").get<std::uint64_t>();
      p.line = t.at("line").get<std::uint64_t>();
      p.head = t.at("head").get<std::string>();
      s.tails.push_back(std::move(p));
    }
    const auto& engine = j.at("engine");
    if (!engine.is_binary()) return make_unexpected(std::string("engine state is not a byte string"));
    s.engine.assign(engine.get_binary().begin(), engine.get_binary().end());
    for (const auto& k : j.at("emitted")) s.emitted.push_back(k.get<std::string>());
    // Added after the first release of the format: optional.
    if (auto c = j.find("journal"); c != j.end()) s.journal_cursor = c->get<std::string>();
    if (auto sp = j.find("spools"); sp != j.end())
      for (const auto& [name, m] : sp->items())
        s.spools[name] = {m.at(0).get<std::uint64_t>(), m.at(1).get<std::uint64_t>()};
    if (auto t = j.find("triage"); t != j.end())
      for (const auto& fp : *t) s.triage_seen.push_back(fp.get<std::string>());
    return s;
  } catch (const nlohmann::json::exception& e) {
    return make_unexpected(std::string("malformed state: ") + e.what());
  } catch (const std::bad_alloc&) {
    return make_unexpected(std::string("malformed state: a size larger than memory"));
  }
}

expected<WatchState, std::string> load_state(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (errno == ENOENT) return WatchState{};
    return make_unexpected(path + ": " + std::strerror(errno));
  }
  std::string blob((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto s = decode_state(blob);
  if (!s) return make_unexpected(path + ": " + s.error());
  return s;
}

expected<void, std::string> save_state(const std::string& path, const WatchState& s) {
  return replace_file(path, encode_state(s));
}

}  // namespace vigil::watch
