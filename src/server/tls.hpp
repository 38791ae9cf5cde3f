// TLS set-up of the server: TLS >= 1.2, our certificate chain and key, client certificates
// required and verified against the configured CA file (mutual TLS, as at the chain's hubs).
#pragma once

#include <filesystem>

#include <boost/asio/ssl/context.hpp>

#include "server/parties.hpp"

namespace istd::server {

/// Configures `ctx` (made with ssl::context::tls_server).
/// @throws ConfigError naming the file that cannot be used.
void configure_server_tls(boost::asio::ssl::context& ctx, const std::filesystem::path& cert,
                          const std::filesystem::path& key,
                          const std::filesystem::path& client_ca);

/// CN and SHA-256 fingerprint of the peer's (verified) certificate; empty fields when none.
PeerCert peer_certificate(SSL* ssl);

}  // namespace istd::server
