// Who is calling: a verified client certificate becomes a party code (AGB code of a provider,
// gemeentecode of a municipality; docs/serve.md). Without a parties file the certificate's
// subject CN is the party code. With one, only the certificates it lists are parties.
//
// Parties file (one mapping a line, '#' starts a comment, blank lines ignored):
//   sha256:<fingerprint> <party>   SHA-256 of the DER certificate, hex, colons optional
//   cn:<common name> <party>       subject CN (the rest of the line up to the last blank)
// A fingerprint wins over a CN. <party> is 4 digits (gemeente) or 8 digits (AGB).
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace istd::server {

/// What the server needs of a verified peer certificate.
struct PeerCert {
  std::string cn;      ///< subject commonName ("" when absent)
  std::string sha256;  ///< lowercase hex of SHA-256 over the DER encoding, no colons
};

/// 4 digits (gemeentecode) or 8 digits (AGB code).
bool is_party_code(std::string_view s);

/// The party of a caller, or why it has none.
struct Identity {
  std::string party;  ///< empty when refused
  std::string error;  ///< why there is no party
};

class PartyMap {
 public:
  /// @throws ConfigError with file:line on an unreadable file or a bad line.
  static PartyMap load(const std::filesystem::path& file);
  /// Parses the text of a parties file; `name` prefixes error messages.
  static PartyMap parse(std::string_view text, const std::string& name);

  std::optional<std::string> find(const PeerCert& cert) const;
  std::size_t size() const { return by_sha256_.size() + by_cn_.size(); }

 private:
  std::map<std::string, std::string, std::less<>> by_sha256_, by_cn_;
};

/// The caller's party: through `map` when given, else the CN when it is a party code.
Identity identify(const PeerCert& cert, const PartyMap* map);

}  // namespace istd::server
