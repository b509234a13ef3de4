#ifndef WSGATE_COPENSSL_SHIM_H
#define WSGATE_COPENSSL_SHIM_H
#include <openssl/ssl.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <openssl/pem.h>
#include <openssl/hmac.h>
#include <openssl/ecdsa.h>
#include <openssl/crypto.h>
#include <openssl/sha.h>

// Function-like macros Swift cannot import.
static inline long wsg_SSL_CTX_set_min_proto_version(SSL_CTX *ctx, int v) { return SSL_CTX_set_min_proto_version(ctx, v); }
static inline long wsg_SSL_CTX_set_max_proto_version(SSL_CTX *ctx, int v) { return SSL_CTX_set_max_proto_version(ctx, v); }
static inline long wsg_SSL_CTX_set_mode(SSL_CTX *ctx, long m) { return SSL_CTX_set_mode(ctx, m); }
static inline long wsg_SSL_set_mode(SSL *ssl, long m) { return SSL_set_mode(ssl, m); }
static inline long wsg_SSL_CTX_set_session_cache_mode(SSL_CTX *ctx, long m) { return SSL_CTX_set_session_cache_mode(ctx, m); }
static inline long wsg_SSL_CTX_set1_groups_list(SSL_CTX *ctx, const char *l) { return SSL_CTX_set1_groups_list(ctx, l); }
static inline long wsg_SSL_CTX_set_read_ahead(SSL_CTX *ctx, int y) { return SSL_CTX_set_read_ahead(ctx, y); }
static inline long wsg_SSL_set_tlsext_host_name(SSL *ssl, const char *name) { return SSL_set_tlsext_host_name(ssl, name); }
static inline long wsg_SSL_CTX_set_tlsext_servername_callback(SSL_CTX *ctx, int (*cb)(SSL *, int *, void *)) {
    return SSL_CTX_set_tlsext_servername_callback(ctx, cb);
}
static inline long wsg_SSL_CTX_set_tlsext_servername_arg(SSL_CTX *ctx, void *arg) { return SSL_CTX_set_tlsext_servername_arg(ctx, arg); }
static inline long wsg_BIO_get_mem_data(BIO *b, char **pp) { return BIO_get_mem_data(b, pp); }
static inline void wsg_OPENSSL_free(void *p) { OPENSSL_free(p); }
static inline long wsg_SSL_CTX_add_extra_chain_cert(SSL_CTX *ctx, X509 *x) { return SSL_CTX_add_extra_chain_cert(ctx, x); }
static inline long wsg_SSL_CTX_sess_set_cache_size(SSL_CTX *ctx, long size) { return SSL_CTX_sess_set_cache_size(ctx, size); }

// SHA-1 of Sec-WebSocket-Accept through the low-level interface, deprecated since OpenSSL 3.0 yet still
// there: EVP_Digest costs about 1,100 more instructions per digest (a context allocated, provider dispatch),
// two digests per proxied connection.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
static inline int wsg_sha1(const void *data, size_t count, unsigned char digest[20]) {
    SHA_CTX context;
    return SHA1_Init(&context) && SHA1_Update(&context, data, count) && SHA1_Final(digest, &context);
}
#pragma GCC diagnostic pop

static const uint64_t wsg_SSL_OP_NO_SSLv3 = SSL_OP_NO_SSLv3;
static const uint64_t wsg_SSL_OP_NO_TLSv1 = SSL_OP_NO_TLSv1;
static const uint64_t wsg_SSL_OP_NO_TLSv1_1 = SSL_OP_NO_TLSv1_1;
static const uint64_t wsg_SSL_OP_NO_COMPRESSION = SSL_OP_NO_COMPRESSION;
static const uint64_t wsg_SSL_OP_NO_RENEGOTIATION = SSL_OP_NO_RENEGOTIATION;
static const uint64_t wsg_SSL_OP_CIPHER_SERVER_PREFERENCE = SSL_OP_CIPHER_SERVER_PREFERENCE;
static const uint64_t wsg_SSL_OP_IGNORE_UNEXPECTED_EOF = SSL_OP_IGNORE_UNEXPECTED_EOF;
static const uint64_t wsg_SSL_OP_NO_TICKET = SSL_OP_NO_TICKET;
#endif
