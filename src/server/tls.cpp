#include "server/tls.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <fmt/format.h>

#include "core/errors.hpp"

namespace istd::server {
namespace ssl = boost::asio::ssl;

void configure_server_tls(ssl::context& ctx, const std::filesystem::path& cert,
                          const std::filesystem::path& key,
                          const std::filesystem::path& client_ca) {
  ctx.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                  ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 |
                  ssl::context::single_dh_use | ssl::context::no_compression);
  SSL_CTX* native = ctx.native_handle();
  SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION);
  auto fail = [](const std::string& what, const std::filesystem::path& file,
                 const boost::system::error_code& ec) {
    throw ConfigError(fmt::format("{} {}: {}", what, file.string(), ec.message()));
  };
  boost::system::error_code ec;
  ctx.use_certificate_chain_file(cert.string(), ec);
  if (ec) fail("cannot use certificate", cert, ec);
  ctx.use_private_key_file(key.string(), ssl::context::pem, ec);
  if (ec) fail("cannot use private key", key, ec);
  if (SSL_CTX_check_private_key(native) != 1)
    throw ConfigError(fmt::format("private key {} does not match certificate {}", key.string(),
                                  cert.string()));
  ctx.load_verify_file(client_ca.string(), ec);
  if (ec) fail("cannot use client CA file", client_ca, ec);
  // Tell clients which CAs we accept (CertificateRequest).
  if (STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(client_ca.c_str()))
    SSL_CTX_set_client_CA_list(native, names);
  ctx.set_verify_mode(ssl::verify_peer | ssl::verify_fail_if_no_peer_cert);
  static const unsigned char kSessionContext[] = "istd-serve";
  SSL_CTX_set_session_id_context(native, kSessionContext, sizeof kSessionContext - 1);
  ERR_clear_error();
}

PeerCert peer_certificate(SSL* ssl) {
  PeerCert pc;
  X509* x = SSL_get1_peer_certificate(ssl);
  if (!x) return pc;
  if (X509_NAME* name = X509_get_subject_name(x)) {
    const int idx = X509_NAME_get_index_by_NID(name, NID_commonName, -1);
    if (idx >= 0) {
      ASN1_STRING* data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, idx));
      unsigned char* utf8 = nullptr;
      const int len = ASN1_STRING_to_UTF8(&utf8, data);
      if (len >= 0) pc.cn.assign(reinterpret_cast<const char*>(utf8), static_cast<std::size_t>(len));
      OPENSSL_free(utf8);
    }
  }
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  if (X509_digest(x, EVP_sha256(), md, &n) == 1) {
    static const char kHex[] = "0123456789abcdef";
    for (unsigned i = 0; i < n; ++i) {
      pc.sha256 += kHex[md[i] >> 4];
      pc.sha256 += kHex[md[i] & 15];
    }
  }
  X509_free(x);
  return pc;
}

}  // namespace istd::server
