// Baseline signatures. A key file holds either a shared secret (HMAC-SHA-256: the default,
// made by `vigil fim init` when missing) or an Ed25519 key in PEM (a private key signs; its
// public key alone verifies, so a checking host never holds what could re-sign a baseline).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "core/expected.hpp"
#include "core/root.hpp"

namespace vigil::fim {

inline constexpr std::string_view kDefaultKeyPath = "/etc/vigil/fim.key";

class SigningKey {
 public:
  // Reads a key file.
  static expected<SigningKey, std::string> load(const std::string& path);
  // The same, making a new HMAC secret (mode 0600) when the file is missing; a path that
  // resolves inside the inspected root is refused (vigil never writes there, and a key kept
  // in the evidence proves nothing).
  static expected<SigningKey, std::string> load_or_create(const std::string& path, const Root& inspected);

  std::string_view kind() const { return kind_; }  // hmac-sha256 or ed25519
  const std::string& id() const { return id_; }    // short fingerprint, stored with the baseline
  bool can_sign() const { return can_sign_; }
  // Set when a secret key file can be read by other users (as ssh warns of a private key).
  const std::string& warning() const { return warning_; }
  expected<std::string, std::string> sign(std::string_view message) const;  // hex
  bool verify(std::string_view message, std::string_view signature_hex) const;

 private:
  std::string kind_, id_, secret_, warning_;
  std::shared_ptr<void> pkey_;  // EVP_PKEY for ed25519
  bool can_sign_ = false;
};

}  // namespace vigil::fim
